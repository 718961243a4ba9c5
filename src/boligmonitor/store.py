"""The workspace database: one typed store under every domain.

A workspace is a folder holding an embedded DuckDB database (``workspace.duckdb``) opened through
Ibis. The store owns the connection, declares every table name once (:class:`Table`), reads and
writes frames, keeps the run history (input file hashes, rule-set ids and versions, parameters,
time) and registers the user's microdata as views over their files, recorded in the database so
every process — the read-only web server included — reaches it the same way.

All writes of one command happen in one transaction (:meth:`Store.run`): a command that fails
midway leaves the database as it was. Several processes may read one workspace at once; a writer
waits for readers to finish for a short while and then fails with a clear message (see
``docs/architecture.md``).
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import os
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import ibis
import pandas as pd

from boligmonitor.engine import connect
from boligmonitor.errors import InputError

if TYPE_CHECKING:
    from boligmonitor.schema.microdata import Microdata

__all__ = [
    "DATABASE_NAME",
    "RuleSetRef",
    "Store",
    "Table",
    "WorkspaceBusy",
    "file_sha256",
]

DATABASE_NAME = "workspace.duckdb"
#: How long a command waits for another process to release the workspace (seconds;
#: ``BOLIGMONITOR_LOCK_WAIT`` overrides it).
LOCK_WAIT_SECONDS = 10.0


class Table(enum.StrEnum):
    """Every table a workspace may hold; the one place their names are written."""

    RUNS = "runs"
    AREA_STATISTICS = "area_statistics"
    DESIGNATIONS = "designations"
    AREA_GEOMETRY = "area_geometry"
    PLAN_CATALOGUE = "plan_catalogue"
    UNIT_STATISTICS = "unit_statistics"
    UNITS = "units"
    SCREENING_AREAS = "screening_areas"
    SCREENING_AREA_SUMMARY = "screening_area_summary"
    SCREENING_UNITS = "screening_units"
    GAP_RECORDS = "gap_records"
    GAP_SUMMARY = "gap_summary"
    MICRODATA_SOURCES = "microdata_sources"
    LIST_HISTORY = "list_history"
    AREA_IDENTITY = "area_identity"
    POOL_CATALOGUE = "pool_catalogue"
    UDVIKLINGSPLAN_STOCK = "udviklingsplan_stock"
    UDVIKLINGSPLANER = "udviklingsplaner"
    MOVER_DECOMPOSITION = "mover_decomposition"
    MOVER_FLOWS = "mover_flows"
    OUTLOOK = "outlook"
    SIMULATION_AREAS = "simulation_areas"
    SIMULATION_SEGREGATION = "simulation_segregation"
    SIMULATION_FLOWS = "simulation_flows"


BUSY_READING = "the workspace is being written by another program; try again when it has finished"
BUSY_WRITING = (
    "the workspace is open in another program (e.g. the dashboard), so nothing can be written "
    "now; close it, run the command again, and then restart the dashboard"
)


class WorkspaceBusy(InputError):
    """Another process holds the workspace (e.g. a dashboard reading it while a command writes)."""


@dataclass(frozen=True)
class RuleSetRef:
    """A rule set as the run history records it."""

    id: str
    version: str


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, recorded in the run history."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _package_version() -> str:
    try:
        return version("boligmonitor")
    except PackageNotFoundError:  # running from a source tree
        return "0+unknown"


def _input_record(source: Path | dict[str, str]) -> dict[str, str]:
    """A run's input: a file hashed now, or a recorded ``{path, sha256}`` from an earlier load."""
    if isinstance(source, dict):
        return source
    return {"path": str(source), "sha256": file_sha256(source)}


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc)
    return "lock" in text.lower() or "different configuration" in text


def _connect_waiting(database: Path | None, read_only: bool) -> Any:
    """Open the database, waiting up to :data:`LOCK_WAIT_SECONDS` for another process."""
    wait = float(os.environ.get("BOLIGMONITOR_LOCK_WAIT", LOCK_WAIT_SECONDS))
    deadline = time.monotonic() + wait
    while True:
        try:
            return connect(database, read_only=read_only)
        except Exception as exc:  # duckdb raises its own IOException types
            if not _is_lock_error(exc):
                raise
            if time.monotonic() >= deadline:
                message = BUSY_READING if read_only else BUSY_WRITING
                raise WorkspaceBusy.single(database or "workspace", message) from None
            time.sleep(0.2)


class Store:
    """The workspace database.

    Use :meth:`create`, :meth:`open` or :meth:`memory` rather than the constructor.

    Parameters
    ----------
    folder
        The workspace folder; ``None`` for an in-memory store.
    read_only
        Open without write access, so several processes (e.g. the dashboard and a CLI command)
        can read at once.
    """

    def __init__(self, folder: Path | None, read_only: bool = False) -> None:
        self.folder = folder
        self.read_only = read_only
        database = folder / DATABASE_NAME if folder is not None else None
        self.con: Any = _connect_waiting(database, read_only)
        self._depth = 0
        self._microdata: Microdata | None = None

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def create(cls, folder: str | Path) -> Self:
        """Create a workspace folder (or open it when it already is one)."""
        path = Path(folder)
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError.single(
                path, "cannot create the folder: {strerror}", strerror=exc.strerror
            ) from None
        return cls(path)

    @classmethod
    def open(cls, folder: str | Path, read_only: bool = False) -> Self:
        """Open an existing workspace.

        Raises
        ------
        InputError
            When the folder holds no workspace.
        """
        path = Path(folder)
        if not (path / DATABASE_NAME).is_file():
            raise InputError.single(
                path,
                "not a Boligmonitor workspace (no {DATABASE_NAME})",
                DATABASE_NAME=DATABASE_NAME,
            )
        return cls(path, read_only=read_only)

    @classmethod
    def memory(cls) -> Self:
        """An in-memory store that disappears when closed."""
        return cls(None)

    def close(self) -> None:
        """Close the database connection."""
        self.con.disconnect()

    # -- tables ------------------------------------------------------------------------------

    def tables(self) -> list[Table]:
        """The workspace's tables (this process's temporary views over microdata left out)."""
        present = set(self.con.list_tables())
        return sorted(t for t in Table if t in present)

    def has(self, name: Table) -> bool:
        """Whether the workspace holds a table."""
        return str(name) in self.con.list_tables()

    def table(self, name: Table) -> Any:
        """An Ibis table expression for a workspace table."""
        return self.con.table(str(name))

    def read(self, name: Table) -> pd.DataFrame:
        """A whole workspace table as pandas."""
        frame: pd.DataFrame = self.con.table(str(name)).to_pandas()
        return frame

    def read_or_none(self, name: Table) -> pd.DataFrame | None:
        """A whole table, or ``None`` when the workspace has no such table."""
        return self.read(name) if self.has(name) else None

    def _writable(self) -> None:
        if self.read_only:
            raise InputError.single(
                self.folder or "workspace",
                "the workspace is open read-only (e.g. by the dashboard); nothing was written",
            )

    def write(self, name: Table, frame: pd.DataFrame, replace: bool = True) -> None:
        """Store a frame as a table, replacing it (default) or appending to it."""
        self._writable()
        with self.transaction():
            if replace or not self.has(name):
                self.con.create_table(str(name), frame, overwrite=True)
                return
            rows = ibis.memtable(frame)
            try:
                self.con.insert(str(name), rows)
            finally:  # Ibis keeps a registered frame as a view until the process exits
                self.con.drop_view(rows.get_name(), force=True)

    def merge(self, name: Table, frame: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
        """Store ``frame``, replacing stored rows with the same ``keys``; returns the table."""
        kept = self.read_or_none(name)
        if kept is not None and not kept.empty:
            new = set(frame[list(keys)].astype(str).itertuples(index=False, name=None))
            old = kept[list(keys)].astype(str).itertuples(index=False, name=None)
            stays = [k not in new for k in old]
            common = {c: t for c, t in frame.dtypes.items() if c in kept.columns}
            kept = kept[stays].astype(common)
            frame = pd.concat([kept, frame], ignore_index=True)
        self.write(name, frame)
        return frame

    # -- transactions and run history --------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction around a block; nested blocks join the outermost one."""
        if self._depth or self.read_only:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.con.con.begin()
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self.con.con.rollback()
            raise
        self._depth = 0
        self.con.con.commit()

    @contextmanager
    def run(
        self,
        kind: str,
        inputs: Sequence[Path | dict[str, str]] = (),
        rule_sets: Sequence[RuleSetRef] = (),
        parameters: dict[str, object] | None = None,
    ) -> Iterator[str]:
        """One command's writes and its run record, in one transaction; yields the run id.

        Nothing is written unless the whole block succeeds.
        """
        run_id = uuid.uuid4().hex[:12]
        started = dt.datetime.now(dt.UTC)
        with self.transaction():
            yield run_id
            record = {
                "run_id": run_id,
                "kind": kind,
                "started_at": started.isoformat(timespec="seconds"),
                "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "inputs": json.dumps([_input_record(p) for p in inputs]),
                "rule_sets": json.dumps([{"id": r.id, "version": r.version} for r in rule_sets]),
                "parameters": json.dumps(parameters or {}, default=str),
                "boligmonitor_version": _package_version(),
            }
            self.write(Table.RUNS, pd.DataFrame([record]), replace=False)

    def runs(self) -> pd.DataFrame:
        """The run history, oldest first."""
        if not self.has(Table.RUNS):
            return pd.DataFrame(columns=["run_id", "kind", "started_at", "inputs", "rule_sets"])
        return self.read(Table.RUNS).sort_values("started_at", kind="stable")

    # -- microdata ---------------------------------------------------------------------------

    def register_microdata(
        self, folder: str | Path, validate: bool = True, years: Sequence[int] | None = None
    ) -> Microdata:
        """Validate a microdata folder and register its tables as views on this store.

        In a workspace folder the folder is recorded (table ``microdata_sources``) so later
        processes — the dashboard, the next command — reach the same microdata without naming it.

        ``years`` limits the check of the persons to those years (the years a command needs).

        Raises
        ------
        InputError
            Listing every problem (file, row, column); nothing is registered or recorded then.
        """
        from boligmonitor.schema.microdata import load_microdata

        microdata = load_microdata(folder, con=self.con, validate=validate, years=years)
        if self.folder is not None and not self.read_only:
            source = pd.DataFrame([{"folder": str(Path(folder).resolve())}])
            with self.run("load_microdata", inputs=[{"path": str(f)} for f in microdata.files]):
                self.write(Table.MICRODATA_SOURCES, source)
        self._microdata = microdata
        return microdata

    def microdata(self) -> Microdata:
        """The microdata registered in this process, or recorded in the workspace.

        Raises
        ------
        InputError
            When no microdata was registered (``--microdata DIR``).
        """
        if self._microdata is None and self.has(Table.MICRODATA_SOURCES):
            from boligmonitor.schema.microdata import load_microdata

            folder = str(self.read(Table.MICRODATA_SOURCES)["folder"].iloc[-1])
            self._microdata = load_microdata(folder, con=self.con, validate=False)
        if self._microdata is None:
            raise InputError.single("workspace", "no microdata loaded (use --microdata DIR)")
        return self._microdata

    def has_microdata(self) -> bool:
        """Whether microdata is registered in this process or recorded in the workspace."""
        return self._microdata is not None or self.has(Table.MICRODATA_SOURCES)
