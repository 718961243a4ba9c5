"""The udviklingsplan calculator: per area and year the share of almene familieboliger under the
plan, the gap to 40 % in dwellings, when the requirement is met, the smallest additional measure
of each kind that would close a remaining gap, and households to re-house per year.

All arithmetic is exact (integers and :class:`fractions.Fraction`); the counting rules are data
(:mod:`boligmonitor.udviklingsplan.counting`). Reference: Almenboligloven § 168 a, stk. 1.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from boligmonitor.udviklingsplan.counting import CountingRules, MeasureKind
from boligmonitor.udviklingsplan.plan import AreaPlan, Measure
from boligmonitor.udviklingsplan.stock import Stock

__all__ = [
    "AdditionalMeasure",
    "PlanResult",
    "YearStatus",
    "additional_measures",
    "calculate",
    "family_gap",
    "minimal_amount",
]

#: Additions are searched up to this size (dwellings or m²) before giving up.
_SEARCH_LIMIT = 10**9


@dataclass(frozen=True)
class YearStatus:
    """The area at 1 January of ``year`` under the plan."""

    year: int
    stock: Stock
    family: int
    total: Fraction
    share: Fraction
    met: bool
    gap: int


@dataclass(frozen=True)
class AdditionalMeasure:
    """The smallest further measure of one kind that meets the requirement by the deadline.

    ``amount`` is in dwellings (m² for commercial floor space); ``None`` when no amount of this
    kind can close the gap.
    """

    kind: MeasureKind
    amount: int | None
    unit: str


@dataclass(frozen=True)
class PlanResult:
    """An area's plan computed year by year."""

    area_id: str
    area_name: str | None
    base_year: int
    years: tuple[YearStatus, ...]
    deadline: dt.date
    met_at_deadline: bool
    first_met_year: int | None
    target_share: Fraction
    target_met: bool
    additional: tuple[AdditionalMeasure, ...]
    rehousing: dict[int, int]
    measures: tuple[Measure, ...]

    @property
    def at_deadline(self) -> YearStatus:
        """The status at the deadline (1 January 2030)."""
        return self.years[-1]


def family_gap(stock: Stock, rules: CountingRules) -> int:
    """Almene familieboliger above the target at the current total (0 when met).

    The number of family dwellings that would have to become another category (sale, conversion)
    with the total unchanged, e.g. 61 family dwellings of 100 → gap 21.
    """
    total = stock.total(rules)
    allowed = rules.target.share * total
    most = math.floor(allowed)
    if rules.target.comparison == "lt" and allowed == most:
        most -= 1
    return max(0, stock.family(rules) - most)


def _status(year: int, stock: Stock, rules: CountingRules) -> YearStatus:
    share = stock.share(rules)
    return YearStatus(
        year=year,
        stock=stock,
        family=stock.family(rules),
        total=stock.total(rules),
        share=share,
        met=rules.target.met(share),
        gap=family_gap(stock, rules),
    )


def apply_measure(stock: Stock, measure: Measure, rules: CountingRules) -> Stock:
    """The stock after one measure.

    Raises
    ------
    ValueError
        When the measure removes more dwellings than the stock holds.
    """
    kind = rules.kind(measure.kind)
    return stock.moved(kind.from_category, kind.to_category, measure.amount, rules)


def _stock_at(base: Stock, measures: list[Measure], day: dt.date, rules: CountingRules) -> Stock:
    stock = base
    for measure in measures:
        if measure.date < day:
            stock = apply_measure(stock, measure, rules)
    return stock


def rehousing(measures: tuple[Measure, ...], rules: CountingRules) -> dict[int, int]:
    """Households to re-house per calendar year: the plan's number, else the rules' default."""
    years: Counter[int] = Counter()
    for measure in measures:
        per = rules.kind(measure.kind).rehoused_per_dwelling
        count = measure.rehoused if measure.rehoused is not None else per * (measure.dwellings or 0)
        years[measure.date.year] += count
    return {year: years[year] for year in sorted(years) if years[year]}


def calculate(plan: AreaPlan, base_year: int, base: Stock, rules: CountingRules) -> PlanResult:
    """Compute a plan from its baseline to the deadline.

    Parameters
    ----------
    plan
        The area's plan (validated with :func:`~boligmonitor.udviklingsplan.plan.check_plans`).
    base_year, base
        The stock at 1 January of ``base_year``.
    rules
        The counting rules.

    Returns
    -------
    PlanResult
        One status per 1 January from ``base_year`` to the deadline's year; a measure counts
        from the first 1 January after its date.

    Examples
    --------
    100 dwellings, 61 of them family: selling 21 brings the share to exactly 40 %, which meets
    the requirement ("højst 40 pct.").
    """
    measures = sorted(plan.measures, key=lambda m: m.date)
    deadline = rules.target.deadline
    years = tuple(
        _status(year, _stock_at(base, measures, dt.date(year, 1, 1), rules), rules)
        for year in range(base_year, deadline.year + 1)
    )
    final = years[-1]
    first = next((s.year for s in years if s.met and all(t.met for t in years if t.year > s.year)),
                 None)  # fmt: skip
    target_share = Fraction(plan.target.share_pct) / 100
    target_day = _stock_at(base, measures, plan.target.by, rules)
    return PlanResult(
        area_id=plan.area_id,
        area_name=plan.area_name,
        base_year=base_year,
        years=years,
        deadline=deadline,
        met_at_deadline=final.met,
        first_met_year=first,
        target_share=target_share,
        target_met=target_day.share(rules) <= target_share,
        additional=() if final.met else additional_measures(final.stock, rules),
        rehousing=rehousing(tuple(measures), rules),
        measures=tuple(measures),
    )


def minimal_amount(stock: Stock, kind: MeasureKind, rules: CountingRules) -> int | None:
    """The smallest amount of one kind of measure after which ``stock`` meets the target.

    0 when it already does; ``None`` when no amount does (e.g. new almene familieboliger, or
    too few family dwellings to sell). Found by bisection on the exact share, so one less
    would not meet it.
    """

    def meets(amount: int) -> bool:
        moved = stock.moved(kind.from_category, kind.to_category, amount, rules)
        return rules.target.met(moved.share(rules))

    if meets(0):
        return 0
    high = stock.count(kind.from_category) if kind.from_category is not None else 1
    if kind.from_category is None:
        while not meets(high):
            if high > _SEARCH_LIMIT:
                return None
            high *= 2
    elif not meets(high):
        return None
    low = 0  # meets(low) is false, meets(high) is true
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if meets(middle) else (middle, high)
    return high


def additional_measures(stock: Stock, rules: CountingRules) -> tuple[AdditionalMeasure, ...]:
    """The smallest additional measure of each kind that closes the remaining gap."""
    result = []
    for kind in rules.measures:
        unit = "m2" if kind.to_category == "commercial_m2" else "dwellings"
        result.append(AdditionalMeasure(kind, minimal_amount(stock, kind, rules), unit))
    return tuple(result)
