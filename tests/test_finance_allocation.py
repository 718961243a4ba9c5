"""Exact splitting in øre: largest remainder, whole percent, display rounding (properties)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boligmonitor.finance.allocation import (
    format_thousand,
    largest_remainder,
    round_for_display,
    round_table_for_display,
    thousand_to_ore,
    whole_percent,
)
from boligmonitor.finance.financing import cofinancing_split
from boligmonitor.finance.model import Financing

MIMERS_LEASES = {"VIBO": 509, "AAB": 232, "3B": 54}

totals = st.integers(min_value=0, max_value=10**12)
names = st.text(alphabet="ABCDEFGHIJ0123456789 ", min_size=1, max_size=6)
lease_maps = st.dictionaries(
    names, st.integers(min_value=1, max_value=5000), min_size=1, max_size=8
)


def test_seed_housing_side_in_ore() -> None:
    # 500 thousand kr. = 50 000 000 øre split 509/232/54 of 795: quotas 32 012 578.62,
    # 14 591 194.97 and 3 396 226.42; the two øre left go to the largest remainders.
    assert largest_remainder(50_000_000, MIMERS_LEASES) == {
        "VIBO": 32_012_579,
        "AAB": 14_591_195,
        "3B": 3_396_226,
    }


def test_seed_whole_percent_convention() -> None:
    assert largest_remainder(100, MIMERS_LEASES) == {"VIBO": 64, "AAB": 29, "3B": 7}
    assert whole_percent(50_000_000, MIMERS_LEASES) == {
        "VIBO": 32_000_000,
        "AAB": 14_500_000,
        "3B": 3_500_000,
    }


def test_display_rounding_keeps_the_total() -> None:
    # Rounded one by one, 320.126 + 145.912 + 33.962 would show 320 + 146 + 34 = 500 anyway,
    # but 0.6 + 0.6 + 0.8 (= 2) one by one shows 1 + 1 + 1 = 3.
    assert round_for_display({"a": 60, "b": 60, "c": 80}, 100) == {"a": 1, "b": 0, "c": 1}
    assert round_for_display({"VIBO": 32_012_579, "AAB": 14_591_195, "3B": 3_396_226}, 100_000) == {
        "VIBO": 320,
        "AAB": 146,
        "3B": 34,
    }


def test_ties_go_to_the_smaller_key_whatever_the_order() -> None:
    assert largest_remainder(1, {"b": 1, "a": 1}) == {"a": 1, "b": 0}
    assert largest_remainder(1, {"a": 1, "b": 1}) == {"a": 1, "b": 0}


def test_bad_splits_are_refused() -> None:
    with pytest.raises(ValueError, match="negative amount"):
        largest_remainder(-1, {"a": 1})
    with pytest.raises(ValueError, match="every weight is zero"):
        largest_remainder(5, {"a": 0})
    with pytest.raises(ValueError, match="not be negative"):
        largest_remainder(5, {"a": -1, "b": 2})
    assert largest_remainder(0, {"a": 0, "b": 0}) == {"a": 0, "b": 0}


def test_thousand_kroner_and_ore() -> None:
    assert thousand_to_ore(Decimal("2957")) == 295_700_000
    assert thousand_to_ore(Decimal("0.00001")) == 1
    with pytest.raises(ValueError, match="whole number of øre"):
        thousand_to_ore(Decimal("0.000001"))
    assert format_thousand(32_012_579, 5) == "320.12579"
    assert format_thousand(320, 0) == "320"
    assert format_thousand(3201, 1) == "320.1"


@settings(max_examples=100, deadline=None)
@given(total=totals, weights=lease_maps)
def test_largest_remainder_sums_exactly_and_stays_within_one_of_quota(
    total: int, weights: dict[str, int]
) -> None:
    parts = largest_remainder(total, weights)
    assert sum(parts.values()) == total
    weight_sum = sum(weights.values())
    for key, part in parts.items():
        quota = Fraction(total * weights[key], weight_sum)
        assert part >= 0
        assert quota - 1 < part < quota + 1


@settings(max_examples=100, deadline=None)
@given(total=totals, weights=lease_maps, data=st.data())
def test_largest_remainder_does_not_depend_on_order(
    total: int, weights: dict[str, int], data: st.DataObject
) -> None:
    keys = data.draw(st.permutations(list(weights)))
    reordered = {key: weights[key] for key in keys}
    assert largest_remainder(total, reordered) == largest_remainder(total, weights)


@settings(max_examples=100, deadline=None)
@given(total=totals, leases=st.integers(1, 5000), n=st.integers(2, 8), other=lease_maps)
def test_equal_leases_give_amounts_at_most_one_ore_apart(
    total: int, leases: int, n: int, other: dict[str, int]
) -> None:
    weights = {
        **{f"x{i}": v for i, v in enumerate(other.values())},
        **{f"eq{i}": leases for i in range(n)},
    }
    parts = largest_remainder(total, weights)
    equal = [parts[f"eq{i}"] for i in range(n)]
    assert max(equal) - min(equal) <= 1


def test_whole_percent_cannot_keep_equal_leases_equal() -> None:
    # Three equal organisations get 34 %, 33 % and 33 %: the seed's convention gives equal
    # leases unequal amounts, which is why largest remainder is the default.
    assert whole_percent(300, {"a": 1, "b": 1, "c": 1}) == {"a": 102, "b": 99, "c": 99}


financing_shares = st.builds(
    Financing,
    lbf_share=st.decimals(min_value=0, max_value=Decimal("0.75"), places=3),
    municipality_share_of_local=st.decimals(min_value=0, max_value=1, places=3),
)


@settings(max_examples=100, deadline=None)
@given(
    total=totals,
    financing=financing_shares,
    leases=lease_maps,
    rounding=st.sampled_from(["largest-remainder", "whole-percent"]),
    data=st.data(),
)
def test_cofinancing_split_is_exact_non_negative_and_order_free(
    total: int, financing: Financing, leases: dict[str, int], rounding: str, data: st.DataObject
) -> None:
    payers = cofinancing_split(total, financing, leases, rounding)  # type: ignore[arg-type]
    assert sum(p.amount for p in payers) == total
    assert all(p.amount >= 0 for p in payers)
    lbf = payers[0].amount
    assert abs(Fraction(lbf) - total * Fraction(financing.lbf_share)) < 1
    keys = data.draw(st.permutations(list(leases)))
    again = cofinancing_split(total, financing, {k: leases[k] for k in keys}, rounding)  # type: ignore[arg-type]
    assert {p.payer: p.amount for p in again} == {p.payer: p.amount for p in payers}


@settings(max_examples=100, deadline=None)
@given(
    amounts=st.dictionaries(names, st.integers(0, 10**10), min_size=1, max_size=8),
    unit=st.sampled_from([1, 10, 1_000, 100_000]),
)
def test_shown_figures_add_up_to_the_shown_total(amounts: dict[str, int], unit: int) -> None:
    shown = round_for_display(amounts, unit)
    total = Fraction(sum(amounts.values()), unit)
    assert sum(shown.values()) == int(total + Fraction(1, 2))
    for key, value in shown.items():
        assert Fraction(amounts[key], unit) - 1 < value < Fraction(amounts[key], unit) + 1


@settings(max_examples=100, deadline=None)
@given(
    table=st.dictionaries(
        names,
        st.fixed_dictionaries({str(y): st.integers(0, 10**9) for y in range(2022, 2026)}),
        min_size=1,
        max_size=6,
    ),
    unit=st.sampled_from([100, 100_000]),
)
def test_shown_table_rows_add_up_and_cells_stay_within_one_unit(
    table: dict[str, dict[str, int]], unit: int
) -> None:
    rows = round_for_display({r: sum(cells.values()) for r, cells in table.items()}, unit)
    shown = round_table_for_display(table, rows, unit)
    for row, cells in shown.items():
        assert sum(cells.values()) == rows[row]
        for column, value in cells.items():
            exact = Fraction(table[row][column], unit)
            assert exact - 1 < value < exact + 1
            assert value >= 0
    grand = sum(sum(cells.values()) for cells in shown.values())
    assert grand == round(
        Fraction(sum(sum(c.values()) for c in table.values()), unit) + Fraction(1, 10**9)
    )
