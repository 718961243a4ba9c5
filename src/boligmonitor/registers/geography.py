"""The ``geo/`` tables of a register import: copied to the output, addresses indexed once.

``geo/`` holds the native ``regions``, ``municipalities``, ``departments`` and ``addresses``
tables. Each is written to the output as it is (``addresses`` without ``department_id``,
which goes to the dwellings); a Parquet table that DuckDB would write back unchanged is
copied as a file. The addresses' keys are read once into Arrow; integer ids in a dense range
are indexed by slot (``joining``), so that the persons' and dwellings' address checks and the
dwellings' departments are gathers rather than joins.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from boligmonitor.errors import InputError, Problem
from boligmonitor.registers.background import Copies
from boligmonitor.registers.joining import DENSE, Keyed, index_of, keys_of, looked_up
from boligmonitor.registers.sql import PARQUET, literal

__all__ = ["GEOGRAPHY", "KEYS", "Geography", "open_geography", "write_dwellings"]

#: Tables in the native schema that a register import takes from ``DIR/geo/``.
GEOGRAPHY = ("regions", "municipalities", "departments", "addresses")
#: The view of the addresses' keys (``address_id`` and, if given, ``department_id``).
KEYS = "geo_address_keys"


@dataclass
class Geography:
    """``geo/addresses``' keys as the import looks addresses up in them.

    Attributes
    ----------
    keys
        ``address_id`` and, if ``geo/addresses`` has it, ``department_id``; registered with
        the import's connection as :data:`KEYS`.
    index
        The integer ``address_id`` indexed by slot
        (:func:`~boligmonitor.registers.joining.index_of`); ``None`` for sparse ids or ids of
        another type (then joins in DuckDB decide).
    """

    keys: pa.Table
    index: Keyed | None

    @property
    def departments(self) -> bool:
        """Whether ``geo/addresses`` gives each address its department."""
        return "department_id" in self.keys.column_names


def open_geography(
    con: duckdb.DuckDBPyConnection, folder: Path, staging: Path, copies: Copies
) -> tuple[Geography, list[Path]]:
    """Expose ``folder``'s tables as ``geo_<name>`` views, queue their copies, index addresses.

    Returns
    -------
    The addresses' keys and the files read.

    Raises
    ------
    InputError
        A table or ``addresses.address_id`` is missing.
    """
    problems, files = [], []
    for name in GEOGRAPHY:
        path = next(
            (
                folder / f"{name}{s}"
                for s in (".parquet", ".csv")
                if (folder / f"{name}{s}").is_file()
            ),
            None,
        )
        if path is None:
            problems.append(
                Problem(
                    str(folder), "missing table '{name}' (.parquet or .csv)", params={"name": name}
                )
            )
            continue
        files.append(path)
        reader = "read_parquet" if path.suffix == ".parquet" else "read_csv"
        con.execute(f"CREATE TEMP VIEW geo_{name} AS SELECT * FROM {reader}({literal(path)})")
        _copy(con, copies, name, path, staging / f"{name}.parquet")
    if problems:
        raise InputError(problems)
    columns = _columns(con, "geo_addresses")
    if "address_id" not in columns:
        raise InputError.single(folder / "addresses", "missing column 'address_id'")
    department = ", department_id" if "department_id" in columns else ""
    keys = con.sql(f"SELECT address_id{department} FROM geo_addresses").to_arrow_table()
    con.register(KEYS, keys)
    return Geography(keys, _dense_index(keys.column("address_id"))), files


def _dense_index(ids: pa.ChunkedArray) -> Keyed | None:
    """Integer ids indexed by slot, when their range is at most :data:`DENSE` × their number.

    A lookup is then one gather per row. Sparse ids (``KOM`` × 10⁸ + ``BOPIKOM``) would need
    the looked-up keys sorted each time, which costs more than DuckDB's hash join on two
    cores: they are left to the joins.
    """
    if not pa.types.is_integer(ids.type) or len(ids) == ids.null_count:
        return None
    low, high = pc.min(ids).as_py(), pc.max(ids).as_py()
    if high - low + 1 > DENSE * (len(ids) - ids.null_count):
        return None
    return index_of(*keys_of(ids))


def _columns(con: duckdb.DuckDBPyConnection, view: str) -> list[str]:
    return [str(row[0]) for row in con.execute(f"DESCRIBE {view}").fetchall()]


def _copy(
    con: duckdb.DuckDBPyConnection, copies: Copies, name: str, path: Path, target: Path
) -> None:
    """Queue writing one ``geo/`` table to ``target``: a file copy when nothing would change."""
    columns = _columns(con, f"geo_{name}")
    dropped = ["department_id"] if name == "addresses" and "department_id" in columns else []
    if not dropped and path.suffix == ".parquet" and _written_as_is(con, path):
        copies.call(shutil.copyfile, path, target)
        return
    keep = f"* EXCLUDE ({', '.join(dropped)})" if dropped else "*"
    reader = "read_parquet" if path.suffix == ".parquet" else "read_csv"
    copies.copy(
        f"COPY (SELECT {keep} FROM {reader}({literal(path)})) TO {literal(target)} ({PARQUET})"
    )


def _written_as_is(con: duckdb.DuckDBPyConnection, path: Path) -> bool:
    """Whether DuckDB reads the Parquet file ``path`` with exactly the file's own schema.

    Then writing it back changes no name, type or value, and copying the file is the same.
    """
    stored = pq.read_schema(path).remove_metadata()
    read = con.sql(f"SELECT * FROM read_parquet({literal(path)}) LIMIT 0").to_arrow_table()
    return bool(stored.equals(read.schema.remove_metadata()))


def write_dwellings(
    con: duckdb.DuckDBPyConnection, dwellings: pa.Table, geography: Geography, target: Path
) -> int:
    """Write the dwellings (``address_id``, ``living_area_m2``, ``tenure``) with departments.

    Each dwelling's department is its address's in ``geo/addresses``, looked up in the index;
    a left join in DuckDB when there is none or ids repeat (a repeated id then gives
    its dwelling once per address row). Returns the rows written.
    """
    source = "_dwellings d"
    department = "NULL"
    if geography.index is None or geography.index.repeated:  # a join, as many rows as it gives
        source += f" LEFT JOIN {KEYS} g ON g.address_id = d.address_id"
        department = "g.department_id" if geography.departments else "NULL"
    elif geography.departments:
        rows = looked_up(geography.index, dwellings.column("address_id"))
        found = geography.keys.column("department_id").take(rows)
        dwellings = dwellings.append_column("_department", found)
        department = "d._department"
    query = (
        "SELECT d.address_id AS dwelling_id, d.address_id AS address_id, "
        "d.living_area_m2 AS living_area_m2, d.tenure AS tenure, "
        f"CAST({department} AS VARCHAR) AS department_id FROM {source}"
    )
    con.register("_dwellings", dwellings)
    try:
        written = con.execute(f"COPY ({query}) TO {literal(target)} ({PARQUET})").fetchone()
    finally:
        con.unregister("_dwellings")
    return int(written[0]) if written else 0
