"""Goals counted from the statutory lists: how many areas are on list L in municipality M.

A goal such as "the number of particularly vulnerable housing areas is at least halved by 2020"
(seed ``002_9dd1058f2c68d0c3``) is counted from list memberships — one row per area, list and
designation with the columns ``area, municipality, list_year, list_date, designation,
evidence`` — from the published record (``data/record/official-lists.csv``) or from a
workspace's designations. A year's value is the count on the last list published that year
(1 December 2013 rather than 1 October 2013).

The rules behind the lists changed on 1 December 2013 (two-year averages, education and income
criteria), on 1 December 2018 (the 2018 criteria, conviction threshold three times the national
average) and on 1 December 2021 (parallelsamfund); a count before such a change cannot be
compared with one after it, so each change between baseline and target is a data break.
Reference: ``data/record/SOURCES.md``; Almenboligloven § 61 a as amended 2013 and 2018.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd

from boligmonitor.i18n import N_, translate
from boligmonitor.monitor.goals.model import Catalogue, Indicator, ListCount, Note, Value
from boligmonitor.record.data import official_lists

__all__ = [
    "MEMBERSHIP_COLUMNS",
    "REGIME_CHANGES",
    "ListCountRow",
    "RegimeChange",
    "count_on_lists",
    "fill_catalogue",
    "fill_indicator",
    "published_memberships",
    "regime_of",
    "workspace_memberships",
]

MEMBERSHIP_COLUMNS = ("area", "municipality", "list_year", "list_date", "designation", "evidence")


@dataclass(frozen=True)
class RegimeChange:
    """A change of the listing rules, effective from the list of ``list_date``.

    ``text`` is the msgid of the break note it puts on a series (Danish and English).
    """

    list_date: str
    year: int
    rules: str
    text: str


#: Rule changes of the lists (the first list under the new rules).
REGIME_CHANGES = (
    RegimeChange(
        "2013-12-01",
        2013,
        "2013",
        N_("New criteria from the list of 1 December 2013 (two-year averages, education, income)."),
    ),
    RegimeChange(
        "2018-12-01",
        2018,
        "2018",
        N_(
            "New criteria from the list of 1 December 2018 "
            "(convictions above 3 × national average)."
        ),
    ),
    RegimeChange(
        "2021-12-01",
        2021,
        "2021",
        N_("New designations from 1 December 2021 (parallel society instead of ghetto area)."),
    ),
)


@cache
def published_memberships() -> pd.DataFrame:
    """The published list memberships 2010–2024 with residents, from the packaged record.

    One row per list year, list date, area and designation; ``residents`` as published.
    """
    return official_lists()[[*MEMBERSHIP_COLUMNS, "residents"]]


def workspace_memberships(designations: pd.DataFrame) -> pd.DataFrame:
    """List memberships from a workspace's designations table (one row per designation).

    The workspace's lists are taken as lists of 1 December of their year.
    """
    columns = ("area_name", "municipality", "year", "designations", "residents")
    rows = [
        {
            "area": area,
            "municipality": municipality,
            "list_year": int(year),
            "list_date": f"{int(year)}-12-01",
            "designation": designation,
            "evidence": "workspace",
            "residents": residents,
        }
        for area, municipality, year, listed, residents in zip(
            *(designations[c].tolist() for c in columns), strict=True
        )
        for designation in str(listed or "").split(";")
        if designation
    ]
    return pd.DataFrame(rows, columns=[*MEMBERSHIP_COLUMNS, "residents"])


def regime_of(list_date: str) -> str:
    """The rules a list of ``list_date`` was drawn up under (``2010``, ``2013``, ...)."""
    rules = "2010"
    for change in REGIME_CHANGES:
        if list_date >= change.list_date:
            rules = change.rules
    return rules


@dataclass(frozen=True)
class ListCountRow:
    """The count on one list; ``data_break`` when its rules differ from the previous list's."""

    list_year: int
    list_date: str
    count: int
    areas: tuple[str, ...]
    rules: str
    data_break: bool


def _counted_areas(spec: ListCount, memberships: pd.DataFrame) -> set[str] | None:
    """The named set of areas counted (``None``: every area of the municipality)."""
    if spec.areas:
        return set(spec.areas)
    if spec.areas_of_year is None:
        return None
    year = memberships[memberships["list_year"] == spec.areas_of_year]
    last = _on_list(spec, year[year["list_date"] == year["list_date"].max()])
    return set(last["area"])


def _on_list(spec: ListCount, frame: pd.DataFrame) -> pd.DataFrame:
    chosen = frame[frame["designation"] == spec.designation]
    if spec.municipality is not None:
        chosen = chosen[chosen["municipality"] == spec.municipality]
    return chosen


def count_on_lists(spec: ListCount, memberships: pd.DataFrame) -> list[ListCountRow]:
    """The count on every list from ``first_year`` to ``last_year``, with rule changes marked.

    Parameters
    ----------
    spec
        What to count: designation, municipality, named areas or the areas of a year.
    memberships
        List memberships (:data:`MEMBERSHIP_COLUMNS`); every list date present counts, so a
        list on which no counted area stands gives 0.
    """
    counted = _counted_areas(spec, memberships)
    years = memberships[memberships["list_year"].between(spec.first_year, spec.last_year)]
    rows: list[ListCountRow] = []
    for (year, date), frame in years.groupby(["list_year", "list_date"], sort=True):
        on_list = set(_on_list(spec, frame)["area"])
        areas = tuple(sorted(on_list if counted is None else on_list & counted))
        rules = regime_of(str(date))
        changed = bool(rows) and rows[-1].rules != rules
        rows.append(ListCountRow(int(str(year)), str(date), len(areas), areas, rules, changed))
    return rows


def fill_indicator(indicator: Indicator, memberships: pd.DataFrame) -> Indicator:
    """An indicator with ``lists`` given its values (last list of each year) and break notes.

    Indicators without ``lists`` are returned unchanged.
    """
    spec = indicator.lists
    if spec is None:
        return indicator
    rows = count_on_lists(spec, memberships)
    last = {row.list_year: row for row in rows}
    values = [Value(year=y, area=float(r.count), note_da=r.list_date) for y, r in last.items()]
    breaks = [c for c in REGIME_CHANGES if any(r.data_break and r.rules == c.rules for r in rows)]
    notes = [
        Note(
            years=[c.year],
            kind="rule_change",
            breaks_series=True,
            text_da=translate(c.text, "da"),
            text_en=translate(c.text, "en"),
        )
        for c in breaks
    ]
    return indicator.model_copy(update={"values": values, "notes": [*indicator.notes, *notes]})


def fill_catalogue(catalogue: Catalogue, memberships: pd.DataFrame) -> Catalogue:
    """A catalogue whose list-counted indicators have their values from ``memberships``."""
    goals = [
        goal.model_copy(
            update={"indicators": [fill_indicator(i, memberships) for i in goal.indicators]}
        )
        for goal in catalogue.goals
    ]
    return catalogue.model_copy(update={"goals": goals})
