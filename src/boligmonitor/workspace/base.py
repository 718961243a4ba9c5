"""The workspace core: database, tables, run history, rule sets and statutory designations.

A workspace is a folder holding an embedded DuckDB database (``workspace.duckdb``) opened
through Ibis. It stores validated inputs, computed results and a run history — input file
hashes, rule-set ids and versions, parameters and time — so every result can be reproduced.
Inputs are validated completely before anything is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Self

import ibis
import pandas as pd

from boligmonitor.engine import connect
from boligmonitor.errors import InputError
from boligmonitor.rules.evaluate import AreaDesignation, evaluate
from boligmonitor.rules.model import RuleSet
from boligmonitor.rules.registry import resolve_rule_set, shipped_rule_sets
from boligmonitor.schema.area_statistics import read_area_statistics

__all__ = [
    "AREA_STATISTICS_TABLE",
    "DATABASE_NAME",
    "PLANS_TABLE",
    "SCREENING_AREAS_TABLE",
    "WorkspaceBase",
    "file_sha256",
]

DATABASE_NAME = "workspace.duckdb"
AREA_STATISTICS_TABLE = "area_statistics"
DESIGNATIONS_TABLE = "designations"
RUNS_TABLE = "runs"
PLANS_TABLE = "plan_catalogue"
SCREENING_AREAS_TABLE = "screening_areas"


def _package_version() -> str:
    try:
        return version("boligmonitor")
    except PackageNotFoundError:  # running from a source tree
        return "0+unknown"


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, recorded in the run history."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _input_record(source: Path | dict[str, str]) -> dict[str, str]:
    """A run's input: a file hashed now, or a recorded ``{path, sha256}`` from an earlier load."""
    if isinstance(source, dict):
        return source
    return {"path": str(source), "sha256": file_sha256(source)}


class WorkspaceBase:
    """A Boligmonitor workspace.

    Use :meth:`create`, :meth:`open` or :meth:`memory` rather than the constructor.

    Examples
    --------
    >>> ws = Workspace.memory()
    >>> ws.load_area_statistics("areas.csv")  # doctest: +SKIP
    >>> results = ws.designate(year=2020, rules="dk-2018")  # doctest: +SKIP
    """

    def __init__(self, folder: Path | None, read_only: bool = False) -> None:
        self.folder = folder
        self.read_only = read_only
        database = folder / DATABASE_NAME if folder is not None else None
        self.con: Any = connect(database, read_only=read_only)
        self._user_rule_sets: list[RuleSet] = []

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def create(cls, folder: str | Path) -> Self:
        """Create a workspace folder (or open it when it already is one)."""
        path = Path(folder)
        path.mkdir(parents=True, exist_ok=True)
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
            raise InputError.single(path, f"not a Boligmonitor workspace (no {DATABASE_NAME})")
        return cls(path, read_only=read_only)

    @classmethod
    def memory(cls) -> Self:
        """An in-memory workspace that disappears when closed."""
        return cls(None)

    def close(self) -> None:
        """Close the database connection."""
        self.con.disconnect()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- tables ------------------------------------------------------------------------------

    def tables(self) -> list[str]:
        """Names of the tables in the workspace."""
        return sorted(self.con.list_tables())

    def has_table(self, name: str) -> bool:
        """Whether the workspace holds a table."""
        return name in self.con.list_tables()

    def table(self, name: str) -> Any:
        """An Ibis table expression for a workspace table."""
        return self.con.table(name)

    def read_table(self, name: str) -> pd.DataFrame:
        """A whole workspace table as pandas."""
        frame: pd.DataFrame = self.con.table(name).to_pandas()
        return frame

    def write_table(self, name: str, frame: pd.DataFrame, replace: bool = True) -> None:
        """Store a frame as a table, replacing it (default) or appending to it."""
        if replace or not self.has_table(name):
            self.con.create_table(name, frame, overwrite=True)
            return
        rows = ibis.memtable(frame)
        try:
            self.con.insert(name, rows)
        finally:  # Ibis keeps a registered frame as a view until the process exits
            self.con.drop_view(rows.get_name(), force=True)

    # -- run history -------------------------------------------------------------------------

    @contextmanager
    def run(
        self,
        kind: str,
        inputs: Sequence[Path | dict[str, str]] = (),
        rule_sets: Sequence[RuleSet] = (),
        parameters: dict[str, object] | None = None,
    ) -> Iterator[str]:
        """Record a run: yields its id; the record is written only if the block succeeds."""
        run_id = uuid.uuid4().hex[:12]
        started = dt.datetime.now(dt.UTC)
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
        self.write_table(RUNS_TABLE, pd.DataFrame([record]), replace=False)

    def runs(self) -> pd.DataFrame:
        """The run history, oldest first."""
        if not self.has_table(RUNS_TABLE):
            return pd.DataFrame(columns=["run_id", "kind", "started_at", "inputs", "rule_sets"])
        return self.read_table(RUNS_TABLE).sort_values("started_at", kind="stable")

    # -- rule sets ---------------------------------------------------------------------------

    def rule_sets(self) -> list[RuleSet]:
        """Rule sets available: the user's loaded ones first, then the shipped ones."""
        return [*self._user_rule_sets, *shipped_rule_sets()]

    def rule_set(self, id_or_path: str) -> RuleSet:
        """A rule set by id, or loaded from a YAML file (then remembered in this session)."""
        rule_set = resolve_rule_set(id_or_path, tuple(self._user_rule_sets))
        if rule_set not in self.rule_sets():
            self._user_rule_sets.append(rule_set)
        return rule_set

    # -- area statistics and designations ----------------------------------------------------

    def load_area_statistics(self, path: str | Path, replace: bool = False) -> pd.DataFrame:
        """Validate an area statistics file and store it.

        Rows replace stored rows with the same ``(area_id, year)``; with ``replace`` the whole
        table is replaced. Nothing is written when the file has any problem.

        Raises
        ------
        InputError
            Listing every problem (file, row, column).
        """
        file = Path(path)
        frame = read_area_statistics(file).drop(columns=["source_row"])
        frame["source_file"] = file.name
        frame["source_sha256"] = file_sha256(file)
        if self.has_table(AREA_STATISTICS_TABLE) and not replace:
            kept = self.read_table(AREA_STATISTICS_TABLE)
            keys = set(zip(frame["area_id"], frame["year"], strict=True))
            mask = [k not in keys for k in zip(kept["area_id"], kept["year"], strict=True)]
            frame = pd.concat([kept[mask].astype(frame.dtypes.to_dict()), frame], ignore_index=True)
        with self.run("load_area_statistics", inputs=[file]):
            self.write_table(AREA_STATISTICS_TABLE, frame)
        return frame

    def area_statistics(self, year: int | None = None) -> pd.DataFrame:
        """Stored area statistics: all years, or every year up to and including ``year``.

        Earlier years are included because consecutive-year designations look back.
        """
        if not self.has_table(AREA_STATISTICS_TABLE):
            raise InputError.single("workspace", "no area statistics loaded")
        table = self.table(AREA_STATISTICS_TABLE)
        if year is not None:
            table = table.filter(table.year <= year)
        frame: pd.DataFrame = table.to_pandas()
        return frame

    def designate(
        self, year: int | None = None, rules: Sequence[str] | None = None, store: bool = True
    ) -> list[AreaDesignation]:
        """Designate the stored areas for a list year (or every year stored).

        Parameters
        ----------
        year
            List year; ``None`` for every year in the statistics.
        rules
            Rule-set ids or YAML paths; ``None`` applies the regimes in force each year
            (§ 61 a/§ 61 b and § 51 b).
        store
            Store the results in the ``designations`` table with a run record.
        """
        results = self._evaluate(year, rules)
        if store and results:
            used = {(r.rule_set, r.rule_set_version) for r in results}
            rule_sets = [s for s in self.rule_sets() if (s.id, s.version) in used]
            with self.run(
                "designate",
                inputs=self._statistics_sources(),
                rule_sets=rule_sets,
                parameters={"year": year, "rules": rules},
            ) as run_id:
                self._store_designations(results, run_id)
        return results

    def _statistics_sources(self) -> list[dict[str, str]]:
        """The files (name and hash) the stored area statistics came from."""
        table = self.table(AREA_STATISTICS_TABLE)
        if "source_sha256" not in table.columns:
            return []
        pairs = table.select("source_file", "source_sha256").distinct().to_pandas()
        ordered = pairs.sort_values("source_file").itertuples(index=False)
        return [{"path": str(name), "sha256": str(digest)} for name, digest in ordered]

    def _evaluate(
        self, year: int | None, rules: Sequence[str] | None, area_id: str | None = None
    ) -> list[AreaDesignation]:
        chosen = [self.rule_set(r) for r in rules] if rules else None
        statistics = self.area_statistics(year)
        if area_id is not None:
            statistics = statistics[statistics["area_id"] == area_id]
        return evaluate(statistics, year, chosen, tuple(self.rule_sets()))

    def _store_designations(self, results: list[AreaDesignation], run_id: str) -> None:
        rows = pd.DataFrame(
            {
                "area_id": [r.area_id for r in results],
                "area_name": [r.area_name for r in results],
                "year": [r.year for r in results],
                "rule_set": [r.rule_set for r in results],
                "rule_set_version": [r.rule_set_version for r in results],
                "residents": pd.array([r.residents for r in results], dtype="Int64"),
                "designations": [";".join(r.designations) for r in results],
                "record": [json.dumps(r.as_record(), ensure_ascii=False) for r in results],
                "run_id": run_id,
            }
        )
        if self.has_table(DESIGNATIONS_TABLE):
            kept = self.read_table(DESIGNATIONS_TABLE)
            new_keys = set(zip(rows["area_id"], rows["year"], rows["rule_set"], strict=True))
            mask = [
                k not in new_keys
                for k in zip(kept["area_id"], kept["year"], kept["rule_set"], strict=True)
            ]
            rows = pd.concat([kept[mask].astype(rows.dtypes.to_dict()), rows], ignore_index=True)
        self.write_table(DESIGNATIONS_TABLE, rows)

    def stored_designations(self, year: int | None = None) -> list[dict[str, Any]]:
        """Stored designation records (the JSON shape), optionally for one year."""
        if not self.has_table(DESIGNATIONS_TABLE):
            return []
        table = self.table(DESIGNATIONS_TABLE)
        if year is not None:
            table = table.filter(table.year == year)
        return [json.loads(text) for text in table.record.to_pandas()]

    def explain(
        self, area_id: str, year: int, rules: Sequence[str] | None = None
    ) -> list[AreaDesignation]:
        """The designations of one area and year, with every criterion's reasoning.

        Raises
        ------
        InputError
            When the area has no statistics for that year.
        """
        results = self._evaluate(year, rules, area_id)
        if not results:
            raise InputError.single("workspace", f"no statistics for area '{area_id}' in {year}")
        return results
