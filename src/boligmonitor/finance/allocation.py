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
    "controlled_rounding",
    "display_unit",
    "format_thousand",
    "largest_remainder",
    "ore_to_thousand",
    "round_for_display",
    "round_table_for_display",
    "split_table",
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
    its given shown total (e.g. from :func:`round_for_display`). The columns add up to their
    own shown totals (the column sums rounded by :func:`round_for_display`) whenever any such
    table exists (controlled rounding, Cox & Ernst 1982; see :func:`controlled_rounding`).
    Only when the rows' and columns' roundings are incompatible (e.g. a row rounded up whose
    only column is rounded down) does a column get a unit more than its rounded total.

    Examples
    --------
    >>> round_table_for_display(
    ...     {"a": {"x": 60, "y": 60}, "b": {"x": 60, "y": 20}}, {"a": 1, "b": 1}, 100
    ... )
    {'a': {'x': 1, 'y': 0}, 'b': {'x': 0, 'y': 1}}
    """
    if unit <= 0:
        raise ValueError("unit must be positive")
    quotas = {r: {c: Fraction(v, unit) for c, v in cells.items()} for r, cells in table.items()}
    column_sums: dict[str, int] = {}
    for cells in table.values():
        for column, value in cells.items():
            column_sums[column] = column_sums.get(column, 0) + value
    columns = round_for_display(column_sums, unit)
    return controlled_rounding(quotas, row_totals, columns, strict=False)


def split_table(
    row_totals: Mapping[str, int], column_totals: Mapping[str, int]
) -> dict[str, dict[str, int]]:
    """Split every row total over the columns in proportion to the column totals, exactly.

    The cell of row *i* and column *j* is ``row_i × column_j / total`` rounded down or up, and
    every row adds up to its row total and every column to its column total (e.g. each payer's
    amount phased over the years so that the years add up to the budget by year).

    Parameters
    ----------
    row_totals, column_totals
        Whole units (øre), not negative, with the same sum.

    Examples
    --------
    >>> split_table({"a": 5, "b": 5}, {"x": 3, "y": 7})
    {'a': {'x': 2, 'y': 3}, 'b': {'x': 1, 'y': 4}}
    """
    total = sum(row_totals.values())
    if total != sum(column_totals.values()):
        raise ValueError("row and column totals must have the same sum")
    if any(v < 0 for v in (*row_totals.values(), *column_totals.values())):
        raise ValueError("totals must not be negative")
    quotas = {
        r: {c: Fraction(rt * ct, total or 1) for c, ct in column_totals.items()}
        for r, rt in row_totals.items()
    }
    return controlled_rounding(quotas, row_totals, column_totals)


def controlled_rounding(
    quotas: Mapping[str, Mapping[str, Fraction]],
    row_totals: Mapping[str, int],
    column_totals: Mapping[str, int],
    strict: bool = True,
) -> dict[str, dict[str, int]]:
    """Round a table of exact quotas to whole units with given row and column totals.

    Every cell is its quota rounded down or up (a whole quota stays as it is). The units to
    round up go to the largest remainders first while their column has room; when that greedy
    rule gets stuck, augmenting paths (Ford & Fulkerson) move units between cells until every
    row and column adds up. Such a table exists whenever the quotas themselves add up to the
    totals (the transportation polytope has integral vertices), so the result is exact; ties
    are broken by the keys, never by the order given.

    Parameters
    ----------
    quotas
        Exact, non-negative cell values by row and column.
    row_totals, column_totals
        The whole-unit totals the rows and columns must add up to.
    strict
        When ``True`` and no such table exists, raise ``ValueError``. When ``False`` (for
        display, where rows and columns were rounded on their own), a column rounded down may
        then take the unit it would have had rounded up, and only if that is not enough may a
        column exceed its total; rows always add up.

    References
    ----------
    Cox, L. H. & Ernst, L. R. (1982), "Controlled rounding", *INFOR* 20(4), 423-432.
    """
    shown = {r: {c: floor(q) for c, q in cells.items()} for r, cells in quotas.items()}
    need = {r: row_totals[r] - sum(shown[r].values()) for r in quotas}
    room = dict(column_totals)
    for cells in shown.values():
        for column, value in cells.items():
            room[column] = room.get(column, 0) - value
    for r, c in _by_remainder(quotas):
        if need[r] > 0 and room[c] > 0:
            _raise(shown, need, room, r, c)
    _complete(quotas, shown, need, room)
    if any(n > 0 for n in need.values()):
        if strict:
            raise ValueError("no table with these row and column totals")
        for column, exact in _column_sums(quotas).items():
            if column_totals[column] < exact:  # rounded down: may be shown rounded up
                room[column] += 1
        _complete(quotas, shown, need, room)
        _overflow(quotas, shown, need, room)
    if any(need.values()):
        raise ValueError("row totals are not roundings of the rows")
    return shown


def _complete(
    quotas: Mapping[str, Mapping[str, Fraction]],
    shown: dict[str, dict[str, int]],
    need: dict[str, int],
    room: dict[str, int],
) -> None:
    while any(n > 0 for n in need.values()) and _augment(quotas, shown, need, room):
        pass


def _column_sums(quotas: Mapping[str, Mapping[str, Fraction]]) -> dict[str, Fraction]:
    sums: dict[str, Fraction] = {}
    for cells in quotas.values():
        for column, q in cells.items():
            sums[column] = sums.get(column, Fraction(0)) + q
    return sums


def _raise(
    shown: dict[str, dict[str, int]],
    need: dict[str, int],
    room: dict[str, int],
    row: str,
    column: str,
) -> None:
    shown[row][column] += 1
    need[row] -= 1
    room[column] -= 1


def _augment(
    quotas: Mapping[str, Mapping[str, Fraction]],
    shown: dict[str, dict[str, int]],
    need: dict[str, int],
    room: dict[str, int],
) -> bool:
    """Raise one more cell along a shortest alternating path; ``False`` when there is none.

    From a row that still needs a unit, a step to a column raises one of its cells that is
    still at its floor; from a full column, a step on to another row lowers that row's raised
    cell there, which the row then makes up for further along the path. Rows and columns on
    the path keep their sums; the first row gets its unit and the last column gives one.
    """
    frontier = sorted(r for r, n in need.items() if n > 0)
    raised_from: dict[str, str] = {}  # column -> the row whose cell there is raised
    lowered_at: dict[str, str] = dict.fromkeys(frontier, "")  # row -> column it gives up
    while frontier:
        next_rows: list[str] = []
        for row in frontier:
            for column in sorted(quotas[row]):
                if column in raised_from or not _can_raise(quotas, shown, row, column):
                    continue
                raised_from[column] = row
                if room[column] > 0:
                    _apply_path(raised_from, lowered_at, shown, need, room, column)
                    return True
                for other in sorted(quotas):
                    if other not in lowered_at and _can_lower(quotas, shown, other, column):
                        lowered_at[other] = column
                        next_rows.append(other)
        frontier = next_rows
    return False


def _can_raise(
    quotas: Mapping[str, Mapping[str, Fraction]], shown: dict[str, dict[str, int]], r: str, c: str
) -> bool:
    q = quotas[r][c]
    return shown[r][c] == floor(q) < q


def _can_lower(
    quotas: Mapping[str, Mapping[str, Fraction]], shown: dict[str, dict[str, int]], r: str, c: str
) -> bool:
    q = quotas[r].get(c)
    return q is not None and shown[r][c] > floor(q)


def _apply_path(
    raised_from: Mapping[str, str],
    lowered_at: Mapping[str, str],
    shown: dict[str, dict[str, int]],
    need: dict[str, int],
    room: dict[str, int],
    column: str,
) -> None:
    room[column] -= 1
    while True:
        row = raised_from[column]
        shown[row][column] += 1
        column = lowered_at[row]
        if not column:
            need[row] -= 1
            return
        shown[row][column] -= 1


def _by_remainder(quotas: Mapping[str, Mapping[str, Fraction]]) -> list[tuple[str, str]]:
    """The cells with a fractional quota, largest remainder first, ties by row and column."""
    cells = [(q - floor(q), r, c) for r, row in quotas.items() for c, q in row.items()]
    return [(r, c) for rem, r, c in sorted(cells, key=lambda x: (-x[0], x[1], x[2])) if rem]


def _overflow(
    quotas: Mapping[str, Mapping[str, Fraction]],
    shown: dict[str, dict[str, int]],
    need: dict[str, int],
    room: dict[str, int],
) -> None:
    """Give rows their missing units beyond their columns' totals (largest remainders first).

    Only for tables whose row and column roundings are incompatible; cells stay within one
    unit of their quotas.
    """
    for r, c in _by_remainder(quotas):
        if need[r] > 0 and shown[r][c] == floor(quotas[r][c]):
            _raise(shown, need, room, r, c)


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
