"""Figures per boligområde that a model derives from microdata (simulations, forecasts).

A model started from the observed city publishes, per area, values that rest on the area's
residents: the start year of an allocation simulation *is* the observed year, and every later
simulated year is the same persons aged, moved and re-drawn. So the policy of
``docs/disclosure.md`` holds for them as for the statistics themselves:

- a value is published only when the observed population it rests on (in the model's first
  year) has at least ``min_persons`` persons, in every year the model publishes;
- a value of the first year that equals a published statistic is hidden wherever the disclosed
  area statistics hide that statistic (secondary suppression included), so the model's output
  and the statistics cannot be subtracted from each other.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from boligmonitor.disclosure.suppression import DEFAULT_MIN_PERSONS, MARK, check_min_persons

__all__ = ["POPULATIONS", "hide_area_values"]

#: The populations of the area statistics a derived value can rest on.
POPULATIONS = ("residents", "pop_18_64", "pop_18_plus", "pop_30_59", "pop_15_64_taxpayers")


def _small(populations: pd.DataFrame, min_persons: int) -> pd.DataFrame:
    """Per area: is each population 1 to ``min_persons − 1`` persons (or hidden)?"""
    frame = populations.set_index(populations["area_id"].astype(str))
    small = {}
    for column in POPULATIONS:
        raw = frame[column] if column in frame else pd.Series(np.nan, index=frame.index)
        counts = pd.to_numeric(raw.replace(MARK, None), errors="coerce")
        small[column] = (raw == MARK) | ((counts > 0) & (counts < min_persons))
    return pd.DataFrame(small).groupby(level=0).any()


def hide_area_values(
    frame: pd.DataFrame,
    bases: Mapping[str, str | None],
    populations: pd.DataFrame,
    first_year: int,
    published: pd.DataFrame | None = None,
    same: Mapping[str, str] | None = None,
    min_persons: int = DEFAULT_MIN_PERSONS,
) -> pd.DataFrame:
    """Per-area derived values with those resting on too few observed persons emptied.

    Parameters
    ----------
    frame
        ``area_id``, ``year`` and the value columns (one row per area and year, or per run).
    bases
        Value column → the population of :data:`POPULATIONS` it rests on (the statutory one or
        the smallest containing a narrower band); ``None``: it rests on all of them (a
        designation).
    populations
        ``area_id`` and the observed populations of the first year (raw or marked).
    first_year
        The observed year the model starts from.
    published
        The disclosed area statistics of ``first_year`` (marked ``diskretioneret``).
    same
        Value column → the statistics column it equals in ``first_year``.
    min_persons
        Smallest number of persons a published figure rests on (at least 3).

    Returns
    -------
    pandas.DataFrame
        A copy; hidden values are NaN (value columns become float).
    """
    check_min_persons(min_persons)
    out = frame.copy()
    small = _small(populations, min_persons)
    areas = out["area_id"].astype(str)
    first = (out["year"] == first_year).to_numpy()
    shown = published.set_index(published["area_id"].astype(str)) if published is not None else None
    for column, base in bases.items():
        if column not in out:
            continue
        flags = small.any(axis=1) if base is None else small[base]
        hide = areas.map(flags).fillna(False).to_numpy(dtype=bool)
        statistic = (same or {}).get(column)
        if shown is not None and statistic is not None and statistic in shown:
            marked = (shown[statistic] == MARK).groupby(level=0).any()
            hide |= first & areas.map(marked).fillna(False).to_numpy(dtype=bool)
        out[column] = out[column].astype(float).where(~hide)
    return out
