"""Unit-level screening: which units are candidates for an udsat byområde under a method.

Two rules (see :mod:`boligmonitor.screening.method`): the default counts the criteria on which a
unit is worse than the city by a relative margin; the Berlin-style rule standardises the criteria
into a status index cut into classes. Units with fewer residents than ``unit_min_residents`` or a
missing criterion value are not screened, and say why.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from boligmonitor.errors import InputError
from boligmonitor.monitor.reference import CityCriterion, load_reference
from boligmonitor.screening.method import ScreeningMethod, StatusIndexRule, ThresholdCountRule

__all__ = ["city_levels", "classify_units"]


def city_levels(year_stats: pd.DataFrame, criteria: list[CityCriterion]) -> dict[str, float]:
    """The city's value of each criterion: all units pooled (Σ numerator / Σ denominator).

    Where a file gives values without numerators, the resident-weighted mean of the values.
    """
    levels = {}
    for c in criteria:
        num, den = year_stats[f"{c.id}_num"], year_stats[f"{c.id}_den"]
        usable = num.notna() & den.notna()
        if usable.any() and float(den[usable].sum()) > 0:
            levels[c.id] = float(num[usable].sum()) / float(den[usable].sum()) * c.scale
        else:
            values = year_stats[c.id].astype(float)
            weights = year_stats["residents"].astype(float).where(values.notna(), 0.0)
            total = float(weights.sum())
            levels[c.id] = float((values.fillna(0) * weights).sum()) / total if total else np.nan
    return levels


def _criteria(method: ScreeningMethod) -> list[CityCriterion]:
    ref = load_reference(method.reference)
    return [ref.criterion(rule.id) for rule in method.criteria]


def classify_units(stats: pd.DataFrame, year: int, method: ScreeningMethod) -> pd.DataFrame:
    """Screen every unit of one year.

    Parameters
    ----------
    stats
        Validated unit statistics (:func:`~boligmonitor.screening.units.read_unit_statistics`).
    year
        The data year to screen.
    method
        The screening method.

    Returns
    -------
    pandas.DataFrame
        One row per unit: ``unit_id, name, year, residents``, each criterion's value and
        denominator (``<c>_den``, the persons it is based on, for disclosure control),
        ``screened`` and ``not_screened_reason``, the rule's own columns (``<c>_city`` and
        ``<c>_behind`` and ``behind_count``; or ``<c>_z``, ``status_index`` and
        ``status_class``) and ``candidate``.
    """
    criteria = _criteria(method)
    frame = stats[stats["year"] == year].sort_values("unit_id").reset_index(drop=True)
    if frame.empty:
        raise InputError.single("unit statistics", "no units in {year}", column="year", year=year)
    ids = [c.id for c in criteria]
    dens = [f"{c}_den" for c in ids]
    out = frame[["unit_id", "name", "year", "residents", *ids, *dens]].copy()
    few = out["residents"] < method.unit_min_residents
    missing = out[ids].isna().any(axis=1)
    out["screened"] = ~(few | missing)
    out["not_screened_reason"] = np.where(
        few, "few_residents", np.where(missing, "missing_values", "")
    )
    if isinstance(method.rule, ThresholdCountRule):
        _threshold_count(out, frame, criteria, method, method.rule)
    else:
        _status_index(out, criteria, method, method.rule)
    out["candidate"] = out["candidate"].astype(bool) & out["screened"].astype(bool)
    return out


def _threshold_count(
    out: pd.DataFrame,
    frame: pd.DataFrame,
    criteria: list[CityCriterion],
    method: ScreeningMethod,
    rule: ThresholdCountRule,
) -> None:
    levels = city_levels(frame, criteria)
    margins = {r.id: r.margin for r in method.criteria}
    behind_columns = []
    for c in criteria:
        city = levels[c.id]
        out[f"{c.id}_city"] = city
        values = out[c.id].astype(float)
        if c.worse_is == "higher":
            behind = values >= city * (1 + margins[c.id])
        else:
            behind = values <= city * (1 - margins[c.id])
        out[f"{c.id}_behind"] = behind.fillna(False).astype(bool)
        behind_columns.append(f"{c.id}_behind")
    out["behind_count"] = out[behind_columns].sum(axis=1).astype(int)
    out["candidate"] = out["behind_count"] >= rule.min_criteria


def _standardise(values: pd.Series, weights: pd.Series) -> pd.Series:
    mean = float(np.average(values, weights=weights))
    sd = float(np.sqrt(np.average((values - mean) ** 2, weights=weights)))
    return (values - mean) / sd if sd > 0 else values * 0.0


def _status_index(
    out: pd.DataFrame, criteria: list[CityCriterion], method: ScreeningMethod, rule: StatusIndexRule
) -> None:
    screened = out["screened"].astype(bool)
    part = out[screened]
    out["status_index"] = np.nan
    if part.empty:
        out["status_class"], out["candidate"] = None, False
        return
    if rule.weighting == "residents":
        weights = part["residents"].astype(float)
    else:
        weights = pd.Series(1.0, index=part.index)
    index = pd.Series(0.0, index=part.index)
    rule_weights = {r.id: r.weight for r in method.criteria}
    for c in criteria:
        z = _standardise(part[c.id].astype(float), weights)
        z = z if c.worse_is == "higher" else -z
        out.loc[screened, f"{c.id}_z"] = z
        index += rule_weights[c.id] * z
    status = _standardise(index, weights)
    out.loc[screened, "status_index"] = status
    out["status_class"] = pd.Series([None] * len(out), dtype=object)
    out["candidate"] = False
    for klass in rule.classes:
        inside = pd.Series(True, index=status.index)
        if klass.lower is not None:
            inside &= status >= klass.lower
        if klass.upper is not None:
            inside &= status < klass.upper
        rows = inside[inside].index
        out.loc[rows, "status_class"] = klass.id
        out.loc[rows, "candidate"] = klass.designated
