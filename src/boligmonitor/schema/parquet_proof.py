"""A quick proof that Parquet microdata pass every check of :mod:`boligmonitor.schema.microdata`.

Most checks are settled by the statistics every Parquet footer holds per row group and column
(null count, minimum, maximum): a non-nullable column whose null count is 0 everywhere has no
empty cell, an age column whose largest value is 108 has none above 130. What statistics cannot
settle is read once, row group by row group, only for the rows checked: ``NaN`` in floating
columns (not part of the statistics), values outside a column's choices (read dictionary-encoded,
so each distinct text is checked once), unique keys (each key marked in a bit array indexed by
its value, and the marks counted per value of the key's other, constant, column — e.g. per
year) and references (a presence array over the referred-to ids).

The proof is exact in one direction only: :func:`proven_clean` returns ``True`` when no check can
fail, and ``False`` whenever it cannot tell (another layout, a type the checks cast, missing
statistics, too wide an id range, or a real problem). On ``False`` the caller runs the full
checks, which find every problem and report it by file, row and column. Statistics are trusted
as every Parquet reader trusts them to skip row groups.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from boligmonitor.schema.columns import Column, Kind

__all__ = ["Members", "proven_clean", "stated_years"]

#: Largest id range marked in an array (beyond it the full checks decide).
MAX_ID_RANGE = 1 << 26
#: Row groups read ahead, each on a thread of its own, while the current one is checked.
_AHEAD = 2


class Members:
    """The values of one referred-to column, to test references against.

    Integer ids within :data:`MAX_ID_RANGE` are marked in a presence array, wider integer ids
    (e.g. DST's municipality × 10⁸ + address number) kept sorted for a binary search, other
    values kept as a set for :func:`pyarrow.compute.is_in`. Each is built once and serves every
    row group.
    """

    def __init__(self, values: pa.Array) -> None:
        values = values.drop_null()
        self.low = 0
        self.present: np.ndarray[Any, Any] | None = None
        self.sorted: np.ndarray[Any, Any] | None = None
        self.values: pa.Array | None = None
        if pa.types.is_integer(values.type) and len(values):
            ids = values.to_numpy().astype(np.int64, copy=False)
            self.low = int(ids.min())
            if int(ids.max()) - self.low < MAX_ID_RANGE:
                self.present = np.zeros(int(ids.max()) - self.low + 1, dtype=bool)
                self.present[ids - self.low] = True
            else:
                self.sorted = np.sort(ids)
            return
        if _is_string(values.type):
            values = values.cast(pa.large_string())
        self.values = pc.unique(values)

    def contain(self, column: pa.Array) -> bool:
        """Whether every non-empty value of ``column`` is among the members."""
        column = column.drop_null()
        if not len(column):
            return True
        if self.present is not None or self.sorted is not None:
            if not pa.types.is_integer(column.type):
                return False
            return self._contain_ids(column.to_numpy().astype(np.int64, copy=False))
        if self.values is None:  # no members at all
            return False
        if _is_string(self.values.type) and _is_string(column.type):
            column = column.cast(self.values.type)
        if self.values.type != column.type:
            return False
        return bool(pc.all(pc.is_in(column, value_set=self.values)).as_py())

    def _contain_ids(self, ids: np.ndarray[Any, Any]) -> bool:
        if self.sorted is not None:  # sorted first, the search walks the members in order
            ids = np.sort(ids)
            found = np.minimum(np.searchsorted(self.sorted, ids), len(self.sorted) - 1)
            return bool((self.sorted[found] == ids).all())
        assert self.present is not None
        ids = ids - self.low
        if int(ids.min()) < 0 or int(ids.max()) >= len(self.present):
            return False
        return bool(self.present[ids].all())


def _is_string(dtype: pa.DataType) -> bool:
    return bool(pa.types.is_string(dtype) or pa.types.is_large_string(dtype))


@dataclass
class _Group:
    """One row group of one file: where it is and its column statistics."""

    file: pq.ParquetFile
    index: int
    stats: dict[str, Any]
    rows: int
    whole: bool = True  # every row is checked (no year filter within the group)
    part: int | None = None  # the value of the key's constant second column

    def statistic(self, column: str) -> Any:
        return self.stats.get(column)


@dataclass
class _Plan:
    """What must be read, and the unique keys to check."""

    read: set[str] = field(default_factory=set)
    floats: list[str] = field(default_factory=list)
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    keys: list[tuple[str, ...]] = field(default_factory=list)


def _groups(
    files: Sequence[Path], years: Sequence[int] | None, texts: Sequence[str]
) -> list[_Group] | None:
    """The row groups holding checked rows (all, or those that may hold ``years``); the
    ``texts`` columns are read dictionary-encoded."""
    groups: list[_Group] = []
    for path in files:
        handle = pq.ParquetFile(path)
        encoded = [c for c in texts if c in handle.schema_arrow.names]
        if encoded:
            handle = pq.ParquetFile(path, read_dictionary=encoded)
        meta = handle.metadata
        for index in range(meta.num_row_groups):
            group = meta.row_group(index)
            stats = {
                group.column(i).path_in_schema: group.column(i).statistics
                for i in range(group.num_columns)
            }
            entry = _Group(handle, index, stats, group.num_rows)
            if years is not None:
                year = stats.get("year")
                if year is None or not year.has_min_max or year.null_count is None:
                    return None
                inside = [y for y in years if year.min <= y <= year.max]
                if not inside:
                    continue
                entry.whole = year.min == year.max and year.null_count == 0
            groups.append(entry)
    return groups


def _stored_as(dtype: pa.DataType, kind: Kind) -> bool:
    if pa.types.is_dictionary(dtype):
        dtype = dtype.value_type
    if pa.types.is_null(dtype):
        return True  # every cell empty: the null counts decide
    if kind == Kind.INTEGER:
        return bool(pa.types.is_integer(dtype))
    if kind == Kind.NUMBER:
        return bool(pa.types.is_integer(dtype) or pa.types.is_floating(dtype))
    if kind == Kind.BOOLEAN:
        return bool(pa.types.is_boolean(dtype))
    return _is_string(dtype)


def _settled(column: Column, groups: list[_Group]) -> bool:
    """Whether the statistics settle the column's empty-value and range checks."""
    for group in groups:
        stats = group.statistic(column.name)
        if pa.types.is_null(group.file.schema_arrow.field(column.name).type):
            if column.nullable:
                continue  # every cell empty, which the column allows
            return False
        if stats is None or stats.null_count is None:
            return False
        if not column.nullable and stats.null_count > 0:
            return False
        bounded = column.minimum is not None or column.maximum is not None
        if not (bounded or column.kind == Kind.NUMBER):
            continue
        if stats.null_count == group.rows:
            continue  # nothing but empty cells: no value to compare
        if not stats.has_min_max:
            return False
        low, high = stats.min, stats.max
        if isinstance(low, float) and not (math.isfinite(low) and math.isfinite(high)):
            return False
        if column.minimum is not None and not low >= column.minimum:
            return False
        if column.maximum is not None and not high <= column.maximum:
            return False
    return True


def _plan(
    schema: tuple[Column, ...],
    keys: list[tuple[str, ...]],
    references: dict[str, Members],
    groups: list[_Group],
) -> _Plan | None:
    """The columns to read; ``None`` when the files need the full checks."""
    plan = _Plan()
    for handle in {id(g.file): g.file for g in groups}.values():
        types = {f.name: f.type for f in handle.schema_arrow}
        for column in schema:
            if column.name not in types:
                if column.required or any(column.name in g.file.schema_arrow.names for g in groups):
                    return None
                continue
            if not _stored_as(types[column.name], column.kind):
                return None
            if pa.types.is_floating(types[column.name]):
                plan.floats.append(column.name)
    plan.floats = sorted(set(plan.floats))
    for column in schema:
        if column.name not in groups[0].file.schema_arrow.names:
            continue
        if not _settled(column, groups):
            return None
        if column.choices:
            plan.choices[column.name] = column.choices
    if sum(len(k) == 2 for k in keys) > 1:
        return None
    for key in keys:
        if not _partition(key, groups):
            return None
    plan.keys = keys
    plan.read = {*plan.floats, *plan.choices, *references, *(k[0] for k in keys)}
    return plan


def _partition(key: tuple[str, ...], groups: list[_Group]) -> bool:
    """Whether a key can be checked: one text column, or one integer column, alone or with a
    second column constant within each row group (e.g. the year of yearly files)."""
    if len(key) > 2:
        return False
    if len(key) == 1 and all(_is_text(g.statistic(key[0])) for g in groups):
        return True
    for group in groups:
        first = group.statistic(key[0])
        if first is None or not first.has_min_max or not isinstance(first.min, int):
            return False
        if len(key) == 2:
            second = group.statistic(key[1])
            if second is None or not second.has_min_max or second.min != second.max:
                return False
            if not isinstance(second.min, int) or second.null_count != 0:
                return False
            group.part = second.min
    return True


def _batches(
    groups: list[_Group], columns: list[str], years: Sequence[int] | None
) -> Iterator[tuple[_Group, pa.Table]]:
    """Each row group's checked rows of ``columns`` (texts dictionary-encoded); the next
    :data:`_AHEAD` row groups are read in the background while the caller checks this one."""
    ordered = sorted(groups, key=lambda g: g.part or 0)
    with ThreadPoolExecutor(max_workers=_AHEAD) as reader:
        ahead = deque(reader.submit(_read, g, columns, years) for g in ordered[:_AHEAD])
        for position, group in enumerate(ordered):
            table = ahead.popleft().result()
            following = ordered[position + _AHEAD : position + _AHEAD + 1]
            ahead.extend(reader.submit(_read, g, columns, years) for g in following)
            yield group, table


def _read(group: _Group, columns: list[str], years: Sequence[int] | None) -> pa.Table:
    """One row group's checked rows of ``columns``."""
    wanted = [*columns, "year"] if not group.whole and "year" not in columns else columns
    table = group.file.read_row_group(group.index, columns=wanted)
    if not group.whole and years is not None:
        table = table.filter(pc.is_in(table["year"], value_set=pa.array(list(years))))
    return table


class _Marks:
    """Unique keys: each key's value marked in a bit array; per part (the key's second
    column), as many values marked as keys read means no value came twice."""

    def __init__(self, low: int, high: int) -> None:
        self.low = low
        self.marks = np.zeros(high - low + 1, dtype=bool)
        self.read = 0
        self.part: int | None = None
        self.clean = True

    def add(self, values: pa.ChunkedArray, part: int | None) -> bool:
        """Mark a batch of keys; ``False`` when a part already had a repeat or a key is empty."""
        if part != self.part:
            self.clean = self.clean and self._distinct()
            self.marks[:] = False
            self.part, self.read = part, 0
        if values.null_count:
            return False
        for chunk in values.chunks:
            self.marks[chunk.to_numpy().astype(np.int64, copy=False) - self.low] = True
        self.read += len(values)
        return self.clean

    def _distinct(self) -> bool:
        return self.read == 0 or int(np.count_nonzero(self.marks)) == self.read

    def unique(self) -> bool:
        """Whether every part's keys were distinct."""
        return self.clean and self._distinct()


def _is_text(stats: Any) -> bool:
    return stats is not None and stats.physical_type == "BYTE_ARRAY"


class _Distinct:
    """Unique keys counted per part (the key's second column): texts, or ids too wide to mark."""

    def __init__(self) -> None:
        self.chunks: list[pa.Array] = []
        self.part: int | None = None
        self.clean = True

    def add(self, values: pa.ChunkedArray, part: int | None) -> bool:
        if part != self.part:
            self.clean = self.clean and self._distinct()
            self.chunks, self.part = [], part
        self.chunks.extend(values.chunks)
        return self.clean

    def _distinct(self) -> bool:
        if not self.chunks:
            return True
        values = pa.chunked_array(self.chunks)
        if pa.types.is_integer(values.type) and not values.null_count:
            ids = np.sort(values.to_numpy())  # wide ids: no neighbours equal once sorted
            return bool((ids[1:] != ids[:-1]).all())
        return bool(pc.count_distinct(values, mode="all").as_py() == len(values))

    def unique(self) -> bool:
        """Whether every part's keys were distinct."""
        return self.clean and self._distinct()


def _key_check(key: str, groups: list[_Group]) -> _Marks | _Distinct:
    stats = [g.statistic(key) for g in groups]
    if all(_is_text(s) for s in stats):
        return _Distinct()
    low, high = min(s.min for s in stats), max(s.max for s in stats)
    return _Marks(low, high) if high - low < MAX_ID_RANGE else _Distinct()


def proven_clean(
    files: Sequence[Path],
    schema: tuple[Column, ...],
    keys: list[tuple[str, ...]],
    references: dict[str, Members],
    years: Sequence[int] | None = None,
    keep: Sequence[str] = (),
) -> tuple[bool, dict[str, Members]]:
    """Whether the checked rows of ``files`` pass every cell, key and reference check.

    Parameters
    ----------
    files
        The table's Parquet files.
    schema, keys
        Its columns, and every column set whose values must be unique.
    references
        Column -> the values it must be one of (empty cells aside).
    years
        Check only rows of these years (column ``year``); default every row.
    keep
        Columns whose values other tables refer to: returned as :class:`Members` when clean.

    Returns
    -------
    tuple
        ``True`` when no check can fail (``False``: run the full checks), and the kept members.
    """
    try:
        return _prove(files, schema, keys, references, years, keep)
    except Exception:  # unreadable or unusual files: the full checks say what is wrong
        return False, {}


def _prove(
    files: Sequence[Path],
    schema: tuple[Column, ...],
    keys: list[tuple[str, ...]],
    references: dict[str, Members],
    years: Sequence[int] | None,
    keep: Sequence[str],
) -> tuple[bool, dict[str, Members]]:
    groups = _groups(files, years, [c.name for c in schema if c.choices])
    if groups is None or not groups:
        return False, {}
    plan = _plan(schema, keys, references, groups)
    if plan is None:
        return False, {}
    checks = [_key_check(k[0], groups) for k in plan.keys]
    kept: dict[str, list[pa.ChunkedArray]] = {c: [] for c in keep}
    columns = sorted(plan.read | set(keep))
    for group, table in _batches(groups, columns, years):
        if not _batch_clean(table, plan, references):
            return False, {}
        for key, check in zip(plan.keys, checks, strict=True):
            if not check.add(table[key[0]], group.part if len(key) == 2 else None):
                return False, {}
        for column in keep:
            kept[column].append(table[column])
    if not all(s.unique() for s in checks):
        return False, {}
    members = {
        c: Members(pa.chunked_array([a for p in parts for a in p.chunks]).combine_chunks())
        for c, parts in kept.items()
        if parts
    }
    return True, members


def _batch_clean(table: pa.Table, plan: _Plan, references: dict[str, Members]) -> bool:
    """The checks statistics cannot settle, on one row group."""
    for column in plan.floats:
        if pc.any(pc.is_nan(table[column])).as_py():
            return False
    for column, choices in plan.choices.items():
        if not _among(table[column], choices):
            return False
    return all(members.contain(table[c].combine_chunks()) for c, members in references.items())


def _among(column: pa.ChunkedArray, choices: tuple[str, ...]) -> bool:
    """Whether every value of a text column is one of ``choices``: for dictionary-encoded
    chunks, every text of the dictionary is (a stronger test, each text checked once)."""
    allowed = pa.array(list(choices))
    for chunk in column.chunks:
        values = chunk.dictionary if pa.types.is_dictionary(chunk.type) else pc.unique(chunk)
        if not pc.all(pc.is_in(values.drop_null(), value_set=allowed)).as_py():
            return False
    return True


def stated_years(files: Sequence[Path]) -> list[int] | None:
    """The years of persons files as their statistics state them, when every row group holds
    one year (``None`` when a scan must tell)."""
    found: set[int] = set()
    try:
        for path in files:
            meta = pq.ParquetFile(path).metadata
            for index in range(meta.num_row_groups):
                group = meta.row_group(index)
                names = [group.column(i).path_in_schema for i in range(group.num_columns)]
                if "year" not in names:
                    return None
                stats = group.column(names.index("year")).statistics
                if stats is None or not stats.has_min_max or stats.min != stats.max:
                    return None
                if stats.null_count != 0 or not isinstance(stats.min, int):
                    return None
                found.add(stats.min)
    except (OSError, pa.ArrowException):
        return None
    return sorted(found)
