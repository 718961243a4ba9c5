"""The designation evaluator over whole columns: every area and year under a rule set at once.

Gives exactly what the row-wise :class:`boligmonitor.rules.evaluate.Evaluator` gives (a test
checks it on the national synthetic data and on the published record), in a small fraction of
the time: criteria and designations are numpy operations over every row
(:mod:`boligmonitor.rules.columnar`); Python objects are built only for the rows asked for.
A consecutive-year designation looks up each earlier year's row and the regime in force that
year, whose designations are themselves computed over every row (once, and remembered).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from boligmonitor.rules.columnar import (
    Columns,
    CriterionColumns,
    Tri,
    criterion_columns,
    population_at_least,
    published,
    regimes_by_year,
    requirement,
    tri_all,
    tri_any,
    tri_at_least,
)
from boligmonitor.rules.history import ListHistory, Membership
from boligmonitor.rules.model import Condition, Designation, RuleSet, december_first
from boligmonitor.rules.registry import DEFAULT_FAMILIES, regime_for_date

__all__ = ["ACTUAL", "LIFTED", "Earlier", "VectorisedEvaluator"]

ACTUAL, LIFTED = "actual", "lifted"


@dataclass
class Earlier:
    """One earlier year of a consecutive-year designation, for every row."""

    year: np.ndarray
    regime: dict[int, RuleSet | None]
    computed: Tri
    membership: list[Membership | None]
    held: Tri
    missing: np.ndarray  # no regime or no row: unknown without an origin


class VectorisedEvaluator:
    """Designations of every row of the statistics under any rule set, computed by column.

    Parameters
    ----------
    statistics
        Validated area statistics (one row per ``area_id`` and ``year``).
    rule_sets
        The rule sets that may be in force; earlier years are judged under these.
    history
        Published list history; for an earlier year it decides over the statistics.
    """

    def __init__(
        self,
        statistics: pd.DataFrame,
        rule_sets: Sequence[RuleSet],
        history: ListHistory | None = None,
    ) -> None:
        self.columns = Columns(statistics)
        self._rule_sets = tuple(rule_sets)
        self._history = history
        self._criteria: dict[str, dict[str, CriterionColumns]] = {}
        self._values: dict[tuple[str, str, str], Tri] = {}
        self._earlier: dict[tuple[str, str], list[Earlier]] = {}
        n = self.columns.size
        residents = self.columns.clean("residents")
        self.residents = np.where(np.isnan(residents), -1, residents).astype(np.int64)
        lower = self.columns.clean("residents_min")
        self.lower_bound = np.where(np.isnan(lower), -1, lower).astype(np.int64)
        self._none = np.full(n, -1, np.int64)

    # -- per rule set, over every row ----------------------------------------------------------

    def criteria(self, rule_set: RuleSet) -> dict[str, CriterionColumns]:
        """Every criterion of a rule set applied to every row (remembered)."""
        found = self._criteria.get(rule_set.id)
        if found is None:
            found = {c.id: criterion_columns(c, self.columns) for c in rule_set.criteria}
            self._criteria[rule_set.id] = found
        return found

    def designation(self, rule_set: RuleSet, designation_id: str, variant: str = ACTUAL) -> Tri:
        """One designation over every row; ``lifted`` assumes the population minimum met."""
        key = (rule_set.id, designation_id, variant)
        found = self._values.get(key)
        if found is None:
            spec = next(d for d in rule_set.designations if d.id == designation_id)
            found = self._designate(rule_set, spec, variant)
            self._values[key] = found
        return found

    def _designate(self, rule_set: RuleSet, spec: Designation, variant: str) -> Tri:
        n = self.columns.size
        history = self._held_before(rule_set, spec) if spec.consecutive else None
        value = self._condition(rule_set, spec, variant, history, top=True)
        excluded = tri_any([self.designation(rule_set, e, variant) for e in spec.excludes], n)
        not_excluded = np.where(excluded == -1, -1, 1 - excluded).astype(np.int8)
        return tri_all([value, not_excluded], n)

    def _condition(
        self,
        rule_set: RuleSet,
        condition: Condition,
        variant: str,
        history: Tri | None,
        top: bool,
    ) -> Tri:
        n = self.columns.size
        met = {cid: c.met for cid, c in self.criteria(rule_set).items()}
        parts: list[Tri] = [met[c] for c in condition.all_of]
        if condition.at_least:
            of = [met[c] for c in condition.at_least.of]
            parts.append(tri_at_least(condition.at_least.n, of, n))
        parts.extend(self.designation(rule_set, d, variant) for d in condition.designations)
        if history is not None:
            assert isinstance(condition, Designation)
            parts.append(tri_all([history, self.current(rule_set, condition, variant)], n))
        minimum = requirement(condition, rule_set, top)
        if minimum is not None:
            parts.append(self._population(rule_set, variant, minimum))
        if condition.any_of:
            branches = [
                self._condition(rule_set, b, variant, None, False) for b in condition.any_of
            ]
            parts.append(tri_any(branches, n))
        return tri_all(parts, n)

    def _population(self, rule_set: RuleSet, variant: str, minimum: int) -> Tri:
        if variant == ACTUAL:
            return population_at_least(self.residents, self.lower_bound, minimum)
        floor = rule_set.population_minimum
        lifted = np.where(self.residents < 0, floor, np.maximum(self.residents, floor))
        return population_at_least(lifted, self._none, minimum)

    def current(self, rule_set: RuleSet, spec: Designation, variant: str) -> Tri:
        """The list year's own status: the span's designations defined before this one."""
        assert spec.consecutive is not None
        order = [d.id for d in rule_set.designations]
        before = set(order[: order.index(spec.id)])
        held = [d for d in spec.consecutive.designations if d in before]
        values = [self.designation(rule_set, d, variant) for d in held]
        return tri_any(values, self.columns.size)

    def _held_before(self, rule_set: RuleSet, spec: Designation) -> Tri:
        """Every earlier year of the span held (the list year itself is added by the caller)."""
        statuses = self.earlier(rule_set, spec)
        return tri_all([s.held for s in statuses], self.columns.size)

    def earlier(self, rule_set: RuleSet, spec: Designation) -> list[Earlier]:
        """The earlier years of a consecutive-year designation for every row (remembered)."""
        key = (rule_set.id, spec.id)
        found = self._earlier.get(key)
        if found is None:
            assert spec.consecutive is not None
            span = spec.consecutive
            found = [
                self._earlier_year(rule_set.family, span.designations, self.columns.year - back)
                for back in range(span.years - 1, 0, -1)
            ]
            self._earlier[key] = found
        return found

    def _earlier_year(self, family: str, designations: list[str], year: np.ndarray) -> Earlier:
        n = self.columns.size
        regimes = regimes_by_year(year, family, self._rule_sets)
        position = self.columns.positions(year)
        computed = np.full(n, -1, np.int8)
        has_regime = np.zeros(n, bool)
        for each_year, regime in regimes.items():
            if regime is None:
                continue
            rows = (year == each_year) & (position >= 0)
            has_regime |= year == each_year
            own = {d.id for d in regime.designations}
            held = [self.designation(regime, d) for d in designations if d in own]
            value = tri_any(held, n)
            computed[rows] = value[position[rows]]
        missing = ~has_regime | (position < 0)
        memberships = published(self._history, self.columns.area, year, designations)
        from_record = np.array([m is not None for m in memberships], bool)
        record_held = np.array([bool(m.held) if m else False for m in memberships], np.int8)
        held_now = np.where(missing, -1, computed).astype(np.int8)
        held_now = np.where(from_record, record_held, held_now).astype(np.int8)
        return Earlier(year, regimes, computed, memberships, held_now, missing)

    # -- rows asked for ------------------------------------------------------------------------

    def default_rule_sets(self, year: int, list_date: dt.date | None = None) -> list[RuleSet]:
        """The regimes governing a list in each default family (§ 61 a/b and § 51 b)."""
        date = list_date or december_first(year)
        found = (regime_for_date(date, f, self._rule_sets) for f in DEFAULT_FAMILIES)
        return [r for r in found if r is not None]

    def rows_of(self, year: int | None) -> np.ndarray:
        """Row positions of a list year (all rows when ``None``), by year then input order."""
        if year is not None:
            return np.flatnonzero(self.columns.year == year)
        return np.argsort(self.columns.year, kind="stable")

    def list_dates(self) -> list[Any]:
        """The ``list_date`` of each row (``None`` when the statistics state none)."""
        if "list_date" not in self.columns.frame.columns:
            return [None] * self.columns.size
        values = self.columns.frame["list_date"].astype(object)
        return [None if v is None or v is pd.NA or v != v else v for v in values.tolist()]
