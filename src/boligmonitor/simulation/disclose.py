"""Disclosure control of simulated area values (through :mod:`boligmonitor.disclosure`).

The per-run area records are emptied where the observed start year gives them away
(:func:`~boligmonitor.disclosure.derived.hide_area_values`), before any summary, comparison,
stored table, file or report section is built from them.
"""

from __future__ import annotations

import pandas as pd

from boligmonitor.disclosure import DEFAULT_MIN_PERSONS
from boligmonitor.disclosure.derived import hide_area_values
from boligmonitor.indicators.exports import disclosed_area_statistics
from boligmonitor.indicators.statutory import area_statistics
from boligmonitor.schema.microdata import Microdata
from boligmonitor.simulation.rules import DESIGNATIONS

__all__ = ["BASES", "disclose_areas"]

#: Each simulated measure and the observed population it rests on (Copenhagen's bands 16-66
#: and 16-64 contain 18-64, so 18-64 is the smaller and stricter base).
BASES: dict[str, str | None] = {
    "labour_pct": "pop_18_64",
    "crime_pct": "pop_18_plus",
    "education_pct": "pop_30_59",
    "income_pct_of_region": "pop_15_64_taxpayers",
    "nonwestern_pct": "residents",
    "outside_labour_pct": "pop_18_64",
    "kk_living_area_m2": "residents",
    "kk_outside_labour_pct": "pop_18_64",
    "kk_low_income_pct": "pop_18_plus",
    "kk_nonwestern_pct": "residents",
    "kk_no_education_pct": "pop_18_64",
    "poor_households_pct": "residents",
    "residents": "residents",
    "pop_18_64": "pop_18_64",
    "pop_18_plus": "pop_18_plus",
    "pop_30_59": "pop_30_59",
    "pop_15_64_taxpayers": "pop_15_64_taxpayers",
    **dict.fromkeys(DESIGNATIONS),
}
#: Simulated start-year values that equal a published area statistic of that year.
SAME = {
    "nonwestern_pct": "nonwestern_pct",
    "kk_nonwestern_pct": "nonwestern_pct",
    "education_pct": "education_pct",
    "income_pct_of_region": "income_pct_of_region",
    "residents": "residents",
}


def disclose_areas(
    areas: pd.DataFrame,
    microdata: Microdata,
    start_year: int,
    min_persons: int = DEFAULT_MIN_PERSONS,
) -> pd.DataFrame:
    """The per-run area records with values the start year would give away emptied."""
    observed = area_statistics(microdata, [start_year])
    published = disclosed_area_statistics(microdata, [start_year], min_persons)
    published = published[published["year"] == start_year]
    return hide_area_values(
        areas, BASES, observed, start_year, published, SAME, min_persons=min_persons
    )
