"""Importing DST-layout register files into the microdata schema, year by year in DuckDB.

For each year the person registers are opened as DuckDB views and every variable the mapping
needs is checked. Each register file is then read once by one query whose result, its
translated columns and a flag per check, is held in memory as Arrow (``staging``); the
checks are sums of those flags, the addresses looked up in ``geo/addresses`` (``geography``:
a slot index or an anti-join) and an index of the person keys (duplicates, ``joining``: a
slot per key, or a sort), and only a failing check reads the file again for its first rows.
The persons of the year are BEF's rows with each register's row found through that index,
written with one ``COPY``.
Dwellings come from the last year's BOL. ``geo/`` is copied beside the scans.
Everything is written to a staging folder that replaces the output only when no problem was
found: on any problem nothing is written. Nothing person-level leaves the import except the
microdata folder itself; the report holds counts only.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from boligmonitor.errors import InputError, Problem
from boligmonitor.progress import Steps
from boligmonitor.registers.background import Copies
from boligmonitor.registers.files import RegisterFile, find_file, open_file, register_years
from boligmonitor.registers.geography import (
    GEOGRAPHY,
    KEYS,
    Geography,
    open_geography,
    write_dwellings,
)
from boligmonitor.registers.joining import Keyed, index_of, keyed, keys_of, matched_rows
from boligmonitor.registers.mapping import (
    AnyRowColumn,
    Mapping,
    PresentColumn,
    WeeksColumn,
    load_mapping,
)
from boligmonitor.registers.sql import PARQUET, ident, literal
from boligmonitor.registers.staging import Lookup, Stage, fallback_counts, problems_of, stage
from boligmonitor.registers.translate import (
    Check,
    Translation,
    translate,
    variables_of,
    week_columns,
)

__all__ = ["GEOGRAPHY", "ImportReport", "import_registers", "register_years"]

_PERSON_COLUMNS = (
    "age", "origin", "no_attachment_fraction", "permanently_outside_labour_force",
    "in_education", "education", "gross_income", "disposable_income", "taxpayer", "convicted",
)  # fmt: skip
_DWELLING_COLUMNS = ("living_area_m2", "tenure")


@dataclass
class ImportReport:
    """What an import read and wrote; counts only, nothing person-level.

    Attributes
    ----------
    persons
        Year -> persons written.
    dwellings
        Dwellings written.
    files
        Every register file read.
    fallbacks
        ``register.variable`` -> code -> rows whose code the mapping did not list and an
        ``otherwise`` rule translated (e.g. non-western countries).
    """

    out: Path
    persons: dict[int, int] = field(default_factory=dict)
    dwellings: int = 0
    files: list[Path] = field(default_factory=list)
    fallbacks: dict[str, dict[str, int]] = field(default_factory=dict)


def import_registers(
    folder: str | Path,
    years: Sequence[int],
    mapping: str | Path | Mapping = "dst",
    out: str | Path | None = None,
    progress: bool = False,
    memory_limit: str = "2GB",
) -> ImportReport:
    """Import DST-layout registers for ``years`` into a microdata folder.

    Parameters
    ----------
    folder
        Register files (``bef2021.sas7bdat``, ``uddf2021.parquet``, ...) and ``geo/`` with the
        native ``regions``, ``municipalities``, ``departments`` and ``addresses`` tables.
    years
        The years to import (one persons file each).
    mapping
        A layout name (``dst``), a user mapping file, or a loaded :class:`Mapping`.
    out
        The microdata folder to write (replaced as a whole); default ``folder/microdata``.

    Raises
    ------
    InputError
        Naming file, register, variable and row of every problem; nothing is written.
    """
    root = Path(folder)
    if not root.is_dir():
        raise InputError.single(root, "register folder not found")
    if not years:
        raise InputError.single("--years", "no years to import")
    chosen = mapping if isinstance(mapping, Mapping) else load_mapping(mapping)
    target = Path(out) if out is not None else root / "microdata"
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=target.parent))
    try:
        report = _Import(root, chosen, sorted(set(years)), staging, memory_limit, progress).run()
        report.out = target
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
        return report
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


class _Import:
    def __init__(
        self,
        root: Path,
        mapping: Mapping,
        years: list[int],
        staging: Path,
        memory: str,
        progress: bool,
    ) -> None:
        self.root, self.mapping, self.years, self.staging = root, mapping, years, staging
        self.scratch = staging / ".scratch"
        self.scratch.mkdir()
        self.con = duckdb.connect()
        self.con.execute(f"SET memory_limit = {literal(memory)}")
        self.con.execute(f"SET temp_directory = {literal(self.scratch / 'spill')}")
        self.con.execute("SET enable_progress_bar = false")
        self.con.execute("SET preserve_insertion_order = true")
        self.report = ImportReport(staging)
        self.steps = Steps(len(years) + 2, progress)
        self.copies = Copies(self.con)
        self.geography: Geography  # opened first in :meth:`run`

    def run(self) -> ImportReport:
        try:
            self.steps.advance("geo")
            self.geography, files = open_geography(
                self.con, self.root / "geo", self.staging, self.copies
            )
            self.report.files.extend(files)
            (self.staging / "persons").mkdir()
            for year in self.years:
                self.steps.advance(f"persons {year}")
                self._persons(year)
            self.steps.advance(f"BOL {self.years[-1]}")
            self._dwellings(self.years[-1])
            self.copies.wait()
        finally:
            self.steps.close()
            self.copies.close()
            self.con.close()
            shutil.rmtree(self.scratch, ignore_errors=True)
        return self.report

    # -- files ----------------------------------------------------------------------------

    def _open(self, register: str, year: int, problems: list[Problem]) -> RegisterFile | None:
        spec = self.mapping.registers[register]
        stem = spec.file.format(year=year, prev=year - 1)
        path = find_file(self.root, stem)
        if path is None:
            if not spec.optional:
                problems.append(
                    Problem(
                        str(self.root),
                        "register {register} {year}: no file {stem}.sas7bdat, .parquet or .csv",
                        params={"register": register, "year": year, "stem": stem},
                    )
                )
            return None
        self.report.files.append(path)
        return open_file(self.con, path, register, year, self.scratch)

    # -- persons --------------------------------------------------------------------------

    def _person_registers(self) -> list[str]:
        used = {getattr(self.mapping.columns, c).reg for c in _PERSON_COLUMNS}
        return [self.mapping.address.reg, *sorted(used - {self.mapping.address.reg})]

    def _persons(self, year: int) -> None:
        problems: list[Problem] = []
        files = {r: self._open(r, year, problems) for r in self._person_registers()}
        if problems:
            raise InputError(problems)
        parts: dict[str, dict[str, Translation]] = {}
        for register, file in files.items():
            if file is None:
                continue
            needed = [self.mapping.person] + (
                self.mapping.address.variables if register == self.mapping.address.reg else []
            )
            parts[register] = self._translations(file, self._columns(register), needed, problems)
        if problems:
            raise InputError(problems)
        stages = {
            register: self._stage(file, parts[register], year)
            for register, file in files.items()
            if file is not None
        }
        for register, staged in stages.items():
            problems.extend(problems_of(self.con, staged))
            fallback_counts(staged, self.report.fallbacks)
            keep = ["_pnr", "address_id", *self._columns(register)]
            staged.release(self.con, keep)
        if problems:
            raise InputError(problems)
        self._write_persons(year, files, stages)

    def _columns(self, register: str) -> list[str]:
        return [c for c in _PERSON_COLUMNS if getattr(self.mapping.columns, c).reg == register]

    def _translations(
        self, file: RegisterFile, columns: list[str], needed: list[str], problems: list[Problem]
    ) -> dict[str, Translation]:
        missing = [v for v in needed if v.upper() not in file.types]
        for name in columns:
            column = getattr(self.mapping.columns, name)
            missing.extend(v for v in variables_of(column) if v.upper() not in file.types)
            if isinstance(column, WeeksColumn) and not week_columns(file, column, file.year):
                missing.append(f"{column.week_prefix}{file.year % 100:02d}01..")
        for variable in dict.fromkeys(missing):
            problems.append(
                Problem(
                    str(file.path),
                    "register {register}: missing variable",
                    None,
                    variable,
                    params={"register": file.register},
                )
            )
        if missing:
            return {}
        return {
            name: translate(getattr(self.mapping.columns, name), file, file.year)
            for name in columns
        }

    def _stage(self, file: RegisterFile, parts: dict[str, Translation], year: int) -> Stage:
        spec = self.mapping.registers[file.register]
        person = self.mapping.person
        duplicate = "duplicate key"
        if spec.unique == [person]:
            duplicate = f"duplicate person-year in {year}"
        extra: dict[str, str] = {}
        checks: list[Check] = []
        lookups: list[Lookup] = []
        if file.register == self.mapping.address.reg:
            extra["address_id"] = self._address_sql(file)
            empty = " OR ".join(f"{file.column(v)} IS NULL" for v in self.mapping.address.variables)
            variables = " + ".join(self.mapping.address.variables)
            checks.append(Check(variables, "person without an address", f"({empty})", "NULL"))
            lookups.append(self._known(file, f"NOT ({empty})"))
        return stage(self.con, file, parts, extra, checks, lookups, person, spec.unique, duplicate)

    def _known(self, file: RegisterFile, when: str) -> Lookup:
        """Rows where ``when`` holds must have their address in ``geo/addresses``."""
        address = self._address_sql(file)
        known = f"({address}) IN (SELECT address_id FROM {KEYS})"
        check = Check(
            " + ".join(self.mapping.address.variables),
            "address not in geo/addresses",
            f"(({when}) AND NOT coalesce({known}, FALSE))",
            f"CAST({address} AS VARCHAR)",
        )
        return Lookup(check, "address_id", when, KEYS, "address_id", self.geography.index)

    def _address_sql(self, file: RegisterFile) -> str:
        variables = [
            f"TRY_CAST({file.column(v)} AS BIGINT)" for v in self.mapping.address.variables
        ]
        if len(variables) == 1:
            return variables[0]
        return f"({variables[0]} * {int(self.mapping.address.multiplier)} + {variables[1]})"

    def _write_persons(
        self, year: int, files: dict[str, RegisterFile | None], stages: dict[str, Stage]
    ) -> None:
        base = stages[self.mapping.address.reg]
        selects = ["b._pnr AS person_id", f"{int(year)} AS year", "b.address_id AS address_id"]
        own = ["_pnr", "address_id", *self._columns(base.file.register)]
        table = base.table.select(own)
        probe = base.index if base.index is not None else index_of(*keys_of(table.column("_pnr")))
        joined = {name: table.column(name) for name in own}
        for register in files:
            columns = self._columns(register)
            staged = stages.get(register)
            if staged is None:
                selects.extend(f"{self._missing(c)} AS {ident(c)}" for c in columns)
                continue
            if staged is not base:
                rows, source = self._rows(staged, columns, probe, table.num_rows)
                for c in columns:
                    joined[f"{register}.{c}"] = source.column(c).take(rows)
                del stages[register]  # its columns are taken: free the scan
            for c in columns:
                value = f"b.{ident(c if staged is base else f'{register}.{c}')}"
                selects.append(f"{self._filled(c, value, staged is base)} AS {ident(c)}")
        query = f"SELECT {', '.join(selects)} FROM _joined b"
        target = self.staging / "persons" / f"persons_{year}.parquet"
        # written beside the next year's scans
        self.copies.copy(
            f"COPY ({query}) TO {literal(target)} ({PARQUET})", {"_joined": pa.table(joined)}
        )
        self.report.persons[year] = table.num_rows

    def _rows(
        self, staged: Stage, columns: list[str], probe: Keyed, size: int
    ) -> tuple[pa.Array, pa.Table]:
        """Each BEF person's row in a staged register (null: no row), and the register."""
        if any(isinstance(getattr(self.mapping.columns, c), AnyRowColumn) for c in columns):
            values = ", ".join(f"bool_or({ident(c)}) AS {ident(c)}" for c in columns)
            self.con.register("_rows", staged.table)
            try:
                query = f"SELECT _pnr, {values} FROM _rows GROUP BY 1"
                source = self.con.execute(query).to_arrow_table()
            finally:
                self.con.unregister("_rows")
            return matched_rows(keyed(source), probe, size), source
        index = staged.index if staged.index is not None else keyed(staged.table)
        return matched_rows(index, probe, size), staged.table

    def _missing(self, column: str) -> str:
        spec = getattr(self.mapping.columns, column)
        if isinstance(spec, AnyRowColumn | PresentColumn):
            return "FALSE"
        return literal(getattr(spec, "missing", None))

    def _filled(self, column: str, value: str, own: bool) -> str:
        """A joined value, or the column's ``missing`` value for a person without a row."""
        if own:
            return value
        fallback = self._missing(column)
        return value if fallback == "NULL" else f"coalesce({value}, {fallback})"

    # -- dwellings ------------------------------------------------------------------------

    def _dwellings(self, year: int) -> None:
        problems: list[Problem] = []
        register = self.mapping.columns.tenure.reg
        file = self._open(register, year, problems)
        if problems or file is None:
            raise InputError(problems)
        address = self.mapping.address
        parts = self._translations(file, list(_DWELLING_COLUMNS), address.variables, problems)
        if problems:
            raise InputError(problems)
        spec = self.mapping.registers[file.register]
        staged = stage(
            self.con,
            file,
            parts,
            {"address_id": self._address_sql(file)},
            [],
            [self._known(file, "TRUE")],
            None,
            spec.unique,
            "duplicate key",
        )
        problems.extend(problems_of(self.con, staged))
        fallback_counts(staged, self.report.fallbacks)
        if problems:
            raise InputError(problems)
        staged.release(self.con, ["address_id", *_DWELLING_COLUMNS])
        target = self.staging / "dwellings.parquet"
        self.report.dwellings = write_dwellings(self.con, staged.table, self.geography, target)
