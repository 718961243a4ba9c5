"""Scoring the outlook against "same as last year": on the published record and on synthetic data.

Scores are the Brier score (mean squared error of the probability; Brier 1950, *Monthly Weather
Review* 78(1)) and the log-loss (mean negative log-likelihood; Good 1952, *JRSS B* 14(1)), with
every probability clipped to ``[ε, 1 − ε]``, ε = 0.01, so a confident miss costs log(100) and
not infinity. The naive forecast "same as last year" says 1 for an area on last year's list and
0 otherwise; it is scored at the same ε and also at the ε that is best for it in hindsight (the
observed rate of change), which is the strongest version of that baseline.

The record (:func:`record_statistics`): the ministry's published values 2010-2017 of every area
on a list and of the areas that left it. Each transition predicts list ``t`` from the values
published with list ``t − 1`` (and earlier lists under the same rules) for the areas with
published values in ``t − 1``; areas that entered without being on or leaving a list the year
before have no published values and are outside both forecasts. Traps (``README`` of the
record): two lists in 2013 — the 1 October list (2010 rules) counts as 2013; the 1 December 2013
list has no values, so 2013-12 and 2014 are not predicted and 2015 is predicted from 2014 alone
(the 2013 rules changed averaging and criteria, so 2010-rule values are not a trend for them);
2011 repeats 2010's residents, labour and non-western values (a flat trend into 2012).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from boligmonitor.outlook.simulate import outlook, rules_in_force
from boligmonitor.record.data import left_lists, official_lists
from boligmonitor.rules.evaluate import evaluate
from boligmonitor.rules.registry import resolve_rule_set

__all__ = [
    "EPSILON",
    "RECORD_TRANSITIONS",
    "Scores",
    "record_backtest",
    "record_statistics",
    "reliability",
    "score",
    "synthetic_backtest",
]

EPSILON = 0.01
#: (list year predicted, rule set, first year of comparable values).
RECORD_TRANSITIONS = (
    (2011, "dk-2010", 2010),
    (2012, "dk-2010", 2010),
    (2013, "dk-2010", 2010),
    (2015, "dk-2013", 2014),
    (2016, "dk-2013", 2014),
    (2017, "dk-2013", 2014),
)
_SKIPPED_DATE = "2013-12-01"
_VALUES = ("residents", "labour_pct", "crime_pct", "education_pct", "income_pct_of_region")


@dataclass(frozen=True)
class Scores:
    """Brier score and log-loss of the outlook and of "same as last year" on the same cases."""

    cases: int
    changes: int
    brier: float
    log_loss: float
    naive_brier: float
    naive_log_loss: float
    naive_log_loss_best: float

    def as_record(self) -> dict[str, float | int]:
        """Rounded to 4 decimals, as published in ``docs/outlook.md``."""
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in vars(self).items()}


def _log_loss(probability: np.ndarray, outcome: np.ndarray, epsilon: float) -> float:
    p = np.clip(probability, epsilon, 1 - epsilon)
    return float(-np.mean(outcome * np.log(p) + (1 - outcome) * np.log(1 - p)))


def score(probability: npt.ArrayLike, outcome: npt.ArrayLike, last: npt.ArrayLike) -> Scores:
    """Score probabilities against outcomes, and last year's status as the naive forecast."""
    p = np.asarray(probability, dtype="float64")
    y = np.asarray(outcome, dtype="float64")
    naive = np.asarray(last, dtype="float64")
    changes = int(np.sum(y != naive))
    best = min(max(changes / max(len(y), 1), 1e-6), 0.5)
    return Scores(
        cases=len(y),
        changes=changes,
        brier=float(np.mean((np.clip(p, EPSILON, 1 - EPSILON) - y) ** 2)),
        log_loss=_log_loss(p, y, EPSILON),
        naive_brier=float(np.mean((naive - y) ** 2)),
        naive_log_loss=_log_loss(naive, y, EPSILON),
        naive_log_loss_best=_log_loss(naive, y, best) if changes else 0.0,
    )


def _key(frame: pd.DataFrame) -> pd.Series:
    area = frame["area"].str.strip().str.casefold()
    return frame["municipality"].str.strip().str.casefold() + ":" + area


def record_statistics() -> pd.DataFrame:
    """The record 2010-2017 as area statistics, with ``listed`` (on that year's list).

    ``year`` is the list year; the 1 October 2013 list is 2013 and the 1 December 2013 list,
    which has no values, is left out.
    """
    frames = []
    for frame, listed in ((official_lists(), True), (left_lists(), False)):
        frame = frame[(frame["list_year"] <= 2017) & (frame["list_date"] != _SKIPPED_DATE)]
        if listed:
            frame = frame[frame["designation"] == "ghettoomraade"]
        frames.append(frame.assign(listed=listed))
    record = pd.concat(frames, ignore_index=True)
    out = pd.DataFrame(
        {
            "area_id": _key(record),
            "area_name": record["area"],
            "municipality": record["municipality"],
            "year": record["list_year"].astype(int),
            "nonwestern_pct": record["nonwestern_pct"],
            "listed": record["listed"],
            **{c: record[c] for c in _VALUES},
        }
    )
    out = out.sort_values("listed", ascending=False).drop_duplicates(["area_id", "year"])
    return out.sort_values(["area_id", "year"]).reset_index(drop=True)


def record_backtest(draws: int = 2000, seed: int = 0) -> tuple[Scores, pd.DataFrame]:
    """Predict each list of 2011-2017 from the previous one's published values; score it.

    Returns
    -------
    tuple
        The pooled scores and one row per case (``year, area_id, probability, listed,
        listed_last``).
    """
    record = record_statistics()
    cases = []
    for year, rule_set_id, first in RECORD_TRANSITIONS:
        rule_set = resolve_rule_set(rule_set_id)
        history = record[(record["year"] >= first) & (record["year"] < year)]
        predicted = outlook(history, year, [rule_set], [rule_set], draws, seed)
        listed_now = set(record.loc[(record["year"] == year) & record["listed"], "area_id"])
        last = record[record["year"] == year - 1].set_index("area_id")["listed"]
        predicted = predicted[predicted["designation"] == "ghettoomraade"]
        for area, probability in zip(
            predicted["area_id"].astype(str), predicted["probability"], strict=True
        ):
            cases.append(
                {
                    "year": year,
                    "area_id": area,
                    "probability": float(probability),
                    "listed": area in listed_now,
                    "listed_last": bool(last.loc[area]),
                }
            )
    table = pd.DataFrame(cases)
    return score(table["probability"], table["listed"], table["listed_last"]), table


def synthetic_backtest(
    statistics: pd.DataFrame, years: Sequence[int], draws: int = 1000, seed: int = 0
) -> tuple[Scores, pd.DataFrame]:
    """Predict each year's designations from the statistics of the years before; score them.

    The truth is the engine's designation of the year's own statistics. Years whose rules
    differ from the year before (new designations) are skipped: "same as last year" is
    undefined for them.
    """
    cases = []
    for year in years:
        if [r.id for r in rules_in_force(year)] != [r.id for r in rules_in_force(year - 1)]:
            continue
        evaluation = evaluate(statistics[statistics["year"] <= year], year=year)
        table = evaluation.table()
        truth = {
            (area_id, rule_set, d)
            for area_id, rule_set, held in zip(
                table["area_id"], table["rule_set"], evaluation.designations(), strict=True
            )
            for d in held
        }
        present = set(statistics.loc[statistics["year"] == year, "area_id"])
        predicted = outlook(statistics, year, draws=draws, seed=seed)
        predicted = predicted[predicted["area_id"].isin(present)]
        predicted = predicted[predicted["designated_last"].notna()]
        for record in predicted.to_dict("records"):
            key = (str(record["area_id"]), str(record["rule_set"]), str(record["designation"]))
            cases.append(
                {
                    "year": year,
                    "area_id": key[0],
                    "designation": key[2],
                    "probability": float(record["probability"]),
                    "listed": key in truth,
                    "listed_last": bool(record["designated_last"]),
                }
            )
    table = pd.DataFrame(cases)
    return score(table["probability"], table["listed"], table["listed_last"]), table


def reliability(probability: npt.ArrayLike, outcome: npt.ArrayLike, bins: int = 10) -> pd.DataFrame:
    """Reliability curve: per probability bin, cases, mean forecast and observed frequency."""
    frame = pd.DataFrame({"p": probability, "y": np.asarray(outcome, dtype="float64")})
    frame["bin"] = np.minimum((frame["p"] * bins).astype(int), bins - 1)
    grouped = frame.groupby("bin").agg(
        cases=("y", "size"), forecast=("p", "mean"), observed=("y", "mean")
    )
    grouped["gap"] = (grouped["observed"] - grouped["forecast"]).abs()
    grouped["tolerance"] = [
        2 * math.sqrt(max(f * (1 - f), 0.0025) / n) + 0.02
        for f, n in zip(grouped["forecast"], grouped["cases"], strict=True)
    ]
    return grouped.reset_index()
