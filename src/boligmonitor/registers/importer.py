"""Importing DST-layout register files into the microdata schema, year by year in DuckDB.

For each year the person registers are opened as DuckDB views, every variable the mapping
needs is checked, each register is checked in one aggregate query (duplicate keys, unknown
codes, invalid numbers and dates, persons without an address), and the persons of the year
are written with one streaming ``COPY`` of joins. Dwellings come from the last year's BOL.
Everything is written to a staging folder that replaces the output only when no problem was
found: on any problem nothing is written. Nothing person-level leaves the import except the
microdata folder itself; the report holds counts only.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from boligmonitor.errors import InputError, Problem
from boligmonitor.progress import Steps
from boligmonitor.registers.files import RegisterFile, find_file, open_file
from boligmonitor.registers.mapping import (
    AnyRowColumn,
    Mapping,
    PresentColumn,
    WeeksColumn,
    load_mapping,
)
from boligmonitor.registers.translate import (
    Check,
    Translation,
    translate,
    variables_of,
    week_columns,
)

__all__ = ["GEOGRAPHY", "ImportReport", "import_registers", "register_years"]

#: Tables in the native schema that a register import takes from ``DIR/geo/``.
GEOGRAPHY = ("regions", "municipalities", "departments", "addresses")
_PERSON_COLUMNS = (
    "age", "origin", "no_attachment_fraction", "permanently_outside_labour_force",
    "in_education", "education", "gross_income", "disposable_income", "taxpayer", "convicted",
)  # fmt: skip
_DWELLING_COLUMNS = ("living_area_m2", "tenure")
_SHOWN = 5


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
        self.con.execute(f"SET memory_limit = '{memory}'")
        self.con.execute(f"SET temp_directory = '{self.scratch / 'spill'}'")
        self.con.execute("SET enable_progress_bar = false")
        self.con.execute("SET preserve_insertion_order = true")
        self.report = ImportReport(staging)
        self.steps = Steps(len(years) + 2, progress)

    def run(self) -> ImportReport:
        try:
            self.steps.advance("geo")
            self._geography()
            (self.staging / "persons").mkdir()
            for year in self.years:
                self.steps.advance(f"persons {year}")
                self._persons(year)
            self.steps.advance(f"BOL {self.years[-1]}")
            self._dwellings(self.years[-1])
        finally:
            self.steps.close()
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
                message = f"register {register} {year}: no file {stem}.sas7bdat, .parquet or .csv"
                problems.append(Problem(str(self.root), message))
            return None
        self.report.files.append(path)
        return open_file(self.con, path, register, year, self.scratch)

    def _geography(self) -> None:
        geo = self.root / "geo"
        problems = []
        for name in GEOGRAPHY:
            path = next(
                (
                    geo / f"{name}{s}"
                    for s in (".parquet", ".csv")
                    if (geo / f"{name}{s}").is_file()
                ),
                None,
            )
            if path is None:
                problems.append(Problem(str(geo), f"missing table '{name}' (.parquet or .csv)"))
                continue
            self.report.files.append(path)
            reader = "read_parquet" if path.suffix == ".parquet" else "read_csv"
            self.con.execute(f"CREATE TEMP VIEW geo_{name} AS SELECT * FROM {reader}('{path}')")
            keep = (
                "* EXCLUDE (department_id)"
                if name == "addresses" and self._has(f"geo_{name}", "department_id")
                else "*"
            )
            self.con.execute(
                f"COPY (SELECT {keep} FROM geo_{name}) "
                f"TO '{self.staging / name}.parquet' (FORMAT parquet)"
            )
        if problems:
            raise InputError(problems)
        if not self._has("geo_addresses", "address_id"):
            raise InputError.single(geo / "addresses", "missing column 'address_id'")

    def _has(self, view: str, column: str) -> bool:
        names = {str(r[0]) for r in self.con.execute(f"DESCRIBE {view}").fetchall()}
        return column in names

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
            columns = [
                c for c in _PERSON_COLUMNS if getattr(self.mapping.columns, c).reg == register
            ]
            needed = [self.mapping.person] + (
                self.mapping.address.variables if register == self.mapping.address.reg else []
            )
            parts[register] = self._translations(file, columns, needed, problems)
        if problems:
            raise InputError(problems)
        for register, file in files.items():
            if file is not None:
                problems.extend(self._check(file, parts[register], year))
        if problems:
            raise InputError(problems)
        self._write_persons(year, files, parts)

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
                    str(file.path), f"register {file.register}: missing variable", None, variable
                )
            )
        if missing:
            return {}
        return {
            name: translate(getattr(self.mapping.columns, name), file, file.year)
            for name in columns
        }

    def _check(self, file: RegisterFile, parts: dict[str, Translation], year: int) -> list[Problem]:
        checks = [check for t in parts.values() for check in t.checks]
        spec = self.mapping.registers[file.register]
        key = ", ".join(file.column(v) for v in spec.unique)
        if file.register == self.mapping.address.reg:
            checks.extend(self._address_checks(file))
        sums = [f"sum(CASE WHEN {c.failing} THEN 1 ELSE 0 END)" for c in checks]
        if key:
            sums.append(f"count(*) - count(DISTINCT ({key}))")
        if not sums:
            return []
        counts = self.con.execute(f"SELECT {', '.join(sums)} FROM {file.view}").fetchone() or ()
        problems = []
        for check, count in zip(checks, counts, strict=False):
            if count:
                problems.extend(self._examples(file, check, int(count)))
        if key and counts[-1]:
            repeated = (
                f"({key}) IN (SELECT ({key}) FROM {file.view} GROUP BY ALL HAVING count(*) > 1)"
            )
            shown = " || ' ' || ".join(f"CAST({file.column(v)} AS VARCHAR)" for v in spec.unique)
            check = Check(
                ", ".join(spec.unique),
                f"duplicate person-year in {year}"
                if spec.unique == [self.mapping.person]
                else "duplicate key",
                repeated,
                shown,
            )
            total = self.con.execute(
                f"SELECT count(*) FROM {file.view} WHERE {repeated}"
            ).fetchone()
            problems.extend(self._examples(file, check, int(total[0]) if total else 0))
        for translation in parts.values():
            self._count_fallbacks(file, translation)
        return problems

    def _address_checks(self, file: RegisterFile) -> list[Check]:
        address = self._address_sql(file)
        empty = " OR ".join(f"{file.column(v)} IS NULL" for v in self.mapping.address.variables)
        variables = " + ".join(self.mapping.address.variables)
        known = f"({address}) IN (SELECT address_id FROM geo_addresses)"
        return [
            Check(variables, "person without an address", f"({empty})", "NULL"),
            Check(
                variables,
                "address not in geo/addresses",
                f"(NOT ({empty}) AND NOT coalesce({known}, FALSE))",
                f"CAST({address} AS VARCHAR)",
            ),
        ]

    def _address_sql(self, file: RegisterFile) -> str:
        variables = [
            f"TRY_CAST({file.column(v)} AS BIGINT)" for v in self.mapping.address.variables
        ]
        if len(variables) == 1:
            return variables[0]
        return f"({variables[0]} * {self.mapping.address.multiplier} + {variables[1]})"

    def _examples(self, file: RegisterFile, check: Check, count: int) -> list[Problem]:
        rows = self.con.execute(
            f"SELECT _row, CAST({check.shown} AS VARCHAR) FROM {file.view} "
            f"WHERE {check.failing} ORDER BY _row LIMIT {_SHOWN}"
        ).fetchall()
        label = f"register {file.register}: {check.message}"
        problems = [
            Problem(str(file.path), f"{label}: {value!r}", int(row), check.variable)
            for row, value in rows
        ]
        if count > len(problems):
            problems.append(
                Problem(
                    str(file.path),
                    f"{label}: {count - len(problems)} more rows",
                    None,
                    check.variable,
                )
            )
        return problems

    def _count_fallbacks(self, file: RegisterFile, translation: Translation) -> None:
        for variable, code, condition in translation.fallbacks:
            rows = self.con.execute(
                f"SELECT {code} AS code, count(*) FROM {file.view} WHERE {condition} GROUP BY 1"
            ).fetchall()
            counted = self.report.fallbacks.setdefault(f"{file.register}.{variable}", {})
            for value, n in rows:
                counted[str(value)] = counted.get(str(value), 0) + int(n)

    def _write_persons(
        self,
        year: int,
        files: dict[str, RegisterFile | None],
        parts: dict[str, dict[str, Translation]],
    ) -> None:
        person = self.mapping.person
        base = files[self.mapping.address.reg]
        assert base is not None
        selects = [
            f"CAST(b.{base.column(person)} AS BIGINT) AS person_id",
            f"{year} AS year",
            f"{self._address_sql(base)} AS address_id",
        ]
        joins = []
        for register, file in files.items():
            columns = [
                c for c in _PERSON_COLUMNS if getattr(self.mapping.columns, c).reg == register
            ]
            if file is None:
                selects.extend(f"{self._missing(c)} AS {c}" for c in columns)
                continue
            alias = "b" if file is base else f"j_{register.lower()}"
            if file is not base:
                joins.append(self._join(file, alias, parts[register], base))
            for c in columns:
                value = parts[register][c].value if file is base else f"{alias}.{c}"
                selects.append(f"{self._filled(c, value, file is base)} AS {c}")
        query = f"SELECT {', '.join(selects)} FROM {base.view} b {' '.join(joins)}"
        target = self.staging / "persons" / f"persons_{year}.parquet"
        self.con.execute(f"COPY ({query}) TO '{target}' (FORMAT parquet, COMPRESSION zstd)")
        written = self.con.execute(f"SELECT count(*) FROM '{target}'").fetchone()
        self.report.persons[year] = int(written[0]) if written else 0

    def _join(
        self, file: RegisterFile, alias: str, parts: dict[str, Translation], base: RegisterFile
    ) -> str:
        key = file.column(self.mapping.person)
        aggregate = any(isinstance(getattr(self.mapping.columns, c), AnyRowColumn) for c in parts)
        if aggregate:
            values = ", ".join(f"bool_or({t.value}) AS {c}" for c, t in parts.items())
            sub = f"SELECT CAST({key} AS BIGINT) AS _pnr, {values} FROM {file.view} GROUP BY 1"
        else:
            values = ", ".join(f"{t.value} AS {c}" for c, t in parts.items())
            sub = f"SELECT CAST({key} AS BIGINT) AS _pnr, {values} FROM {file.view}"
        person = base.column(self.mapping.person)
        return f"LEFT JOIN ({sub}) {alias} ON {alias}._pnr = CAST(b.{person} AS BIGINT)"

    def _missing(self, column: str) -> str:
        from boligmonitor.registers.translate import literal

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
        spec_key = self._address_sql(file)
        known = f"({spec_key}) IN (SELECT address_id FROM geo_addresses)"
        extra = Translation(
            "",
            [
                Check(
                    " + ".join(address.variables),
                    "address not in geo/addresses",
                    f"(NOT coalesce({known}, FALSE))",
                    f"CAST({spec_key} AS VARCHAR)",
                )
            ],
        )
        problems.extend(self._check(file, {**parts, "_address": extra}, year))
        if problems:
            raise InputError(problems)
        department = "g.department_id" if self._has("geo_addresses", "department_id") else "NULL"
        query = (
            f"SELECT {spec_key} AS dwelling_id, {spec_key} AS address_id, "
            f"{parts['living_area_m2'].value} AS living_area_m2, "
            f"{parts['tenure'].value} AS tenure, "
            f"CAST({department} AS VARCHAR) AS department_id "
            f"FROM {file.view} d LEFT JOIN geo_addresses g ON g.address_id = {spec_key}"
        )
        target = self.staging / "dwellings.parquet"
        self.con.execute(f"COPY ({query}) TO '{target}' (FORMAT parquet)")
        written = self.con.execute(f"SELECT count(*) FROM '{target}'").fetchone()
        self.report.dwellings = int(written[0]) if written else 0


def register_years(folder: str | Path, mapping: str | Path = "dst") -> list[int]:
    """The years with a population file (the register holding the address) in ``folder``.

    Raises
    ------
    InputError
        When the folder holds no population file of the layout.
    """
    layout = load_mapping(mapping)
    stem = layout.registers[layout.address.reg].file
    pattern = re.escape(stem).replace(re.escape("{year}"), r"(\d{4})")
    wanted = re.compile(pattern + r"\.(sas7bdat|parquet|csv)", re.IGNORECASE)
    root = Path(folder)
    found = [m.group(1) for p in sorted(root.iterdir()) if (m := wanted.fullmatch(p.name))]
    if not found:
        raise InputError.single(root, f"no population register files named like '{stem}'")
    return sorted({int(y) for y in found})
