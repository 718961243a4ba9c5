"""Suppression of figures in one table: primary below the threshold, secondary against totals.

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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from boligmonitor.errors import InputError
from boligmonitor.i18n import translate

__all__ = [
    "DEFAULT_MIN_PERSONS",
    "MARK",
    "SMALLEST_MIN_PERSONS",
    "UNIT_INDICATOR_FIGURES",
    "Figure",
    "check_min_persons",
    "marked",
    "suppress",
]

DEFAULT_MIN_PERSONS = 3
#: Danmarks Statistik's smallest allowed threshold: no published figure rests on 1-2 persons.
SMALLEST_MIN_PERSONS = 3
MARK = "diskretioneret"


def check_min_persons(min_persons: int) -> int:
    """``min_persons`` when it is a whole number of at least 3, else an :class:`InputError`.

    A threshold below 3 would publish figures about one or two persons (Danmarks Statistik's
    rule for results from microdata), and 0 or less would turn disclosure control off.
    """
    if (
        isinstance(min_persons, bool)
        or not isinstance(min_persons, int)
        or (min_persons < SMALLEST_MIN_PERSONS)
    ):
        message = translate(
            "the disclosure threshold must be at least {smallest} persons, not {given}",
            smallest=SMALLEST_MIN_PERSONS,
            given=min_persons,
        )
        raise InputError.single("--min-persons", message)
    return min_persons


@dataclass(frozen=True)
class Figure:
    """Columns published together, and the column counting the persons they are based on."""

    columns: tuple[str, ...]
    base: str | None


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
    if figure.base is None:  # rests on other rows' persons: given as a mask
        return np.zeros(len(frame), dtype=bool)
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
    masks: Mapping[Figure, np.ndarray] | None = None,
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
    masks
        Cells already known to be suppressed per figure (from a policy over several tables,
        e.g. :mod:`boligmonitor.disclosure.geography`), added to the primary suppression.

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
    check_min_persons(min_persons)
    out = frame.copy()
    is_total = total.to_numpy(dtype=bool) if total is not None else np.zeros(len(out), dtype=bool)
    groups = out[group].to_numpy() if group else np.zeros(len(out))
    protection = (groups, is_total) if total is not None else None
    chosen = {
        figure: _suppressed(out, figure, min_persons, masks, protection) for figure in figures
    }
    return _blanked(out, chosen)


def _suppressed(
    frame: pd.DataFrame,
    figure: Figure,
    min_persons: int,
    masks: Mapping[Figure, np.ndarray] | None,
    protection: tuple[np.ndarray, np.ndarray] | None,
) -> np.ndarray:
    """The rows where ``figure`` is suppressed: primary, given and (with ``protection``, the
    groups and total mask) secondary until no group has exactly one."""
    suppressed = _primary(frame, figure, min_persons)
    if masks is not None and figure in masks:
        suppressed = suppressed | np.asarray(masks[figure], dtype=bool)
    if protection is not None and figure.base is not None:
        persons = pd.to_numeric(frame[figure.base], errors="coerce").fillna(0).to_numpy()
        while _secondary(persons, suppressed, *protection):
            pass
    return suppressed


def _blanked(out: pd.DataFrame, chosen: Mapping[Figure, np.ndarray]) -> pd.DataFrame:
    """``out`` with the suppressed cells empty and the :data:`MARK` column naming them."""
    names: list[list[str]] = [[] for _ in range(len(out))]
    for figure, suppressed in chosen.items():
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
