"""Finding a register's file for a year and exposing it to DuckDB, row numbers included.

``.parquet`` and ``.csv`` are read by DuckDB directly; ``.sas7bdat`` is streamed with
pyreadstat in chunks into a temporary Parquet file (never whole into memory).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from boligmonitor.errors import InputError
from boligmonitor.registers.mapping import load_mapping
from boligmonitor.registers.sql import ident, literal

__all__ = ["SUFFIXES", "RegisterFile", "find_file", "open_file", "register_years"]

SUFFIXES = (".sas7bdat", ".parquet", ".csv")
_SAS_CHUNK = 250_000


@dataclass(frozen=True)
class RegisterFile:
    """One register file registered as a DuckDB view.

    Attributes
    ----------
    register, year
        Which register and year it holds.
    path
        The file as the user has it.
    view
        The quoted DuckDB view name; it has the file's variables and ``_row`` (row number as the
        user sees it: the record number for SAS and Parquet, the line for CSV).
    types
        Variable name (upper case) -> DuckDB type name.
    names
        Upper-case variable name -> the name as written in the file.
    dictionary
        Read from Parquet, whose text columns are dictionary-encoded: a code test is then
        computed once per distinct code (see ``sql.in_list``).
    """

    register: str
    year: int
    path: Path
    view: str
    types: dict[str, str]
    names: dict[str, str]
    dictionary: bool = False

    def column(self, variable: str) -> str:
        """The quoted column of a variable (names are matched case-insensitively)."""
        return ident(self.names[variable.upper()])


def find_file(folder: Path, stem: str) -> Path | None:
    """The file named ``stem`` with a known suffix (case-insensitive), if any."""
    wanted = {f"{stem}{suffix}".lower() for suffix in SUFFIXES}
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.name.lower() in wanted:
            return path
    return None


def _sas_to_parquet(path: Path, target: Path) -> None:
    """Stream a SAS dataset into Parquet chunk by chunk."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    import pyreadstat

    writer: Any = None
    try:
        for frame, _meta in pyreadstat.read_file_in_chunks(
            pyreadstat.read_sas7bdat, str(path), chunksize=_SAS_CHUNK
        ):
            table = pa.Table.from_pandas(frame, preserve_index=False)
            if writer is None:
                writer = pq.ParquetWriter(str(target), table.schema)
            writer.write_table(table.cast(writer.schema))
    except Exception as exc:  # pyreadstat raises its own error types
        raise InputError.single(path, "cannot read SAS dataset: {exc}", exc=exc) from exc
    finally:
        if writer is not None:
            writer.close()
    if writer is None:
        raise InputError.single(path, "the SAS dataset has no rows")


def open_file(
    con: duckdb.DuckDBPyConnection, path: Path, register: str, year: int, scratch: Path
) -> RegisterFile:
    """Register ``path`` as a view with a ``_row`` column.

    Raises
    ------
    InputError
        When the file cannot be read.
    """
    name = f"r_{register.lower()}_{year}"
    view = ident(name)
    source = path
    if path.suffix.lower() == ".sas7bdat":
        source = scratch / f"{name}.parquet"
        _sas_to_parquet(path, source)
    if source.suffix.lower() == ".csv":
        scan = (
            f"SELECT *, row_number() OVER () + 1 AS _row "
            f"FROM read_csv({literal(source)}, all_varchar=true)"
        )
    else:
        scan = (
            f"SELECT * EXCLUDE (file_row_number), file_row_number + 1 AS _row "
            f"FROM read_parquet({literal(source)}, file_row_number=true)"
        )
    try:
        con.execute(f"CREATE OR REPLACE TEMP VIEW {view} AS {scan}")
        described = con.execute(f"DESCRIBE {view}").fetchall()
    except duckdb.Error as exc:
        raise InputError.single(
            path, "cannot read {register} file: {exc}", register=register, exc=exc
        ) from exc
    names = {str(row[0]).upper(): str(row[0]) for row in described if row[0] != "_row"}
    types = {str(row[0]).upper(): str(row[1]) for row in described if row[0] != "_row"}
    parquet = source.suffix.lower() == ".parquet"
    return RegisterFile(register, year, path, view, types, names, parquet)


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
        raise InputError.single(root, "no population register files named like '{stem}'", stem=stem)
    return sorted({int(y) for y in found})
