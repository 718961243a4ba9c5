"""Turning a policy and a simulated year's designations into per-area letting rules, and
recomputing the designations with the real rule engine (every simulated 1 December)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from boligmonitor.rules.evaluate import evaluate
from boligmonitor.rules.registry import shipped_rule_sets
from boligmonitor.simulation.households import BoolArray, City, IntArray, group_mask
from boligmonitor.simulation.letting import AreaRules
from boligmonitor.simulation.policy import Policy, Scope

__all__ = ["DESIGNATIONS", "ListEngine", "area_rules", "designate"]

#: Designations the simulation tracks (§ 61 a/b under the 2021 rules and § 51 b).
DESIGNATIONS = (
    "udsat_boligomraade",
    "parallelsamfund",
    "omdannelsesomraade",
    "forebyggelsesomraade",
    "kombineret_udlejning",
)


def designate(history: pd.DataFrame, year: int, city: City) -> dict[str, BoolArray]:
    """Per designation, which areas hold it on the list of 1 December ``year``.

    ``history`` holds canonical area statistics of ``year`` and earlier years (earlier lists
    feed omdannelsesområde's five-year condition), evaluated by
    :func:`boligmonitor.rules.evaluate.evaluate` under the rule sets in force that year.
    """
    held = {name: np.zeros(city.n_areas, dtype=bool) for name in DESIGNATIONS}
    index = {area: i for i, area in enumerate(city.area_ids)}
    evaluation = evaluate(history, year=year)
    areas = evaluation.table()["area_id"].tolist()
    for area_id, names in zip(areas, evaluation.designations(), strict=True):
        position = index.get(area_id)
        if position is None:
            continue
        for name in names:
            if name in held:
                held[name][position] = True
    return held


class ListEngine:
    """The lists of every simulated 1 December for many runs at once, with the real rule engine
    (:func:`boligmonitor.rules.evaluate.evaluate` under the rule sets in force each year).

    All runs' areas are evaluated in one columnar call (area ids made distinct per run) over
    the whole window the runs' histories hold, so each year's lists are exactly those of the
    rule engine evaluated afresh on that window.
    """

    def __init__(self, city: City, lookback: int) -> None:
        self.city = city
        self.lookback = lookback
        self.rule_sets = shipped_rule_sets()

    def designate(self, histories: Sequence[pd.DataFrame], year: int) -> list[dict[str, BoolArray]]:
        """Per run (one statistics frame each, as :func:`designate` reads), the designations
        held on the list of 1 December ``year``."""
        n = self.city.n_areas
        held = [{name: np.zeros(n, dtype=bool) for name in DESIGNATIONS} for _ in histories]
        frames = [h.assign(area_id=h["area_id"] + f"#{k}") for k, h in enumerate(histories)]
        statistics = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        if statistics.empty:
            return held
        evaluation = evaluate(statistics, year, None, self.rule_sets)
        index = {area: i for i, area in enumerate(self.city.area_ids)}
        tagged = evaluation.table()["area_id"].tolist()
        for key, names in zip(tagged, evaluation.designations(), strict=True):
            area, run = key.rsplit("#", 1)
            position = index.get(area)
            if position is None:
                continue
            for name in names:
                if name in held[int(run)]:
                    held[int(run)][name][position] = True
        return held


def _in_scope(scope: Scope, city: City, held: dict[str, BoolArray]) -> BoolArray:
    if scope.kind == "all_areas":
        return np.ones(city.n_areas, dtype=bool)
    if scope.kind == "areas":
        return np.isin(np.array(city.area_ids, dtype=object), scope.areas)
    chosen = np.zeros(city.n_areas, dtype=bool)
    for name in scope.designations:
        chosen |= held.get(name, np.zeros(city.n_areas, dtype=bool))
    return chosen


def _masked(where: BoolArray, mask: int) -> IntArray:
    return np.where(where, mask, 0).astype(np.int64)


def area_rules(policy: Policy, city: City, held: dict[str, BoolArray]) -> AreaRules:
    """The letting rules of one year: ``held`` is the latest list's designations."""
    n = city.n_areas
    none = np.zeros(n, dtype=np.int64)
    ordinary, anvisning = none.copy(), none.copy()
    if policy.kombineret is not None:
        where = _in_scope(policy.kombineret.scope, city, held)
        ordinary |= _masked(where, group_mask(policy.kombineret.refused_groups))
    statutory = policy.statutory
    if statutory is not None and statutory.refusal:
        where = _in_scope(
            Scope(kind="designations", designations=statutory.refusal_designations), city, held
        )
        ordinary |= _masked(where, group_mask(statutory.refused_groups))
    anvisning |= ordinary
    if statutory is not None and statutory.forebyggelse_ban:
        where = _in_scope(
            Scope(kind="designations", designations=statutory.ban_designations), city, held
        )
        anvisning |= _masked(where, group_mask(statutory.refused_groups))
    flex = none.copy()
    if policy.fleksibel is not None:
        where = _in_scope(policy.fleksibel.scope, city, held)
        flex = _masked(where, group_mask(policy.fleksibel.priority_groups))
    trappe = policy.trappemodel
    listed = np.zeros(n, dtype=bool)
    for name in DESIGNATIONS:
        listed |= held[name]
    return AreaRules(
        refuse_ordinary=ordinary,
        refuse_anvisning=anvisning,
        flex_priority=flex,
        flex_share=policy.fleksibel.share if policy.fleksibel else 0.0,
        anvisning_share=policy.anvisning.share if policy.anvisning else 0.0,
        anvisning_groups=group_mask(policy.anvisning.target_groups) if policy.anvisning else 0,
        trappe_scope=_in_scope(trappe.scope, city, held) if trappe else np.zeros(n, dtype=bool),
        trappe_group=group_mask([trappe.group]) if trappe else 0,
        trappe_threshold_pct=trappe.threshold_pct if trappe else 100.0,
        listed=listed,
    )
