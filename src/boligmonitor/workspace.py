"""The Workspace: the one object the CLI, the web app, reports and notebooks call.

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
from typing import TYPE_CHECKING, Any

import pandas as pd

from boligmonitor.engine import connect
from boligmonitor.errors import InputError
from boligmonitor.rules.evaluate import AreaDesignation, evaluate
from boligmonitor.rules.model import RuleSet
from boligmonitor.rules.registry import resolve_rule_set, shipped_rule_sets
from boligmonitor.schema.area_statistics import read_area_statistics

if TYPE_CHECKING:  # goals and status report (issue 5): imported lazily, they load scipy/altair
    from boligmonitor.monitor.goals.evaluate import Evaluation as GoalEvaluation
    from boligmonitor.monitor.goals.model import Catalogue as GoalCatalogue

if TYPE_CHECKING:  # helhedsplaner (issue 6): imported in the methods, they load the YAML models
    from boligmonitor.finance.budget_note import BudgetNoteSummary
    from boligmonitor.finance.designations import PlanDesignations
    from boligmonitor.finance.financing import PlanFinance, Rounding
    from boligmonitor.finance.frame import FrameCheck
    from boligmonitor.finance.model import Plan, PlanCatalogue

__all__ = ["DATABASE_NAME", "Workspace"]

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


class Workspace:
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
    def create(cls, folder: str | Path) -> Workspace:
        """Create a workspace folder (or open it when it already is one)."""
        path = Path(folder)
        path.mkdir(parents=True, exist_ok=True)
        return cls(path)

    @classmethod
    def open(cls, folder: str | Path, read_only: bool = False) -> Workspace:
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
    def memory(cls) -> Workspace:
        """An in-memory workspace that disappears when closed."""
        return cls(None)

    def close(self) -> None:
        """Close the database connection."""
        self.con.disconnect()

    def __enter__(self) -> Workspace:
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
        else:
            self.con.insert(name, frame)

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

    # -- microdata and indicators (issue 3) --------------------------------------------------

    def load_microdata(self, folder: str | Path, validate: bool = True) -> Any:
        """Validate a microdata folder and keep it for the indicator methods below.

        Raises
        ------
        InputError
            Listing every problem (file, row, column); nothing is kept then.
        """
        from boligmonitor.schema.microdata import load_microdata

        self._microdata = load_microdata(folder, validate=validate)
        return self._microdata

    def microdata(self) -> Any:
        """The microdata loaded with :meth:`load_microdata`."""
        microdata = getattr(self, "_microdata", None)
        if microdata is None:
            raise InputError.single("workspace", "no microdata loaded (use --microdata DIR)")
        return microdata

    def area_statistics_from_microdata(
        self, years: Sequence[int] | None = None, min_persons: int = 3
    ) -> pd.DataFrame:
        """Compute area statistics from the loaded microdata and store them as area statistics.

        The statistics pass disclosure control and then the same file route as an export
        (written, read and validated), so designating them equals designating the export.
        """
        import tempfile

        from boligmonitor.indicators.exports import disclosed_area_statistics, write_disclosed

        frame = disclosed_area_statistics(self.microdata(), years, min_persons)
        with tempfile.TemporaryDirectory() as folder:
            path = write_disclosed(frame, Path(folder) / "area_statistics_from_microdata.csv")
            return self.load_area_statistics(path)

    def unit_indicators(
        self, year: int | Sequence[int] | None = None, unit: str = "screening_unit"
    ) -> pd.DataFrame:
        """Copenhagen's five criteria per unit and year from the loaded microdata (undisclosed:
        for computation; exports go through :mod:`boligmonitor.disclosure`)."""
        from boligmonitor.indicators.copenhagen import unit_indicators

        return unit_indicators(self.microdata(), year, unit)  # type: ignore[arg-type]

    # -- city screening and gap (issue 4) ----------------------------------------------------

    def load_unit_statistics(self, path: str | Path, replace: bool = False) -> pd.DataFrame:
        """Validate unit statistics (five city criteria per unit and year) and store them."""
        from boligmonitor.screening.service import load_unit_statistics

        return load_unit_statistics(self, path, replace)

    def unit_statistics_from_microdata(
        self, years: Sequence[int] | None = None, unit: str = "screening_unit"
    ) -> pd.DataFrame:
        """Compute unit statistics from the loaded microdata and store them."""
        from boligmonitor.screening.service import unit_statistics_from_microdata

        return unit_statistics_from_microdata(self, years, unit)

    def load_units(self, path: str | Path) -> pd.DataFrame:
        """Validate and store unit geometry (``unit_id, name, geometry_wkt``, EPSG:25832)."""
        from boligmonitor.screening.service import load_units

        return load_units(self, path)

    def screen(
        self,
        year: int,
        method: str = "kk-default",
        round_year: int | None = None,
        store: bool = True,
    ) -> Any:
        """Screen the stored units of a year into udsatte byområder (see ``docs/screening.md``);
        the areas are stored in ``screening_areas`` for the round."""
        from boligmonitor.screening.service import workspace_screen

        return workspace_screen(self, year, method, round_year, store)

    def compare_methods(self, year: int, methods: Sequence[str]) -> Any:
        """Screen a year under several methods and compare the designated units."""
        from boligmonitor.screening.service import workspace_compare_methods

        return workspace_compare_methods(self, year, methods)

    def compare_rounds(self, old: int, new: int, year: int | None = None) -> Any:
        """Compare two stored designation rounds: units and areas added, dropped, kept."""
        from boligmonitor.screening.service import workspace_compare_rounds

        return workspace_compare_rounds(self, old, new, year)

    def gap(
        self,
        reference: str | None = None,
        tracking: str = "fixed",
        baseline_year: int | None = None,
        published_baseline: str | None = None,
        years: Sequence[int] | None = None,
        store: bool = True,
    ) -> Any:
        """The gap (efterslæb), milestones and vision test; stored in ``gap_records``."""
        from boligmonitor.screening.service import workspace_gap

        return workspace_gap(
            self, reference, tracking, baseline_year, published_baseline, years, store
        )

    # -- goals and status report (issue 5) ---------------------------------------------------

    def goal_catalogue(
        self, name_or_path: str | None = None, source: str = "auto"
    ) -> GoalCatalogue:
        """The goal catalogue this workspace reports (default ``kk-2017-2025``).

        ``source``: ``published`` (the catalogue's values), ``microdata`` (derived from the
        workspace's microdata for the designated units) or ``auto`` (microdata when present).
        See ``docs/goals.md``.
        """
        from boligmonitor.monitor.goals.sources import parse_source, workspace_catalogue

        return workspace_catalogue(self, name_or_path, parse_source(source))

    def evaluate_goals(
        self, year: int, catalogue: str | None = None, source: str = "auto"
    ) -> GoalEvaluation:
        """Verdicts on every goal at a status year, with a summary per approach."""
        from boligmonitor.monitor.goals.evaluate import evaluate_catalogue

        return evaluate_catalogue(self.goal_catalogue(catalogue, source), year)

    def status_report(
        self,
        year: int,
        format: str = "html",
        catalogue: str | None = None,
        source: str = "auto",
        lang: str = "da",
    ) -> bytes:
        """The status report for a status year as HTML (UTF-8) or PDF bytes."""
        from boligmonitor.report.inputs import workspace_status_report

        return workspace_status_report(self, year, format, catalogue, source, lang)

    # -- helhedsplaner and financing (issue 6) -----------------------------------------------

    def load_plans(self, path: str | Path) -> PlanCatalogue:
        """Validate a plan file (YAML) and store it, replacing the plans stored before.

        Raises
        ------
        InputError
            Listing every problem (file, line, field); nothing is stored.
        """
        from boligmonitor.finance.catalogue import catalogue_frame, load_plan_catalogue

        file = Path(path)
        catalogue = load_plan_catalogue(file)
        with self.run("load_plans", inputs=[file]):
            self.write_table(PLANS_TABLE, catalogue_frame(catalogue))
        return catalogue

    def plan_catalogue(self) -> PlanCatalogue:
        """The stored plans, or the shipped example plans (seeds 000 and 001) when none are."""
        from boligmonitor.finance.catalogue import catalogue_from_frame, shipped_catalogue

        if not self.has_table(PLANS_TABLE):
            return shipped_catalogue()
        return catalogue_from_frame(self.read_table(PLANS_TABLE))

    def plans(self) -> list[Plan]:
        """The helhedsplaner (and extensions) available."""
        return list(self.plan_catalogue().plans)

    def plan(self, plan_id: str) -> Plan:
        """One plan by id; :class:`InputError` when unknown."""
        from boligmonitor.finance.catalogue import find_plan

        return find_plan(self.plan_catalogue(), plan_id)

    def plan_finance(
        self, plan_id: str, rounding: Rounding = "largest-remainder", decimals: int = 0
    ) -> PlanFinance:
        """A plan's co-financing by payer and year, computed in øre (see ``docs/finance.md``).

        ``rounding`` is ``"largest-remainder"`` or ``"whole-percent"``; ``decimals`` is the
        shown precision in thousand kr. (0-5).
        """
        from boligmonitor.finance.financing import plan_finance

        return plan_finance(self.plan_catalogue(), plan_id, rounding, decimals)

    def budget_note(self, note_id: str) -> BudgetNoteSummary:
        """A budget note's recomputed totals and the inconsistencies of its source."""
        from boligmonitor.finance.budget_note import summarise_budget_note

        return summarise_budget_note(self.plan_catalogue(), note_id)

    def lbf_frame_check(self) -> list[FrameCheck]:
        """Landsbyggefonden's part of the plans per year against the national frame."""
        from boligmonitor.finance.frame import check_catalogue_frame

        return check_catalogue_frame(self.plan_catalogue())

    def plan_designations(self, plan_id: str) -> PlanDesignations:
        """The stored statutory (and, when screened, municipal) designations of a plan's areas."""
        from boligmonitor.finance.catalogue import find_plan
        from boligmonitor.finance.designations import plan_designations

        catalogue = self.plan_catalogue()
        screening = None
        if self.has_table(SCREENING_AREAS_TABLE):
            screening = self.read_table(SCREENING_AREAS_TABLE)
        return plan_designations(
            catalogue, find_plan(catalogue, plan_id), self.stored_designations(), screening
        )

    # -- web (issue 7) -----------------------------------------------------------------------

    def statistics_years(self) -> list[int]:
        """The list years present in the stored area statistics, ascending."""
        if not self.has_table(AREA_STATISTICS_TABLE):
            return []
        table = self.table(AREA_STATISTICS_TABLE)
        return sorted(int(y) for y in table.select("year").distinct().to_pandas()["year"])

    def area_index(self) -> pd.DataFrame:
        """One row per stored area: id, latest name and municipality, first and last year.

        Columns: ``area_id, area_name, municipality, first_year, last_year, residents`` (the
        residents of the last year), ordered by ``area_id``.
        """
        if not self.has_table(AREA_STATISTICS_TABLE):
            raise InputError.single("workspace", "no area statistics loaded")
        table = self.table(AREA_STATISTICS_TABLE)
        span = table.group_by("area_id").aggregate(
            first_year=table.year.min(), last_year=table.year.max()
        )
        latest = table.join(span, [table.area_id == span.area_id, table.year == span.last_year])
        frame: pd.DataFrame = (
            latest.select(
                "area_id", "area_name", "municipality", "first_year", "last_year", "residents"
            )
            .order_by("area_id")
            .to_pandas()
        )
        frame["residents"] = frame["residents"].astype("Int64")
        return frame

    def statistics_rows(self, area_id: str | None = None, year: int | None = None) -> pd.DataFrame:
        """Stored area statistics rows for one area and/or one exact year (both optional)."""
        if not self.has_table(AREA_STATISTICS_TABLE):
            raise InputError.single("workspace", "no area statistics loaded")
        table = self.table(AREA_STATISTICS_TABLE)
        if area_id is not None:
            table = table.filter(table.area_id == area_id)
        if year is not None:
            table = table.filter(table.year == year)
        frame: pd.DataFrame = table.order_by(["area_id", "year"]).to_pandas()
        return frame

    def area_designations(
        self, area_id: str, rules: Sequence[str] | None = None
    ) -> list[AreaDesignation]:
        """One area's designations in every stored year, with reasons (nothing is stored).

        Only the area's own rows are read: earlier years of the same area are all the
        consecutive-year designations need, so the result equals :meth:`designate`'s.
        """
        chosen = [self.rule_set(r) for r in rules] if rules else None
        rows = self.statistics_rows(area_id=area_id)
        return evaluate(rows, None, chosen, tuple(self.rule_sets()))

    def screening_map(self, round_year: int | None = None) -> pd.DataFrame | None:
        """Screening units with geometry and their status in a designation round.

        Columns ``unit_id, name, geometry_wkt`` (EPSG:25832), ``area_id`` and ``status``
        (``designated``, ``below_minimum`` or empty when not in an area) for ``round_year``
        (default: the latest stored round). ``None`` when no unit geometry is stored.
        """
        if not self.has_table("units"):
            return None
        units = self.read_table("units")[["unit_id", "name", "geometry_wkt"]]
        rounds = self.screening_rounds()
        chosen = round_year if round_year is not None else (rounds[-1] if rounds else None)
        if chosen is None:
            return units.assign(area_id=None, status=None, round_year=None)
        table = self.table("screening_areas")
        members = table.filter(table.round_year == chosen).select("unit_id", "area_id", "status")
        return units.merge(members.to_pandas(), on="unit_id", how="left").assign(round_year=chosen)

    def screening_rounds(self) -> list[int]:
        """The designation rounds stored by :meth:`screen`, ascending."""
        if not self.has_table("screening_areas"):
            return []
        table = self.table("screening_areas")
        years = table.select("round_year").distinct().to_pandas()["round_year"]
        return sorted(int(y) for y in years.dropna())

    def area_geometry(self) -> pd.DataFrame | None:
        """Outlines of the statutory areas, when the workspace has them (the overview map).

        Reads the table ``area_geometry`` (``area_id, geometry_wkt``, polygons in EPSG:25832,
        e.g. the union of a synthetic area's units); ``None`` when there is no such table —
        area statistics themselves carry no geometry.
        """
        if not self.has_table("area_geometry"):
            return None
        frame: pd.DataFrame = (
            self.table("area_geometry").select("area_id", "geometry_wkt").to_pandas()
        )
        return frame
