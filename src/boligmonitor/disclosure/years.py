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

from collections.abc import Mapping

import numpy as np
import pandas as pd

from boligmonitor.disclosure.suppression import DEFAULT_MIN_PERSONS, Figure, suppress
from boligmonitor.schema.indicators import statutory_indicators

__all__ = ["AREA_STATISTICS_FIGURES", "disclose_area_statistics", "year_offsets"]


def _figures() -> tuple[Figure, ...]:
    """Each population column, followed by the indicator columns resting on it (the indicator
    catalogue's ``disclosure_base``). A figure of the previous year rests on other rows'
    persons: it has no base of its own and is suppressed through the year masks."""
    catalogue = statutory_indicators()
    figures = []
    for population in catalogue.population_columns():
        figures.append(Figure((population,), population))
        figures.extend(
            Figure((i.column,), None if i.period == "previous_year" else population)
            for i in catalogue.indicators
            if i.disclosure_base == population
        )
    return tuple(figures)


#: Each published column with the population it rests on (one figure per column, so a column
#: built from other years can go without its neighbours).
AREA_STATISTICS_FIGURES = _figures()
_INDICATORS = statutory_indicators().by_column()
_AVERAGED = statutory_indicators().averaged()


def year_offsets(column: str, spans: Mapping[str, int]) -> tuple[str, range]:
    """The population a column rests on and the years back from the list year it uses.

    ``spans`` gives the averaging window of each averaged measure (``labour``, ``crime``) in
    the list year; the catalogue's ``period`` says which of them a column uses.
    """
    entry = _INDICATORS.get(column)
    if entry is None or entry.disclosure_base is None:
        return column, range(1)  # a population column rests on itself
    if entry.period == "average":
        return entry.disclosure_base, range(spans[str(entry.measure)])
    if entry.period == "previous_year":
        return entry.disclosure_base, range(1, 2)
    return entry.disclosure_base, range(1)


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
    lengths: Mapping[int, dict[str, int]] = {
        int(row["list_year"]): {id: int(row[f"{id}_years"]) for id in _AVERAGED}
        for _, row in windows.iterrows()
    }
    default = dict.fromkeys(_AVERAGED, 2)
    masks = {}
    keys = list(zip(statistics["area_id"].astype(str), statistics["year"].astype(int), strict=True))
    for figure in AREA_STATISTICS_FIGURES:
        mask = np.zeros(len(statistics), dtype=bool)
        for row, (area, year) in enumerate(keys):
            base, offsets = year_offsets(figure.columns[0], lengths.get(year, default))
            mask[row] = any((area, year - k) in small[base] for k in offsets)
        masks[figure] = mask
    return masks


def disclose_area_statistics(
    statistics: pd.DataFrame,
    min_persons: int = DEFAULT_MIN_PERSONS,
    bases: pd.DataFrame | None = None,
    windows: pd.DataFrame | None = None,
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
        ``list_year`` and ``<id>_years`` of each averaged measure (``labour_years``,
        ``crime_years``)
        (:func:`~boligmonitor.indicators.statutory.windows`).

    Returns
    -------
    pandas.DataFrame
        Suppressed cells empty and named in the ``diskretioneret`` column.
    """
    masks = None
    if bases is not None:
        if windows is None:
            spans = [f"{id}_years" for id in _AVERAGED]
            windows = pd.DataFrame(columns=["list_year", *spans])
        masks = _masks(statistics, bases, windows, min_persons)
    return suppress(statistics, AREA_STATISTICS_FIGURES, min_persons, masks=masks)
