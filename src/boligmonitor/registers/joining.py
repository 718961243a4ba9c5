"""Person keys sorted once: the duplicate check and the join of a register onto BEF.

A staged register's integer person keys are sorted (numpy), which shows repeated keys as
equal neighbours and lets each BEF person find its row by binary search. This replaces a
hash aggregate (duplicates) and a hash join per register, the two costliest steps of an
import at national scale, with one sort; the rows keep BEF's order. BEF's keys are searched
in their sorted order (a merge through the register's keys rather than a random binary
search per person, several times faster at national scale) and the rows put back in BEF's
order.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

__all__ = ["Keyed", "keyed", "keys_of", "matched_rows", "probe_of"]


@dataclass(frozen=True)
class Keyed:
    """A table's person keys in sorted order.

    Attributes
    ----------
    keys
        The non-empty keys, sorted.
    order
        The row of each sorted key.
    repeated
        A key (or the empty key) occurs more than once.
    """

    keys: np.ndarray
    order: np.ndarray
    repeated: bool


def keys_of(column: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """An integer key column as (values with 0 for empty, valid mask)."""
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    valid = np.asarray(pc.is_valid(array))
    values = np.asarray(pc.fill_null(array, 0), dtype=np.int64)
    return values, valid


def keyed(source: Path | pa.Table, column: str = "_pnr") -> Keyed:
    """Sort the integer ``column`` of a staged Parquet file or an Arrow table."""
    table = pq.read_table(source, columns=[column]) if isinstance(source, Path) else source
    values, valid = keys_of(table.column(column))
    rows = np.flatnonzero(valid)
    order = rows[np.argsort(values[rows], kind="stable")]
    keys = values[order]
    repeated = bool((keys[1:] == keys[:-1]).any()) or len(values) - len(rows) > 1
    return Keyed(keys, order, repeated)


def probe_of(wanted: np.ndarray, valid: np.ndarray) -> Keyed:
    """The wanted keys sorted once, for :func:`matched_rows`."""
    rows = np.flatnonzero(valid)
    order = rows[np.argsort(wanted[rows], kind="stable")]
    keys = wanted[order]
    return Keyed(keys, order, bool((keys[1:] == keys[:-1]).any()))


def matched_rows(index: Keyed, probe: Keyed, size: int) -> pa.Array:
    """For each of ``size`` wanted rows, the row holding its key, or null (a left join).

    ``probe`` holds the wanted rows' non-empty keys sorted (:func:`probe_of` or the
    wanted table's own :func:`keyed`); a row without a key gets null.
    """
    if len(index.keys) == 0:
        return pa.nulls(size, pa.int64())
    at = np.minimum(np.searchsorted(index.keys, probe.keys), len(index.keys) - 1)
    rows = np.zeros(size, dtype=np.int64)
    missing = np.ones(size, dtype=bool)
    rows[probe.order] = index.order[at]
    missing[probe.order] = index.keys[at] != probe.keys
    return pa.array(rows, type=pa.int64(), mask=missing)
