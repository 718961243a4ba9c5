"""Copenhagen's five screening criteria for udsatte byområder, per unit and year.

Definitions from Bilag 1 ("Datadefinitioner på udpegningskriterier") of Københavns Kommune's
status 2021 on *Politik for Udsatte Byområder* (seed ``003_534e4863dd0b7c41.txt``) and DESIGN § 4.
Every share is computed over the persons living in the unit at 1 January of the year.

Documented assumptions: the low-income median is that of all persons aged 18+ in the same
municipality and year (DuckDB ``quantile_cont``, i.e. the midpoint for an even count); "at least
25 % below the median" means disposable income ≤ 0.75 × median. "Without education" counts
``basic`` and ``unknown`` (no registered education) for persons not in education;
``foreign_not_approved`` is a registered (foreign) education and does not count.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ibis
import pandas as pd

from boligmonitor.errors import InputError
from boligmonitor.indicators.base import (
    UNIT_KINDS,
    Indicator,
    KeyKind,
    Measure,
    UnitKind,
    flag,
    located_persons,
    sum_measures,
    unit_key,
)
from boligmonitor.schema.microdata import Microdata

__all__ = [
    "CITY_INDICATORS",
    "LIVING_AREA",
    "UNIT_INDICATOR_COLUMNS",
    "indicators_by",
    "living_area_per_resident",
    "requested_years",
    "share_low_income",
    "share_no_education",
    "share_nonwestern",
    "share_outside_labour",
    "unit_indicators",
]

#: Dwellings kept for living area (Bilag 1): 10-1 000 m² and at most 15 residents.
MIN_M2, MAX_M2, MAX_RESIDENTS = 10, 1_000, 15
LOW_INCOME_FACTOR = 0.75
NONWESTERN = ("nonwestern_immigrant", "nonwestern_descendant")
WITHOUT_EDUCATION = ("basic", "unknown")


def share_outside_labour(persons: Any) -> Measure:
    """Share of 16-66-year-olds permanently outside the labour force.

    Bilag 1, "Arbejdsmarked": persons in retirement schemes and others permanently outside the
    labour force; the employed, unemployed, students and the temporarily outside are attached.
    """
    band = persons.age.between(16, 66)
    return Measure(flag(band & persons.permanently_outside_labour_force), flag(band))


def share_low_income(persons: Any) -> Measure:
    """Share of persons 18+ whose disposable income is at least 25 % below the median.

    Bilag 1, "Indkomst". Needs the column ``median_disposable`` (see :func:`with_median`).
    """
    adult = (persons.age >= 18) & persons.disposable_income.notnull()
    low = persons.disposable_income <= LOW_INCOME_FACTOR * persons.median_disposable
    return Measure(flag(adult & low), flag(adult))


def share_nonwestern(persons: Any) -> Measure:
    """Share of residents of non-western origin (immigrants and descendants).

    Bilag 1, "Herkomst": western = the EU, Andorra, Iceland, Liechtenstein, San Marino, Norway,
    Monaco, Switzerland, the Vatican, Canada, the USA, New Zealand and Australia.
    """
    return Measure(flag(persons.origin.isin(NONWESTERN)), flag(persons.person_id.notnull()))


def share_no_education(persons: Any) -> Measure:
    """Share of 16-64-year-olds with basic school or no registered education, not in education.

    Bilag 1, "Uddannelse": "ingen registreret uddannelse" (grundskole or none); "under
    uddannelse" is its own category.
    """
    band = persons.age.between(16, 64)
    without = persons.education.isin(WITHOUT_EDUCATION) & ~persons.in_education
    return Measure(flag(band & without), flag(band))


def living_area_per_resident(dwellings: Any) -> Measure:
    """Living area of inhabited dwellings per resident (m²).

    Bilag 1, "Gennemsnitligt boligareal pr. person": dwellings under 10 m² or over 1 000 m²,
    and dwellings with more than 15 registered residents, are left out. Needs ``residents``
    per dwelling.
    """
    kept = (
        (dwellings.residents > 0)
        & dwellings.living_area_m2.between(MIN_M2, MAX_M2)
        & (dwellings.residents <= MAX_RESIDENTS)
    )
    return Measure(kept.ifelse(dwellings.living_area_m2, 0.0), kept.ifelse(dwellings.residents, 0))


def _indicator(id: str, da: str, en: str, scale: float, measure: Any) -> Indicator:
    return Indicator(id, da, en, "Politik for Udsatte Byområder, Bilag 1", scale, measure)


LIVING_AREA = _indicator(
    "living_area", "Boligareal pr. beboer", "Living area per resident", 1, living_area_per_resident
)
#: The person-based criteria, in Tabel 1 order after living area.
CITY_INDICATORS: tuple[Indicator, ...] = (
    _indicator(
        "outside_labour",
        "Uden for arbejdsmarkedet",
        "Outside the labour market",
        100,
        share_outside_labour,
    ),
    _indicator("low_income", "Lav indkomst", "Low income", 100, share_low_income),
    _indicator("nonwestern", "Ikke-vestlig herkomst", "Non-western origin", 100, share_nonwestern),
    _indicator("no_education", "Uden uddannelse", "Without education", 100, share_no_education),
)
UNIT_INDICATOR_COLUMNS = (
    "unit_id",
    "year",
    "residents",
    *(
        f"{i}{suffix}"
        for i in ("living_area", *(c.id for c in CITY_INDICATORS))
        for suffix in ("_num", "_den", "")
    ),
)


def with_median(persons: Any) -> Any:
    """Add ``median_disposable``: the median disposable income of 18+ per municipality-year."""
    adults = persons.filter(persons.age >= 18)
    medians = adults.group_by(["municipality_code", "year"]).aggregate(
        median_disposable=adults.disposable_income.median()
    )
    return persons.left_join(medians, ["municipality_code", "year"]).select(
        *persons.columns, "median_disposable"
    )


def _dwelling_measures(microdata: Microdata, years: Sequence[int], unit: KeyKind) -> Any:
    persons = microdata.persons.filter(microdata.persons.year.isin(list(years)))
    residents = persons.group_by(["year", "address_id"]).aggregate(residents=persons.count())
    addresses = microdata.addresses.select(
        "address_id", unit_id=unit_key(microdata.addresses, unit)
    )
    dwellings = microdata.dwellings.select("address_id", "living_area_m2")
    inhabited = residents.join(dwellings, "address_id").join(addresses, "address_id")
    measure = living_area_per_resident(inhabited)
    return inhabited.group_by(["unit_id", "year"]).aggregate(
        living_area_num=measure.numerator.sum(), living_area_den=measure.denominator.sum()
    )


def _ratio(num: Any, den: Any, scale: float) -> Any:
    return ibis.ifelse(den > 0, num.cast("float64") * scale / den.nullif(0), ibis.null("float64"))


def unit_indicators(
    microdata: Microdata,
    year: int | Sequence[int] | None = None,
    unit: UnitKind = "screening_unit",
) -> pd.DataFrame:
    """Copenhagen's five criteria per unit and year, with numerators and denominators.

    Parameters
    ----------
    microdata
        Validated microdata (:func:`boligmonitor.schema.microdata.load_microdata`).
    year
        One year, several, or ``None`` for every year in the persons table.
    unit
        ``screening_unit`` (the address's screening unit), ``dkn100`` or ``dkn250`` (its DKN
        100 m / 250 m cell). Addresses without a screening unit are left out.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`UNIT_INDICATOR_COLUMNS`: ``unit_id, year, residents`` and for each of
        ``living_area`` (m² per resident), ``outside_labour``, ``low_income``, ``nonwestern``,
        ``no_education`` (shares 0-100) the ``_num``, ``_den`` and the value (empty when the
        denominator is 0). Sorted by unit and year.

    Examples
    --------
    >>> frame = unit_indicators(load_microdata("synth-city"), 2021)  # doctest: +SKIP
    """
    if unit not in UNIT_KINDS:
        raise InputError.single(
            "--unit",
            "unknown unit '{unit}'; use one of {UNIT_KINDS}",
            unit=unit,
            UNIT_KINDS=UNIT_KINDS,
        )
    return indicators_by(microdata, requested_years(microdata, year), unit)


def requested_years(microdata: Microdata, year: int | Sequence[int] | None) -> list[int]:
    """The years asked for (every year when ``None``), refused when none has persons."""
    available = microdata.years()
    years = available if year is None else [year] if isinstance(year, int) else list(year)
    if not set(years) & set(available):
        raise InputError.single(
            "--year",
            "no persons in {years}; the microdata has {available}",
            years=years,
            available=available,
        )
    return years


def indicators_by(microdata: Microdata, years: Sequence[int], unit: KeyKind) -> pd.DataFrame:
    """The five criteria per key of ``unit`` (or ``atom``) and year, see :func:`unit_indicators`."""
    persons = with_median(located_persons(microdata, years, unit))
    persons = persons.filter(persons.unit_id.notnull())
    sums = sum_measures(persons, ["unit_id", "year"], CITY_INDICATORS)
    area = _dwelling_measures(microdata, years, unit)
    joined = sums.left_join(area, ["unit_id", "year"]).select(
        *sums.columns, "living_area_num", "living_area_den"
    )
    joined = joined.mutate(
        living_area_num=joined.living_area_num.fill_null(0.0),
        living_area_den=joined.living_area_den.fill_null(0),
    )
    values = {"living_area": _ratio(joined.living_area_num, joined.living_area_den, 1)}
    for indicator in CITY_INDICATORS:
        num, den = joined[f"{indicator.id}_num"], joined[f"{indicator.id}_den"]
        values[indicator.id] = _ratio(num, den, indicator.scale)
    result = joined.mutate(**values).select(*UNIT_INDICATOR_COLUMNS)
    frame: pd.DataFrame = result.order_by(["unit_id", "year"]).to_pandas()
    return frame.reset_index(drop=True)
