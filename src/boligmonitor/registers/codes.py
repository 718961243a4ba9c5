"""Code translations computed once per distinct combination of codes, then gathered per row.

A translation that depends on a few code variables only (education from ``HFAUDD`` and
``HF_KILDE``, origin from ``IE_TYPE`` and ``OPR_LAND``, tenure from BOL's codes) is the same
for every row with the same codes. The scan returns the raw codes; each variable is
dictionary-encoded (one hash per row), the rows' combination of dictionary indices becomes
one integer, and the translation's own SQL (value, check flags, the codes an ``otherwise``
rule took) is evaluated by DuckDB over the table of combinations, which has the file's
variable names and types, so the semantics are exactly those of the per-row query. Each row
then takes its combination's results: an index gather per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from boligmonitor.registers.sql import ident

__all__ = ["CodeColumns", "Encoded", "encode", "gather"]

#: Largest range of an integer variable encoded by offset (no hash per row).
DENSE = 4096
#: Largest number of possible combinations evaluated as a full grid (else only those seen).
GRID = 1 << 20

_names = count()
_ORDER = "__combination"


@dataclass(frozen=True)
class CodeColumns:
    """Columns (name -> SQL over the file's variables) decided by ``variables`` alone."""

    variables: list[str]
    columns: dict[str, str]


@dataclass(frozen=True)
class Encoded:
    """A variable's rows as indices into its distinct values (null is a value too)."""

    indices: np.ndarray
    values: pa.Array


def encode(column: pa.ChunkedArray) -> Encoded:
    """Dictionary-encode one scanned variable (integers in a short range by their offset)."""
    array = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    if pa.types.is_integer(array.type) and len(array):
        dense = _dense(array)
        if dense is not None:
            return dense
    encoded = pc.dictionary_encode(array, null_encoding="encode")
    return Encoded(encoded.indices.to_numpy(zero_copy_only=False), encoded.dictionary)


def _dense(array: pa.Array) -> Encoded | None:
    """Integer codes as offsets from the smallest (null: one past the largest), if few."""
    bounds = pc.min_max(array).as_py()
    if bounds["min"] is None:
        return None
    low, high = int(bounds["min"]), int(bounds["max"])
    if high - low >= DENSE:
        return None
    filled = pc.fill_null(array, low) if array.null_count else array
    indices = (filled.to_numpy(zero_copy_only=False) - low).astype(np.int32)
    values = pa.array(range(low, high + 1), array.type)
    if array.null_count:
        indices[array.is_null().to_numpy(zero_copy_only=False)] = high - low + 1
        values = pa.concat_arrays([values, pa.nulls(1, array.type)])
    return Encoded(indices, values)


def _combined(encoded: Sequence[Encoded]) -> tuple[np.ndarray, list[int], int]:
    """Each row's combination as one integer, the variables' strides and the combinations."""
    sizes = [max(len(e.values), 1) for e in encoded]
    total = int(np.prod(sizes, dtype=np.int64))
    kind = np.dtype(np.int32 if total < 2**31 else np.int64)
    strides = [int(np.prod(sizes[i + 1 :], dtype=np.int64)) for i in range(len(sizes))]
    combined: np.ndarray = encoded[-1].indices.astype(kind, copy=len(encoded) > 1)
    for e, stride in zip(encoded[:-1], strides[:-1], strict=True):
        np.add(combined, np.multiply(e.indices, stride, dtype=kind), out=combined)
    return combined, strides, total


def gather(
    con: duckdb.DuckDBPyConnection,
    part: CodeColumns,
    names: Sequence[str],
    encoded: Sequence[Encoded],
) -> dict[str, pa.Array]:
    """Each row's results of ``part.columns``, computed once per combination of codes.

    Booleans are gathered per row; other results are dictionary arrays over the
    combinations' results (read by DuckDB as their value type).

    Parameters
    ----------
    names
        The file's column name of each of ``part.variables`` (as the SQL quotes it).
    encoded
        Each variable's rows, dictionary-encoded (:func:`encode`).
    """
    combined, strides, total = _combined(encoded)
    if total <= GRID:
        present = np.arange(total if all(len(e.values) for e in encoded) else 0, dtype=np.int64)
        rows = combined
    else:
        present, rows = np.unique(combined, return_inverse=True)
    combos = {
        name: e.values.take(pa.array((present // stride) % max(len(e.values), 1)))
        for name, e, stride in zip(names, encoded, strides, strict=True)
    }
    combos[_ORDER] = pa.array(np.arange(len(present), dtype=np.int64))
    view = f"_codes_{next(_names)}"
    con.register(view, pa.table(combos))
    try:
        selects = ", ".join(f"{sql} AS {ident(name)}" for name, sql in part.columns.items())
        query = f"SELECT {selects} FROM {ident(view)} ORDER BY {ident(_ORDER)}"
        result = con.execute(query).to_arrow_table()
    finally:
        con.unregister(view)
    indices = pa.array(rows.astype(np.int32, copy=False))
    return {name: _per_row(result.column(name), rows, indices) for name in part.columns}


def _per_row(values: pa.ChunkedArray, rows: np.ndarray, indices: pa.Array) -> pa.Array:
    """The combinations' ``values`` for every row (``rows``/``indices``: its combination)."""
    array = values.combine_chunks()
    if pa.types.is_boolean(array.type):
        return array.take(indices)
    nulls = array.is_null()
    if nulls.true_count:
        mask = np.asarray(nulls.to_numpy(zero_copy_only=False))[rows]
        indices = pa.array(rows.astype(np.int32, copy=False), mask=mask)
    return pa.DictionaryArray.from_arrays(indices, array)
