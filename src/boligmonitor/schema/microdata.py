"""Register-style microdata: the tables, their columns, and validation.

A microdata folder holds one file per table (``.parquet`` or ``.csv``); persons may instead be a
folder ``persons/`` of files (e.g. one per year). Tables:

``regions``, ``municipalities``, ``addresses`` (unit addresses with EPSG:25832 coordinates, the
DKN 100 m cell and the screening unit), ``dwellings`` (one per address; BBR living area, tenure,
department), ``departments`` (public housing departments and their statutory boligområde) and
``persons`` (one row per person and year: status at 1 January of that year).

CSV files go through the generic :func:`~boligmonitor.schema.columns.validate_table`. Parquet
files, which may hold millions of rows, are first proven clean where their footer statistics
and one read of a few columns can (:mod:`~boligmonitor.schema.parquet_proof`); otherwise they
are checked with vectorised DuckDB aggregates through Ibis
(:mod:`~boligmonitor.schema.microdata_checks`), and every failing check reports its first
offending rows (1-based record numbers) and how many more there are. Nothing is loaded when any
problem is found. The tables are declared in :mod:`~boligmonitor.schema.microdata_tables`; see
``docs/microdata.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import ibis
import pandas as pd

from boligmonitor.engine import compute_backend, connect, engine_name
from boligmonitor.errors import InputError, Problem
from boligmonitor.io.tables import read_raw_table
from boligmonitor.schema.columns import Column, Kind, validate_table
from boligmonitor.schema.microdata_checks import TableCheck
from boligmonitor.schema.microdata_tables import (
    EDUCATION_VALUES,
    FOREIGN_KEYS,
    MICRODATA_TABLES,
    ORIGIN_VALUES,
    TENURE_VALUES,
    UNIQUE_COLUMNS,
    typed_column,
)
from boligmonitor.schema.parquet_proof import Members, proven_clean, stated_years

__all__ = [
    "EDUCATION_VALUES",
    "MICRODATA_TABLES",
    "ORIGIN_VALUES",
    "TENURE_VALUES",
    "Microdata",
    "load_microdata",
    "persons_years",
    "table_files",
]


@dataclass
class Microdata:
    """Validated microdata as Ibis tables on one DuckDB connection.

    Attributes
    ----------
    con
        The Ibis backend the tables live on.
    tables
        Table name -> Ibis table with the canonical columns (and nothing else).
    folder
        Where the files came from.
    files
        The files read (for the run history).
    """

    con: Any
    tables: dict[str, Any]
    folder: Path
    files: list[Path]
    _years: list[int] | None = None

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["tables"][name]
        except KeyError:
            raise AttributeError(name) from None

    def years(self) -> list[int]:
        """The years present in the persons table."""
        if self._years is None:
            persons = self.tables["persons"]
            found = persons.select("year").distinct().to_pandas()["year"]
            self._years = sorted(int(y) for y in found)
        return list(self._years)


def _quiet(con: Any) -> Any:
    """Switch off DuckDB's progress bar, which would write over the CLI's own output."""
    con.con.execute("SET enable_progress_bar = false")  # a setting, not a query
    return con


def table_files(folder: Path, table: str) -> list[Path]:
    """The files of one microdata table in a folder: ``table.parquet`` or ``table.csv``, else
    every Parquet and CSV file in the subfolder ``table/`` (empty when there are none)."""
    for suffix in (".parquet", ".csv"):
        if (folder / f"{table}{suffix}").is_file():
            return [folder / f"{table}{suffix}"]
    subfolder = folder / table
    if subfolder.is_dir():
        return sorted([*subfolder.glob("*.parquet"), *subfolder.glob("*.csv")])
    return []


def _stated_years(folder: Path) -> list[int] | None:
    """The years the persons Parquet files' statistics state (``None``: a scan must tell)."""
    files = table_files(folder, "persons")
    if not files or any(f.suffix != ".parquet" for f in files):
        return None
    return stated_years(files)


def persons_years(folder: str | Path) -> list[int] | None:
    """The years in a folder's persons Parquet files: from their statistics, else read from
    the year column alone (``None`` for CSV persons or when there are none)."""
    files = table_files(Path(folder), "persons")
    if not files or any(f.suffix != ".parquet" for f in files):
        return None
    stated = stated_years(files)
    if stated is not None:
        return stated
    con = _quiet(connect())
    try:
        table = con.read_parquet([str(f) for f in files])
        return sorted(int(y) for y in table.select("year").distinct().to_pandas()["year"])
    except Exception:  # unreadable: the full validation reports it
        return None
    finally:
        con.disconnect()


def load_microdata(
    folder: str | Path,
    con: Any | None = None,
    validate: bool = True,
    years: Sequence[int] | None = None,
) -> Microdata:
    """Validate a microdata folder and expose its tables as Ibis tables.

    Parameters
    ----------
    folder
        A folder with ``regions``, ``municipalities``, ``departments``, ``addresses``,
        ``dwellings`` and ``persons`` (``.parquet`` or ``.csv``; persons may be a folder).
    con
        An Ibis DuckDB backend to register the tables on; default a new in-memory one. Under
        the ``pyspark`` engine (:mod:`boligmonitor.engine`) the tables live on Spark instead.
    validate
        Check every column, key and reference (default). Only skip for files this package
        wrote itself.
    years
        Check only the persons of these years (the years a computation needs); every table
        but persons is always checked whole. Default: every year.

    Raises
    ------
    InputError
        Listing every problem (file, row, column); nothing is registered then.
    """
    root = Path(folder)
    if not root.is_dir():
        raise InputError.single(root, "microdata folder not found")
    con = compute_backend(con) if engine_name() != "duckdb" else con or _quiet(connect())
    problems: list[Problem] = []
    tables: dict[str, Any] = {}
    files: list[Path] = []
    members: dict[tuple[str, str], Members] = {}
    for name in MICRODATA_TABLES:
        found = table_files(root, name)
        if not found:
            problems.append(
                Problem(
                    str(root), "missing table '{name}' (.parquet or .csv)", params={"name": name}
                )
            )
            continue
        files.extend(found)
        try:
            tables[name] = _register(con, name, found, validate, tables, years, members)
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    columns = {n: [c.name for c in MICRODATA_TABLES[n][0]] for n in tables}
    selected = {n: t.select(*columns[n]) for n, t in tables.items()}
    return Microdata(con, selected, root, files, _stated_years(root))


def _register(
    con: Any,
    name: str,
    files: list[Path],
    validate: bool,
    earlier: dict[str, Any],
    years: Sequence[int] | None = None,
    members: dict[tuple[str, str], Members] | None = None,
) -> Any:
    """Register one table; check it (and its references to ``earlier`` tables) in one scan.

    Parquet files first get the quick proof of :mod:`~boligmonitor.schema.parquet_proof`
    (its ``members`` are the referred-to columns of clean earlier tables); only when it cannot
    prove them clean do the full checks run, to find and report each problem.
    """
    schema, key = MICRODATA_TABLES[name]
    csv = any(f.suffix == ".csv" for f in files)
    if csv:  # small by nature: the generic text validator, with line numbers
        frames = [_validated_csv(f, schema, key) for f in files]
        table = con.create_table(f"_md_{name}", pd.concat(frames, ignore_index=True), temp=True)
    else:
        table = _read_parquet(con, name, files)
    if validate and not csv and members is not None:
        checked_years = years if name == "persons" else None
        if _proven(name, files, earlier, checked_years, members):
            return table.mutate(**{c.name: typed_column(table, c) for c in schema})
    if validate:
        references = {
            column: (target, target_column, earlier[target])
            for (table_name, column), (target, target_column) in FOREIGN_KEYS.items()
            if table_name == name and target in earlier
        }
        checked = table
        if years is not None and name == "persons" and "year" in table.columns:
            checked = table.filter(table.year.isin(list(years)))
        check = TableCheck(name, checked, files, references, first_row=2 if csv else 1)
        try:
            check.run(cells=not csv)
        except duckdb.Error as exc:  # read lazily: a broken or mismatched file fails here
            broken = _broken_file(con, files) or files[0]
            raise InputError.single(
                broken, "cannot read Parquet: {exc}", exc=str(exc).splitlines()[0]
            ) from exc
    return table.mutate(**{c.name: typed_column(table, c) for c in schema})


def _proven(
    name: str,
    files: list[Path],
    earlier: dict[str, Any],
    years: Sequence[int] | None,
    members: dict[tuple[str, str], Members],
) -> bool:
    """Whether the quick proof settles every check of one table; records its referred-to
    columns in ``members`` for the tables after it."""
    schema, key = MICRODATA_TABLES[name]
    targets = {
        column: (target, target_column)
        for (table_name, column), (target, target_column) in FOREIGN_KEYS.items()
        if table_name == name and target in earlier
    }
    if any(target not in members for target in targets.values()):
        return False
    keep = sorted({c for (t, c) in FOREIGN_KEYS.values() if t == name})
    clean, kept = proven_clean(
        files,
        schema,
        [key, *UNIQUE_COLUMNS.get(name, {})],
        {column: members[target] for column, target in targets.items()},
        years,
        keep,
    )
    members.update({(name, column): values for column, values in kept.items()})
    return clean


def _read_parquet(con: Any, name: str, files: list[Path]) -> Any:
    """The Parquet files of one table, with each row's file and row number where the backend
    can say (DuckDB); elsewhere (e.g. Spark) problems are reported by file without rows."""
    source = str(files[0]) if len(files) == 1 else str(files[0].parent / "*.parquet")
    try:
        if con.name == "duckdb":
            return con.read_parquet(
                [str(f) for f in files],
                table_name=f"_md_{name}",
                file_row_number=True,
                filename=True,
                union_by_name=True,  # yearly files whose types differ meet in a common type
            )
        table = con.read_parquet(source, table_name=f"_md_{name}")
    except Exception as exc:  # each backend raises its own types on broken files
        broken = (_broken_file(con, files) if con.name == "duckdb" else None) or files[0]
        raise InputError.single(
            broken, "cannot read Parquet: {exc}", exc=str(exc).splitlines()[0]
        ) from exc
    return table.mutate(filename=ibis.literal(source), file_row_number=ibis.literal(-1))


def _broken_file(con: Any, files: list[Path]) -> Path | None:
    """The first of ``files`` DuckDB cannot read on its own (to name it in the error)."""
    for file in files:
        try:
            con.read_parquet(str(file)).count().execute()
        except Exception:  # duckdb raises its own types on broken files
            return file
    return None


def _validated_csv(file: Path, schema: tuple[Column, ...], key: tuple[str, ...]) -> pd.DataFrame:
    frame = validate_table(read_raw_table(file), schema, key=key)
    typed = {c.name: frame[c.name] for c in schema}
    out = pd.DataFrame(typed)
    for column in schema:
        if column.kind == Kind.BOOLEAN:
            out[column.name] = out[column.name].astype("boolean")
    out["file_row_number"] = frame["source_row"] - 2  # 0-based, like Parquet's
    out["filename"] = str(file)
    return out
