"""Yearly phasing: the payer × year table adds up to the payers and to the budget by year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boligmonitor.finance.allocation import (
    display_unit,
    largest_remainder,
    round_for_display,
    split_table,
)
from boligmonitor.finance.catalogue import shipped_catalogue
from boligmonitor.finance.financing import PlanFinance, budget_by_year, plan_finance
from boligmonitor.finance.model import (
    BudgetLine,
    Department,
    Financing,
    Member,
    Organisation,
    Plan,
    PlanCatalogue,
)

PLAN = "mimerskvarter-2022"


def _month_start(index: int) -> dt.date:
    """The first day of month ``index`` counted from January 2020 (0)."""
    return dt.date(2020 + index // 12, index % 12 + 1, 1)


def _month_end(index: int) -> dt.date:
    return _month_start(index + 1) - dt.timedelta(days=1)


def _catalogue(
    first: int,
    months: int,
    lines: list[tuple[int, int | None, int | None]],
    leases: list[int],
    lbf: Decimal,
    municipality: Decimal,
) -> PlanCatalogue:
    """A plan from month ``first`` for ``months`` months; lines are (øre, first, months)."""
    organisations = [Organisation(id=f"O{i}", name=f"O{i}") for i in range(len(leases))]
    departments = [
        Department(id=f"D{i}", name=f"D{i}", organisation=f"O{i}", leases=n)
        for i, n in enumerate(leases)
    ]
    budget = [
        BudgetLine(
            label=f"Linje {i}",
            amount=Decimal(ore).scaleb(-5),
            start=None if start is None else _month_start(start),
            end=None if start is None or length is None else _month_end(start + length - 1),
        )
        for i, (ore, start, length) in enumerate(lines)
    ]
    plan = Plan(
        id="p",
        name="P",
        start=_month_start(first),
        end=_month_end(first + months - 1),
        departments=[Member(department=d.id) for d in departments],
        budget=budget,
        financing=Financing(lbf_share=lbf, municipality_share_of_local=municipality),
    )
    return PlanCatalogue(organisations=organisations, departments=departments, plans=[plan])


def _assert_table_adds_up(finance: PlanFinance) -> None:
    """Every payer's years add up to its amount, every year's payers to the budget by year."""
    years = budget_by_year(finance.plan)
    assert sum(years.values()) == finance.total
    for payer in finance.payers:
        assert sum(finance.by_year[payer.payer].values()) == payer.amount
    for year, amount in years.items():
        assert sum(cells[year] for cells in finance.by_year.values()) == amount
    for payer in finance.payers:
        for year, amount in years.items():
            exact = Fraction(payer.amount * amount, finance.total or 1)
            assert exact - 1 < finance.by_year[payer.payer][year] < exact + 1


def test_mimerskvarter_years_add_up_to_the_budget_by_year_in_ore() -> None:
    finance = plan_finance(shipped_catalogue(), PLAN)
    # 400 000 000 øre × 10/34, 12/34, 12/34 = 117 647 058.82, 141 176 470.59 twice: the two øre
    # left go to 2022 (.82) and, of the tie, to 2023. Before, the payers' 2022 column summed to
    # 117 647 058 while the budget for 2022 was 117 647 059.
    assert budget_by_year(finance.plan) == {
        2022: 117_647_059,
        2023: 141_176_471,
        2024: 141_176_470,
    }
    _assert_table_adds_up(finance)
    # Landsbyggefonden: 300 000 000 × the years / 400 000 000 = 88 235 294.25,
    # 105 882 353.25, 105 882 352.5; the øre left goes to the largest remainder, 2024.
    assert finance.by_year["Landsbyggefonden"] == {
        2022: 88_235_294,
        2023: 105_882_353,
        2024: 105_882_353,
    }
    # The municipality: 50 000 000 / 8 per year share = 14 705 882.375, 17 647 058.875, .75.
    assert finance.by_year["Københavns Kommune"] == {
        2022: 14_705_882,
        2023: 17_647_059,
        2024: 17_647_059,
    }


def test_two_twelve_month_years_differ_by_at_most_one_ore() -> None:
    # Prorating each of the nine lines on its own gave 141 176 473 and 141 176 468 øre.
    years = budget_by_year(shipped_catalogue().plan(PLAN))  # type: ignore[arg-type]
    assert abs(years[2023] - years[2024]) <= 1


def test_budget_is_phased_jointly_not_line_by_line() -> None:
    # Three lines of 1 øre over 10 + 12 + 12 months: line by line each øre goes to 2023 (3, 0,
    # 0); jointly the quotas are 0.88, 1.06, 1.06, so each year gets one øre.
    catalogue = _catalogue(26, 34, [(1, None, None)] * 3, [10], Decimal("0.75"), Decimal("0.5"))
    assert budget_by_year(catalogue.plans[0]) == {2022: 1, 2023: 1, 2024: 1}


def test_lines_with_their_own_periods() -> None:
    # 1 200 thousand kr. over 2022-2023 (600 / 600) and 300 for 2023 alone: 600 / 900.
    lines = [(120_000_000, None, None), (30_000_000, 36, 12)]
    catalogue = _catalogue(24, 24, lines, [3, 1], Decimal("0.75"), Decimal("0.5"))
    assert budget_by_year(catalogue.plans[0]) == {2022: 60_000_000, 2023: 90_000_000}
    finance = plan_finance(catalogue, "p")
    _assert_table_adds_up(finance)
    assert finance.by_year["Landsbyggefonden"] == {2022: 45_000_000, 2023: 67_500_000}


def test_split_table_keeps_both_margins() -> None:
    assert split_table({"a": 5, "b": 5}, {"x": 3, "y": 7}) == {
        "a": {"x": 2, "y": 3},
        "b": {"x": 1, "y": 4},
    }
    assert split_table({"a": 0}, {"x": 0, "y": 0}) == {"a": {"x": 0, "y": 0}}
    with pytest.raises(ValueError, match="same sum"):
        split_table({"a": 5}, {"x": 4})


@settings(max_examples=200, deadline=None)
@given(
    rows=st.dictionaries(
        st.text("ABCDEFG", min_size=1, max_size=3), st.integers(0, 10**9), min_size=1
    ),
    months=st.lists(st.integers(1, 12), min_size=1, max_size=6),
    data=st.data(),
)
def test_split_table_property(rows: dict[str, int], months: list[int], data: st.DataObject) -> None:
    total = sum(rows.values())
    columns = largest_remainder(total, {str(2020 + i): n for i, n in enumerate(months)})
    table = split_table(rows, columns)
    for row, amount in rows.items():
        assert sum(table[row].values()) == amount
    for column, amount in columns.items():
        assert sum(table[row][column] for row in rows) == amount
    assert all(value >= 0 for cells in table.values() for value in cells.values())
    order = data.draw(st.permutations(list(rows)))
    assert split_table({r: rows[r] for r in order}, columns) == table


line = st.tuples(
    st.integers(0, 10**10),
    st.one_of(st.none(), st.tuples(st.integers(0, 47), st.integers(1, 48))),
)


@settings(max_examples=150, deadline=None)
@given(
    first=st.integers(0, 60),
    months=st.integers(1, 48),
    raw_lines=st.lists(line, min_size=1, max_size=4),
    leases=st.lists(st.integers(1, 1000), min_size=1, max_size=4),
    lbf=st.integers(0, 100),
    municipality=st.integers(0, 100),
    rounding=st.sampled_from(["largest-remainder", "whole-percent"]),
    decimals=st.integers(0, 3),
)
def test_phasing_always_adds_up_in_ore_and_as_shown(
    first: int,
    months: int,
    raw_lines: list[tuple[int, tuple[int, int] | None]],
    leases: list[int],
    lbf: int,
    municipality: int,
    rounding: str,
    decimals: int,
) -> None:
    lines: list[tuple[int, int | None, int | None]] = []
    for ore, period in raw_lines:
        if period is None:
            lines.append((ore, None, None))
        else:
            offset = period[0] % months
            lines.append((ore, first + offset, 1 + (period[1] - 1) % (months - offset)))
    catalogue = _catalogue(
        first, months, lines, leases, Decimal(lbf) / 100, Decimal(municipality) / 100
    )
    finance = plan_finance(catalogue, "p", rounding, decimals)  # type: ignore[arg-type]
    _assert_table_adds_up(finance)
    # The budget by year is the total split by the lines' exact month quotas, jointly.
    quotas: dict[int, Fraction] = {}
    for ore, start, length in lines:
        span = (
            range(first, first + months) if start is None else range(start, start + (length or 0))
        )
        for month in span:
            year = 2020 + month // 12
            quotas[year] = quotas.get(year, Fraction(0)) + Fraction(ore, len(span))
    years = budget_by_year(finance.plan)
    assert set(years) == set(quotas)
    for year, quota in quotas.items():
        assert quota - 1 < years[year] < quota + 1
    # As shown: payers' years add up to the shown payer amounts, those to the shown total,
    # and each shown year total is its exact total rounded down or up.
    unit = display_unit(decimals)
    shown = finance.shown_by_year()
    payers = finance.shown_payers()
    assert payers == round_for_display({p.payer: p.amount for p in finance.payers}, unit)
    assert {p: sum(cells.values()) for p, cells in shown.items()} == payers
    grand = sum(payers.values())
    assert grand == int(Fraction(finance.total, unit) + Fraction(1, 2))
    for year, amount in years.items():
        column = sum(cells[year] for cells in shown.values())
        assert Fraction(amount, unit) - 1 < column < Fraction(amount, unit) + 1
    record = finance.as_record()
    by_year = cast(list[dict[str, Any]], record["by_year"])
    year_totals = [Decimal(y["total"]) for y in by_year]
    for year_record, total in zip(by_year, year_totals, strict=True):
        assert sum(Decimal(p["amount"]) for p in year_record["payers"]) == total
    shown_total = Decimal(cast(str, record["total"]))
    assert sum(year_totals) == shown_total
    payer_records = cast(list[dict[str, Any]], record["payers"])
    assert sum(Decimal(p["amount"]) for p in payer_records) == shown_total
    assert sum(finance.shown_shares().values()) == (1000 if finance.total else 0)
