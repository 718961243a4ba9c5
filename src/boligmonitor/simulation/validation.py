"""Validation against history: the no-policy baseline from a past year versus what happened.

The simulation starts from the observed city at 1 January of ``start_year`` with the dynamics
estimated from the whole panel (the moves the data actually generated) and runs to the last
observed year. For each criterion the error is the mean over areas and years of the Monte Carlo
mean minus the observed value (bias), its absolute value (MAE), and the root mean square error.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from boligmonitor.simulation.criteria import CRITERIA, annual_criteria
from boligmonitor.simulation.estimate import Observed
from boligmonitor.simulation.montecarlo import run_policy
from boligmonitor.simulation.policy import load_policy

__all__ = ["observed_criteria", "validate_history"]


def observed_criteria(observed: Observed) -> pd.DataFrame:
    """The criteria of every observed year (same definitions as the simulation)."""
    rows = []
    line = observed.dynamics.poverty_line
    previous: pd.DataFrame | None = None
    for year in sorted(observed.states):
        current = annual_criteria(observed.states[year], observed.city, line)
        current["outside_labour_pct"] = previous["labour_pct"] if previous is not None else np.nan
        previous = current
        rows.append(current.assign(year=year, area_id=observed.city.area_ids))
    return pd.concat(rows, ignore_index=True)


def validate_history(observed: Observed, runs: int = 10, seed: int = 2017) -> pd.DataFrame:
    """Error per criterion of the baseline simulated from ``observed.start_year``.

    ``observed`` must come from :func:`~.estimate.observe` with ``all_states=True``.

    Returns
    -------
    pandas.DataFrame
        ``criterion``, ``bias``, ``mae``, ``rmse``, ``observed_mean`` (over areas and years),
        ``within_band`` (share of area-years whose observed value lies in the 90 % band).
    """
    last = max(observed.states)
    years = last - observed.start_year
    result = run_policy(
        observed, load_policy("baseline"), years=years, runs=runs, seed=seed, segregation=False
    )
    truth = observed_criteria(observed)
    simulated = result.areas[result.areas["year"] > observed.start_year]
    grouped = simulated.groupby(["area_id", "year"])
    rows = []
    for criterion in CRITERIA:
        band = grouped[criterion].agg(
            mean="mean", low=lambda s: s.quantile(0.05), high=lambda s: s.quantile(0.95)
        )
        both = (
            band.reset_index()
            .merge(truth[["area_id", "year", criterion]], on=["area_id", "year"])
            .dropna()
        )
        error = both["mean"] - both[criterion]
        inside = (both[criterion] >= both["low"]) & (both[criterion] <= both["high"])
        rows.append(
            {
                "criterion": criterion,
                "bias": float(error.mean()),
                "mae": float(error.abs().mean()),
                "rmse": float(np.sqrt((error**2).mean())),
                "observed_mean": float(both[criterion].mean()),
                "within_band": float(inside.mean()),
            }
        )
    return pd.DataFrame(rows)
