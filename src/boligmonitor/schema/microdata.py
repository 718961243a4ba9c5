"""Register-style microdata: the tables, their columns, and validation.

A microdata folder holds one file per table (``.parquet`` or ``.csv``); persons may instead be a
folder ``persons/`` of files (e.g. one per year). Tables:

``regions``, ``municipalities``, ``addresses`` (unit addresses with EPSG:25832 coordinates, the
DKN 100 m cell and the screening unit), ``dwellings`` (one per address; BBR living area, tenure,
department), ``departments`` (public housing departments and their statutory boligområde) and
``persons`` (one row per person and year: status at 1 January of that year).

CSV files go through the generic :func:`~boligmonitor.schema.columns.validate_table`. Parquet
files, which may hold millions of rows, are first proven clean where their footer statistics
and one read of a few columns can (:mod:`boligmonitor.schema.parquet_proof`); otherwise they
are checked with vectorised DuckDB aggregates through Ibis, and every failing check reports its
first offending rows (1-based record numbers) and how many more there are. Nothing is loaded
when any problem is found. See ``docs/microdata.md``.
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
from boligmonitor.errors import InputError, Problem, Text
from boligmonitor.io.tables import read_raw_table
from boligmonitor.schema.columns import Column, Kind, validate_table
from boligmonitor.schema.parquet_proof import Members, proven_clean, stated_years

__all__ = [
    "EDUCATION_VALUES",
    "MICRODATA_TABLES",
    "ORIGIN_VALUES",
    "TENURE_VALUES",
    "Microdata",
    "load_microdata",
    "persons_years",
]

ORIGIN_VALUES = (
    "danish",
    "western_immigrant",
    "western_descendant",
    "nonwestern_immigrant",
    "nonwestern_descendant",
)
EDUCATION_VALUES = (
    "basic",
    "upper_secondary",
    "vocational",
    "short_tertiary",
    "medium_tertiary",
    "long_tertiary",
    "unknown",
    "foreign_not_approved",
)
TENURE_VALUES = (
    "almen_family",
    "almen_elderly",
    "almen_youth",
    "private_rental",
    "andel",
    "owner_occupied",
    "public",
)
_SHOWN_ROWS = 5  # offending rows listed per failing check


def _id(name: str, description: str, nullable: bool = False) -> Column:
    return Column(name, Kind.INTEGER, nullable=nullable, minimum=0, description=description)


def _text(name: str, description: str, nullable: bool = True, required: bool = True) -> Column:
    return Column(name, Kind.TEXT, required=required, nullable=nullable, description=description)


def _flag(name: str, description: str) -> Column:
    return Column(name, Kind.BOOLEAN, nullable=False, description=description)


#: Columns of each microdata table, and its key.
MICRODATA_TABLES: dict[str, tuple[tuple[Column, ...], tuple[str, ...]]] = {
    "regions": (
        (
            _id("region_code", "Region code (Danmarks Statistik, e.g. 1084)."),
            _text("name", "Region name."),
        ),
        ("region_code",),
    ),
    "municipalities": (
        (
            _id("municipality_code", "Municipality code (e.g. 101 København)."),
            _text("name", "Municipality name."),
            _id("region_code", "Region of the municipality."),
        ),
        ("municipality_code",),
    ),
    "departments": (
        (
            _text("department_id", "Department id, e.g. 'VIBO-0108'.", nullable=False),
            _text("organisation", "Housing organisation (boligorganisation)."),
            Column("number", Kind.INTEGER, minimum=0, description="Department number."),
            _text("name", "Department name."),
            Column("leases", Kind.INTEGER, minimum=0, description="Number of leases (lejemål)."),
            _text("area_id", "Statutory boligområde the department belongs to (empty: none)."),
            _text("area_name", "Name of the boligområde.", required=False),
        ),
        ("department_id",),
    ),
    "addresses": (
        (
            _id("address_id", "Unit address (enhedsadresse: with floor and door)."),
            Column("x", Kind.NUMBER, nullable=False, description="Easting, EPSG:25832 (m)."),
            Column("y", Kind.NUMBER, nullable=False, description="Northing, EPSG:25832 (m)."),
            _text("dkn_100m", "DKN 100 m cell id, e.g. '100m_61763_7228'.", required=False),
            _text("screening_unit", "The city's screening unit (empty: none).", required=False),
            _id("municipality_code", "Municipality of the address."),
        ),
        ("address_id",),
    ),
    "dwellings": (
        (
            _id("dwelling_id", "Dwelling id (BBR enhed)."),
            _id("address_id", "Its unit address; one dwelling per address."),
            Column("living_area_m2", Kind.NUMBER, minimum=0, description="BBR living area (m²)."),
            Column(
                "tenure", Kind.TEXT, nullable=False, choices=TENURE_VALUES, description="Tenure."
            ),
            _text("department_id", "Public housing department (empty: not public housing)."),
        ),
        ("dwelling_id",),
    ),
    "persons": (
        (
            _id("person_id", "Person id (pseudonymised CPR)."),
            Column(
                "year",
                Kind.INTEGER,
                nullable=False,
                minimum=1990,
                maximum=2100,
                description="Year; the row describes the person at 1 January.",
            ),
            _id("address_id", "Unit address at 1 January."),
            Column(
                "age",
                Kind.INTEGER,
                nullable=False,
                minimum=0,
                maximum=130,
                description="Age at 1 January.",
            ),
            Column(
                "origin",
                Kind.TEXT,
                nullable=False,
                choices=ORIGIN_VALUES,
                description="Origin (herkomst).",
            ),
            Column(
                "no_attachment_fraction",
                Kind.NUMBER,
                nullable=False,
                minimum=0,
                maximum=1,
                description="Fraction of the year without attachment to labour market or "
                "education (full-time persons).",
            ),
            _flag(
                "permanently_outside_labour_force",
                "Permanently outside the labour force (retirement schemes and others).",
            ),
            _flag("in_education", "In education."),
            Column(
                "education",
                Kind.TEXT,
                nullable=False,
                choices=EDUCATION_VALUES,
                description="Highest completed education.",
            ),
            Column("gross_income", Kind.NUMBER, description="Gross income (kr.)."),
            Column("disposable_income", Kind.NUMBER, description="Disposable income (kr.)."),
            _flag("taxpayer", "Full taxpayer (skattepligtig)."),
            _flag(
                "convicted",
                "Convicted that year under straffeloven, våbenloven or lov om "
                "euforiserende stoffer.",
            ),
        ),
        ("person_id", "year"),
    ),
}
#: (table, column) -> (referenced table, referenced column)
_FOREIGN_KEYS = {
    ("municipalities", "region_code"): ("regions", "region_code"),
    ("addresses", "municipality_code"): ("municipalities", "municipality_code"),
    ("dwellings", "address_id"): ("addresses", "address_id"),
    ("dwellings", "department_id"): ("departments", "department_id"),
    ("persons", "address_id"): ("addresses", "address_id"),
}
#: Further columns whose values must be unique, with the message when they are not.
_UNIQUE: dict[str, dict[tuple[str, ...], str]] = {
    "dwellings": {("address_id",): "address has more than one dwelling (one per unit address)"},
}
_IBIS_TYPES = {
    Kind.INTEGER: "int64",
    Kind.NUMBER: "float64",
    Kind.TEXT: "string",
    Kind.BOOLEAN: "boolean",
}


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


def _files_of(folder: Path, table: str) -> list[Path]:
    for suffix in (".parquet", ".csv"):
        if (folder / f"{table}{suffix}").is_file():
            return [folder / f"{table}{suffix}"]
    subfolder = folder / table
    if subfolder.is_dir():
        return sorted([*subfolder.glob("*.parquet"), *subfolder.glob("*.csv")])
    return []


def _stated_years(folder: Path) -> list[int] | None:
    """The years the persons Parquet files' statistics state (``None``: a scan must tell)."""
    files = _files_of(folder, "persons")
    if not files or any(f.suffix != ".parquet" for f in files):
        return None
    return stated_years(files)


def persons_years(folder: str | Path) -> list[int] | None:
    """The years in a folder's persons Parquet files: from their statistics, else read from
    the year column alone (``None`` for CSV persons or when there are none)."""
    files = _files_of(Path(folder), "persons")
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
        found = _files_of(root, name)
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
            return table.mutate(**{c.name: _typed(table, c) for c in schema})
    if validate:
        references = {
            column: (target, target_column, earlier[target])
            for (table_name, column), (target, target_column) in _FOREIGN_KEYS.items()
            if table_name == name and target in earlier
        }
        checked = table
        if years is not None and name == "persons" and "year" in table.columns:
            checked = table.filter(table.year.isin(list(years)))
        check = _TableCheck(name, checked, files, references, first_row=2 if csv else 1)
        try:
            check.run(cells=not csv)
        except duckdb.Error as exc:  # read lazily: a broken or mismatched file fails here
            broken = _broken_file(con, files) or files[0]
            raise InputError.single(
                broken, "cannot read Parquet: {exc}", exc=str(exc).splitlines()[0]
            ) from exc
    return table.mutate(**{c.name: _typed(table, c) for c in schema})


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
        for (table_name, column), (target, target_column) in _FOREIGN_KEYS.items()
        if table_name == name and target in earlier
    }
    if any(target not in members for target in targets.values()):
        return False
    keep = sorted({c for (t, c) in _FOREIGN_KEYS.values() if t == name})
    clean, kept = proven_clean(
        files,
        schema,
        [key, *_UNIQUE.get(name, {})],
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


def _typed(table: Any, column: Column) -> Any:
    """The column cast to its kind; an absent optional column is all empty."""
    if column.name not in table.columns:
        return ibis.null(_IBIS_TYPES[column.kind])
    return table[column.name].cast(_IBIS_TYPES[column.kind])


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


class _TableCheck:
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
        keys.update(_UNIQUE.get(self.name, {}))
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
            typed = raw.try_cast(_IBIS_TYPES[column.kind])
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
