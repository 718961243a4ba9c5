"""Monte Carlo over seeds: many runs of one policy, summarised with intervals.

Intervals are the 5th and 95th percentiles over runs (a 90 % Monte Carlo band, i.e. the spread
of outcomes the model's randomness produces, not sampling error of the microdata).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd

from boligmonitor.simulation.criteria import CRITERIA, GALSTER_HIGH, GALSTER_LOW
from boligmonitor.simulation.development import Development
from boligmonitor.simulation.engine import RunOutput, simulate_runs
from boligmonitor.simulation.estimate import Observed
from boligmonitor.simulation.households import FloatArray
from boligmonitor.simulation.policy import Policy
from boligmonitor.simulation.rules import DESIGNATIONS
from boligmonitor.simulation.segregation_indices import segregation_indices
from boligmonitor.simulation.workers import available_cores, chunk_runs, map_chunks

__all__ = [
    "BAND",
    "HOUSING_MEASURES",
    "SimulationResult",
    "galster_band",
    "housing_summary",
    "run_policy",
    "summarise",
]

#: Per-area measures of the dwelling stock under udviklingsplaner (Almenboligloven § 168 a).
HOUSING_MEASURES = ("family_dwellings", "family_share_pct", "family_share_met")

#: Lower and upper quantile of the Monte Carlo band.
BAND = (0.05, 0.95)


@dataclass(frozen=True)
class SimulationResult:
    """All runs of one policy.

    Attributes
    ----------
    areas
        Per run, year and area: every criterion (:data:`~.criteria.CRITERIA`) and designation.
    flows
        Per run and year: refused households by refusing area and destination.
    segregation
        Per run, year and index: value (and p-value where inference was run).
    ledger
        Per run and year: households and persons at start, out, in and at end; vacancies
        (with udviklingsplaner also dwellings demolished, changed and built and households
        displaced, re-housed and leaving the city's housing).
    housing
        With udviklingsplaner: per run, year and area the almene familieboliger, all dwellings,
        the share of almene familieboliger as § 168 a counts it and whether it meets the 40 %
        target (empty without plans).
    rehousing
        With udviklingsplaner: per run and year, displaced households by the area they left and
        their destination (layout of ``flows``).
    """

    policy: Policy
    start_year: int
    years: int
    runs: int
    seed: int
    area_names: dict[str, str]
    areas: pd.DataFrame
    flows: pd.DataFrame
    segregation: pd.DataFrame
    ledger: pd.DataFrame
    housing: pd.DataFrame = field(default_factory=pd.DataFrame)
    rehousing: pd.DataFrame = field(default_factory=pd.DataFrame)


def galster_band(poor_pct: pd.Series) -> pd.Series:
    """Galster's thresholds: ``below``, ``rising`` (≥ 15 %), ``levelled`` (≥ 40 %)."""
    band = np.where(
        poor_pct >= GALSTER_HIGH, "levelled", np.where(poor_pct >= GALSTER_LOW, "rising", "below")
    )
    return pd.Series(np.where(poor_pct.isna(), "unknown", band), index=poor_pct.index)


def _segregation(
    units: pd.DataFrame,
    xy: FloatArray | None,
    inference: int,
    seed: int,
) -> pd.DataFrame:
    rows = []
    first, last = units["year"].min(), units["year"].max()
    for (run, year), group in units.groupby(["run", "year"], sort=True):
        tested = inference if run == 0 and year in (first, last) else 0
        frame = segregation_indices(
            group["poor"].to_numpy(), group["households"].to_numpy(), xy, tested, seed
        )
        rows.append(frame.assign(run=int(run), year=int(year)))  # type: ignore[call-overload]
    return pd.concat(rows, ignore_index=True)


def run_policy(
    observed: Observed,
    policy: Policy,
    years: int = 10,
    runs: int = 50,
    seed: int = 2017,
    history: pd.DataFrame | None = None,
    inference: int = 39,
    segregation: bool = True,
    progress: Callable[[int], None] | None = None,
    workers: int | None = 1,
    development: Development | None = None,
) -> SimulationResult:
    """Run ``runs`` simulations of ``years`` years under ``policy``.

    Parameters
    ----------
    observed
        The city, its start state and dynamics (:func:`~.estimate.observe`).
    history
        Observed canonical area statistics of earlier list years (for the five-year lists).
    inference
        Null simulations for the segregation p-values (run 0, first and last year; 0: none).
    segregation
        Whether to compute segregation indices (the benchmark measures them separately).
    progress
        Called with 1 after each simulated year of each run (with several workers: as each
        worker's share of runs finishes).
    workers
        Processes to spread the runs over (``None``: every available core). The result does
        not depend on it.
    development
        Udviklingsplaner to carry out (:func:`~.development.development`); ignored when the
        policy switches them off (``udviklingsplaner: false``).
    """
    plans = development if policy.udviklingsplaner else None
    n = max(1, min(available_cores() if workers is None else workers, runs))
    task = partial(
        _simulate_chunk,
        observed=observed,
        policy=policy,
        years=years,
        seed=seed,
        history=history if history is not None else pd.DataFrame(),
        progress=progress if n == 1 else None,
        development=plans,
        inference=inference if segregation else None,
    )
    parts = map_chunks(task, chunk_runs(runs, n), n, _chunk_progress(progress, years, n))
    outputs = sorted((o for part, _ in parts for o in part), key=_run_of)
    return SimulationResult(
        policy=policy,
        start_year=observed.start_year,
        years=years,
        runs=runs,
        seed=seed,
        area_names=dict(zip(observed.city.area_ids, observed.city.area_names, strict=True)),
        segregation=_run_ordered([seg for _, seg in parts]) if segregation else pd.DataFrame(),
        **_stacked(outputs),
    )


def _simulate_chunk(
    chunk: Sequence[int],
    *,
    observed: Observed,
    policy: Policy,
    years: int,
    seed: int,
    history: pd.DataFrame,
    progress: Callable[[int], None] | None,
    development: Development | None,
    inference: int | None,
) -> tuple[list[RunOutput], pd.DataFrame]:
    """The runs of ``chunk`` and their segregation indices (empty when ``inference`` is None)."""
    outputs = simulate_runs(observed, policy, years, seed, chunk, history, progress, development)
    if inference is None:
        return outputs, pd.DataFrame()
    units = pd.concat([o.units for o in outputs], ignore_index=True)
    xy = observed.unit_xy if len(observed.unit_xy) else None
    return outputs, _segregation(units, xy, inference, seed)


def _chunk_progress(
    progress: Callable[[int], None] | None, years: int, workers: int
) -> Callable[[Sequence[int]], None] | None:
    """With several workers: report a chunk's simulated years as the chunk finishes."""
    if workers <= 1 or progress is None:
        return None
    report = progress

    def done(chunk: Sequence[int]) -> None:
        for _ in range(years * len(chunk)):
            report(1)

    return done


def _run_ordered(indices: list[pd.DataFrame]) -> pd.DataFrame:
    """The segregation indices of every chunk, by run and year."""
    merged = pd.concat(indices, ignore_index=True)
    return merged.sort_values(["run", "year"], kind="stable", ignore_index=True)


def _stacked(outputs: list[RunOutput]) -> dict[str, pd.DataFrame]:
    """Every run's areas, flows, ledger, housing and rehousing, one frame each."""
    names = ("areas", "flows", "ledger", "housing", "rehousing")
    return {
        name: pd.concat([getattr(o, name) for o in outputs], ignore_index=True) for name in names
    }


def _run_of(output: RunOutput) -> int:
    return int(output.areas["run"].iloc[0])


def _band(frame: pd.DataFrame, keys: list[str], value: str) -> pd.DataFrame:
    grouped = frame.groupby(keys, sort=True)[value]
    return pd.DataFrame(
        {
            "mean": grouped.mean(),
            "low": grouped.quantile(BAND[0]),
            "high": grouped.quantile(BAND[1]),
        }
    ).reset_index()


def long_measures(result: SimulationResult) -> pd.DataFrame:
    """Every per-area measure of every run and year in long form (``measure``, ``value``):
    the criteria, the designations and, with udviklingsplaner, :data:`HOUSING_MEASURES`."""
    keys = ["run", "year", "area_id"]
    long = result.areas.melt(
        id_vars=keys, value_vars=[*CRITERIA, *DESIGNATIONS], var_name="measure"
    )
    if not result.housing.empty:
        stock = result.housing.melt(id_vars=keys, value_vars=HOUSING_MEASURES, var_name="measure")
        long = pd.concat([long, stock], ignore_index=True)
    long["value"] = long["value"].astype(float)
    return long


def summarise(result: SimulationResult) -> pd.DataFrame:
    """Per area, year and criterion: mean and Monte Carlo band; per designation: the share of
    runs holding it (``mean``); Galster's band of the mean poor-household share. With
    udviklingsplaner also the family dwellings, their share (§ 168 a) and the share of runs
    meeting the 40 % target."""
    long = long_measures(result)
    summary = _band(long, ["area_id", "year", "measure"], "value")
    poor = summary[summary["measure"] == "poor_households_pct"].set_index(["area_id", "year"])
    galster = galster_band(poor["mean"]).rename("galster").reset_index()
    summary = summary.merge(galster, on=["area_id", "year"], how="left")
    summary["area_name"] = summary["area_id"].map(result.area_names)
    return summary


def segregation_summary(result: SimulationResult) -> pd.DataFrame:
    """Per year and index: mean, band, and the p-value of run 0 where tested."""
    if result.segregation.empty:
        return pd.DataFrame(columns=["year", "index", "mean", "low", "high", "p_value"])
    summary = _band(result.segregation, ["year", "index"], "value")
    tested = result.segregation[result.segregation["run"] == 0][["year", "index", "p_value"]]
    return summary.merge(tested, on=["year", "index"], how="left")


def housing_summary(result: SimulationResult) -> pd.DataFrame:
    """Per area with a plan and year: family dwellings and the share of almene familieboliger
    (mean and band) and the share of runs meeting the 40 % target (empty without plans)."""
    if result.housing.empty:
        return pd.DataFrame(columns=["area_id", "year", "measure", "mean", "low", "high"])
    planned = result.housing[result.housing["planned"]]
    long = planned.melt(
        id_vars=["run", "year", "area_id"], value_vars=HOUSING_MEASURES, var_name="measure"
    )
    long["value"] = long["value"].astype(float)
    summary = _band(long, ["area_id", "year", "measure"], "value")
    summary["area_name"] = summary["area_id"].map(result.area_names)
    return summary


def flow_summary(result: SimulationResult) -> pd.DataFrame:
    """Refused households (``cause`` ``refused``) and, with udviklingsplaner, re-housed
    households (``rehoused``) per area left and destination, mean per run over all years,
    with the number landing in another listed area (re-concentration)."""
    parts = [_flow_means(result.flows, result.runs).assign(cause="refused")]
    if not result.rehousing.empty:
        parts.append(_flow_means(result.rehousing, result.runs).assign(cause="rehoused"))
    return pd.concat(parts, ignore_index=True)


def _flow_means(flows: pd.DataFrame, runs: int) -> pd.DataFrame:
    if flows.empty:
        return pd.DataFrame(
            {
                "from_area": pd.Series(dtype="string"),
                "to_area": pd.Series(dtype="string"),
                "households": pd.Series(dtype="float64"),
                "to_listed": pd.Series(dtype="float64"),
            }
        )
    total = flows.groupby(["from_area", "to_area"], as_index=False).agg(
        households=("households", "sum")
    )
    listed = flows[flows["to_listed"]].groupby(["from_area", "to_area"])["households"].sum()
    keys = pd.MultiIndex.from_frame(total[["from_area", "to_area"]])
    total["to_listed"] = listed.reindex(keys).fillna(0).to_numpy()
    total[["households", "to_listed"]] = total[["households", "to_listed"]] / runs
    return total


def reconcentration_share(result: SimulationResult, cause: str = "refused") -> float:
    """Share of refused (``cause="rehoused"``: re-housed) households that landed in another
    area on a list (nan: none)."""
    flows = result.flows if cause == "refused" else result.rehousing
    total = float(flows["households"].sum()) if not flows.empty else 0.0
    if total == 0:
        return float("nan")
    return float(flows.loc[flows["to_listed"], "households"].sum()) / total
