"""One scan per register file: translated values and a flag per check, staged as Parquet.

A register file is read once, into a staging Parquet file holding the person key, the
translated columns, one boolean flag per check (unknown codes, invalid numbers and dates,
persons without an address ...), the unique key and the codes an ``otherwise`` rule took.
The checks are then sums of the flags over the staged file, which reads a few narrow
columns; only a check that fails goes back to the register file for its first rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from boligmonitor.errors import Problem
from boligmonitor.registers.files import RegisterFile
from boligmonitor.registers.joining import Keyed, keyed
from boligmonitor.registers.sql import ident, literal
from boligmonitor.registers.translate import INTEGER_TYPES as _INTEGER
from boligmonitor.registers.translate import Check, Translation

__all__ = ["SHOWN", "Lookup", "Stage", "fallback_counts", "problems_of", "stage"]

#: Rows shown per failing check; the rest are counted.
SHOWN = 5


@dataclass(frozen=True)
class Lookup:
    """Rows where ``when`` holds must find their staged ``key`` in ``table.column``.

    Counted with an anti-join on the staged file; ``check`` gives the example rows.
    """

    check: Check
    key: str
    when: str
    table: str
    column: str


@dataclass
class Stage:
    """A register file staged as Parquet, with what its checks and counts need.

    Attributes
    ----------
    file
        The register file it was read from.
    path
        The staging Parquet file: ``_pnr`` (if a person key was given), the translated
        columns by name, ``_c<i>`` per check, ``_k<i>`` per key variable and ``_f<i>``/``_g<i>``
        (code, taken) per ``otherwise`` rule and ``_l<i>`` per lookup (the row must be found).
    """

    file: RegisterFile
    path: Path
    checks: list[Check]
    key: list[str]
    duplicate: str
    fallbacks: list[tuple[str, str, str]] = field(default_factory=list)
    lookups: list[Lookup] = field(default_factory=list)
    #: The staged column(s) of the unique key.
    keys: str = ""
    #: The sorted person keys, once the duplicate check has sorted them.
    index: Keyed | None = None

    @property
    def scan(self) -> str:
        """The staged file as a table expression."""
        return f"read_parquet({literal(self.path)})"


def stage(
    con: duckdb.DuckDBPyConnection,
    file: RegisterFile,
    parts: dict[str, Translation],
    extra: dict[str, str],
    checks: list[Check],
    lookups: list[Lookup],
    target: Path,
    person: str | None,
    key: list[str],
    duplicate: str,
) -> Stage:
    """Read ``file`` once into ``target``: person key, ``extra`` and translated values, flags.

    Parameters
    ----------
    parts
        Column name -> translation over the file's view.
    extra
        Further columns by name -> SQL (e.g. ``address_id``).
    checks
        Checks beyond the translations' own (e.g. persons without an address).
    lookups
        Keys that must be found in another table (e.g. addresses in ``geo/addresses``).
    person
        The person key variable (staged as ``_pnr``), if the file is joined on it.
    key
        The unique key variables (counted for duplicates).
    duplicate
        The message for a duplicate key.
    """
    every = [check for t in parts.values() for check in t.checks] + checks
    fallbacks = [fallback for t in parts.values() for fallback in t.fallbacks]
    columns = []
    if person is not None:
        columns.append(f"CAST({file.column(person)} AS BIGINT) AS _pnr")
    columns.extend(f"{sql} AS {ident(name)}" for name, sql in extra.items())
    columns.extend(f"{t.value} AS {ident(name)}" for name, t in parts.items())
    columns.extend(f"coalesce({c.failing}, FALSE) AS _c{i}" for i, c in enumerate(every))
    columns.extend(f"coalesce({lookup.when}, FALSE) AS _l{i}" for i, lookup in enumerate(lookups))
    keys = ""
    if key == [person] and file.types[key[0].upper()].upper().startswith(_INTEGER):
        keys = "_pnr"  # the integer person key as it is: no second copy
    elif key:
        columns.extend(f"{file.column(v)} AS _k{i}" for i, v in enumerate(key))
        keys = ", ".join(f"_k{i}" for i in range(len(key)))
    for i, (_variable, code, condition) in enumerate(fallbacks):
        columns.append(f"coalesce({condition}, FALSE) AS _g{i}")
        columns.append(f"CASE WHEN {condition} THEN {code} END AS _f{i}")
    query = f"SELECT {', '.join(columns)} FROM {file.view}"
    con.execute(f"COPY ({query}) TO {literal(target)} (FORMAT parquet, COMPRESSION uncompressed)")
    return Stage(file, target, every, key, duplicate, fallbacks, lookups, keys)


def problems_of(con: duckdb.DuckDBPyConnection, staged: Stage) -> list[Problem]:
    """Every failing check of a staged file, with its first rows; nothing when all pass."""
    problems = []
    if staged.checks:
        sums = ", ".join(f"count(*) FILTER (WHERE _c{i})" for i in range(len(staged.checks)))
        counts = con.execute(f"SELECT {sums} FROM {staged.scan}").fetchone() or ()
        for check, count in zip(staged.checks, counts, strict=True):
            if count:
                problems.extend(_examples(con, staged, check, int(count)))
    for i, lookup in enumerate(staged.lookups):
        found = f"SELECT {ident(lookup.column)} AS _key FROM {lookup.table}"
        missing = con.execute(
            f"SELECT count(*) FROM {staged.scan} s ANTI JOIN ({found}) g "
            f"ON g._key = s.{ident(lookup.key)} WHERE s._l{i}"
        ).fetchone()
        if missing and missing[0]:
            problems.extend(_examples(con, staged, lookup.check, int(missing[0])))
    if staged.keys == "_pnr":
        staged.index = keyed(staged.path)
        if staged.index.repeated:
            problems.extend(_duplicates(con, staged))
    elif staged.keys:
        repeated = con.execute(
            f"SELECT count(*) FROM (SELECT {staged.keys} FROM {staged.scan} "
            f"GROUP BY ALL HAVING count(*) > 1)"
        ).fetchone()
        if repeated and repeated[0]:
            problems.extend(_duplicates(con, staged))
    return problems


def _duplicates(con: duckdb.DuckDBPyConnection, staged: Stage) -> list[Problem]:
    file = staged.file
    key = ", ".join(file.column(v) for v in staged.key)
    repeated = f"({key}) IN (SELECT ({key}) FROM {file.view} GROUP BY ALL HAVING count(*) > 1)"
    shown = " || ' ' || ".join(f"CAST({file.column(v)} AS VARCHAR)" for v in staged.key)
    check = Check(", ".join(staged.key), staged.duplicate, repeated, shown)
    total = con.execute(f"SELECT count(*) FROM {file.view} WHERE {repeated}").fetchone()
    return _examples(con, staged, check, int(total[0]) if total else 0)


def _examples(
    con: duckdb.DuckDBPyConnection, staged: Stage, check: Check, count: int
) -> list[Problem]:
    file = staged.file
    rows = con.execute(
        f"SELECT _row, CAST({check.shown} AS VARCHAR) FROM {file.view} "
        f"WHERE {check.failing} ORDER BY _row LIMIT {SHOWN}"
    ).fetchall()
    label = f"register {file.register}: {check.message}"
    problems = [
        Problem(str(file.path), f"{label}: {value!r}", int(row), check.variable)
        for row, value in rows
    ]
    if count > len(problems):
        more = f"{label}: {count - len(problems)} more rows"
        problems.append(Problem(str(file.path), more, None, check.variable))
    return problems


def fallback_counts(
    con: duckdb.DuckDBPyConnection, staged: Stage, counted: dict[str, dict[str, int]]
) -> None:
    """Add the codes each ``otherwise`` rule took to ``counted`` (register.variable -> code)."""
    for i, (variable, _code, _condition) in enumerate(staged.fallbacks):
        rows = con.execute(
            f"SELECT _f{i} AS code, count(*) FROM {staged.scan} WHERE _g{i} GROUP BY 1"
        ).fetchall()
        codes = counted.setdefault(f"{staged.file.register}.{variable}", {})
        for value, n in rows:
            codes[str(value)] = codes.get(str(value), 0) + int(n)
