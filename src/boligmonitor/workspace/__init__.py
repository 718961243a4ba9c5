"""The Workspace: the composition root the CLI, the web app, reports and notebooks call.

A workspace is a folder holding an embedded DuckDB database (:mod:`boligmonitor.store`). Each
domain owns one facet over the store; the workspace only composes them, handing each the other
facets it needs, and keeps the README's verbs as shortcuts:

- ``ws.record`` — the published lists 2010–2024, area identity, list history, reconciliation;
- ``ws.designations`` — area statistics, rule sets, statutory designations and explanations;
- ``ws.microdata`` — register-style microdata and the indicators computed from them;
- ``ws.screening`` — Copenhagen's city screening, rounds and the gap (efterslæb);
- ``ws.goals`` — the goal catalogue and its evaluation;
- ``ws.plans`` — helhedsplaner, budgets and co-financing;
- ``ws.pools`` — state pools and initiative agreements, goals counted from the lists;
- ``ws.udviklingsplaner`` — § 168 a: dwelling stock, plans and the 40 % requirement to 2030;
- ``ws.movers`` — why criteria changed: stayers, movers, ageing; where movers went;
- ``ws.outlook`` — the probability of each list next 1 December, and the watch list;
- ``ws.simulation`` — allocation policies simulated household by household;
- ``ws.reports`` — the status report.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from contextlib import AbstractContextManager
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Self

import pandas as pd

from boligmonitor.indicators.facet import MicrodataFacet
from boligmonitor.record.facet import RecordFacet
from boligmonitor.rules.evaluation import Evaluation
from boligmonitor.rules.facet import DesignationFacet
from boligmonitor.schema.microdata import Microdata
from boligmonitor.store import DATABASE_NAME, Store, file_sha256

if TYPE_CHECKING:
    from boligmonitor.finance.facet import PlansFacet
    from boligmonitor.finance.pools_facet import PoolsFacet
    from boligmonitor.monitor.gap import GapReport
    from boligmonitor.monitor.goals.facet import GoalsFacet
    from boligmonitor.movers.facet import MoversFacet
    from boligmonitor.outlook.facet import OutlookFacet
    from boligmonitor.report.facet import ReportsFacet
    from boligmonitor.screening.facet import ScreeningFacet
    from boligmonitor.screening.screen import ScreeningResult
    from boligmonitor.simulation.facet import SimulationFacet
    from boligmonitor.udviklingsplan.facet import UdviklingsplanFacet

__all__ = ["DATABASE_NAME", "Workspace", "file_sha256"]


class Workspace:
    """A Boligmonitor workspace: the store and one facet per domain.

    Use :meth:`create`, :meth:`open` or :meth:`memory` rather than the constructor. The
    record, designation and microdata facets are made with the workspace; every other facet
    (and its domain's modules) when first used, so that a command imports only its domains.

    Examples
    --------
    >>> ws = Workspace.memory()
    >>> ws.load_area_statistics("areas.csv")  # doctest: +SKIP
    >>> results = ws.designate(year=2020, rules=["dk-2018"])  # doctest: +SKIP
    """

    def __init__(self, store: Store, created: Path | None = None) -> None:
        self.store = store
        self._created = created
        self._command: AbstractContextManager[None] | None = None
        self.record = RecordFacet(store)
        self.designations = DesignationFacet(store, self.record)
        self.microdata = MicrodataFacet(store, self.designations)

    @cached_property
    def screening(self) -> ScreeningFacet:
        """Copenhagen's city screening, rounds and the gap."""
        from boligmonitor.screening.facet import ScreeningFacet

        return ScreeningFacet(self.store, self.microdata)

    @cached_property
    def goals(self) -> GoalsFacet:
        """The goal catalogue and its evaluation."""
        from boligmonitor.monitor.goals.facet import GoalsFacet

        return GoalsFacet(self.microdata, self.screening)

    @cached_property
    def plans(self) -> PlansFacet:
        """Helhedsplaner, budgets and co-financing."""
        from boligmonitor.finance.facet import PlansFacet

        return PlansFacet(self.store, self.designations)

    @cached_property
    def pools(self) -> PoolsFacet:
        """State pools and initiative agreements."""
        from boligmonitor.finance.pools_facet import PoolsFacet

        return PoolsFacet(self.store)

    @cached_property
    def udviklingsplaner(self) -> UdviklingsplanFacet:
        """§ 168 a: dwelling stock, plans and the 40 % requirement."""
        from boligmonitor.udviklingsplan.facet import UdviklingsplanFacet

        return UdviklingsplanFacet(self.store)

    @cached_property
    def movers(self) -> MoversFacet:
        """Why criteria changed: stayers, movers and ageing."""
        from boligmonitor.movers.facet import MoversFacet

        return MoversFacet(self.store)

    @cached_property
    def outlook(self) -> OutlookFacet:
        """The probability of each list next 1 December."""
        from boligmonitor.outlook.facet import OutlookFacet

        return OutlookFacet(self.store)

    @cached_property
    def simulation(self) -> SimulationFacet:
        """Allocation policies simulated household by household."""
        from boligmonitor.simulation.facet import SimulationFacet

        return SimulationFacet(self.store, self.udviklingsplaner)

    @cached_property
    def reports(self) -> ReportsFacet:
        """The status report."""
        from boligmonitor.report.facet import ReportsFacet

        return ReportsFacet(self.goals, self.screening, self.outlook)

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def create(cls, folder: str | Path) -> Self:
        """Create a workspace folder (or open it when it already is one).

        A folder created here is removed again when the first command in it fails.
        """
        path = Path(folder)
        new = not path.exists() or (path.is_dir() and not any(path.iterdir()))
        return cls(Store.create(path), created=path if new else None)

    def _remove_created(self) -> None:
        """Remove what this workspace wrote into a folder that was new or empty before."""
        if self._created is None:
            return
        for child in self._created.iterdir():
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)

    @classmethod
    def open(cls, folder: str | Path, read_only: bool = False) -> Self:
        """Open an existing workspace (read-only: several processes may read at once)."""
        return cls(Store.open(folder, read_only=read_only))

    @classmethod
    def memory(cls) -> Self:
        """An in-memory workspace that disappears when closed."""
        return cls(Store.memory())

    @property
    def folder(self) -> Path | None:
        """The workspace folder (``None`` in memory)."""
        return self.store.folder

    def close(self) -> None:
        """Close the database connection."""
        self.store.close()

    def __enter__(self) -> Self:
        """Begin one command: every write in the block is one transaction."""
        self._command = self.store.transaction()
        self._command.__enter__()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        """Commit the command's writes, or roll all of them back when it failed."""
        try:
            if self._command is not None:
                self._command.__exit__(kind, error, trace)
        finally:
            self._command = None
            self.close()
            if error is not None:
                self._remove_created()

    def runs(self) -> pd.DataFrame:
        """The run history, oldest first."""
        return self.store.runs()

    # -- the README's verbs ------------------------------------------------------------------

    def load_area_statistics(self, path: str | Path, replace: bool = False) -> pd.DataFrame:
        """Validate an area statistics file and store it (see :class:`DesignationFacet`)."""
        return self.designations.load_area_statistics(path, replace)

    def designate(
        self, year: int | None = None, rules: Sequence[str] | None = None, store: bool = True
    ) -> Evaluation:
        """Designate the stored areas for a list year, or every year stored."""
        return self.designations.designate(year, rules, store)

    def explain(self, area_id: str, year: int, rules: Sequence[str] | None = None) -> Evaluation:
        """One area's designations in a year, with every criterion's reasoning."""
        return self.designations.explain(area_id, year, rules)

    def load_microdata(self, folder: str | Path, validate: bool = True) -> Microdata:
        """Validate a microdata folder and register it in the workspace."""
        return self.microdata.load(folder, validate)

    def area_statistics_from_microdata(
        self, years: Sequence[int] | None = None, min_persons: int = 3
    ) -> pd.DataFrame:
        """Compute statutory area statistics from the microdata and store them."""
        return self.microdata.area_statistics(years, min_persons)

    def unit_indicators(
        self, year: int | Sequence[int] | None = None, unit: str = "screening_unit"
    ) -> pd.DataFrame:
        """Copenhagen's five criteria per unit and year from the microdata."""
        return self.microdata.unit_indicators(year, unit)

    def screen(
        self, year: int, method: str = "kk-default", round_year: int | None = None
    ) -> ScreeningResult:
        """Screen the stored units of a year into udsatte byområder and store the round."""
        return self.screening.screen(year, method, round_year)

    def gap(self, reference: str | None = None, tracking: str = "fixed") -> GapReport:
        """The gap (efterslæb), milestones and vision test (see :class:`ScreeningFacet`)."""
        return self.screening.gap(reference, tracking)
