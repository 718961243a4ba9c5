"""The shipped example plans reproduce the seeds' figures (seeds 000 and 001)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from boligmonitor import Workspace
from boligmonitor.errors import InputError
from boligmonitor.finance.budget_note import summarise_budget_note
from boligmonitor.finance.catalogue import catalogue_problems, shipped_catalogue
from boligmonitor.finance.changes import months_by_year
from boligmonitor.finance.financing import plan_finance
from boligmonitor.finance.frame import check_catalogue_frame
from boligmonitor.finance.model import FrameYear

PLAN = "mimerskvarter-2022"


def _amounts(record: dict[str, object], field: str = "amount") -> dict[str, str]:
    return {p["payer"]: p[field] for p in record["payers"]}  # type: ignore[attr-defined, index]


def test_mimerskvarter_budget_lines_sum_to_4000() -> None:
    plan = shipped_catalogue().plan(PLAN)
    assert plan is not None
    assert sum(line.amount for line in plan.budget) == Decimal(4000)
    assert len(plan.budget) == 9
    assert plan.budget[0].amount == Decimal(2957)
    assert (plan.start, plan.end) == (dt.date(2022, 3, 1), dt.date(2024, 12, 31))


def test_whole_percent_reproduces_the_seed() -> None:
    record = plan_finance(shipped_catalogue(), PLAN, "whole-percent").as_record()
    assert record["total"] == "4000"
    assert _amounts(record) == {
        "Landsbyggefonden": "3000",
        "Københavns Kommune": "500",
        "VIBO": "320",
        "AAB": "145",
        "3B": "35",
    }
    shares = {p["payer"]: p["group_share"] for p in record["payers"]}  # type: ignore[attr-defined]
    assert (shares["VIBO"], shares["AAB"], shares["3B"]) == ("0.64", "0.29", "0.07")
    assert _amounts(record, "amount_exact")["AAB"] == "145.00000"


def test_largest_remainder_is_exact_and_differs_from_the_seed() -> None:
    record = plan_finance(shipped_catalogue(), PLAN).as_record()
    assert _amounts(record) == {
        "Landsbyggefonden": "3000",
        "Københavns Kommune": "500",
        "VIBO": "320",
        "AAB": "146",
        "3B": "34",
    }
    assert _amounts(record, "amount_exact") == {
        "Landsbyggefonden": "3000.00000",
        "Københavns Kommune": "500.00000",
        "VIBO": "320.12579",
        "AAB": "145.91195",
        "3B": "33.96226",
    }
    assert record["valid"] is True and record["local_share"] == "0.25"


def test_coarser_display_still_adds_up() -> None:
    # Shown in whole thousands the housing side adds up to 500; shown with one decimal the
    # parts 320.1 + 145.9 + 34.0 are the exact ones rounded, and the total stays 4000.0.
    finance = plan_finance(shipped_catalogue(), PLAN, decimals=1)
    record = finance.as_record()
    assert _amounts(record)["VIBO"] == "320.1"
    assert _amounts(record)["3B"] == "34.0"
    assert record["total"] == "4000.0"
    assert sum(Decimal(a) for a in _amounts(record).values()) == Decimal("4000.0")


def test_phasing_by_months_10_12_12() -> None:
    finance = plan_finance(shipped_catalogue(), PLAN)
    record = finance.as_record()
    years = record["by_year"]
    assert [(y["year"], y["months"]) for y in years] == [(2022, 10), (2023, 12), (2024, 12)]  # type: ignore[index, union-attr]
    # 4000 × 10/34 = 1176.47, × 12/34 = 1411.76: shown 1176 / 1412 / 1412 = 4000.
    assert [y["total"] for y in years] == ["1176", "1412", "1412"]  # type: ignore[index, union-attr]
    for payer in finance.payers:
        assert sum(finance.by_year[payer.payer].values()) == payer.amount
    shown = finance.shown_by_year()
    assert {p: sum(cells.values()) for p, cells in shown.items()} == finance.shown_payers()
    assert sum(shown["Landsbyggefonden"].values()) == 3000
    assert shown["Landsbyggefonden"] == {2022: 882, 2023: 1059, 2024: 1059}


def test_budget_note_2026_totals_and_the_seeds_inconsistency() -> None:
    summary = summarise_budget_note(shipped_catalogue(), "tm021-2026")
    assert summary.years == [2026, 2027, 2028, 2029]
    thousand = 100_000
    assert summary.subtotal("anlæg") == {
        y: v * thousand for y, v in zip(summary.years, [2100, 2100, 2100, 1100], strict=True)
    }
    assert summary.subtotal("service") == {
        y: v * thousand for y, v in zip(summary.years, [182, 1654, 1654, 1654], strict=True)
    }
    assert sum(summary.subtotal("anlæg").values()) == 7400 * thousand
    assert sum(summary.subtotal("service").values()) == 5144 * thousand
    assert sum(summary.subtotal(None).values()) == 12544 * thousand
    found = {i.label: i for i in summary.inconsistencies}
    service = found["Serviceudgifter i alt"]
    assert service.repeats_overall
    assert service.printed_total == 12544 * thousand
    assert sum(service.computed.values()) == 5144 * thousand
    assert "5.144" in service.text("da") and "5,144" in service.text("en")
    # The printed year totals themselves are not the sums of the lines (3.734 for 3.754, and
    # 3.734 for 2.754 in 2029) and add up to 13.484, not the printed 12.544.
    overall = found["Udgifter i alt"]
    assert overall.computed[2027] == 3754 * thousand and overall.printed[2027] == 3734 * thousand
    assert sum(overall.printed.values()) == 13484 * thousand
    assert "Anlægsudgifter i alt" not in found


def test_budget_note_risk_margin_of_5_percent() -> None:
    summary = summarise_budget_note(shipped_catalogue(), "tm021-2026")
    margin = summary.risk_margins[0]
    # 7 400 includes 5 %: base 7 400 / 1.05 = 7 047.61905, margin 352.38095 thousand kr.
    assert sum(margin.values()) == 35_238_095
    assert summary.risk_margins[1] == {2026: 0, 2027: 0, 2028: 0, 2029: 0}


def test_lbf_frame_240_to_140() -> None:
    checks = {c.year: c for c in check_catalogue_frame(shipped_catalogue())}
    assert checks[2021].frame == 240_000 * 100_000
    assert checks[2022].frame == 140_000 * 100_000
    assert checks[2022].plans == {PLAN: 88_235_294}
    assert checks[2022].exceeded is False
    assert sum(checks[y].used for y in (2022, 2023, 2024)) == 3000 * 100_000


def test_months_of_a_merge_from_1_march() -> None:
    assert months_by_year(dt.date(2022, 3, 1), dt.date(2024, 12, 31)) == {
        2022: 10,
        2023: 12,
        2024: 12,
    }


def test_shipped_plans_are_available_without_loading() -> None:
    with Workspace.memory() as ws:
        ids = [p.id for p in ws.plans.all()]
        assert ids == [
            "os-fra-mimerskvarter",
            "norrebrobyggerne",
            PLAN,
            "norrebro-2026",
            "amager-2026",
        ]
        assert ws.plans.plan("norrebrobyggerne").last_day == dt.date(2025, 12, 31)
        assert ws.plans.finance(PLAN).shown_payers()["AAB"] == 146


@pytest.mark.parametrize("plan_id", ["norrebrobyggerne", "unknown-plan"])
def test_plans_without_budget_or_unknown_are_input_errors(plan_id: str) -> None:
    with pytest.raises(InputError, match=plan_id):
        plan_finance(shipped_catalogue(), plan_id)


def test_low_cofinancing_built_in_python_is_reported_invalid() -> None:
    base = shipped_catalogue()
    plans = [
        p.model_copy(
            update={"financing": p.financing.model_copy(update={"lbf_share": Decimal("0.8")})}
        )
        if p.id == PLAN
        else p
        for p in base.plans
    ]
    catalogue = base.model_copy(update={"plans": plans})
    assert [finding.loc for finding in catalogue_problems(catalogue)] == [
        ("plans", 2, "financing", "lbf_share")
    ]
    finance = plan_finance(catalogue, PLAN)
    assert finance.valid is False
    assert finance.as_record()["local_share"] == "0.2"
    assert finance.shown_payers()["Landsbyggefonden"] == 3200


def test_frame_exceeded_when_plans_take_more_than_the_frame() -> None:
    base = shipped_catalogue()
    small = [FrameYear(year=2023, amount_mio=Decimal("1"))]
    [check] = check_catalogue_frame(base.model_copy(update={"lbf_frame": small}))[1:2]
    assert check.year == 2023 and check.frame == 1000 * 100_000
    assert check.exceeded is True
    assert check.remaining == 1000 * 100_000 - check.used < 0
