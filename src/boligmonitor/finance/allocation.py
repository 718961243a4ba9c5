"""Splitting money exactly: the largest-remainder rule in øre.

Every split of an amount returns integers (øre, or display units) that add up exactly to the
amount: each part first gets the whole part of its exact quota, and the units left over go to
the parts with the largest remainders (Hamilton's method). Ties are broken by the part's key,
never by its position, so the result does not depend on the order the parts are given in, and
parts with equal weights end up at most one unit apart.

References: Balinski & Young, *Fair Representation* (2nd ed., 2001), ch. 2 (Hamilton's method);
the whole-percent convention is the one of seed ``000_c5cb5aa8f1cc18d8`` (509/795 lejemål =
64 %).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from math import floor

__all__ = [
    "ORE_PER_THOUSAND",
    "display_unit",
    "format_thousand",
    "largest_remainder",
    "ore_to_thousand",
    "round_for_display",
    "round_table_for_display",
    "thousand_to_ore",
    "whole_percent",
]

#: One thousand kroner in øre.
ORE_PER_THOUSAND = 100_000

Weight = int | Decimal | Fraction


def _distribute(quotas: Mapping[str, Fraction], target: int) -> dict[str, int]:
    """Floors of the quotas plus one unit to each of the largest remainders until ``target``."""
    parts = {key: floor(quota) for key, quota in quotas.items()}
    left = target - sum(parts.values())
    if left < 0 or left > len(parts):
        raise ValueError(
            f"cannot distribute {target} over quotas summing to {sum(quotas.values())}"
        )
    by_remainder = sorted(quotas, key=lambda key: (-(quotas[key] - parts[key]), key))
    for key in by_remainder[:left]:
        parts[key] += 1
    return parts


def largest_remainder(total: int, weights: Mapping[str, Weight]) -> dict[str, int]:
    """Split a whole number of units in proportion to weights, exactly.

    Parameters
    ----------
    total
        Units to split (e.g. øre); not negative.
    weights
        A weight per part (e.g. leases); not negative, not all zero unless ``total`` is 0.

    Returns
    -------
    dict
        Units per part, summing to ``total``; ties go to the smaller key.

    Examples
    --------
    >>> largest_remainder(100, {"VIBO": 509, "AAB": 232, "3B": 54})
    {'VIBO': 64, 'AAB': 29, '3B': 7}
    """
    if total < 0:
        raise ValueError(f"cannot split a negative amount ({total})")
    exact = {key: Fraction(weight) for key, weight in weights.items()}
    if any(weight < 0 for weight in exact.values()):
        raise ValueError("weights must not be negative")
    weight_sum = sum(exact.values(), Fraction(0))
    if weight_sum == 0:
        if total == 0:
            return dict.fromkeys(exact, 0)
        raise ValueError("cannot split an amount when every weight is zero")
    return _distribute({key: total * w / weight_sum for key, w in exact.items()}, total)


def whole_percent(total: int, weights: Mapping[str, Weight]) -> dict[str, int]:
    """Split like the seed: shares rounded to whole percent first, then the amount.

    The percentages are themselves a largest-remainder split of 100, so they add up to 100 %,
    and the amounts a largest-remainder split of ``total`` by those percentages.

    Examples
    --------
    >>> whole_percent(50_000_000, {"VIBO": 509, "AAB": 232, "3B": 54})
    {'VIBO': 32000000, 'AAB': 14500000, '3B': 3500000}
    """
    return largest_remainder(total, largest_remainder(100, weights))


def _round_half_up(value: Fraction) -> int:
    return floor(value + Fraction(1, 2))


def round_for_display(amounts: Mapping[str, int], unit: int) -> dict[str, int]:
    """Show exact amounts in coarser units so the shown parts add up to the shown total.

    The shown total is the exact total rounded (half up) to whole units; it is then split by the
    largest-remainder rule over the parts' exact quotas, so a reader adding the shown figures
    gets the shown total.

    Parameters
    ----------
    amounts
        Exact amounts (e.g. øre), not negative.
    unit
        How many of the exact units one shown unit is (e.g. 100 000 øre = 1 thousand kr.).

    Examples
    --------
    >>> round_for_display({"VIBO": 32_012_579, "AAB": 14_591_195, "3B": 3_396_226}, 100_000)
    {'VIBO': 320, 'AAB': 146, '3B': 34}
    """
    if unit <= 0:
        raise ValueError("unit must be positive")
    quotas = {key: Fraction(amount, unit) for key, amount in amounts.items()}
    shown_total = _round_half_up(sum(quotas.values(), Fraction(0)))
    return _distribute(quotas, shown_total)


def round_table_for_display(
    table: Mapping[str, Mapping[str, int]], row_totals: Mapping[str, int], unit: int
) -> dict[str, dict[str, int]]:
    """Show a table of exact amounts in coarser units, keeping the shown row totals.

    Every cell is its exact value rounded down or up to whole units, and each row adds up to
    its given shown total (e.g. from :func:`round_for_display`). The units to round up go to
    the cells with the largest remainders first, as long as their column stays within its own
    shown total (the column sums rounded by :func:`round_for_display`); only when no such cell
    is left may a column get more. Rows always add up; columns do too, to their shown totals,
    in all but degenerate tables (controlled rounding, Cox & Ernst 1982).

    Examples
    --------
    >>> round_table_for_display(
    ...     {"a": {"x": 60, "y": 60}, "b": {"x": 60, "y": 20}}, {"a": 1, "b": 1}, 100
    ... )
    {'a': {'x': 1, 'y': 0}, 'b': {'x': 0, 'y': 1}}
    """
    quotas = {r: {c: Fraction(v, unit) for c, v in cells.items()} for r, cells in table.items()}
    shown = {r: {c: floor(q) for c, q in cells.items()} for r, cells in quotas.items()}
    need = {r: row_totals[r] - sum(shown[r].values()) for r in quotas}
    column_sums: dict[str, int] = {}
    for cells in table.values():
        for column, value in cells.items():
            column_sums[column] = column_sums.get(column, 0) + value
    room = round_for_display(column_sums, unit)
    for cells in shown.values():
        for column, value in cells.items():
            room[column] -= value
    candidates = sorted(
        ((q - shown[r][c], r, c) for r, cells in quotas.items() for c, q in cells.items() if q),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    for overflow in (False, True):
        for remainder, r, c in candidates:
            raised = shown[r][c] > floor(quotas[r][c])
            if (
                need[r] > 0
                and not raised
                and (remainder > 0 or overflow)
                and (overflow or room[c] > 0)
            ):
                shown[r][c] += 1
                need[r] -= 1
                room[c] -= 1
    if any(need.values()):
        raise ValueError("row totals are not roundings of the rows")
    return shown


def thousand_to_ore(amount: Decimal) -> int:
    """Thousand kr. (at most five decimals) as whole øre."""
    ore = amount * ORE_PER_THOUSAND
    if ore != ore.to_integral_value():
        raise ValueError(f"{amount} thousand kr. is not a whole number of øre")
    return int(ore)


def ore_to_thousand(ore: int) -> Decimal:
    """Whole øre as thousand kr. (exact, five decimals)."""
    return Decimal(ore).scaleb(-5)


def display_unit(decimals: int) -> int:
    """Øre per shown unit when thousand kr. are shown with ``decimals`` decimals (0–5)."""
    if not 0 <= decimals <= 5:
        raise ValueError("decimals must be between 0 and 5")
    return (100_000, 10_000, 1_000, 100, 10, 1)[decimals]


def format_thousand(units: int, decimals: int) -> str:
    """Shown units (see :func:`display_unit`) as a thousand-kr. decimal string: ``"320"``.

    Examples
    --------
    >>> format_thousand(32_012_579, 5)
    '320.12579'
    """
    value = Decimal(units).scaleb(-decimals)
    return str(value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
