"""Statistical disclosure control (diskretionering) of figures computed from microdata.

*Primary suppression*: a figure based on fewer than ``min_persons`` persons (default 3, Danmarks
Statistik's minimum for microdata results) is suppressed. A *figure* is a group of columns
published together (e.g. a share, its numerator and its denominator) with the column counting
the persons it is based on; figures based on 0 persons are empty anyway and left alone.

*Secondary suppression*: when an export also publishes totals (a total row per group, e.g. the
whole city per year), a single suppressed figure could be recovered as the total minus the
published figures. So in every group with exactly one suppressed figure, the smallest other
figure (by persons) is suppressed too, or the total when there is none; this is repeated until
no group has exactly one. Suppressed cells are empty in the frame and listed per row in the
column ``diskretioneret``; :func:`marked` writes the word ``diskretioneret`` into them for files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "AREA_STATISTICS_FIGURES",
    "DEFAULT_MIN_PERSONS",
    "MARK",
    "UNIT_INDICATOR_FIGURES",
    "Figure",
    "disclose_area_statistics",
    "disclose_unit_indicators",
    "marked",
    "suppress",
]

DEFAULT_MIN_PERSONS = 3
MARK = "diskretioneret"


@dataclass(frozen=True)
class Figure:
    """Columns published together, and the column counting the persons they are based on."""

    columns: tuple[str, ...]
    base: str


#: Area statistics: each criterion's value with its population.
AREA_STATISTICS_FIGURES = (
    Figure(("labour_pct", "outside_labour_pct", "pop_18_64"), "pop_18_64"),
    Figure(("crime_pct", "pop_18_plus"), "pop_18_plus"),
    Figure(("education_pct", "pop_30_59"), "pop_30_59"),
    Figure(("income_pct_of_region", "pop_15_64_taxpayers"), "pop_15_64_taxpayers"),
    Figure(("nonwestern_pct", "residents"), "residents"),
)
#: Unit indicators: each criterion's numerator, denominator and value (residents go with the
#: non-western share, whose denominator they are).
UNIT_INDICATOR_FIGURES = (
    Figure(("living_area_num", "living_area_den", "living_area"), "living_area_den"),
    Figure(("outside_labour_num", "outside_labour_den", "outside_labour"), "outside_labour_den"),
    Figure(("low_income_num", "low_income_den", "low_income"), "low_income_den"),
    Figure(("nonwestern_num", "nonwestern_den", "nonwestern", "residents"), "nonwestern_den"),
    Figure(("no_education_num", "no_education_den", "no_education"), "no_education_den"),
)


def _primary(frame: pd.DataFrame, figure: Figure, min_persons: int) -> np.ndarray:
    persons = pd.to_numeric(frame[figure.base], errors="coerce").fillna(0).to_numpy()
    return (persons > 0) & (persons < min_persons)


def _secondary(
    persons: np.ndarray, suppressed: np.ndarray, groups: np.ndarray, is_total: np.ndarray
) -> bool:
    """Protect every group with exactly one suppressed detail figure; True when anything changed."""
    changed = False
    for group in np.unique(groups):
        details = np.flatnonzero((groups == group) & ~is_total)
        totals = np.flatnonzero((groups == group) & is_total)
        if suppressed[details].sum() != 1 or (totals.size and suppressed[totals].all()):
            continue
        if totals.size == 0:
            continue  # no published total: nothing to subtract from
        candidates = details[~suppressed[details] & (persons[details] > 0)]
        if candidates.size:
            suppressed[candidates[np.argmin(persons[candidates])]] = True
        else:
            suppressed[totals] = True
        changed = True
    return changed


def suppress(
    frame: pd.DataFrame,
    figures: Sequence[Figure],
    min_persons: int = DEFAULT_MIN_PERSONS,
    group: str | None = None,
    total: pd.Series | None = None,
) -> pd.DataFrame:
    """Suppress figures based on too few persons, and protect them against subtraction.

    Parameters
    ----------
    frame
        One row per reporting unit (and total rows, if any).
    figures
        The figures in the frame.
    min_persons
        Smallest number of persons a published figure may be based on.
    group
        Column whose values group detail rows with the total row they add up to (e.g. year).
    total
        Boolean mask of total rows; without it there is no secondary suppression.

    Returns
    -------
    pandas.DataFrame
        A copy with suppressed cells empty and a ``diskretioneret`` column naming them.

    Examples
    --------
    >>> frame = pd.DataFrame({"n": [2, 5, 9, 16], "k": [1, 2, 3, 6]})
    >>> out = suppress(frame, [Figure(("n", "k"), "n")], group=None,
    ...                total=pd.Series([False, False, False, True]))
    >>> out["diskretioneret"].tolist()
    ['n;k', 'n;k', '', '']
    """
    out = frame.copy()
    is_total = total.to_numpy(dtype=bool) if total is not None else np.zeros(len(out), dtype=bool)
    groups = out[group].to_numpy() if group else np.zeros(len(out))
    masks = {}
    for figure in figures:
        suppressed = _primary(out, figure, min_persons)
        persons = pd.to_numeric(out[figure.base], errors="coerce").fillna(0).to_numpy()
        if total is not None:
            while _secondary(persons, suppressed, groups, is_total):
                pass
        masks[figure] = suppressed
    names: list[list[str]] = [[] for _ in range(len(out))]
    for figure, suppressed in masks.items():
        for column in figure.columns:
            if out[column].dtype.kind in "iu":
                out[column] = out[column].astype("Int64")
            out.loc[suppressed, column] = pd.NA
        for row in np.flatnonzero(suppressed):
            names[row].extend(figure.columns)
    out[MARK] = [";".join(n) for n in names]
    return out


def marked(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy for files: suppressed cells hold the word ``diskretioneret``, no marker column.

    Columns with a suppressed cell become text (numbers written as such), so every file format
    can hold the mark; the area-statistics reader reads the mark as "unknown".
    """
    out = frame.drop(columns=[MARK])
    listed = [set(filter(None, names.split(";"))) for names in frame[MARK]]
    for column in sorted(set().union(*listed)):
        cells = [
            MARK if column in names else None if pd.isna(value) else str(value)
            for names, value in zip(listed, out[column], strict=True)
        ]
        out[column] = pd.Series(cells, index=out.index, dtype=object)
    return out


def disclose_area_statistics(
    statistics: pd.DataFrame, min_persons: int = DEFAULT_MIN_PERSONS
) -> pd.DataFrame:
    """Primary suppression of area statistics (they publish no totals to subtract from)."""
    return suppress(statistics, AREA_STATISTICS_FIGURES, min_persons)


def disclose_unit_indicators(
    indicators: pd.DataFrame, min_persons: int = DEFAULT_MIN_PERSONS, city_total: bool = True
) -> pd.DataFrame:
    """Unit indicators with a city total row per year (``unit_id`` ``I alt``), suppressed.

    The total row sums every unit's numerators and denominators; secondary suppression keeps
    each suppressed unit figure from being recovered from it.
    """
    frame = indicators
    if city_total:
        sums = (
            indicators.drop(columns=["unit_id"])
            .groupby("year", as_index=False)
            .sum(numeric_only=True)
        )
        for column in ("living_area", "outside_labour", "low_income", "nonwestern", "no_education"):
            scale = 1.0 if column == "living_area" else 100.0
            den = sums[f"{column}_den"].astype("float64")
            sums[column] = (scale * sums[f"{column}_num"] / den).where(den > 0)
        sums["unit_id"] = "I alt"
        frame = pd.concat([indicators, sums[indicators.columns]], ignore_index=True)
    total = frame["unit_id"] == "I alt"
    return suppress(frame, UNIT_INDICATOR_FIGURES, min_persons, group="year", total=total)
