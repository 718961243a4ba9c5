"""Plan changes: merging departments from a date, extending a plan, pro-rating by months."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from boligmonitor.finance.catalogue import catalogue_problems, shipped_catalogue
from boligmonitor.finance.changes import (
    extend_plan,
    merge_departments,
    months_by_year,
    prorate_annual,
    prorate_by_months,
)
from boligmonitor.finance.financing import plan_finance
from boligmonitor.finance.model import BudgetLine

MIMERS = ["VIBO 108", "VIBO 127", "VIBO 142", "VIBO 147", "3B 24", "AAB 58"]


def test_prorate_annual_first_year_by_months() -> None:
    # 1 200 thousand kr. a year from 1 March 2022: 10/12 in 2022.
    assert prorate_annual(120_000_000, dt.date(2022, 3, 1), dt.date(2024, 12, 31)) == {
        2022: 100_000_000,
        2023: 120_000_000,
        2024: 120_000_000,
    }
    # 10 øre a year for 10 months is 8.33 øre: rounded half up to 8, and exact in the year.
    assert prorate_annual(10, dt.date(2022, 3, 1), dt.date(2022, 12, 31)) == {2022: 8}


def test_prorate_by_months_adds_up() -> None:
    split = prorate_by_months(400_000_000, dt.date(2022, 3, 1), dt.date(2024, 12, 31))
    assert sum(split.values()) == 400_000_000
    assert split[2022] == 117_647_059  # 4 000 × 10/34 thousand kr. to the øre


def test_months_by_year_refuses_backwards_periods() -> None:
    assert months_by_year(dt.date(2021, 1, 1), dt.date(2021, 1, 31)) == {2021: 1}
    with pytest.raises(ValueError, match="before it starts"):
        months_by_year(dt.date(2022, 1, 1), dt.date(2021, 12, 31))


def test_merge_from_1_march_2022_pro_rates_the_first_year() -> None:
    base = shipped_catalogue()
    target = base.plan("norrebrobyggerne")
    assert target is not None
    merged = merge_departments(
        target,
        "mimers-merge",
        "Mimerskvarter ind i NørreBrobyggerne",
        MIMERS,
        dt.date(2022, 3, 1),
        annual_budget=[
            BudgetLine(label="Løn", amount=Decimal(1200)),
            BudgetLine(label="Husleje", amount=Decimal("64.8")),
        ],
        end=dt.date(2024, 12, 31),
    )
    assert merged.extends == "norrebrobyggerne"
    assert [m.entry for m in merged.departments] == [dt.date(2022, 3, 1)] * 6
    # 34 months of an annual budget: 1 200 × 34/12 = 3 400 and 64.8 × 34/12 = 183.6.
    assert [line.amount for line in merged.budget] == [Decimal(3400), Decimal("183.6")]
    plans = [p for p in base.plans if p.id != "mimerskvarter-2022"] + [merged]
    catalogue = base.model_copy(update={"plans": plans})
    assert catalogue_problems(catalogue) == []
    record = plan_finance(catalogue, "mimers-merge", decimals=1).as_record()
    totals = {y["year"]: y["total"] for y in record["by_year"]}  # type: ignore[attr-defined]
    # 2022 is 10/12 of a year: (1 200 + 64.8) × 10/12 = 1 054.0; full years 1 264.8.
    assert totals == {2022: "1054.0", 2023: "1264.8", 2024: "1264.8"}
    assert record["total"] == "3583.6"


def test_merge_outside_the_plan_is_refused() -> None:
    target = shipped_catalogue().plan("norrebrobyggerne")
    assert target is not None
    with pytest.raises(ValueError, match="outside the plan period"):
        merge_departments(target, "x", "x", MIMERS, dt.date(2026, 3, 1))


def test_extend_plan() -> None:
    plan = shipped_catalogue().plan("norrebrobyggerne")
    assert plan is not None
    assert plan.end == dt.date(2024, 12, 31) and plan.last_day == dt.date(2025, 12, 31)
    longer = extend_plan(plan, dt.date(2026, 6, 30))
    assert longer.last_day == dt.date(2026, 6, 30) and longer.end == plan.end
    with pytest.raises(ValueError, match="before the plan's end"):
        extend_plan(plan, dt.date(2025, 6, 30))


def test_extension_moves_the_overlap_check() -> None:
    # Extended NørreBrobyggerne runs to 2025; norrebro-2026 starts 2026-01-01: no overlap.
    # Extending it into 2026 makes its departments overlap with the new plan.
    base = shipped_catalogue()
    plans = [
        extend_plan(p, dt.date(2026, 3, 31)) if p.id == "norrebrobyggerne" else p
        for p in base.plans
    ]
    findings = catalogue_problems(base.model_copy(update={"plans": plans}))
    overlapping = sorted({str(finding.params["department"]) for finding in findings})
    assert overlapping == [
        "AKB Lundtoftegade",
        "AKB Titanparken",
        "HAB Lundtoftegården",
        "fsb Blågården",
        "fsb Prater",
    ]
    assert all(f.loc[0] == "plans" and f.loc[-1] == "department" for f in findings)
    assert {f.message for f in findings} == {
        "department '{department}' is already in plan '{plan}' from {start} to {end}; "
        "periods overlap ({first}–{last})"
    }
