"""The gap computed from unit statistics: designated units against the rest of the city.

Københavns Kommune, *Politik for Udsatte Byområder* (2017): the groups are those of
:mod:`boligmonitor.monitor.groups`, the baseline gap is published or computed in the baseline
year, and milestones, progress and the vision test follow :mod:`boligmonitor.monitor.gap`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from functools import partial

import pandas as pd

from boligmonitor.disclosure import DEFAULT_MIN_PERSONS
from boligmonitor.errors import InputError
from boligmonitor.i18n import N_
from boligmonitor.monitor.gap import GapReport, gap_of, gap_records, gap_report
from boligmonitor.monitor.groups import Tracking, designated_in, group_levels
from boligmonitor.monitor.reference import CityCriterion, ReferenceDataset, load_reference

__all__ = ["compute_gap"]


def _published_baseline(
    gaps: Mapping[str, float], criteria: list[CityCriterion]
) -> dict[str, float | None]:
    ids = [c.id for c in criteria]
    unknown = sorted(set(gaps) - set(ids))
    if unknown:
        raise InputError.single(
            "baseline gaps",
            "unknown criteria {unknown}; known: {value}",
            unknown=unknown,
            value=", ".join(ids),
        )
    return {c: (float(gaps[c]) if c in gaps else None) for c in ids}


def _chosen_years(
    units: pd.DataFrame, baseline_year: int, years: Sequence[int] | None
) -> list[int]:
    if years is not None:
        return list(years)
    return sorted(int(y) for y in units["year"].unique() if int(y) >= baseline_year)


def _baseline_of(
    units: pd.DataFrame,
    baseline_year: int,
    published: Mapping[str, float] | None,
    ref: ReferenceDataset,
    levels: Callable[[int, CityCriterion], tuple[float | None, float | None]],
) -> dict[str, float | None]:
    """The published baseline gaps, or those computed in the baseline year."""
    if published is not None:
        return _published_baseline(published, ref.criteria)
    if baseline_year not in {int(y) for y in units["year"].unique()}:
        raise InputError.single(
            "unit statistics",
            "no data for baseline year {baseline_year}",
            baseline_year=baseline_year,
        )
    return {c.id: gap_of(levels(baseline_year, c), c.worse_is) for c in ref.criteria}


def compute_gap(
    units: pd.DataFrame,
    rounds: Mapping[int, Collection[str]],
    *,
    baseline_year: int,
    baseline_gaps: Mapping[str, float] | None = None,
    tracking: Tracking = "fixed",
    fixed_round: int | None = None,
    years: Sequence[int] | None = None,
    reference: str = "kk-2021",
    min_persons: int = DEFAULT_MIN_PERSONS,
) -> GapReport:
    """The gap from unit-level numerators and denominators, designated areas against the rest.

    Parameters
    ----------
    units
        Unit statistics: ``unit_id``, ``year``, ``<criterion>_num`` and ``<criterion>_den``.
    rounds
        Designated units by round year, e.g. ``{2017: {...}, 2021: {...}}``.
    baseline_year
        The year of the baseline gap (2017 for Copenhagen's policy).
    baseline_gaps
        Published baseline gaps by criterion (one left out has none); default: computed.
    tracking, fixed_round
        ``"fixed"`` follows the areas of ``fixed_round`` (default the first round) over time;
        ``"updated"`` uses the areas of the latest round at or before each year.
    years
        Years to report; default every year in ``units`` from the baseline on.
    reference
        Reference dataset giving the criteria and the vision rule.
    min_persons
        Disclosure control: a group counting fewer persons gives no value (``no_data``).

    Returns
    -------
    GapReport
        One record per criterion of ``reference`` and year (see :func:`vision_test`).
    """
    ref = load_reference(reference)
    areas = partial(designated_in, rounds, tracking=tracking, fixed_round=fixed_round)
    levels = partial(_unit_levels, units, areas, min_persons)
    baseline = _baseline_of(units, baseline_year, baseline_gaps, ref, levels)
    chosen = _chosen_years(units, baseline_year, years)
    records = gap_records(ref, (baseline_year, baseline), chosen, levels)
    parameters = {
        "baseline_year": baseline_year,
        "baseline": "computed" if baseline_gaps is None else "published",
        "tracking": tracking,
        "fixed_round": fixed_round,
        "rounds": sorted(rounds),
        "years": chosen,
        "min_persons": min_persons,
    }
    return gap_report(N_("unit statistics"), records, ref.vision, parameters)


def _unit_levels(
    units: pd.DataFrame,
    areas: Callable[[int], Collection[str]],
    min_persons: int,
    year: int,
    criterion: CityCriterion,
) -> tuple[float | None, float | None]:
    """The pooled value of the units designated in ``year`` and of the rest of the city."""
    return group_levels(units, year, areas(year), criterion, min_persons)
