"""Two policies side by side: paired differences over runs with their Monte Carlo band.

Run ``r`` of both policies starts from the same seed, so the difference of the pair isolates the
policy (common random numbers); the band is the 5th-95th percentile of the paired differences.
"""

from __future__ import annotations

import pandas as pd

from boligmonitor.simulation.montecarlo import BAND, SimulationResult, long_measures

__all__ = ["compare_policies", "compare_segregation"]


def _paired(a: pd.DataFrame, b: pd.DataFrame, keys: list[str], value: str) -> pd.DataFrame:
    both = a.merge(b, on=[*keys, "run"], suffixes=("_a", "_b"))
    both["difference"] = both[f"{value}_b"] - both[f"{value}_a"]
    grouped = both.groupby(keys, sort=True)
    return pd.DataFrame(
        {
            "a": grouped[f"{value}_a"].mean(),
            "b": grouped[f"{value}_b"].mean(),
            "difference": grouped["difference"].mean(),
            "low": grouped["difference"].quantile(BAND[0]),
            "high": grouped["difference"].quantile(BAND[1]),
        }
    ).reset_index()


def compare_policies(a: SimulationResult, b: SimulationResult) -> pd.DataFrame:
    """Per area, year and measure: policy A, policy B, B − A and the band of B − A.

    The measures are the criteria and designations, and with udviklingsplaner in both the
    family-dwelling measures. ``significant`` is true when the band excludes zero.
    """

    table = _paired(long_measures(a), long_measures(b), ["area_id", "year", "measure"], "value")
    table["significant"] = (table["low"] > 0) | (table["high"] < 0)
    table.insert(0, "policy_b", b.policy.id)
    table.insert(0, "policy_a", a.policy.id)
    return table


def compare_segregation(a: SimulationResult, b: SimulationResult) -> pd.DataFrame:
    """Per year and segregation index: A, B, B − A and its band."""
    if a.segregation.empty or b.segregation.empty:
        return pd.DataFrame(columns=["year", "index", "a", "b", "difference", "low", "high"])
    return _paired(a.segregation, b.segregation, ["year", "index"], "value")
