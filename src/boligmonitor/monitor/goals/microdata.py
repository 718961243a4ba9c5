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
from typing import Any, TypedDict

import pandas as pd

from boligmonitor.disclosure import DEFAULT_MIN_PERSONS, check_min_persons
from boligmonitor.errors import InputError
from boligmonitor.i18n import N_, translate
from boligmonitor.monitor.goals.model import Catalogue, Goal, Indicator, Value

__all__ = ["DEFAULT_MIN_PERSONS", "DERIVATIONS", "Derivation", "derivable", "derive_catalogue"]


_ALMEN = ("almen_family", "almen_elderly", "almen_youth")


@dataclass(frozen=True)
class Derivation:
    """How one goal indicator is computed from microdata.

    ``rows`` picks the population from the joined table, ``hit`` the numerator (a boolean or a
    fraction per row). ``kind`` is ``share`` (area and city shares in %), ``share_of_city``
    (the areas' share of the city's numerator, e.g. under-age offenders) or ``count`` (the
    numerator as a count, with its share of the denominator beside it). ``note`` is the msgid
    of the note each derived value carries (in Danish and English).
    """

    table: str
    rows: Callable[[Any], Any]
    hit: Callable[[Any], Any]
    kind: str
    note: str


DERIVATIONS: dict[str, Derivation] = {
    "temporary_benefits_30_plus": Derivation(
        "persons",
        lambda t: (t.age >= 30) & (t.age <= 64) & ~t.permanently_outside_labour_force,
        lambda t: t.no_attachment_fraction,
        "share",
        N_(
            "Derived from microdata: full-year residents aged 30-64 without attachment to the "
            "labour market or education, among those not permanently outside the labour force "
            "(a proxy for temporary public benefits)."
        ),
    ),
    "youth_in_education": Derivation(
        "persons",
        lambda t: (t.age >= 16) & (t.age <= 17),
        lambda t: t.in_education,
        "share",
        N_(
            "Derived from microdata: share of 16-17-year-olds in education (a proxy for having "
            "started a youth education 15 months after 9th grade)."
        ),
    ),
    "young_offenders_share": Derivation(
        "persons",
        lambda t: (t.age >= 15) & (t.age <= 17),
        lambda t: t.convicted,
        "share_of_city",
        N_(
            "Derived from microdata: the designated areas' share of the city's convicted "
            "15-17-year-olds."
        ),
    ),
    "private_dwellings": Derivation(
        "dwellings",
        lambda t: t.tenure.notnull(),
        lambda t: t.tenure.isin(["owner_occupied", "private_rental", "andel"]),
        "count",
        N_("Derived from microdata: owner-occupied, private rental and cooperative dwellings."),
    ),
    "tenure_owner": Derivation(
        "dwellings",
        lambda t: t.tenure.notnull(),
        lambda t: t.tenure == "owner_occupied",
        "count",
        N_("Derived from microdata."),
    ),
    "tenure_private_rental": Derivation(
        "dwellings",
        lambda t: t.tenure.notnull(),
        lambda t: t.tenure == "private_rental",
        "count",
        N_("Derived from microdata."),
    ),
    "tenure_cooperative": Derivation(
        "dwellings",
        lambda t: t.tenure.notnull(),
        lambda t: t.tenure == "andel",
        "count",
        N_("Derived from microdata."),
    ),
    "tenure_public_housing": Derivation(
        "dwellings",
        lambda t: t.tenure.notnull(),
        lambda t: t.tenure.isin(list(_ALMEN)),
        "count",
        N_("Derived from microdata: public family, elderly and youth dwellings."),
    ),
    "tenure_public_owner": Derivation(
        "dwellings",
        lambda t: t.tenure.notnull(),
        lambda t: t.tenure == "public",
        "count",
        N_("Derived from microdata."),
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


class _Note(TypedDict):
    note_da: str
    note_en: str


def _note(msgid: str, n: int | None = None) -> _Note:
    """A value's note in both languages (``note_da``, ``note_en``) from the message catalogue;
    ``n`` fills a ``{n}`` in it."""
    return {"note_da": translate(msgid, "da", n=n), "note_en": translate(msgid, "en", n=n)}


def _value(derivation: Derivation, frame: pd.DataFrame, year: int, min_persons: int) -> Value:
    of_year = frame[frame["year"] == year]
    area = of_year[of_year["in_area"].astype(bool)]
    area_num, area_den = float(area["num"].sum()), int(area["den"].sum())
    city_num, city_den = float(of_year["num"].sum()), int(of_year["den"].sum())
    suppressed = Value(
        year=year,
        available=False,
        **_note("Suppressed: fewer than {n} persons or dwellings.", n=min_persons),
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
            **_note(derivation.note),
        )
    if derivation.kind == "share_of_city":
        if city_num - area_num < min_persons:
            return suppressed
        return Value(
            year=year,
            area=round(area_num / city_num * 100, 1),
            area_n=int(city_num),
            **_note(derivation.note),
        )
    return Value(
        year=year,
        area=area_num,
        city=city_num,
        area_pct=round(area_num / area_den * 100, 1),
        city_pct=round(city_num / city_den * 100, 1),
        **_note(derivation.note),
    )


def _not_available(indicator: Indicator, years: list[int]) -> Indicator:
    values = [
        Value(
            year=y,
            available=False,
            **_note("Not available in the microdata"),
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
                "source": N_("Derived from microdata"),
            }
        )
        for goal in catalogue.goals
    ]
    return catalogue.model_copy(update={"goals": goals, "source": N_("Microdata (derived)")})


def _status_years(catalogue: Catalogue) -> list[int]:
    return sorted({v.year for g in catalogue.goals for i in g.indicators for v in i.values})


def derivable(goal: Goal) -> list[str]:
    """Ids of a goal's indicators that the microdata support."""
    return [i.id for i in goal.indicators if (i.microdata or "") in DERIVATIONS]
