"""The probability of each designation on the next list, by the real rule engine over draws.

Each area's indicators are drawn from their forecast distributions (:mod:`.forecast`), the
national conviction share once per draw for all areas (the relative crime threshold moves every
area at once), and the rules in force are applied by :func:`boligmonitor.rules.evaluate` — the
engine the lists are computed with, so population minimums, ``at_least``/``any_of`` branches,
exclusions and consecutive years hold exactly. The engine's result depends on a row only
through which criteria are met, so each area's draws are grouped by their pattern of met
criteria and each distinct pattern is evaluated once (a draw representing it): thousands of
draws cost a handful of engine passes. Criteria are drawn independently of each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from boligmonitor.outlook.forecast import forecast_frame, relative_to_region
from boligmonitor.rules.evaluate import AreaDesignation, evaluate
from boligmonitor.rules.model import Criterion, RuleSet
from boligmonitor.rules.registry import DEFAULT_FAMILIES, regime_in_force

__all__ = ["DEFAULT_DRAWS", "OUTLOOK_COLUMNS", "national_draws", "outlook", "rules_in_force"]

DEFAULT_DRAWS = 1000
NATIONAL = "crime_national_pct"
_HISTORY_YEARS = 6  # the longest consecutive-year rule (5) plus one
OUTLOOK_COLUMNS = (
    "area_id",
    "area_name",
    "municipality",
    "year",
    "rule_set",
    "designation",
    "probability",
    "designated_forecast",
    "designated_last",
    "change",
    "flip_criterion",
    "flip_persons",
    "flip_probability",
    "residents",
)


def rules_in_force(year: int) -> list[RuleSet]:
    """The shipped § 61 a/b and § 51 b regimes governing the list of ``year``."""
    found = (regime_in_force(year, family) for family in DEFAULT_FAMILIES)
    return [r for r in found if r is not None]


def national_draws(
    statistics: pd.DataFrame, year: int, draws: int, rng: np.random.Generator
) -> np.ndarray:
    """Draws of next year's national conviction share (the base of the relative threshold).

    Damped trend (φ = 0.5) of the yearly national values; the spread is the standard deviation
    of their past yearly changes (at least 5 % of the level when fewer than two changes exist).
    """
    if NATIONAL not in statistics:
        return np.full(draws, np.nan)
    series = statistics.dropna(subset=[NATIONAL]).groupby("year")[NATIONAL].first()
    series = series[series.index < year].sort_index()
    if series.empty:
        return np.full(draws, np.nan)
    last = float(series.iloc[-1])
    changes = series.diff().dropna()
    trend = float(changes.iloc[-1]) if len(changes) else 0.0
    spread = float(changes.std()) if len(changes) >= 2 else 0.05 * last
    return np.asarray(rng.normal(last + 0.5 * trend, max(spread, 1e-9), draws))


def _met(criterion: Criterion, values: np.ndarray, national: np.ndarray) -> np.ndarray:
    """Met (1), not met (0) or unknown (-1) for every area and draw."""
    if criterion.threshold is not None:
        threshold: np.ndarray | float = criterion.threshold
    else:
        assert criterion.threshold_relative is not None
        threshold = national[None, :] * criterion.threshold_relative.factor
    comparison = criterion.comparison.value
    met = {
        "gt": values > threshold,
        "ge": values >= threshold,
        "lt": values < threshold,
        "le": values <= threshold,
    }[comparison]
    unknown = np.isnan(values) | np.isnan(np.broadcast_to(threshold, values.shape))
    return np.where(unknown, -1, met.astype(np.int8))


@dataclass
class _Draws:
    """Per indicator an (areas × draws) array, the national draws and the met patterns."""

    values: dict[str, np.ndarray]
    national: np.ndarray
    met: dict[tuple[str, str], np.ndarray]


def _draw(
    means: pd.DataFrame, rule_sets: Sequence[RuleSet], national: np.ndarray, draws: int, seed: int
) -> _Draws:
    rng = np.random.default_rng(seed)
    indicators = sorted({c.indicator for r in rule_sets for c in r.criteria})
    values = {}
    for indicator in indicators:
        mean = means[indicator].to_numpy(dtype="float64")[:, None]
        sd = means[f"{indicator}_sd"].to_numpy(dtype="float64")[:, None]
        drawn = mean + sd * rng.standard_normal((len(means), draws))
        upper = np.inf if relative_to_region(indicator) else 100.0
        values[indicator] = np.clip(drawn, 0.0, upper)
    met = {
        (r.id, c.id): _met(c, values[c.indicator], national) for r in rule_sets for c in r.criteria
    }
    return _Draws(values, national, met)


def _patterns(draws: _Draws) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per area: the representative draw of each distinct pattern, and each draw's pattern."""
    stacked = np.stack(list(draws.met.values()), axis=-1)  # areas × draws × criteria
    representatives, inverse = [], []
    for area in stacked:
        _, first, which = np.unique(area, axis=0, return_index=True, return_inverse=True)
        representatives.append(first)
        inverse.append(which.reshape(-1))
    return representatives, inverse


def _rows(last: pd.DataFrame, draws: _Draws, pick: np.ndarray | None, year: int) -> pd.DataFrame:
    """Area statistics rows of ``year``: last year's sizes with drawn (or mean) values."""
    rows = last.copy()
    rows["year"] = year
    index = np.arange(len(rows))
    for indicator, values in draws.values.items():
        rows[indicator] = values[index, pick] if pick is not None else np.nan
    if pick is not None:
        rows[NATIONAL] = draws.national[pick]
    return rows


def _engine(
    history: pd.DataFrame, rows: pd.DataFrame, year: int, rule_sets: Sequence[RuleSet]
) -> dict[tuple[str, str], AreaDesignation]:
    frame = pd.concat([history, rows], ignore_index=True)
    results = evaluate(frame, year=year, rule_sets=list(rule_sets))
    return {(r.area_id, r.rule_set): r for r in results}


def _engine_designations(
    history: pd.DataFrame, rows: pd.DataFrame, year: int, rule_sets: Sequence[RuleSet]
) -> dict[tuple[str, str], list[str]]:
    """As :func:`_engine`, only the designations held (no per-area result objects)."""
    frame = pd.concat([history, rows], ignore_index=True)
    evaluation = evaluate(frame, year=year, rule_sets=list(rule_sets))
    table = evaluation.table()
    keys = zip(table["area_id"].tolist(), table["rule_set"].tolist(), strict=True)
    return dict(zip(keys, evaluation.designations(), strict=True))


def _point_rows(last: pd.DataFrame, means: pd.DataFrame, draws: _Draws, year: int) -> pd.DataFrame:
    rows = last.copy()
    rows["year"] = year
    for indicator in draws.values:
        rows[indicator] = means[indicator].to_numpy()
    if not np.isnan(draws.national).all():
        rows[NATIONAL] = float(np.mean(draws.national))
    return rows


def _previous(
    history: pd.DataFrame, year: int, rule_sets: Sequence[RuleSet] | None
) -> dict[str, set[str]]:
    """Each area's designations on the last list (``year − 1``), by the engine."""
    if not (history["year"] == year - 1).any():
        return {}
    chosen = list(rule_sets) if rule_sets else None
    found: dict[str, set[str]] = {}
    evaluation = evaluate(history, year=year - 1, rule_sets=chosen)
    areas = evaluation.table()["area_id"].tolist()
    for area_id, designations in zip(areas, evaluation.designations(), strict=True):
        found.setdefault(area_id, set()).update(designations)
    return found


def _flip(
    rule_set: RuleSet,
    point: AreaDesignation,
    outcome: np.ndarray,
    designated: bool,
    met: dict[tuple[str, str], np.ndarray],
    area: int,
) -> tuple[str | None, int | None, float]:
    """The criterion whose change most often comes with a changed outcome, and its persons."""
    best: tuple[str | None, int | None, float] = (None, None, 0.0)
    changed = outcome != designated
    for criterion in rule_set.criteria:
        at_point = point.criteria[criterion.id].met
        if at_point is None:
            continue
        drawn = met[(rule_set.id, criterion.id)][area]
        share = float(np.mean(changed & ((drawn == 1) != at_point)))
        if share > best[2]:
            best = (criterion.id, point.criteria[criterion.id].flip_persons, share)
    return best


def outlook(
    statistics: pd.DataFrame,
    year: int,
    rule_sets: Sequence[RuleSet] | None = None,
    previous_rule_sets: Sequence[RuleSet] | None = None,
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
) -> pd.DataFrame:
    """The probability that each area is designated on each list of ``year``.

    Parameters
    ----------
    statistics
        Canonical area statistics of the years before ``year`` (later rows are ignored).
    year
        The list year forecast (the next 1 December).
    rule_sets
        The rules of ``year`` (default: the shipped regimes in force, :func:`rules_in_force`).
    previous_rule_sets
        The rules of ``year − 1`` for "designated last year" (default: those in force then).
    draws, seed
        Monte Carlo draws and random seed (the same seed gives the same probabilities).

    Returns
    -------
    pandas.DataFrame
        :data:`OUTLOOK_COLUMNS`: one row per area, rule set and designation. ``change`` is the
        probability minus last year's status (1 designated, 0 not); ``flip_criterion`` the
        criterion whose change most often comes with a changed outcome, ``flip_persons`` how
        many persons' status that is at the forecast (:func:`~boligmonitor.rules.criteria.
        flip_persons`), ``flip_probability`` how often it happens in the draws.
    """
    chosen = list(rule_sets or rules_in_force(year))
    before = statistics[statistics["year"] < year]
    history = before[before["year"] >= year - _HISTORY_YEARS]
    indicators = sorted({c.indicator for r in chosen for c in r.criteria})
    means, _ = forecast_frame(before, indicators, year)
    last = _last_list_rows(history, means, year)
    rng = np.random.default_rng(seed)
    sampled = _draw(means, chosen, national_draws(before, year, draws, rng), draws, seed + 1)
    representatives, inverse = _patterns(sampled)
    forecast = _Forecast(
        year=year,
        sampled=sampled,
        point=_engine(history, _point_rows(last, means, sampled, year), year, chosen),
        slots=_pattern_designations(history, last, sampled, representatives, year, chosen),
        patterns=[len(r) for r in representatives],
        inverse=inverse,
        previous=_previous(history, year, previous_rule_sets),
    )
    records = [
        forecast.record(i, str(row.area_id), rule_set, designation.id)
        for i, row in enumerate(last.itertuples(index=False))
        for rule_set in chosen
        for designation in rule_set.designations
    ]
    return _typed(pd.DataFrame(records, columns=list(OUTLOOK_COLUMNS)))


def _last_list_rows(history: pd.DataFrame, means: pd.DataFrame, year: int) -> pd.DataFrame:
    """Each forecast area's row of the last list year (``year − 1``), in the order of ``means``."""
    last = history[history["year"] == year - 1].drop_duplicates("area_id")
    return last.set_index("area_id").loc[list(means.index)].reset_index()


@dataclass
class _Forecast:
    """The draws, the point forecast and the engine's outcome of each area's met patterns."""

    year: int
    sampled: _Draws
    point: dict[tuple[str, str], AreaDesignation]
    slots: list[dict[tuple[str, str], list[str]]]
    patterns: list[int]
    inverse: list[np.ndarray]
    previous: dict[str, set[str]]

    def outcome(self, i: int, area: str, rule_set: RuleSet, designation: str) -> np.ndarray:
        """Whether the ``i``-th area (``area``) holds ``designation`` in each draw."""
        by_pattern = np.array(
            [designation in self.slots[k][(area, rule_set.id)] for k in range(self.patterns[i])]
        )
        drawn: np.ndarray = by_pattern[self.inverse[i]]
        return drawn

    def record(self, i: int, area: str, rule_set: RuleSet, designation: str) -> dict[str, object]:
        """The :data:`OUTLOOK_COLUMNS` of one area, rule set and designation."""
        at_point = self.point[(area, rule_set.id)]
        outcome = self.outcome(i, area, rule_set, designation)
        designated = designation in at_point.designations
        flip = _flip(rule_set, at_point, outcome, designated, self.sampled.met, i)
        was = designation in self.previous[area] if area in self.previous else None
        return {
            "area_id": area,
            "area_name": at_point.area_name,
            "municipality": at_point.municipality,
            "year": self.year,
            "rule_set": rule_set.id,
            "designation": designation,
            **_chances(outcome, designated, was),
            "flip_criterion": flip[0],
            "flip_persons": flip[1],
            "flip_probability": flip[2],
            "residents": at_point.residents,
        }


def _pattern_designations(
    history: pd.DataFrame,
    last: pd.DataFrame,
    sampled: _Draws,
    representatives: list[np.ndarray],
    year: int,
    chosen: list[RuleSet],
) -> list[dict[tuple[str, str], list[str]]]:
    """The designations of each area's k-th distinct pattern of met criteria, for every k
    (an area with fewer patterns repeats its first)."""
    slots = []
    for k in range(max((len(r) for r in representatives), default=0)):
        pick = np.array([r[k] if k < len(r) else r[0] for r in representatives])
        slots.append(_engine_designations(history, _rows(last, sampled, pick, year), year, chosen))
    return slots


def _chances(outcome: np.ndarray, designated: bool, was: bool | None) -> dict[str, object]:
    """The probability over the draws, the point forecast, last year's status (``None``:
    not known) and the change from it."""
    probability = float(outcome.mean())
    return {
        "probability": probability,
        "designated_forecast": designated,
        "designated_last": was,
        "change": probability - float(was) if was is not None else None,
    }


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame["designated_last"] = frame["designated_last"].astype("boolean")
    frame["designated_forecast"] = frame["designated_forecast"].astype("boolean")
    frame["change"] = frame["change"].astype("float64")
    frame["flip_persons"] = frame["flip_persons"].astype("Int64")
    frame["residents"] = frame["residents"].astype("Int64")
    for column in ("flip_criterion", "area_name", "municipality", "rule_set", "designation"):
        frame[column] = frame[column].astype("string")
    return frame
