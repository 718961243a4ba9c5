"""The simulation facet: allocation-policy microsimulation on the workspace's microdata."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pandas as pd

from boligmonitor.errors import InputError
from boligmonitor.indicators.statutory import area_statistics
from boligmonitor.simulation.compare import compare_policies, compare_segregation
from boligmonitor.simulation.development import Development, development
from boligmonitor.simulation.disclose import disclose_areas
from boligmonitor.simulation.engine import LOOKBACK
from boligmonitor.simulation.estimate import Observed, observe
from boligmonitor.simulation.montecarlo import (
    SimulationResult,
    flow_summary,
    housing_summary,
    run_policy,
    segregation_summary,
    summarise,
)
from boligmonitor.simulation.policy import Policy, load_policy, shipped_policies
from boligmonitor.simulation.validation import validate_history
from boligmonitor.store import Store, Table
from boligmonitor.udviklingsplan.facet import UdviklingsplanFacet
from boligmonitor.udviklingsplan.stock import Stock

__all__ = ["SimulationFacet"]


class SimulationFacet:
    """Test a letting policy before using it (DESIGN § 6; seed 004, appendix).

    Parameters
    ----------
    store
        The workspace store; its registered microdata (``store.microdata()``) is the city the
        simulation starts from and estimates its dynamics on.
    udviklingsplaner
        The workspace's udviklingsplaner (Almenboligloven § 168 a); their measures are carried
        out in the simulated years they take effect unless the policy says
        ``udviklingsplaner: false`` (``None``: no plans).

    Examples
    --------
    >>> facet = SimulationFacet(store)  # doctest: +SKIP
    >>> result = facet.simulate("trappemodel", years=10, runs=50)  # doctest: +SKIP
    >>> facet.summary(result).head()  # doctest: +SKIP
    """

    def __init__(self, store: Store, udviklingsplaner: UdviklingsplanFacet | None = None) -> None:
        self.store = store
        self.udviklingsplaner = udviklingsplaner
        self._observed: dict[int | None, Observed] = {}

    def policies(self) -> dict[str, Policy]:
        """The shipped policies by id (``baseline`` is "no policy")."""
        return shipped_policies()

    def policy(self, ref: str | Path) -> Policy:
        """A shipped policy id or a policy YAML file (validated; errors name file and line)."""
        return load_policy(ref)

    def observed(self, start_year: int | None = None) -> Observed:
        """The city at 1 January of ``start_year`` and its estimated dynamics (cached)."""
        if start_year not in self._observed:
            self._observed[start_year] = observe(self.store.microdata(), start_year)
        return self._observed[start_year]

    def development(self, start_year: int | None = None) -> Development | None:
        """The workspace's udviklingsplaner prepared for the city of ``start_year`` (``None``:
        the workspace has none). Plans of areas outside the microdata are listed in
        ``skipped``; measures counting from the start year or earlier are taken as already in
        the microdata."""
        plans = self.udviklingsplaner.plans() if self.udviklingsplaner is not None else []
        if not plans or self.udviklingsplaner is None:
            return None
        observed = self.observed(start_year)
        stocks: dict[str, Stock] = {}
        for plan in plans:
            try:
                years = self.udviklingsplaner.result(plan.area_id, plan).years
            except InputError:
                continue
            at = [y for y in years if y.year <= observed.start_year] or [years[0]]
            stocks[plan.area_id] = at[-1].stock
        rules = self.udviklingsplaner.rules
        return development(observed, plans, rules, stocks)

    def _history(self, start_year: int) -> pd.DataFrame:
        years = list(range(start_year - LOOKBACK, start_year))
        available = [y for y in years if y in self.store.microdata().years()]
        if not available:
            return pd.DataFrame()
        return area_statistics(self.store.microdata(), available)

    def simulate(
        self,
        policy: Policy | str | Path,
        years: int = 10,
        runs: int = 50,
        seed: int = 2017,
        start_year: int | None = None,
        inference: int = 39,
        progress: Callable[[int], None] | None = None,
        workers: int | None = None,
    ) -> SimulationResult:
        """Monte Carlo simulation of ``policy`` for ``years`` years over ``runs`` seeds.

        Each simulated 1 December the statutory lists are recomputed with
        :func:`boligmonitor.rules.evaluate.evaluate` and the policy's refusals follow them;
        the workspace's udviklingsplaner are carried out (:meth:`development`) unless the
        policy switches them off.
        The runs are spread over ``workers`` processes (``None``: every available core); the
        result does not depend on it. The result is disclosure controlled
        (:mod:`boligmonitor.simulation.disclose`): an area value resting on fewer than 3
        observed persons is empty in every year, and a start-year value equal to a hidden area
        statistic is empty, so every summary, file, stored table and report built from it is.
        """
        chosen = policy if isinstance(policy, Policy) else load_policy(policy)
        observed = self.observed(start_year)
        plans = self.development(start_year) if chosen.udviklingsplaner else None
        result = run_policy(
            observed,
            chosen,
            years,
            runs,
            seed,
            self._history(observed.start_year),
            inference,
            True,
            progress,
            workers,
            plans,
        )
        areas = disclose_areas(result.areas, self.store.microdata(), observed.start_year)
        return replace(result, areas=areas)

    @staticmethod
    def summary(result: SimulationResult) -> pd.DataFrame:
        """Per area, year and criterion/designation: mean and 90 % band; Galster's band."""
        return summarise(result)

    @staticmethod
    def segregation(result: SimulationResult) -> pd.DataFrame:
        """Per year and index: mean, band and the p-value of the tested run."""
        return segregation_summary(result)

    @staticmethod
    def flows(result: SimulationResult) -> pd.DataFrame:
        """Refused and re-housed households per area left and destination (mean per run)."""
        return flow_summary(result)

    @staticmethod
    def housing(result: SimulationResult) -> pd.DataFrame:
        """Per plan area and year: family dwellings and their share (§ 168 a) with bands."""
        return housing_summary(result)

    @staticmethod
    def compare(a: SimulationResult, b: SimulationResult) -> pd.DataFrame:
        """B − A per area, year and measure with the band of the paired differences."""
        return compare_policies(a, b)

    @staticmethod
    def compare_segregation(a: SimulationResult, b: SimulationResult) -> pd.DataFrame:
        """B − A per year and segregation index with its band."""
        return compare_segregation(a, b)

    def validate(self, start_year: int = 2015, runs: int = 10, seed: int = 2017) -> pd.DataFrame:
        """Error per criterion of the no-policy baseline against the observed development."""
        observed = observe(self.store.microdata(), start_year, all_states=True)
        return validate_history(observed, runs, seed)

    def save(self, *results: SimulationResult) -> None:
        """Store the summaries (tables ``simulation_areas``, ``simulation_segregation``,
        ``simulation_flows``), replacing earlier ones of the same policies, in one run."""
        parameters: dict[str, object] = {
            r.policy.id: {"years": r.years, "runs": r.runs, "seed": r.seed} for r in results
        }
        with self.store.run("simulate", parameters=parameters):
            for table, build in (
                (Table.SIMULATION_AREAS, summarise),
                (Table.SIMULATION_SEGREGATION, segregation_summary),
                (Table.SIMULATION_FLOWS, flow_summary),
            ):
                frame = pd.concat(
                    [build(r).assign(policy_id=r.policy.id) for r in results], ignore_index=True
                )
                self._replace(table, frame)

    def _replace(self, table: Table, frame: pd.DataFrame) -> None:
        kept = self.store.read_or_none(table)
        if kept is not None and not kept.empty:
            kept = kept[~kept["policy_id"].isin(frame["policy_id"].unique())]
            frame = pd.concat([kept, frame], ignore_index=True)
        self.store.write(table, frame)

    def stored(self, table: Table) -> pd.DataFrame | None:
        """A stored simulation table, or ``None``."""
        return self.store.read_or_none(table)
