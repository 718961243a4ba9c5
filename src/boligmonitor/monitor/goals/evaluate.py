"""Evaluating goals: change since baseline, gap to the city, projection and a verdict.

For each indicator the baseline value is compared with the latest status up to the evaluation
year. The verdict is

- ``uncertain`` when there is no comparable pair of values, when a data break lies between the
  compared years, or when a survey difference is not significant (two-proportion z-test at the
  5 % level when sample sizes are published; otherwise the owning administration's own test);
- otherwise ``progress`` / ``regress`` when the measure moved in the better / worse direction by
  more than the rounding of the published figures, else ``no_clear_change``.

The measure is the gap to the city average for "approach the city level" targets and the level
itself for the other targets. A least-squares line through the comparable values is projected to
the target year and compared with the target. A goal's verdict combines its indicators': progress
when some progress and no regress, regress when the reverse, no clear change when mixed or flat,
uncertain when no indicator can be judged. Reference: Københavns Kommune, *Status på Politik for
Udsatte Byområder* 2021, and e.g. Agresti, *Categorical Data Analysis* (2013), § 3.1.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from boligmonitor.errors import InputError
from boligmonitor.monitor.goals.model import (
    Better,
    Catalogue,
    Goal,
    Indicator,
    TargetKind,
    Unit,
    Value,
    Verdict,
)

__all__ = [
    "SIGNIFICANCE_LEVEL",
    "ApproachSummary",
    "Evaluation",
    "GoalEvaluation",
    "IndicatorEvaluation",
    "check_status_year",
    "evaluate_catalogue",
    "evaluate_goal",
    "evaluate_indicator",
    "two_proportion_p_value",
]

#: Two-sided significance level of the survey test.
SIGNIFICANCE_LEVEL = 0.05


@dataclass(frozen=True)
class IndicatorEvaluation:
    """The evaluation of one indicator; ``reason`` is a stable code explaining the verdict.

    Reason codes: ``improved``, ``worsened``, ``within_rounding``, ``data_break``,
    ``not_significant``, ``reported_not_significant``, ``no_data``, ``context``.
    Gaps are oriented so that a positive gap means the areas are worse off than the city.
    """

    goal: int
    indicator: str
    verdict: Verdict
    reason: str
    baseline_year: int
    year: int | None = None
    baseline_area: float | None = None
    area: float | None = None
    baseline_city: float | None = None
    city: float | None = None
    change: float | None = None
    change_pct: float | None = None
    baseline_gap: float | None = None
    gap: float | None = None
    p_value: float | None = None
    break_years: tuple[int, ...] = ()
    target_value: float | None = None
    target_met: bool | None = None
    projection_year: int | None = None
    projected: float | None = None
    on_track: bool | None = None
    indication: Verdict | None = None
    indication_years: tuple[int, int] | None = None

    @property
    def gap_change(self) -> float | None:
        """Gap now minus gap at baseline (negative: the gap narrowed)."""
        if self.gap is None or self.baseline_gap is None:
            return None
        return self.gap - self.baseline_gap


@dataclass(frozen=True)
class GoalEvaluation:
    """The evaluation of a goal and its indicators, beside the report's published verdict."""

    number: int
    approach: str
    verdict: Verdict
    indicators: tuple[IndicatorEvaluation, ...]
    published: Verdict | None = None

    @property
    def agrees(self) -> bool | None:
        """Whether the verdict agrees with the published one (``None``: nothing published).

        The published summary has two groups, progress and "uncertain or not significant", so a
        published ``uncertain`` agrees with ``uncertain`` and ``no_clear_change``.
        """
        if self.published is None:
            return None
        if self.published is Verdict.UNCERTAIN:
            return self.verdict in (Verdict.UNCERTAIN, Verdict.NO_CLEAR_CHANGE)
        return self.verdict is self.published


@dataclass(frozen=True)
class ApproachSummary:
    """Verdict counts of the goals under one approach."""

    approach: str
    goals: tuple[int, ...]
    counts: dict[Verdict, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Evaluation:
    """A catalogue's evaluation for one status year."""

    catalogue: Catalogue
    year: int
    goals: tuple[GoalEvaluation, ...]
    approaches: tuple[ApproachSummary, ...]

    def goal(self, number: int) -> GoalEvaluation:
        """A goal's evaluation by number (``KeyError`` when unknown)."""
        for goal in self.goals:
            if goal.number == number:
                return goal
        raise KeyError(number)

    @property
    def disagreements(self) -> tuple[GoalEvaluation, ...]:
        """Goals whose verdict differs from the published one."""
        return tuple(g for g in self.goals if g.agrees is False)


def two_proportion_p_value(p1: float, n1: int, p2: float, n2: int) -> float:
    """Two-sided p-value of the pooled two-proportion z-test.

    Parameters
    ----------
    p1, p2
        Proportions on the 0–1 scale.
    n1, n2
        The numbers of persons they are based on.

    Examples
    --------
    >>> round(two_proportion_p_value(0.56, 50, 0.59, 34), 2)
    0.79
    """
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if variance <= 0:
        return 1.0 if p1 == p2 else 0.0
    z = (p2 - p1) / math.sqrt(variance)
    from scipy.stats import norm  # imported when used: it costs half a second

    return float(2 * norm.sf(abs(z)))


def _gap(indicator: Indicator, value: Value) -> float | None:
    """Area minus city, oriented so that positive means the areas are worse off.

    Counts have no gap: the city figure is the city's total, not a comparable level.
    """
    if value.area is None or value.city is None or indicator.unit is Unit.COUNT:
        return None
    sign = 1 if indicator.better is Better.LOWER else -1
    return sign * (value.area - value.city)


def _direction(delta: float, tolerance: float) -> Verdict:
    """Progress when ``delta`` (signed so that positive is better) is clearly above zero."""
    if abs(delta) <= tolerance:
        return Verdict.NO_CLEAR_CHANGE
    return Verdict.PROGRESS if delta > 0 else Verdict.REGRESS


def _tolerance(indicator: Indicator) -> float:
    """Half a unit of the last published decimal: changes within rounding are not clear."""
    return 0.5 * 10.0 ** (-indicator.decimals) + 1e-9


def _measure(indicator: Indicator, value: Value) -> float | None:
    """The quantity judged: the (non-negative) gap for approach-city targets, else the level."""
    if indicator.target.kind is TargetKind.APPROACH_CITY:
        gap = _gap(indicator, value)
        return None if gap is None else max(gap, 0.0)
    return value.area


def _better_delta(indicator: Indicator, old: Value, new: Value) -> float | None:
    """The change from ``old`` to ``new``, signed so that positive is better.

    For approach-city targets a narrowing gap is better; when the areas are at or above the
    city level at both times, their own level decides.
    """
    if indicator.target.kind is TargetKind.APPROACH_CITY:
        before, after = _measure(indicator, old), _measure(indicator, new)
        if before is None or after is None:
            return None
        if before or after:
            return before - after
    if old.area is None or new.area is None:
        return None
    return (new.area - old.area) * (1 if indicator.better is Better.HIGHER else -1)


def _p_value(indicator: Indicator, old: Value, new: Value) -> float | None:
    """The two-proportion test of the areas' share, when both sample sizes are known."""
    if indicator.unit is not Unit.PCT or not (old.area_n and new.area_n):
        return None
    assert old.area is not None and new.area is not None
    return two_proportion_p_value(old.area / 100, old.area_n, new.area / 100, new.area_n)


def _projection(indicator: Indicator, points: list[Value], target_year: int) -> float | None:
    """Least-squares line through the comparable values, evaluated at the target year."""
    pairs = [(v.year, _measure(indicator, v)) for v in points]
    usable = [(x, y) for x, y in pairs if y is not None]
    if len(usable) < 2:
        return None
    slope, intercept = np.polyfit([x for x, _ in usable], [y for _, y in usable], 1)
    return float(slope * target_year + intercept)


def _target_value(indicator: Indicator, base: Value) -> float | None:
    """The value of the measure the target asks for (a gap for approach-city targets)."""
    target, level = indicator.target, _measure(indicator, base)
    if level is None or target.kind is TargetKind.CONTEXT:
        return None
    amount = target.amount or 0.0
    if target.kind is TargetKind.APPROACH_CITY:
        return 0.0 if target.reach_city else level
    if target.kind is TargetKind.FALL_PCT:
        return level * (1 - amount / 100)
    if target.kind is TargetKind.FALL_PP:
        return level - amount
    if target.kind is TargetKind.REACH_COUNT:
        return level + amount if target.since_baseline else amount
    return level


def _meets(indicator: Indicator, measure: float | None, target: float | None) -> bool | None:
    """Whether a measure meets the target; 'approach'/'rise'/'fall' need a clear move."""
    if measure is None or target is None:
        return None
    kind, tolerance = indicator.target.kind, _tolerance(indicator)
    strict = kind in (TargetKind.RISE, TargetKind.FALL) or (
        kind is TargetKind.APPROACH_CITY and not indicator.target.reach_city
    )
    margin = tolerance if strict else -tolerance
    lower_is_better = kind is TargetKind.APPROACH_CITY or indicator.better is Better.LOWER
    return measure < target - margin if lower_is_better else measure > target + margin


def evaluate_indicator(
    indicator: Indicator, goal: int, year: int, baseline_year: int, target_year: int
) -> IndicatorEvaluation:
    """Evaluate one indicator at a status year.

    Parameters
    ----------
    indicator
        The indicator with its values and notes.
    goal
        The goal's number (carried into the result).
    year
        The status year: values up to this year are used.
    baseline_year, target_year
        The catalogue's; an indicator's own ``baseline_year`` and target ``by_year`` win.
    """
    first = indicator.baseline_year or baseline_year
    if indicator.target.kind is TargetKind.CONTEXT:
        return IndicatorEvaluation(goal, indicator.id, Verdict.NO_CLEAR_CHANGE, "context", first)
    points = [v for v in indicator.series() if v.available and first <= v.year <= year]
    if len(points) < 2 or points[0].year != first:
        return IndicatorEvaluation(goal, indicator.id, Verdict.UNCERTAIN, "no_data", first)
    return _compare(indicator, goal, points, indicator.target.by_year or target_year)


_REASONS = {
    Verdict.PROGRESS: "improved",
    Verdict.REGRESS: "worsened",
    Verdict.NO_CLEAR_CHANGE: "within_rounding",
}


def _verdict(
    indicator: Indicator, base: Value, now: Value, breaks: tuple[int, ...], p_value: float | None
) -> tuple[Verdict, str]:
    """The verdict and its reason code (see :class:`IndicatorEvaluation`)."""
    if breaks:
        return Verdict.UNCERTAIN, "data_break"
    if p_value is not None and p_value >= SIGNIFICANCE_LEVEL:
        return Verdict.UNCERTAIN, "not_significant"
    if p_value is None and now.reported_significant is False:
        return Verdict.UNCERTAIN, "reported_not_significant"
    delta = _better_delta(indicator, base, now)
    if delta is None:
        return Verdict.UNCERTAIN, "no_data"
    verdict = _direction(delta, _tolerance(indicator))
    return verdict, _REASONS[verdict]


def _compare(
    indicator: Indicator, goal: int, points: list[Value], target_year: int
) -> IndicatorEvaluation:
    base, now = points[0], points[-1]
    assert base.area is not None and now.area is not None
    breaks = tuple(y for y in indicator.break_years() if base.year < y <= now.year)
    p_value = _p_value(indicator, base, now)
    verdict, reason = _verdict(indicator, base, now, breaks, p_value)
    target = _target_value(indicator, base)
    projected = None if breaks else _projection(indicator, points, target_year)
    indication, span = _indication(indicator, points, breaks)
    return IndicatorEvaluation(
        goal=goal,
        indicator=indicator.id,
        verdict=verdict,
        reason=reason,
        baseline_year=base.year,
        year=now.year,
        baseline_area=base.area,
        area=now.area,
        baseline_city=base.city,
        city=now.city,
        change=now.area - base.area,
        change_pct=(now.area - base.area) / base.area * 100 if base.area else None,
        baseline_gap=_gap(indicator, base),
        gap=_gap(indicator, now),
        p_value=p_value,
        break_years=breaks,
        target_value=target,
        target_met=None if breaks else _meets(indicator, _measure(indicator, now), target),
        projection_year=target_year if projected is not None else None,
        projected=projected,
        on_track=_meets(indicator, projected, target),
        indication=indication,
        indication_years=span,
    )


def _indication(
    indicator: Indicator, points: list[Value], breaks: tuple[int, ...]
) -> tuple[Verdict | None, tuple[int, int] | None]:
    """Across a data break: the direction over the comparable part before the first break."""
    if not breaks:
        return None, None
    before = [v for v in points if v.year < breaks[0]]
    if len(before) < 2:
        return None, None
    delta = _better_delta(indicator, before[0], before[-1])
    if delta is None:
        return None, None
    return _direction(delta, _tolerance(indicator)), (before[0].year, before[-1].year)


def _combine(verdicts: list[Verdict]) -> Verdict:
    """A goal's verdict from its judged indicators' (see the module docstring)."""
    counts = Counter(verdicts)
    progress, regress = counts[Verdict.PROGRESS], counts[Verdict.REGRESS]
    if progress and not regress:
        return Verdict.PROGRESS
    if regress and not progress:
        return Verdict.REGRESS
    if progress or counts[Verdict.NO_CLEAR_CHANGE]:
        return Verdict.NO_CLEAR_CHANGE
    return Verdict.UNCERTAIN


def evaluate_goal(goal: Goal, catalogue: Catalogue, year: int) -> GoalEvaluation:
    """Evaluate a goal's indicators at a status year and combine their verdicts."""
    results = tuple(
        evaluate_indicator(i, goal.number, year, catalogue.baseline_year, catalogue.target_year)
        for i in goal.indicators
    )
    judged = [r.verdict for r in results if r.reason != "context"]
    return GoalEvaluation(
        number=goal.number,
        approach=goal.approach,
        verdict=_combine(judged),
        indicators=results,
        published=goal.published_verdicts.get(year),
    )


def check_status_year(catalogue: Catalogue, year: int) -> None:
    """Refuse a year that is not one of the catalogue's status years.

    Raises
    ------
    InputError
        Naming the valid status years (e.g. 2019 and 2021 for ``kk-2017-2025``).
    """
    years = catalogue.status_years()
    if year not in years:
        valid = ", ".join(map(str, years)) or "none"
        raise InputError.single(
            f"catalogue {catalogue.id}",
            "{year} is not a status year of the catalogue; status years: {valid}",
            column="year",
            year=year,
            valid=valid,
        )


def evaluate_catalogue(catalogue: Catalogue, year: int) -> Evaluation:
    """Evaluate every goal of a catalogue at a status year, with a summary per approach.

    Raises
    ------
    InputError
        When ``year`` is not a status year of the catalogue (:func:`check_status_year`).

    Examples
    --------
    >>> from boligmonitor.monitor.goals.catalogue import resolve_catalogue
    >>> result = evaluate_catalogue(resolve_catalogue("kk-2017-2025"), 2021)
    >>> result.goal(17).verdict.value
    'progress'
    """
    check_status_year(catalogue, year)
    goals = tuple(evaluate_goal(g, catalogue, year) for g in catalogue.goals)
    summaries = tuple(
        ApproachSummary(
            approach=a.id,
            goals=tuple(g.number for g in goals if g.approach == a.id),
            counts=dict(Counter(g.verdict for g in goals if g.approach == a.id)),
        )
        for a in catalogue.approaches
    )
    return Evaluation(catalogue, year, goals, summaries)
