"""Area statistics suppressed over every year a figure is built from.

``labour_pct`` and ``crime_pct`` of list year Y average the yearly shares of Y and the years
before it (2 years, 4 under the 2010 rules) and ``outside_labour_pct`` is the share of Y − 1
(§ 51 b). A yearly share resting on one or two persons would therefore reappear in the next
list year's row, and ``2 · labour_pct(Y) − outside_labour_pct(Y)`` gives year Y's own share.
So a published value is suppressed whenever *any* year it is built from rests on 1 to
``min_persons − 1`` persons; a yearly share that is hidden in one year is then in no published
combination at all, and nothing else links the years (Hundepool et al. 2012, § 5.6 on linked
tables over time).
"""

from __future__ import annotations

from collections.abc import Mapping, Set

import numpy as np
import pandas as pd

from boligmonitor.disclosure.suppression import DEFAULT_MIN_PERSONS, Figure, suppress

__all__ = ["AREA_STATISTICS_FIGURES", "disclose_area_statistics", "year_offsets"]

#: Each published column with the population it rests on (one figure per column, so a column
#: built from other years can go without its neighbours).
AREA_STATISTICS_FIGURES = (
    Figure(("residents",), "residents"),
    Figure(("nonwestern_pct",), "residents"),
    Figure(("pop_18_64",), "pop_18_64"),
    Figure(("labour_pct",), "pop_18_64"),
    Figure(("outside_labour_pct",), None),
    Figure(("pop_18_plus",), "pop_18_plus"),
    Figure(("crime_pct",), "pop_18_plus"),
    Figure(("pop_30_59",), "pop_30_59"),
    Figure(("education_pct",), "pop_30_59"),
    Figure(("pop_15_64_taxpayers",), "pop_15_64_taxpayers"),
    Figure(("income_pct_of_region",), "pop_15_64_taxpayers"),
)


def year_offsets(column: str, labour_years: int, crime_years: int) -> tuple[str, range]:
    """The population a column rests on and the years back from the list year it uses."""
    if column == "labour_pct":
        return "pop_18_64", range(labour_years)
    if column == "outside_labour_pct":
        return "pop_18_64", range(1, 2)
    if column == "crime_pct":
        return "pop_18_plus", range(crime_years)
    figure = next(f for f in AREA_STATISTICS_FIGURES if column in f.columns)
    return str(figure.base), range(1)


def _masks(
    statistics: pd.DataFrame,
    bases: pd.DataFrame,
    windows: pd.DataFrame,
    min_persons: int,
) -> dict[Figure, np.ndarray]:
    small: dict[str, set[tuple[str, int]]] = {}
    for base in {str(f.base) for f in AREA_STATISTICS_FIGURES if f.base}:
        counts = pd.to_numeric(bases[base]).fillna(0)
        rows = bases[(counts > 0) & (counts < min_persons)]
        small[base] = set(zip(rows["area_id"].astype(str), rows["year"].astype(int), strict=True))
    lengths: Mapping[int, tuple[int, int]] = {
        int(year): (int(labour), int(crime))
        for year, labour, crime in zip(
            windows["list_year"], windows["labour_years"], windows["crime_years"], strict=True
        )
    }
    masks = {}
    keys = list(zip(statistics["area_id"].astype(str), statistics["year"].astype(int), strict=True))
    for figure in AREA_STATISTICS_FIGURES:
        mask = np.zeros(len(statistics), dtype=bool)
        for row, (area, year) in enumerate(keys):
            labour, crime = lengths.get(year, (2, 2))
            base, offsets = year_offsets(figure.columns[0], labour, crime)
            mask[row] = any((area, year - k) in small[base] for k in offsets)
        masks[figure] = mask
    return masks


def disclose_area_statistics(
    statistics: pd.DataFrame,
    min_persons: int = DEFAULT_MIN_PERSONS,
    bases: pd.DataFrame | None = None,
    windows: pd.DataFrame | None = None,
    linked: Set[tuple[str, int]] = frozenset(),
) -> pd.DataFrame:
    """Suppress area statistics over every year their values are built from.

    Parameters
    ----------
    statistics
        Canonical area statistics (one row per area and list year).
    min_persons
        Smallest number of persons a published figure rests on (at least 3).
    bases
        ``area_id, year`` and the populations per calendar year
        (:func:`~boligmonitor.indicators.statutory.annual_bases`); without them only the list
        year's own populations are checked (the statistics alone cannot say more).
    windows
        ``list_year, labour_years, crime_years``
        (:func:`~boligmonitor.indicators.statutory.windows`).
    linked
        ``(area_id, year)`` whose residents and non-western share the pattern shared with the
        city geographies hides (:func:`~boligmonitor.disclosure.geography.hidden_areas`).

    Returns
    -------
    pandas.DataFrame
        Suppressed cells empty and named in the ``diskretioneret`` column.
    """
    masks = None
    if bases is not None:
        if windows is None:
            windows = pd.DataFrame(columns=["list_year", "labour_years", "crime_years"])
        masks = _masks(statistics, bases, windows, min_persons)
    if linked:
        masks = dict(masks or {})
        keys = zip(statistics["area_id"].astype(str), statistics["year"].astype(int), strict=True)
        shared = np.array([key in linked for key in keys], dtype=bool)
        for figure in AREA_STATISTICS_FIGURES:
            if figure.base == "residents":
                masks[figure] = masks.get(figure, np.zeros(len(statistics), dtype=bool)) | shared
    return suppress(statistics, AREA_STATISTICS_FIGURES, min_persons, masks=masks)
