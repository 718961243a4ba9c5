"""The statutory criteria of Almenboligloven § 61 a computed from microdata, per area and year.

Each criterion is a small function returning a :class:`~boligmonitor.indicators.base.Measure`;
:func:`area_statistics` sums them all in one pass over the persons and turns the sums into the
canonical area statistics (:mod:`boligmonitor.schema.area_statistics`), which the rule
evaluator designates.

Conventions (DESIGN § 3; documented assumptions in ``docs/microdata.md``):

- residents, age bands and statuses are those at 1 January of the year (a person who moves
  during a year counts where they lived at 1 January of each year);
- an *n-year average* is the mean of the yearly shares of the latest n years present (n from the
  rule set in force that list year: 4 under the 2010 rules, 2 later);
- the crime share's national average is computed over every person 18+ in the microdata and
  averaged the same way;
- income is the mean gross income of taxpayers 15-64 not in education, in percent of the same
  group's mean in the area's region (all residents of the region, not only boligområder);
- education counts ``basic`` and ``unknown`` as basic school under the 2010/2013 rules (L 45,
  2013-14) and also ``foreign_not_approved`` from the 2018 rules ("only Danish or approved
  education counts", L 38, 2018-19);
- ``outside_labour_pct`` (§ 51 b) is the one-year share of the previous calendar year.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ibis
import pandas as pd

from boligmonitor.errors import InputError
from boligmonitor.indicators.base import Indicator, Measure, flag, located_persons, sum_measures
from boligmonitor.indicators.copenhagen import share_nonwestern
from boligmonitor.rules.model import RuleSet
from boligmonitor.rules.registry import regime_in_force, shipped_rule_sets
from boligmonitor.schema.area_statistics import AREA_STATISTICS
from boligmonitor.schema.microdata import Microdata

__all__ = [
    "BASES",
    "EDUCATION_AS_BASIC",
    "STATUTORY_INDICATORS",
    "annual_bases",
    "area_statistics",
    "mean_gross_income",
    "share_basic_education",
    "share_basic_education_2013",
    "share_convicted",
    "share_without_attachment",
    "windows",
]

_FAMILY = "almenboligloven-61a"
_WINDOW = 4  # the longest averaging in any shipped rule set (2010: 4 years)
#: Education values counted as "only basic school", by rule-set generation.
EDUCATION_AS_BASIC = {
    2013: ("basic", "unknown"),
    2018: ("basic", "unknown", "foreign_not_approved"),
}
_DIGITS = 6


def share_without_attachment(persons: Any) -> Measure:
    """Share of 18-64-year-olds without attachment to the labour market or education.

    § 61 a, stk. 1, nr. 1; counted in full-time persons: each person contributes the fraction of
    the year they were without attachment.
    """
    band = persons.age.between(18, 64)
    return Measure(band.ifelse(persons.no_attachment_fraction, 0.0), flag(band))


def share_convicted(persons: Any) -> Measure:
    """Share of residents 18+ convicted under straffeloven, våbenloven or lov om euforiserende
    stoffer (§ 61 a, stk. 1, nr. 2; the 18+ base follows the 2013 text)."""
    adult = persons.age >= 18
    return Measure(flag(adult & persons.convicted), flag(adult))


def _basic_education(persons: Any, counted: tuple[str, ...]) -> Measure:
    band = persons.age.between(30, 59)
    return Measure(flag(band & persons.education.isin(counted)), flag(band))


def share_basic_education(persons: Any) -> Measure:
    """Share of 30-59-year-olds with only basic school, 2018 rules (§ 61 a, stk. 1, nr. 3, as
    amended by L 38, 2018-19): education not approved as Danish counts as basic."""
    return _basic_education(persons, EDUCATION_AS_BASIC[2018])


def share_basic_education_2013(persons: Any) -> Measure:
    """Share of 30-59-year-olds with only basic school, 2013 rules (L 45, 2013-14): unknown
    education counts as basic."""
    return _basic_education(persons, EDUCATION_AS_BASIC[2013])


def mean_gross_income(persons: Any) -> Measure:
    """Gross income and number of taxpayers aged 15-64 not in education (§ 61 a, stk. 1,
    nr. 4): the sums whose ratio is the group's mean income."""
    group = persons.taxpayer & persons.age.between(15, 64) & ~persons.in_education
    group = group & persons.gross_income.notnull()  # unknown income: not in the mean
    return Measure(group.ifelse(persons.gross_income, 0.0), flag(group))


def _statutory(id: str, da: str, en: str, reference: str, measure: Any) -> Indicator:
    return Indicator(id, da, en, reference, 100, measure)


STATUTORY_INDICATORS: tuple[Indicator, ...] = (
    _statutory(
        "labour",
        "Uden for arbejdsmarked og uddannelse",
        "Outside labour and education",
        "§ 61 a, stk. 1, nr. 1",
        share_without_attachment,
    ),
    _statutory("crime", "Dømte", "Convicted", "§ 61 a, stk. 1, nr. 2", share_convicted),
    _statutory(
        "education",
        "Alene grundskole",
        "Only basic school",
        "§ 61 a, stk. 1, nr. 3 (L 38, 2018-19)",
        share_basic_education,
    ),
    _statutory(
        "education_2013",
        "Alene grundskole (2013)",
        "Only basic school (2013)",
        "§ 61 a, stk. 1, nr. 3 (L 45, 2013-14)",
        share_basic_education_2013,
    ),
    _statutory(
        "income", "Bruttoindkomst", "Gross income", "§ 61 a, stk. 1, nr. 4", mean_gross_income
    ),
    _statutory(
        "ethnicity",
        "Ikke-vestlig herkomst",
        "Non-western origin",
        "§ 61 a, stk. 1, nr. 5 / § 61 b",
        share_nonwestern,
    ),
)


def _regimes(years: Sequence[int], rule_sets: tuple[RuleSet, ...]) -> Any:
    """Per list year: the averaging years of labour and crime, and the education generation."""
    return ibis.memtable(windows(years, rule_sets))


def windows(years: Sequence[int], rule_sets: Sequence[RuleSet] | None = None) -> pd.DataFrame:
    """Per list year: ``labour_years`` and ``crime_years`` averaged, and ``old_education``."""
    rule_sets = tuple(rule_sets or shipped_rule_sets())
    rows = []
    for year in years:
        regime = regime_in_force(year, _FAMILY, rule_sets)
        averaging = {c.id: c.averaging_years for c in regime.criteria} if regime else {}
        first_year = regime.list_years[0] if regime else year
        rows.append(
            {
                "list_year": year,
                "labour_years": averaging.get("labour", 2),
                "crime_years": averaging.get("crime", 2),
                "old_education": first_year < 2018,
            }
        )
    return pd.DataFrame(rows, columns=["list_year", "labour_years", "crime_years", "old_education"])


#: The persons each published area figure rests on, per calendar year (a population column).
BASES = {
    "residents": "ethnicity_den",
    "pop_18_64": "labour_den",
    "pop_18_plus": "crime_den",
    "pop_30_59": "education_den",
    "pop_15_64_taxpayers": "income_den",
}


def annual_bases(microdata: Microdata, years: Sequence[int]) -> pd.DataFrame:
    """Per area and calendar year the populations of :data:`BASES` (for disclosure control).

    Includes the years before ``years`` that the longest average reaches back to.
    """
    available = set(microdata.years())
    needed = sorted({y - k for y in years for k in range(_WINDOW)} & available)
    persons = located_persons(microdata, needed)
    persons = persons.filter(persons.area_id.notnull())
    sums = sum_measures(persons, ["area_id", "year"], STATUTORY_INDICATORS)
    frame: pd.DataFrame = sums.select(
        "area_id", "year", **{name: sums[column] for name, column in BASES.items()}
    ).to_pandas()
    return frame


def _share(num: Any, den: Any) -> Any:
    return ibis.ifelse(den > 0, 100.0 * num.cast("float64") / den.nullif(0), ibis.null("float64"))


def _annual(microdata: Microdata, years: Sequence[int]) -> tuple[Any, Any]:
    """Per area-year shares (with region and nation), and the national crime share per year."""
    persons = located_persons(microdata, years)
    keys = ["year", "area_id", "region_code", "municipality_code"]
    sums = sum_measures(persons, keys, STATUTORY_INDICATORS)
    region = sums.group_by(["year", "region_code"]).aggregate(
        region_num=sums.income_num.sum(), region_den=sums.income_den.sum()
    )
    nation = sums.group_by("year").aggregate(
        national_crime=_share(sums.crime_num.sum(), sums.crime_den.sum())
    )
    areas = sums.filter(sums.area_id.notnull())
    totals = {c: areas[c].sum() for c in areas.columns if c.endswith(("_num", "_den"))}
    areas = areas.group_by(["year", "area_id"]).aggregate(
        region_code=areas.region_code.min(),
        municipality_code=areas.municipality_code.min(),
        residents=areas.residents.sum(),
        **totals,
    )
    areas = areas.join(region, ["year", "region_code"])
    region_mean = areas.region_num / areas.region_den.nullif(0)
    shares = areas.mutate(
        labour=_share(areas.labour_num, areas.labour_den),
        crime=_share(areas.crime_num, areas.crime_den),
        education=_share(areas.education_num, areas.education_den),
        education_2013=_share(areas.education_2013_num, areas.education_2013_den),
        income=_share(areas.income_num / region_mean, areas.income_den),
        ethnicity=_share(areas.ethnicity_num, areas.ethnicity_den),
    )
    return shares, nation


def _windowed(annual: Any, nation: Any, regimes: Any) -> Any:
    """Averages over each list year's window, and the list year's own values."""
    now = annual.select(area_id="area_id", list_year="year").join(regimes, "list_year")
    pairs = now.join(
        annual,
        [
            now.area_id == annual.area_id,
            annual.year.between(now.list_year - (_WINDOW - 1), now.list_year),
        ],
    )
    age = pairs.list_year - pairs.year
    same = age == 0

    def at(condition: Any, value: Any) -> Any:
        return ibis.ifelse(condition, value, ibis.null(value.type()))

    education = ibis.ifelse(pairs.old_education, pairs.education_2013, pairs.education)
    return pairs.group_by(["area_id", "list_year"]).aggregate(
        labour_pct=at(age < pairs.labour_years, pairs.labour).mean(),
        crime_pct=at(age < pairs.crime_years, pairs.crime).mean(),
        crime_years=pairs.crime_years.max(),
        outside_labour_pct=at(age == 1, pairs.labour).max(),
        education_pct=at(same, education).max(),
        income_pct_of_region=at(same, pairs.income).max(),
        nonwestern_pct=at(same, pairs.ethnicity).max(),
        residents=at(same, pairs.residents).max(),
        pop_18_64=at(same, pairs.labour_den).max(),
        pop_18_plus=at(same, pairs.crime_den).max(),
        pop_30_59=at(same, pairs.education_den).max(),
        pop_15_64_taxpayers=at(same, pairs.income_den).max(),
        municipality_code=at(same, pairs.municipality_code).max(),
    )


def _national_crime(nation: Any, regimes: Any) -> Any:
    pairs = regimes.join(
        nation, nation.year.between(regimes.list_year - regimes.crime_years + 1, regimes.list_year)
    )
    return pairs.group_by("list_year").aggregate(crime_national_pct=pairs.national_crime.mean())


def area_statistics(
    microdata: Microdata,
    years: Sequence[int] | None = None,
    rule_sets: Sequence[RuleSet] | None = None,
) -> pd.DataFrame:
    """Canonical area statistics of every boligområde, computed from microdata.

    Parameters
    ----------
    microdata
        Validated microdata.
    years
        List years to compute (default: every year in the persons table). Earlier years in the
        microdata feed the averages.
    rule_sets
        Rule sets whose regime in force decides each year's averaging and education rule
        (default: the shipped ones).

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`~boligmonitor.schema.area_statistics.AREA_STATISTICS`, one row per
        area and year (areas with residents that year), sorted by area and year.
    """
    available = microdata.years()
    wanted = sorted(set(years) & set(available)) if years is not None else available
    if not wanted:
        raise InputError.single(
            "--year",
            "no persons in {years}; the microdata has {available}",
            years=years,
            available=available,
        )
    needed = sorted({y - k for y in wanted for k in range(_WINDOW)} & set(available))
    regimes = _regimes(wanted, tuple(rule_sets or shipped_rule_sets()))
    annual, nation = _annual(microdata, needed)
    stats = _windowed(annual, nation, regimes).join(_national_crime(nation, regimes), "list_year")
    names = microdata.departments.group_by("area_id").aggregate(
        area_name=microdata.departments.area_name.min()
    )
    municipalities = microdata.municipalities.select("municipality_code", municipality="name")
    stats = stats.left_join(names, "area_id").left_join(municipalities, "municipality_code")
    frame: pd.DataFrame = stats.rename(year="list_year").to_pandas()
    return _canonical(frame)


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame[frame["residents"].notna()].copy()
    frame["area_name"] = frame["area_name"].fillna(frame["area_id"])
    frame["crime_threshold_pct"] = float("nan")
    columns = [c.name for c in AREA_STATISTICS]
    frame = frame[columns].sort_values(["area_id", "year"], kind="stable")
    numeric = [c.name for c in AREA_STATISTICS if c.name.endswith(("_pct", "_region"))]
    frame[numeric] = frame[numeric].astype("float64").round(_DIGITS)
    counts = ["year", "residents", "pop_18_64", "pop_18_plus", "pop_30_59", "pop_15_64_taxpayers"]
    frame[counts] = frame[counts].astype("Int64")
    frame["municipality"] = frame["municipality"].astype(object)
    return frame.reset_index(drop=True)
