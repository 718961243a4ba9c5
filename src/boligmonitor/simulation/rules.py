"""Turning a policy and a simulated year's designations into per-area letting rules, and
recomputing the designations with the real rule engine (every simulated 1 December)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from boligmonitor.rules.evaluate import evaluate
from boligmonitor.simulation.households import BoolArray, City, IntArray, group_mask
from boligmonitor.simulation.letting import AreaRules
from boligmonitor.simulation.policy import Policy, Scope

__all__ = ["DESIGNATIONS", "area_rules", "designate"]

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
    for result in evaluate(history, year=year):
        position = index.get(result.area_id)
        if position is None:
            continue
        for name in result.designations:
            if name in held:
                held[name][position] = True
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
