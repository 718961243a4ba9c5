"""Goal indicators derived from register-style microdata (e.g. the synthetic city).

Register microdata (``persons``, ``addresses``, ``dwellings``; see
:mod:`boligmonitor.schema.microdata`) support a few of the goals' indicators: residents over 30
outside the labour market (goal 6), young people in education (goal 9), under-age offenders
(goal 5) and the tenure mix (goal 17). They are computed with Ibis expressions for the
designated screening units ("area") and the whole city ("city") in each status year; every
other indicator is marked *not available*. Disclosure control as in :mod:`boligmonitor.disclosure`
(default ``min_persons`` 3): a figure is suppressed when the areas or the rest of the city rest on
fewer persons (or dwellings), or when its numerator is positive but below the threshold; a
suppressed value shows no count it could be recovered from. The definitions are proxies,
documented as such in each value's note.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from boligmonitor.disclosure import DEFAULT_MIN_PERSONS, check_min_persons
from boligmonitor.errors import InputError
from boligmonitor.monitor.goals.model import Catalogue, Goal, Indicator, Value

__all__ = ["DEFAULT_MIN_PERSONS", "DERIVATIONS", "Derivation", "derivable", "derive_catalogue"]


_ALMEN = ("almen_family", "almen_elderly", "almen_youth")


@dataclass(frozen=True)
class Derivation:
    """How one goal indicator is computed from microdata.

    ``rows`` picks the population from the joined table, ``hit`` the numerator (a boolean or a
    fraction per row). ``kind`` is ``share`` (area and city shares in %), ``share_of_city``
    (the areas' share of the city's numerator, e.g. under-age offenders) or ``count`` (the
    numerator as a count, with its share of the denominator beside it).
    """

    table: str
    rows: Callable[[Any], Any]
    hit: Callable[[Any], Any]
    kind: str
    note_da: str


DERIVATIONS: dict[str, Derivation] = {
    "temporary_benefits_30_plus": Derivation(
        "persons",
        lambda t: (t.age >= 30) & (t.age <= 64) & ~t.permanently_outside_labour_force,
        lambda t: t.no_attachment_fraction,
        "share",
        "Afledt af mikrodata: helårspersoner 30-64 år uden tilknytning til arbejdsmarked eller "
        "uddannelse, blandt dem der ikke er permanent uden for arbejdsstyrken (tilnærmelse til "
        "midlertidig offentlig forsørgelse).",
    ),
    "youth_in_education": Derivation(
        "persons",
        lambda t: (t.age >= 16) & (t.age <= 17),
        lambda t: t.in_education,
        "share",
        "Afledt af mikrodata: andel 16-17-årige under uddannelse (tilnærmelse til påbegyndt "
        "ungdomsuddannelse 15 måneder efter 9. klasse).",
    ),
    "young_offenders_share": Derivation(
        "persons",
        lambda t: (t.age >= 15) & (t.age <= 17),
        lambda t: t.convicted,
        "share_of_city",
        "Afledt af mikrodata: de udpegede områders andel af byens dømte 15-17-årige.",
    ),
    "private_dwellings": Derivation(
        "dwellings",
        lambda t: t.tenure.notnull(),
        lambda t: t.tenure.isin(["owner_occupied", "private_rental", "andel"]),
        "count",
        "Afledt af mikrodata: ejer-, private udlejnings- og andelsboliger.",
    ),
    "tenure_owner": Derivation(
        "dwellings",
        lambda t: t.tenure.notnull(),
        lambda t: t.tenure == "owner_occupied",
        "count",
        "Afledt af mikrodata.",
    ),
    "tenure_private_rental": Derivation(
        "dwellings",
        lambda t: t.tenure.notnull(),
        lambda t: t.tenure == "private_rental",
        "count",
        "Afledt af mikrodata.",
    ),
    "tenure_cooperative": Derivation(
        "dwellings",
        lambda t: t.tenure.notnull(),
        lambda t: t.tenure == "andel",
        "count",
        "Afledt af mikrodata.",
    ),
    "tenure_public_housing": Derivation(
        "dwellings",
        lambda t: t.tenure.notnull(),
        lambda t: t.tenure.isin(list(_ALMEN)),
        "count",
        "Afledt af mikrodata: almene familie-, ældre- og ungdomsboliger.",
    ),
    "tenure_public_owner": Derivation(
        "dwellings",
        lambda t: t.tenure.notnull(),
        lambda t: t.tenure == "public",
        "count",
        "Afledt af mikrodata.",
    ),
}


def _joined(tables: Mapping[str, Any], name: str, units: list[str]) -> Any:
    """Persons or dwellings with their screening unit and an ``in_area`` flag."""
    addresses = tables["addresses"].select("address_id", "screening_unit")
    joined = tables[name].join(addresses, "address_id")
    return joined.mutate(in_area=joined.screening_unit.isin(units))


def _sums(derivation: Derivation, joined: Any, years: list[int]) -> pd.DataFrame:
    """Numerator and denominator by year and in_area (dwellings repeat for every year)."""
    rows = joined.filter(derivation.rows(joined))
    numerator = derivation.hit(rows).cast("float64")
    if derivation.table == "persons":
        rows = rows.filter(rows.year.isin(years))
        keys = [rows.year, rows.in_area]
    else:
        keys = [rows.in_area]
    grouped = rows.group_by(keys).aggregate(num=numerator.sum(), den=rows.count())
    frame: pd.DataFrame = grouped.to_pandas()
    if derivation.table != "persons":
        frame = pd.concat([frame.assign(year=y) for y in years], ignore_index=True)
    return frame


def _value(derivation: Derivation, frame: pd.DataFrame, year: int, min_persons: int) -> Value:
    of_year = frame[frame["year"] == year]
    area = of_year[of_year["in_area"].astype(bool)]
    area_num, area_den = float(area["num"].sum()), int(area["den"].sum())
    city_num, city_den = float(of_year["num"].sum()), int(of_year["den"].sum())
    suppressed = Value(
        year=year,
        available=False,
        note_da=f"Diskretioneret: færre end {min_persons} personer eller boliger.",
        note_en=f"Suppressed: fewer than {min_persons} persons or dwellings.",
    )
    if min(area_den, city_den - area_den) < min_persons or 0 < area_num < min_persons:
        return suppressed
    if derivation.kind == "share":
        return Value(
            year=year,
            area=round(area_num / area_den * 100, 1),
            city=round(city_num / city_den * 100, 1),
            area_n=area_den,
            city_n=city_den,
            note_da=derivation.note_da,
        )
    if derivation.kind == "share_of_city":
        if city_num - area_num < min_persons:
            return suppressed
        return Value(
            year=year,
            area=round(area_num / city_num * 100, 1),
            area_n=int(city_num),
            note_da=derivation.note_da,
        )
    return Value(
        year=year,
        area=area_num,
        city=city_num,
        area_pct=round(area_num / area_den * 100, 1),
        city_pct=round(city_num / city_den * 100, 1),
        note_da=derivation.note_da,
    )


def _not_available(indicator: Indicator, years: list[int]) -> Indicator:
    values = [
        Value(
            year=y,
            available=False,
            note_da="Ikke tilgængelig i mikrodata",
            note_en="Not available in the microdata",
        )
        for y in years
    ]
    return indicator.model_copy(update={"values": values, "notes": [], "baseline_year": None})


def _derive_indicator(
    indicator: Indicator,
    tables: Mapping[str, Any],
    units: list[str],
    years: list[int],
    min_persons: int,
) -> Indicator:
    derivation = DERIVATIONS.get(indicator.microdata or "")
    if derivation is None:
        return _not_available(indicator, years)
    frame = _sums(derivation, _joined(tables, derivation.table, units), years)
    values = [_value(derivation, frame, y, min_persons) for y in years]
    return indicator.model_copy(
        update={"values": values, "notes": [], "baseline_year": None, "sum_of": []}
    )


def derive_catalogue(
    catalogue: Catalogue,
    tables: Mapping[str, Any],
    designated_units: Collection[str],
    years: Collection[int] | None = None,
    min_persons: int = DEFAULT_MIN_PERSONS,
) -> Catalogue:
    """A copy of a catalogue whose indicator values are derived from microdata.

    Parameters
    ----------
    catalogue
        The goal catalogue (its structure, targets and wording are kept; published values,
        notes and published verdicts are replaced).
    tables
        Ibis tables ``persons``, ``addresses`` and ``dwellings`` in the microdata schema.
    designated_units
        Screening units of the designated areas followed over the period (the baseline round).
    years
        Status years; default the catalogue's status years present in ``persons``.
    min_persons
        Disclosure control threshold.

    Raises
    ------
    InputError
        When a table is missing or no status year is present in the microdata, or the
        threshold is below 3 (:func:`~boligmonitor.disclosure.check_min_persons`).
    """
    check_min_persons(min_persons)
    missing = [t for t in ("persons", "addresses", "dwellings") if t not in tables]
    if missing:
        raise InputError.single("microdata", "missing table(s): {value}", value=", ".join(missing))
    available = {int(y) for y in tables["persons"].year.to_pandas().unique()}
    wanted = years if years is not None else _status_years(catalogue)
    chosen = sorted(y for y in wanted if y in available)
    if not chosen:
        raise InputError.single(
            "microdata", "no persons for the status years {value}", value=sorted(wanted)
        )
    units = sorted(designated_units)
    goals = [
        goal.model_copy(
            update={
                "indicators": [
                    _derive_indicator(i, tables, units, chosen, min_persons)
                    for i in goal.indicators
                ],
                "published_verdicts": {},
                "source": "Afledt af mikrodata",
            }
        )
        for goal in catalogue.goals
    ]
    return catalogue.model_copy(update={"goals": goals, "source": "Mikrodata (afledt)"})


def _status_years(catalogue: Catalogue) -> list[int]:
    return sorted({v.year for g in catalogue.goals for i in g.indicators for v in i.values})


def derivable(goal: Goal) -> list[str]:
    """Ids of a goal's indicators that the microdata support."""
    return [i.id for i in goal.indicators if (i.microdata or "") in DERIVATIONS]
