"""The full checks of one microdata table: every cell, key and reference in one aggregate.

They run where the quick proof (:mod:`boligmonitor.schema.parquet_proof`) cannot settle a
Parquet table, and for the references of CSV tables; every failing check reports its first
offending rows (1-based record numbers, by file) and how many more there are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ibis

from boligmonitor.errors import InputError, Problem, Text
from boligmonitor.schema.columns import Column, Kind
from boligmonitor.schema.microdata_tables import IBIS_TYPES, MICRODATA_TABLES, UNIQUE_COLUMNS

__all__ = ["TableCheck"]

_SHOWN_ROWS = 5  # offending rows listed per failing check


def _key_hash(table: Any, key: tuple[str, ...]) -> Any:
    return ibis.struct({k: table[k] for k in key}).hash()


def _stored_as(dtype: Any, kind: Kind) -> bool:
    """Whether a Parquet column's type already holds values of ``kind``."""
    if kind == Kind.INTEGER:
        return bool(dtype.is_integer())
    if kind == Kind.NUMBER:
        return bool(dtype.is_numeric())
    if kind == Kind.BOOLEAN:
        return bool(dtype.is_boolean())
    return bool(dtype.is_string())


class TableCheck:
    """Vectorised checks of one table in one aggregate: cells, key and references.

    Cell checks (type, empty, range, choices) and the key are for Parquet; CSV tables have had
    them from the text validator. Each failing check then lists its first rows.
    """

    def __init__(
        self,
        name: str,
        table: Any,
        files: list[Path],
        references: dict[str, tuple[str, str, Any]],
        first_row: int,
    ) -> None:
        self.name, self.table, self.files = name, table, files
        self.schema, self.key = MICRODATA_TABLES[name]
        self.references, self.first_row = references, first_row

    def run(self, cells: bool) -> None:
        present = set(self.table.columns)
        missing = [c for c in self.schema if c.required and c.name not in present]
        if missing:
            raise InputError(
                Problem(
                    str(self.files[0]),
                    "missing column '{name}' ({description})",
                    params={"name": c.name, "description": c.description},
                )
                for c in missing
            )
        references = self._reference_checks()  # joins first: every mask on the joined table
        checks: dict[tuple[str, str | Text], Any] = {}
        if cells:
            checks.update(
                {label: mask for c in self.schema for label, mask in self._column_checks(c)}
            )
        checks.update(references)
        problems = self._cell_problems(checks, cells)
        if problems:
            raise InputError(problems)

    def _cell_problems(
        self, checks: dict[tuple[str, str | Text], Any], cells: bool
    ) -> list[Problem]:
        """One scan: every cell check's count, and rows against distinct keys."""
        sums = {f"c{i}": m.cast("int64").sum() for i, m in enumerate(checks.values())}
        keys = {self.key: "duplicate key"} if cells else {}
        keys.update(UNIQUE_COLUMNS.get(self.name, {}))
        for i, key in enumerate(keys):
            # distinct hashes: a collision only sends the exact duplicate search below
            combined = self.table[key[0]] if len(key) == 1 else _key_hash(self.table, key)
            sums[f"_keys{i}"] = combined.nunique()
        if not sums:
            return []
        sums["_rows"] = self.table.count()
        counts = self.table.aggregate(**sums).to_pandas().iloc[0]
        problems: list[Problem] = []
        for i, ((column, message), mask) in enumerate(checks.items()):
            failing = int(counts[f"c{i}"] or 0)
            if failing:
                problems.extend(self._examples(self.table.filter(mask), column, message, failing))
        for i, (key, message) in enumerate(keys.items()):
            if counts["_rows"] != counts[f"_keys{i}"]:
                problems.extend(self._duplicates(key, message))
        return problems

    def _duplicates(self, key: tuple[str, ...], message: str) -> list[Problem]:
        counted = self.table.group_by(list(key)).aggregate(_n=ibis._.count())
        repeated = counted.filter(counted._n > 1).drop("_n")
        rows = self.table.semi_join(repeated, list(key))
        failing = int(rows.count().execute())
        return self._examples(rows, ", ".join(key), message, failing)

    def _reference_checks(self) -> dict[tuple[str, str | Text], Any]:
        """Each reference as a mask in the same scan: the table left-joined to the distinct
        keys it refers to (so no row is added), unmatched where the key column is empty."""
        labels: dict[tuple[str, str | Text], tuple[str, str]] = {}
        for i, (column, (target, target_column, other)) in enumerate(self.references.items()):
            name = f"_ref{i}"
            keys = other.select(**{name: other[target_column]}).distinct()
            table = self.table
            matched = table[column].try_cast(keys[name].type()) == keys[name]
            self.table = table.left_join(keys, matched).select(*table.columns, name)
            message = Text("not a {column} in {table}", {"column": target_column, "table": target})
            labels[(column, message)] = (column, name)
        return {
            label: self.table[column].notnull() & self.table[name].isnull()
            for label, (column, name) in labels.items()
        }

    def _column_checks(self, column: Column) -> list[tuple[tuple[str, str | Text], Any]]:
        if column.name not in self.table.columns:
            return []
        raw = self.table[column.name]
        found: list[tuple[tuple[str, str | Text], Any]] = []
        if _stored_as(raw.type(), column.kind):
            typed = raw  # Parquet's own type already guarantees the kind
        else:
            typed = raw.try_cast(IBIS_TYPES[column.kind])
            label = (column.name, Text("not a valid {kind}", {"kind": column.kind.value}))
            found.append((label, raw.notnull() & typed.isnull()))
        if not column.nullable:
            found.append(((column.name, Text("empty value")), raw.isnull()))
        if typed.type().is_floating():
            label = (column.name, Text("not a finite number"))
            found.append((label, (typed.isinf() | typed.isnan()).fill_null(False)))
        if column.minimum is not None:
            label = (
                column.name,
                Text("below the minimum {minimum:g}", {"minimum": column.minimum}),
            )
            found.append((label, (typed < column.minimum).fill_null(False)))
        if column.maximum is not None:
            label = (
                column.name,
                Text("above the maximum {maximum:g}", {"maximum": column.maximum}),
            )
            found.append((label, (typed > column.maximum).fill_null(False)))
        if column.choices:
            label = (
                column.name,
                Text("not one of: {choices}", {"choices": ", ".join(column.choices)}),
            )
            found.append((label, (~typed.isin(column.choices)).fill_null(False)))
        return found

    def _examples(self, rows: Any, column: str, message: str | Text, failing: int) -> list[Problem]:
        """The first offending rows (by file and row) and how many more there are."""
        message = Text(message) if isinstance(message, str) else message
        rows = (
            rows.order_by(["filename", "file_row_number"])
            .select("filename", "file_row_number", value=rows[column.split(", ")[0]])
            .limit(_SHOWN_ROWS)
            .to_pandas()
        )
        problems = [
            Problem(
                r.filename,
                "{message}: {value}",
                int(r.file_row_number) + self.first_row if r.file_row_number >= 0 else None,
                column,
                params={"message": message, "value": repr(r.value)},
            )
            for r in rows.itertuples()
        ]
        if failing > len(problems):
            problems.append(
                Problem(
                    str(self.files[0]),
                    "{message}: {count} more rows",
                    None,
                    column,
                    {"message": message, "count": failing - len(problems)},
                )
            )
        return problems
