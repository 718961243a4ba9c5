"""Person keys indexed once: the duplicate check and the join of a register onto BEF.

A staged register's integer person keys are indexed once, which shows repeated keys and
lets each BEF person find its row; this replaces a hash aggregate (duplicates) and a hash
join per register. When the keys lie in a range at most :data:`DENSE` times the number of
rows (the usual case for person numbers), the index is a slot per possible key holding its
row: one scatter to build it, one gather per join, no sort. Otherwise the keys are sorted
(numpy), repeated keys are equal neighbours and BEF's keys, sorted once too, are searched in
sorted order (a merge rather than a random binary search per person, several times faster at
national scale). Either way the joined rows come back in BEF's order.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

__all__ = [
    "DENSE",
    "Keyed",
    "combined_repeated",
    "index_of",
    "keyed",
    "keys_of",
    "looked_up",
    "matched_rows",
]

#: Largest ratio of key range to rows for which the index is a slot per possible key.
DENSE = 4


@dataclass
class Keyed:
    """A table's integer person keys, indexed for lookups.

    Attributes
    ----------
    values
        The key of each row, 0 for an empty key.
    valid
        The row has a key.
    repeated
        A key (or the empty key) occurs more than once.
    low
        The smallest key (dense index only).
    slots
        Dense index: the row holding key ``low + i`` at ``i``, -1 for none; else ``None``.
    """

    values: np.ndarray
    valid: np.ndarray
    repeated: bool
    low: int = 0
    slots: np.ndarray | None = None
    _sorted: tuple[np.ndarray, np.ndarray] | None = None

    def sorted(self) -> tuple[np.ndarray, np.ndarray]:
        """The non-empty keys sorted, and the row of each (computed once)."""
        if self._sorted is None:
            self._sorted = _sort(self.values, self.valid)
        return self._sorted


def keys_of(column: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """An integer key column as (values with 0 for empty, valid mask)."""
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if array.null_count == 0:
        return np.asarray(array, dtype=np.int64), np.ones(len(array), dtype=bool)
    valid = np.asarray(pc.is_valid(array))
    values = np.asarray(pc.fill_null(array, 0), dtype=np.int64)
    return values, valid


def keyed(source: Path | pa.Table, column: str = "_pnr") -> Keyed:
    """Index the integer ``column`` of a staged Parquet file or an Arrow table."""
    table = pq.read_table(source, columns=[column]) if isinstance(source, Path) else source
    return index_of(*keys_of(table.column(column)))


def index_of(values: np.ndarray, valid: np.ndarray) -> Keyed:
    """Index keys ``values`` (``valid``: the row has one): dense slots if the range allows."""
    complete = bool(valid.all())
    rows = np.arange(len(values)) if complete else np.flatnonzero(valid)
    empty = len(values) - len(rows) > 1
    if len(rows) == 0:
        return Keyed(values, valid, empty)
    present = values if complete else values[rows]
    low, high = int(present.min()), int(present.max())
    if high - low + 1 > DENSE * len(rows):
        keys, order = _sort(values, valid)
        repeated = bool((keys[1:] == keys[:-1]).any()) or empty
        return Keyed(values, valid, repeated, _sorted=(keys, order))
    kind = np.int32 if len(values) < 2**31 - 1 else np.int64
    slots: np.ndarray = np.full(high - low + 1, -1, dtype=kind)
    slots[present - low] = rows
    # every distinct key fills one slot: fewer filled slots than keys means a repeated key
    repeated = int(np.count_nonzero(np.greater_equal(slots, 0))) < len(rows) or empty
    return Keyed(values, valid, repeated, low, slots)


def combined_repeated(columns: list[pa.ChunkedArray]) -> bool | None:
    """Whether a key of several integer columns repeats; ``None`` when they do not qualify.

    The columns (no empty value, integers that fit an int64) are combined into one integer
    per row, ``sum((value - smallest) * stride)``, which is one-to-one while the product of
    their ranges fits 62 bits, and indexed like the person keys (slots or a sort); this
    replaces a hash aggregate over the columns (BOL's ``KOM``, ``BOPIKOM``).
    """
    combined: np.ndarray | None = None
    room = 1
    for column in columns:
        kind = column.type
        whole = pa.types.is_signed_integer(kind) or (
            pa.types.is_unsigned_integer(kind) and kind.bit_width < 64
        )
        if not whole or column.null_count or len(column) == 0:
            return None
        values = np.asarray(column.combine_chunks(), dtype=np.int64)
        low, high = int(values.min()), int(values.max())
        span = high - low + 1
        if room * span >= 2**62:
            return None
        shifted = (values - low) * room
        combined = shifted if combined is None else combined + shifted
        room *= span
    if combined is None:
        return None
    return index_of(combined, np.ones(len(combined), dtype=bool)).repeated


def _sort(values: np.ndarray, valid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    rows = np.flatnonzero(valid)
    order = rows[np.argsort(values[rows], kind="stable")]
    return values[order], order


def matched_rows(index: Keyed, wanted: Keyed, size: int) -> pa.Array:
    """For each of ``size`` wanted rows, the row of ``index`` holding its key, or null.

    A left join: a wanted row without a key, or whose key ``index`` lacks, gets null.
    """
    if not index.valid.any():
        return pa.nulls(size, pa.int64())
    if index.slots is None and wanted._sorted is None:
        index = _with_slots(index, DENSE * size)  # rather than sorting the wanted keys
    if index.slots is not None:
        high = index.low + len(index.slots) - 1
        inside = wanted.valid & (wanted.values >= index.low) & (wanted.values <= high)
        rows = index.slots[np.where(inside, wanted.values - index.low, 0)].astype(np.int64)
        missing = ~inside | (rows < 0)
        return pa.array(rows, type=pa.int64(), mask=missing)
    keys, order = index.sorted()
    probe, places = wanted.sorted()
    at = np.minimum(np.searchsorted(keys, probe), len(keys) - 1)
    rows = np.zeros(size, dtype=np.int64)
    missing = np.ones(size, dtype=bool)
    rows[places] = order[at]
    missing[places] = keys[at] != probe
    return pa.array(rows, type=pa.int64(), mask=missing)


def looked_up(index: Keyed, column: pa.ChunkedArray | pa.Array) -> pa.Array:
    """For each value of the integer ``column``, the row of ``index`` holding it, or null.

    A lookup of many rows (every person's address) in an indexed table (``geo/addresses``):
    an empty value and a value ``index`` lacks both give null.
    """
    values, valid = keys_of(column)
    return matched_rows(index, Keyed(values, valid, False), len(values))


def _with_slots(index: Keyed, room: int) -> Keyed:
    """``index`` with dense slots if its key range fits in ``room`` slots (first row wins)."""
    keys, order = index.sorted()
    low, high = int(keys[0]), int(keys[-1])
    if high - low + 1 > room:
        return index
    kind = np.int32 if len(index.values) < 2**31 - 1 else np.int64
    slots = np.full(high - low + 1, -1, dtype=kind)
    slots[keys[::-1] - low] = order[::-1]
    return Keyed(index.values, index.valid, index.repeated, low, slots, index._sorted)
