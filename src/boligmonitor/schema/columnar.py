"""Typing a whole column of text cells at once, with the per-cell rule as the judge.

:func:`~boligmonitor.schema.columns.validate_table` reads every cell of a column by one rule
(:func:`typed_cell`). Applied cell by cell in Python that rule costs most of the time of reading a
large table, so :func:`typed_column` first screens the whole column with one pyarrow regular
expression: a cell that is a plain number (ASCII digits, at most one decimal mark, no spaces,
signs, ``%`` or exponents the screen would have to interpret) within the column's bounds gets
its value from ``float`` directly, which is what the rule would give it. Every other cell — empty
or ``diskretioneret`` where a value is required, a bad number, a value out of range, any text —
is read by the rule itself, once per distinct text, so values and problems are the rule's own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from boligmonitor.schema.columns import CellProblem, Column, Kind, typed_cell

__all__ = ["PANDAS_DTYPES", "typed_column", "typed_column_by_cell"]

PANDAS_DTYPES = {
    Kind.TEXT: "string",
    Kind.INTEGER: "Int64",
    Kind.NUMBER: "Float64",
    Kind.BOOLEAN: "boolean",
}

#: A number the screen may read with ``float`` alone (``+5``, ``69.6``, ``69,6``, ``.5``).
_PLAIN_NUMBER = "^[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)$"
#: A whole number the screen may read (at most 15 digits: exact in a float, far below 2**53);
#: ``1.234`` is Danish thousands in a whole-number column, so it is left to the rule.
_PLAIN_WHOLE = "^[+-]?[0-9]{1,15}$"

#: The typed cells of one column and the problems found, each with its 0-based position.
TypedColumn = tuple[pd.Series, list[tuple[int, CellProblem]]]


def typed_column(column: Column, cells: Sequence[object]) -> TypedColumn:
    """Type the cells of one column; same values and problems as :func:`typed_column_by_cell`.

    Parameters
    ----------
    column
        The column's specification.
    cells
        The cells as read: ``str`` or missing (``None``, NaN).

    Returns
    -------
    tuple
        The typed series (dtype of :data:`PANDAS_DTYPES`) and the problems, in row order.
    """
    values = np.asarray(cells, dtype=object)
    text = _as_arrow_text(values)
    if text is None:
        return typed_column_by_cell(column, cells)
    missing = np.asarray(pc.is_null(text))
    plain = np.zeros(len(values), dtype=bool)
    numbers = np.full(len(values), np.nan)
    if column.kind in (Kind.NUMBER, Kind.INTEGER):
        plain, numbers = _plain_numbers(column, text, values)
    by_rule = ~plain & ~(missing & column.nullable)
    return _assemble(column, values, plain, numbers, by_rule)


def typed_column_by_cell(column: Column, cells: Sequence[object]) -> TypedColumn:
    """Type the cells of one column one by one with :func:`typed_cell` (the reference)."""
    typed: list[object] = []
    problems: list[tuple[int, CellProblem]] = []
    for index, cell in enumerate(cells):
        value, problem = typed_cell(column, cell)
        if problem:
            problems.append((index, problem))
        typed.append(value)
    return pd.Series(typed, dtype=PANDAS_DTYPES[column.kind]), problems


def _as_arrow_text(values: npt.NDArray[np.object_]) -> pa.Array | None:
    """The cells as an Arrow string array; ``None`` when a cell is neither text nor missing."""
    if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
        return None
    if not all(v is None or v is pd.NA or isinstance(v, float) for v in values[pd.isna(values)]):
        return None
    try:
        return pa.array(values, type=pa.large_string(), from_pandas=True)
    except (pa.ArrowException, UnicodeError):  # text UTF-8 cannot hold (lone surrogates)
        return None


def _plain_numbers(
    column: Column, text: pa.Array, values: npt.NDArray[np.object_]
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.float64]]:
    """Which cells are plain numbers within the bounds, and their values (NaN elsewhere)."""
    whole = column.kind is Kind.INTEGER
    screen = pc.match_substring_regex(text, _PLAIN_WHOLE if whole else _PLAIN_NUMBER)
    plain = np.asarray(screen.fill_null(False), dtype=bool)
    numbers = np.full(len(values), np.nan)
    written = values[plain]
    if not whole and pc.any(pc.match_substring(text, ",")).as_py():
        written = np.asarray([t.replace(",", ".") for t in written], dtype=object)
    numbers[plain] = np.fromiter(map(float, written), dtype=np.float64, count=len(written))
    inside = np.isfinite(numbers)
    if column.minimum is not None:
        inside &= numbers >= column.minimum
    if column.maximum is not None:
        inside &= numbers <= column.maximum
    return plain & inside, numbers


def _assemble(
    column: Column,
    values: npt.NDArray[np.object_],
    plain: npt.NDArray[np.bool_],
    numbers: npt.NDArray[np.float64],
    by_rule: npt.NDArray[np.bool_],
) -> TypedColumn:
    """The typed series: plain numbers as screened, the cells ``by_rule`` by the rule."""
    known = plain.copy()
    typed: list[object] = [None] * len(values)
    problems: list[tuple[int, CellProblem]] = []
    read = _memoised(column)
    for index in np.flatnonzero(by_rule).tolist():
        value, problem = read(values[index])
        if problem:
            problems.append((index, problem))
        if value is not None:
            typed[index] = value
            known[index] = True
            if column.kind in (Kind.NUMBER, Kind.INTEGER):
                numbers[index] = float(value)  # type: ignore[arg-type]
    if column.kind is Kind.NUMBER:
        return pd.Series(pd.arrays.FloatingArray(numbers, ~known)), problems
    if column.kind is Kind.INTEGER:
        whole = np.where(known, numbers, 0).astype(np.int64)
        return pd.Series(pd.arrays.IntegerArray(whole, ~known)), problems
    return pd.Series(typed, dtype=PANDAS_DTYPES[column.kind]), problems


def _memoised(column: Column) -> Callable[[object], tuple[object, CellProblem | None]]:
    """:func:`typed_cell` for one column, remembering each distinct text's result."""
    seen: dict[str, tuple[object, CellProblem | None]] = {}

    def read(cell: object) -> tuple[object, CellProblem | None]:
        if type(cell) is not str:
            return typed_cell(column, cell)
        if cell not in seen:
            seen[cell] = typed_cell(column, cell)
        return seen[cell]

    return read
