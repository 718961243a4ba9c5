"""Statistical disclosure control (diskretionering): one policy over everything published.

Every figure computed from microdata is published only through this package. The policy
(``docs/disclosure.md``): no published figure rests on fewer than ``min_persons`` persons
(at least 3, Danmarks Statistik's rule), and no suppressed figure can be recovered by adding
and subtracting published ones, within one table, across the nested city geographies
(:mod:`~boligmonitor.disclosure.geography`), across the years a figure is built from
(:mod:`~boligmonitor.disclosure.years`), or between numerators, denominators and totals.
"""

import pandas as pd

from boligmonitor.disclosure.geography import GEOGRAPHIES, TOTAL, disclose_city, with_city_total
from boligmonitor.disclosure.suppression import (
    DEFAULT_MIN_PERSONS,
    MARK,
    SMALLEST_MIN_PERSONS,
    UNIT_INDICATOR_FIGURES,
    Figure,
    check_min_persons,
    marked,
    suppress,
)
from boligmonitor.disclosure.years import AREA_STATISTICS_FIGURES, disclose_area_statistics

__all__ = [
    "AREA_STATISTICS_FIGURES",
    "DEFAULT_MIN_PERSONS",
    "GEOGRAPHIES",
    "MARK",
    "SMALLEST_MIN_PERSONS",
    "TOTAL",
    "UNIT_INDICATOR_FIGURES",
    "Figure",
    "check_min_persons",
    "disclose_area_statistics",
    "disclose_city",
    "disclose_unit_indicators",
    "marked",
    "suppress",
    "with_city_total",
]


def disclose_unit_indicators(
    indicators: pd.DataFrame, min_persons: int = DEFAULT_MIN_PERSONS, city_total: bool = True
) -> pd.DataFrame:
    """One table of unit indicators on its own, with a city total row per year.

    Safe only when no other geography of the same persons is published; exports of microdata
    use :func:`disclose_city`, which coordinates every geography.
    """
    frame = with_city_total(indicators) if city_total else indicators
    total = frame["unit_id"] == TOTAL
    return suppress(frame, UNIT_INDICATOR_FIGURES, min_persons, group="year", total=total)
