"""One scan per register file: translated values and a flag per check, as an Arrow table.

A register file is read once by one DuckDB query whose result, held in memory as Arrow,
has the person key, the translated columns, one boolean flag per check (unknown codes,
invalid numbers and dates, persons without an address ...), the unique key and the codes an
``otherwise`` rule took. The checks are sums of the flags and an index of the person keys
over that result, with no second pass over the file and no scratch file; only a check that
fails goes back to the register file for its first rows. A translation decided by a few code
variables alone is computed once per combination of their codes (``codes``) and gathered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from boligmonitor.errors import Problem
from boligmonitor.registers.codes import CodeColumns, encode, gather
from boligmonitor.registers.files import RegisterFile
from boligmonitor.registers.joining import Keyed, combined_repeated, keyed, looked_up
from boligmonitor.registers.sql import ident
from boligmonitor.registers.translate import INTEGER_TYPES as _INTEGER
from boligmonitor.registers.translate import Check, Translation

__all__ = ["SHOWN", "Lookup", "Stage", "fallback_counts", "problems_of", "stage"]

#: Rows shown per failing check; the rest are counted.
SHOWN = 5


@dataclass(frozen=True)
class Lookup:
    """Rows where ``when`` holds must find their staged ``key`` in ``table.column``.

    Counted by looking each key up in ``index`` (the integer keys of ``table.column``,
    indexed once), else with an anti-join on the staged file; ``check`` gives the example
    rows.
    """

    check: Check
    key: str
    when: str
    table: str
    column: str
    index: Keyed | None = None


@dataclass
class Stage:
    """A register file's scan, held as Arrow, with what its checks and counts need.

    Attributes
    ----------
    file
        The register file it was read from.
    table
        The scan, in the file's row order: ``_pnr`` (if a person key was given), the
        translated columns by name, ``_c<i>`` per check, ``_k<i>`` per key variable, ``_f<i>``
        per ``otherwise`` rule (the code it took, else null) and ``_l<i>`` per lookup (the
        row must be found).
    name
        The view under which ``table`` is registered with the connection while checked.
    """

    file: RegisterFile
    table: pa.Table
    name: str
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
        """The scan as a table expression (registered as :attr:`name`)."""
        return ident(self.name)

    def release(self, con: duckdb.DuckDBPyConnection, keep: list[str]) -> None:
        """Unregister the scan and keep only the columns ``keep`` (frees the flags)."""
        con.unregister(self.name)
        self.table = self.table.select([c for c in keep if c in self.table.column_names])


_names = count()


def stage(
    con: duckdb.DuckDBPyConnection,
    file: RegisterFile,
    parts: dict[str, Translation],
    extra: dict[str, str],
    checks: list[Check],
    lookups: list[Lookup],
    person: str | None,
    key: list[str],
    duplicate: str,
) -> Stage:
    """Read ``file`` once into Arrow: person key, ``extra`` and translated values, flags.

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
    flags = {f"_c{i}": f"coalesce({c.failing}, FALSE)" for i, c in enumerate(every)}
    taken = {f"_f{i}": _taken(code, condition) for i, (_v, code, condition) in enumerate(fallbacks)}
    coded = _coded(parts, flags, taken)
    by_row = _by_row({**flags, **taken}, coded)
    variables = list(dict.fromkeys(v for p in coded for v in p.variables))
    columns = _person_and_values(file, parts, extra, person)
    columns.extend(f"{sql} AS {name}" for name, sql in by_row.items() if name.startswith("_c"))
    columns.extend(f"coalesce({lookup.when}, FALSE) AS _l{i}" for i, lookup in enumerate(lookups))
    columns.extend(f"{file.column(v)} AS _v{j}" for j, v in enumerate(variables))
    key_columns, keys = _key_columns(file, person, key)
    columns.extend(key_columns)
    columns.extend(f"{sql} AS {name}" for name, sql in by_row.items() if name.startswith("_f"))
    table = _with_codes(con, _scan(con, file, columns), file, variables, coded)
    name = _registered(con, file, table)
    return Stage(file, table, name, every, key, duplicate, fallbacks, lookups, keys)


def _by_row(flags: dict[str, str], coded: list[CodeColumns]) -> dict[str, str]:
    """The flags computed row by row: those no combination of codes decides."""
    return {n: sql for n, sql in flags.items() if not any(n in p.columns for p in coded)}


def _person_and_values(
    file: RegisterFile, parts: dict[str, Translation], extra: dict[str, str], person: str | None
) -> list[str]:
    """The person key as ``_pnr``, the ``extra`` columns and the translations read row by row."""
    columns = []
    if person is not None:
        columns.append(f"CAST({file.column(person)} AS BIGINT) AS _pnr")
    columns.extend(f"{sql} AS {ident(name)}" for name, sql in extra.items())
    columns.extend(f"{t.value} AS {ident(name)}" for name, t in parts.items() if not t.codes)
    return columns


def _key_columns(file: RegisterFile, person: str | None, key: list[str]) -> tuple[list[str], str]:
    """The unique key's columns to stage (``_k<i>``) and the staged column(s) it is read from."""
    if key == [person] and file.types[key[0].upper()].upper().startswith(_INTEGER):
        return [], "_pnr"  # the integer person key as it is: no second copy
    columns = [f"{file.column(v)} AS _k{i}" for i, v in enumerate(key)]
    return columns, ", ".join(f"_k{i}" for i in range(len(key)))


def _scan(con: duckdb.DuckDBPyConnection, file: RegisterFile, columns: list[str]) -> pa.Table:
    """The file read once into Arrow, one column per entry of ``columns``."""
    query = f"SELECT {', '.join(columns)} FROM {file.view}"
    # the relation's Arrow result is collected on every thread (``execute`` converts on one)
    return con.sql(query).to_arrow_table()


def _registered(con: duckdb.DuckDBPyConnection, file: RegisterFile, table: pa.Table) -> str:
    """Register the scan with the connection under a name of its own; the name."""
    name = f"_scan_{file.register.lower()}_{file.year}_{next(_names)}"
    con.register(name, table)
    return name


def _taken(code: str, condition: str) -> str:
    """The code an ``otherwise`` rule took, else NULL (an empty code as ``str`` writes it)."""
    return f"CASE WHEN {condition} THEN coalesce(CAST({code} AS VARCHAR), 'None') END"


def _coded(
    parts: dict[str, Translation], flags: dict[str, str], taken: dict[str, str]
) -> list[CodeColumns]:
    """The translations computed per combination of codes, with their flags and fallbacks."""
    coded = []
    flag_names, taken_names = iter(flags), iter(taken)
    for name, t in parts.items():
        own = [next(flag_names) for _ in t.checks] + [next(taken_names) for _ in t.fallbacks]
        if not t.codes:
            continue
        columns = {name: t.value}
        columns.update({n: flags.get(n) or taken[n] for n in own})
        coded.append(CodeColumns(t.codes, columns))
    return coded


def _with_codes(
    con: duckdb.DuckDBPyConnection,
    table: pa.Table,
    file: RegisterFile,
    variables: list[str],
    coded: list[CodeColumns],
) -> pa.Table:
    """Replace the raw codes ``_v<j>`` by the columns each translation computes from them."""
    if not coded:
        return table
    encoded = {v: encode(table.column(f"_v{j}")) for j, v in enumerate(variables)}
    table = table.drop_columns([f"_v{j}" for j in range(len(variables))])
    for part in coded:
        names = [file.names[v.upper()] for v in part.variables]
        results = gather(con, part, names, [encoded[v] for v in part.variables])
        for name, values in results.items():
            table = table.append_column(name, values)
    return table


def _count(table: pa.Table, column: str) -> int:
    """Rows where the boolean ``column`` is true."""
    return int(pc.sum(table.column(column)).as_py() or 0)


def problems_of(con: duckdb.DuckDBPyConnection, staged: Stage) -> list[Problem]:
    """Every failing check of a staged file, with its first rows; nothing when all pass."""
    problems = []
    if staged.checks:
        for i, check in enumerate(staged.checks):
            if failing := _count(staged.table, f"_c{i}"):
                problems.extend(_examples(con, staged, check, failing))
    for i, lookup in enumerate(staged.lookups):
        if missing := _not_found(con, staged, i, lookup):
            problems.extend(_examples(con, staged, lookup.check, missing))
    if staged.keys == "_pnr":
        staged.index = keyed(staged.table)
        if staged.index.repeated:
            problems.extend(_duplicates(con, staged))
    elif staged.keys:
        repeated = combined_repeated([staged.table.column(k) for k in staged.keys.split(", ")])
        if repeated is None:
            counted = con.execute(
                f"SELECT count(*) FROM (SELECT {staged.keys} FROM {staged.scan} "
                f"GROUP BY ALL HAVING count(*) > 1)"
            ).fetchone()
            repeated = bool(counted and counted[0])
        if repeated:
            problems.extend(_duplicates(con, staged))
    return problems


def _not_found(con: duckdb.DuckDBPyConnection, staged: Stage, i: int, lookup: Lookup) -> int:
    """Rows of a staged file that must find their key through ``lookup`` and do not."""
    if lookup.index is not None and pa.types.is_integer(staged.table.schema.field(lookup.key).type):
        rows = looked_up(lookup.index, staged.table.column(lookup.key))
        must = staged.table.column(f"_l{i}").combine_chunks()
        return int(pc.sum(pc.and_(must, pc.is_null(rows))).as_py() or 0)
    found = f"SELECT {ident(lookup.column)} AS _key FROM {lookup.table}"
    missing = con.execute(
        f"SELECT count(*) FROM {staged.scan} s ANTI JOIN ({found}) g "
        f"ON g._key = s.{ident(lookup.key)} WHERE s._l{i}"
    ).fetchone()
    return int(missing[0]) if missing else 0


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


def fallback_counts(staged: Stage, counted: dict[str, dict[str, int]]) -> None:
    """Add the codes each ``otherwise`` rule took to ``counted`` (register.variable -> code)."""
    for i, (variable, _code, _condition) in enumerate(staged.fallbacks):
        taken = pc.value_counts(pc.drop_null(staged.table.column(f"_f{i}")))
        codes = counted.setdefault(f"{staged.file.register}.{variable}", {})
        for entry in taken.to_pylist():
            value, n = str(entry["values"]), int(entry["counts"])
            codes[value] = codes.get(value, 0) + n
