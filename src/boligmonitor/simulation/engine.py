"""The runs of the microsimulation, year after year, in lockstep over seeds.

Each run starts from the observed city; each simulated year is one :func:`.year.step`, and on
1 December the lists are recomputed with the real rule engine on the simulated population's
statistics (one engine call for all runs). A run is deterministic for its seed; run ``r`` of
every policy uses the same seed, so two policies are compared on common random numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from boligmonitor.simulation.criteria import annual_criteria, canonical_statistics
from boligmonitor.simulation.development import Development
from boligmonitor.simulation.estimate import Observed
from boligmonitor.simulation.households import (
    BoolArray,
    City,
    FloatArray,
    IntArray,
    State,
    household_groups,
    household_sums,
)
from boligmonitor.simulation.letting import Letting
from boligmonitor.simulation.policy import Policy
from boligmonitor.simulation.rules import DESIGNATIONS, ListEngine
from boligmonitor.simulation.stock import PLAN_LEDGER, PlanRun, housing
from boligmonitor.simulation.year import step

__all__ = ["LOOKBACK", "RunOutput", "simulate_run", "simulate_runs"]

Progress = Callable[[int], None]


@dataclass(frozen=True)
class RunOutput:
    """One run's records (long frames, ``run`` and ``year`` columns)."""

    areas: pd.DataFrame
    flows: pd.DataFrame
    units: pd.DataFrame
    ledger: pd.DataFrame
    housing: pd.DataFrame = field(default_factory=pd.DataFrame)
    rehousing: pd.DataFrame = field(default_factory=pd.DataFrame)


def _unit_counts(state: State, city: City, groups: IntArray) -> pd.DataFrame:
    poor = (groups >> 4) & 1
    unit = city.dwelling_unit[state.household_dwelling]
    ok = unit >= 0
    n = len(city.unit_ids)
    return pd.DataFrame(
        {
            "unit": np.arange(n),
            "poor": np.bincount(unit[ok], weights=poor[ok].astype(float), minlength=n),
            "households": np.bincount(unit[ok], minlength=n).astype(float),
        }
    )


def _area_record(
    criteria: pd.DataFrame, held: dict[str, BoolArray], city: City, run: int, year: int
) -> pd.DataFrame:
    frame = criteria.reset_index(drop=True).copy()
    frame["outside_labour_pct"] = frame.pop("previous_labour_pct")
    frame.insert(0, "area_id", city.area_ids)
    frame.insert(0, "year", year)
    frame.insert(0, "run", run)
    for name in DESIGNATIONS:
        frame[name] = held[name]
    return frame


@dataclass
class _Run:
    """The running state and records of one run."""

    run: int
    rng: np.random.Generator
    state: State
    sums: dict[str, FloatArray]
    groups: IntArray
    held_empty: IntArray
    next_id: int
    current: pd.DataFrame
    history: pd.DataFrame
    held: dict[str, BoolArray]
    city: City
    plan: PlanRun | None = None
    letting: Letting | None = None
    areas: list[pd.DataFrame] = field(default_factory=list)
    units: list[pd.DataFrame] = field(default_factory=list)
    flows: list[pd.DataFrame] = field(default_factory=list)
    ledgers: list[dict[str, int]] = field(default_factory=list)

    def record(self, year: int) -> None:
        """Append this year's area and unit records (and the housing stock under plans)."""
        city = self.city
        self.areas.append(_area_record(self.current, self.held, city, self.run, year))
        units = _unit_counts(self.state, city, self.groups)
        self.units.append(units.assign(run=self.run, year=year))
        if self.plan is not None:
            plan = self.plan
            plan.housing.append(housing(city, plan.development, plan.demolished, year, self.run))

    def record_flows(self, year: int) -> None:
        """Append this year's refused households (and, under plans, the re-housed ones) by
        area left and destination."""
        letting = self.letting
        if letting is None:
            return
        self.flows.append(
            _flows(letting.refused_from, letting.refused_to, self.held, self.run, year)
        )
        if self.plan is not None and letting.rehousing is not None:
            moved = letting.rehousing
            self.plan.rehousing.append(
                _flows(moved.from_area, moved.to_area, self.held, self.run, year, True)
            )

    def output(self) -> RunOutput:
        """The run's records as frames."""
        plan = self.plan
        return RunOutput(
            pd.concat(self.areas, ignore_index=True),
            pd.concat(self.flows, ignore_index=True),
            pd.concat(self.units, ignore_index=True),
            pd.DataFrame(self.ledgers),
            _joined(plan.housing if plan else []),
            _joined(plan.rehousing if plan else []),
        )


def _joined(frames: list[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _start_runs(
    observed: Observed,
    seed: int,
    runs: Sequence[int],
    history: pd.DataFrame,
    development: Development | None = None,
) -> list[_Run]:
    """Every run's start: the same city on 1 January of the start year, its own generator."""
    state, year = observed.start, observed.start_year
    sums = household_sums(state.persons, state.person_household, state.n_households)
    groups = household_groups(sums, observed.dynamics.poverty_line)
    current = annual_criteria(state, observed.city, observed.dynamics.poverty_line, groups)
    current = current.assign(previous_labour_pct=np.nan)
    statistics = canonical_statistics(current, None, observed.city, year)
    return [
        _Run(
            run=run,
            rng=np.random.default_rng([seed, run]),
            state=state,
            sums=sums,
            groups=groups,
            held_empty=np.zeros(0, dtype=np.int64),
            next_id=int(state.household_id.max()) + 1 if state.n_households else 0,
            current=current,
            history=_append(history, statistics, year),
            held={},
            city=observed.city,
            plan=None
            if development is None
            else PlanRun(
                development,
                np.random.default_rng([seed, run, 168]),
                development.demolished_base.copy(),
            ),
        )
        for run in runs
    ]


def _advance(run: _Run, observed: Observed, policy: Policy, year: int) -> None:
    """Simulate one year of ``run`` up to its statistics of 1 December ``year``."""
    line = observed.dynamics.poverty_line
    works = None
    if run.plan is not None:
        works = run.plan.apply(run.city, year)
        run.city = run.city if works is None else works.city
    city = run.city
    state, letting, ledger = step(
        run.state,
        run.held_empty,
        observed,
        policy,
        run.held,
        run.rng,
        run.next_id,
        run.sums,
        run.groups,
        city,
        works,
    )
    run.state, run.next_id, run.held_empty = (
        state,
        run.next_id + len(letting.dwelling),
        letting.empty,
    )
    run.sums = household_sums(state.persons, state.person_household, state.n_households)
    previous = run.current
    run.groups = household_groups(run.sums, line)
    run.current = annual_criteria(state, city, line, run.groups)
    run.current["previous_labour_pct"] = previous["labour_pct"]
    statistics = canonical_statistics(run.current, previous, city, year)
    run.history = _append(run.history, statistics, year)
    run.letting = letting
    if run.plan is not None:
        ledger = {**dict.fromkeys(PLAN_LEDGER, 0), **ledger}
    run.ledgers.append({"run": run.run, "year": year, **ledger})


def simulate_runs(
    observed: Observed,
    policy: Policy,
    years: int,
    seed: int,
    runs: Sequence[int],
    history: pd.DataFrame,
    progress: Progress | None = None,
    development: Development | None = None,
) -> list[RunOutput]:
    """The ``runs`` of ``years`` simulated years from ``observed.start_year``, in lockstep.

    Run ``r`` draws from its own generator seeded ``(seed, r)``, so it gives the same result
    whichever runs it is simulated with; each simulated 1 December is one rule-engine call for
    all runs. ``history`` holds observed canonical statistics of earlier list years (may be
    empty). ``development``: the udviklingsplaner to carry out (``None``: none).
    """
    city, year = observed.city, observed.start_year
    engine = ListEngine(city, LOOKBACK)
    states = _start_runs(observed, seed, runs, history, development)
    stepped = observed if development is None else development.observed
    _designate(states, engine, year)
    for state in states:
        state.record(year)
    for _ in range(years):
        year += 1
        for state in states:
            _advance(state, stepped, policy, year)
        _designate(states, engine, year)
        for state in states:
            state.record(year)
            state.record_flows(year)
            if progress is not None:
                progress(1)
    return [state.output() for state in states]


def _designate(states: Sequence[_Run], engine: ListEngine, year: int) -> None:
    for state, held in zip(
        states, engine.designate([s.history for s in states], year), strict=True
    ):
        state.held = held


def simulate_run(
    observed: Observed,
    policy: Policy,
    years: int,
    seed: int,
    run: int,
    history: pd.DataFrame,
    progress: Progress | None = None,
    development: Development | None = None,
) -> RunOutput:
    """One run of ``years`` simulated years from ``observed.start_year`` (see
    :func:`simulate_runs`)."""
    return simulate_runs(observed, policy, years, seed, [run], history, progress, development)[0]


#: Earlier list years the rule engine needs (omdannelsesområde: the latest five lists).
LOOKBACK = 4


def _append(history: pd.DataFrame, rows: pd.DataFrame, year: int) -> pd.DataFrame:
    """Statistics of the list years the rule engine needs for ``year`` (older rows dropped,
    which keeps evaluation cost independent of the simulated horizon)."""
    if len(history):
        history = history[history["year"].between(year - LOOKBACK, year - 1)]
    kept = history
    if not len(kept):
        return rows
    return pd.concat([kept, rows.astype(kept.dtypes.to_dict(), errors="ignore")], ignore_index=True)


def _flows(
    origin: IntArray,
    destination: IntArray,
    held: dict[str, BoolArray],
    run: int,
    year: int,
    elsewhere: bool = False,
) -> pd.DataFrame:
    """Households by area left and destination; ``to_listed``: the destination is on a list
    (``elsewhere``: and is not the area left)."""
    frame = pd.DataFrame({"from_area": origin, "to_area": destination})
    listed = np.zeros(len(next(iter(held.values()))), dtype=bool)
    for values in held.values():
        listed |= values
    frame["to_listed"] = (frame["to_area"] >= 0) & listed[np.maximum(frame["to_area"], 0)]
    if elsewhere:
        frame["to_listed"] &= frame["to_area"] != frame["from_area"]
    counted = frame.groupby(["from_area", "to_area", "to_listed"], as_index=False).size()
    return counted.rename(columns={"size": "households"}).assign(run=run, year=year)
