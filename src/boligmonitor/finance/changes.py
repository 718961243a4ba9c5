"""Plan changes: merging departments into a plan, extending a plan, pro-rating by months.

A plan's budget is phased over calendar years by the months it covers: a budget for 1 March
2022 to 31 December 2024 (34 months) falls 10/34, 12/34 and 12/34 on 2022-2024, and an annual
budget merged in from 1 March pays 10/12 of a year in the first year. A month counts when the
period covers any day of it (plans start on the first and end on the last day of a month).

Reference: seed ``000_c5cb5aa8f1cc18d8`` (Mimerskvarter into NørreBrobyggerne from 1 March 2022,
budget for 1 March 2022 - 31 December 2024); seed ``001_de2ba99353aea5a3`` (NørreBrobyggerne
extended from 2024 to 2025).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from boligmonitor.finance.allocation import largest_remainder, ore_to_thousand, thousand_to_ore
from boligmonitor.finance.model import BudgetLine, Member, Plan

__all__ = [
    "extend_plan",
    "line_period",
    "member_period",
    "merge_departments",
    "months_by_year",
    "prorate_annual",
    "prorate_by_months",
]


def months_by_year(start: dt.date, end: dt.date) -> dict[int, int]:
    """The number of calendar months a period touches in each year.

    Examples
    --------
    >>> months_by_year(dt.date(2022, 3, 1), dt.date(2024, 12, 31))
    {2022: 10, 2023: 12, 2024: 12}
    """
    if end < start:
        raise ValueError(f"period ends ({end}) before it starts ({start})")
    months: dict[int, int] = {}
    for year in range(start.year, end.year + 1):
        first = start.month if year == start.year else 1
        last = end.month if year == end.year else 12
        months[year] = last - first + 1
    return months


def prorate_by_months(amount: int, start: dt.date, end: dt.date) -> dict[int, int]:
    """Phase an amount (øre) for a whole period over its years by months, exactly.

    Examples
    --------
    >>> prorate_by_months(400_000_000, dt.date(2022, 3, 1), dt.date(2024, 12, 31))
    {2022: 117647059, 2023: 141176471, 2024: 141176470}
    """
    months = months_by_year(start, end)
    split = largest_remainder(amount, {str(year): n for year, n in months.items()})
    return {year: split[str(year)] for year in months}


def prorate_annual(annual: int, start: dt.date, end: dt.date) -> dict[int, int]:
    """An annual amount (øre) for the part of each year a period covers: annual × months / 12.

    The period's total (annual × all months / 12, rounded half up to the øre) is split by months,
    so the years add up exactly.

    Examples
    --------
    >>> prorate_annual(120_000_000, dt.date(2022, 3, 1), dt.date(2024, 12, 31))
    {2022: 100000000, 2023: 120000000, 2024: 120000000}
    """
    months = sum(months_by_year(start, end).values())
    total = (annual * months * 2 + 12) // 24
    return prorate_by_months(total, start, end)


def member_period(plan: Plan, member: Member) -> tuple[dt.date, dt.date]:
    """A department's first and last day in a plan (the plan's period where not stated)."""
    return member.entry or plan.start, member.exit or plan.last_day


def line_period(plan: Plan, line: BudgetLine) -> tuple[dt.date, dt.date]:
    """A budget line's period (the plan's period where not stated)."""
    return line.start or plan.start, line.end or plan.last_day


def extend_plan(plan: Plan, new_end: dt.date) -> Plan:
    """The plan with its period extended to ``new_end`` (forlængelse).

    Members without an explicit exit date stay in the plan to the new end.
    """
    if new_end < plan.last_day:
        raise ValueError(f"{new_end} is before the plan's end {plan.last_day}")
    return plan.model_copy(update={"extended_to": new_end})


def merge_departments(
    target: Plan,
    plan_id: str,
    name: str,
    departments: Sequence[str],
    start: dt.date,
    annual_budget: Sequence[BudgetLine] = (),
    end: dt.date | None = None,
) -> Plan:
    """An extension of ``target``: departments entering it from ``start``, with their budget.

    Each annual budget line is pro-rated by months over the extension's period
    (``start`` to ``end``, default the target's end), so a merge from 1 March pays 10/12 of a
    year in the first year.
    """
    last = end or target.last_day
    if not target.start <= start <= last:
        raise ValueError(f"{start} is outside the plan period {target.start}–{last}")
    lines = [
        BudgetLine(
            label=line.label,
            amount=ore_to_thousand(
                sum(prorate_annual(thousand_to_ore(line.amount), start, last).values())
            ),
            start=start,
            end=last,
        )
        for line in annual_budget
    ]
    return Plan(
        id=plan_id,
        name=name,
        administrator=target.administrator,
        municipality=target.municipality,
        start=start,
        end=last,
        extends=target.id,
        focus_areas=list(target.focus_areas),
        departments=[Member(department=d, entry=start) for d in departments],
        budget=lines,
        financing=target.financing,
    )
