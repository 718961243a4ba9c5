"""Evaluating rule sets on area statistics: designations, explanations and history.

Logic is three-valued: a criterion with an unknown value is *unknown*, never met, and a
designation that depends on it is unknown unless the known criteria already decide it. A
consecutive-year designation (hårdt ghettoområde, omdannelsesområde) looks at each earlier list
year under the rule set in force *that* year (Almenboligloven § 61 a, stk. 4-5, and the
transition rules of L 38 2018-19 and L 23 2021-22).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from boligmonitor.rules.criteria import CriterionResult, apply_criterion
from boligmonitor.rules.history import ListHistory
from boligmonitor.rules.model import Condition, Designation, RuleSet, december_first
from boligmonitor.rules.registry import (
    DEFAULT_FAMILIES,
    regime_for_date,
    regime_in_force,
    shipped_rule_sets,
)

if TYPE_CHECKING:
    from boligmonitor.rules.evaluation import Evaluation

__all__ = ["AreaDesignation", "Evaluator", "YearStatus", "evaluate", "evaluate_rowwise"]

Tri = bool | None


def _all(values: Iterable[Tri]) -> Tri:
    values = list(values)
    if any(v is False for v in values):
        return False
    return True if all(v is True for v in values) else None


def _any(values: Iterable[Tri]) -> Tri:
    values = list(values)
    if any(v is True for v in values):
        return True
    return False if all(v is False for v in values) else None


def _at_least(n: int, values: Sequence[Tri]) -> Tri:
    met = sum(v is True for v in values)
    possible = met + sum(v is None for v in values)
    if met >= n:
        return True
    return False if possible < n else None


@dataclass(frozen=True)
class YearStatus:
    """Whether an area held a qualifying designation on one earlier list, and how we know.

    ``origin`` is ``computed`` (from the statistics), ``published``/``derived`` (the record) or
    ``file`` (the user's history file), ``None`` when unknown; ``computed`` holds what the
    statistics gave when a published result decided instead.
    """

    year: int
    rule_set: str | None
    held: Tri
    origin: str | None = "computed"
    source: str | None = None
    computed: Tri = None

    def as_record(self) -> dict[str, object]:
        """The JSON shape: ``{year, rule_set, held}``, plus ``origin``, ``source`` and
        ``computed`` when a published list or a history file decided."""
        record: dict[str, object] = {
            "year": self.year,
            "rule_set": self.rule_set,
            "held": self.held,
        }
        if self.origin not in ("computed", None):
            record.update(origin=self.origin, source=self.source, computed=self.computed)
        return record


@dataclass(frozen=True)
class AreaDesignation:
    """The designations of one area in one list year under one rule set, with reasons."""

    area_id: str
    area_name: str
    municipality: str | None
    year: int
    rule_set: str
    rule_set_version: str
    residents: int | None
    designations: list[str]
    designations_unknown: list[str]
    below_population_minimum: bool | None
    designations_if_population_met: list[str]
    criteria: dict[str, CriterionResult]
    history: dict[str, list[YearStatus]] = field(default_factory=dict)
    residents_at_least: int | None = None

    def as_record(self) -> dict[str, object]:
        """The documented JSON record."""
        return {
            "area_id": self.area_id,
            "area_name": self.area_name,
            "municipality": self.municipality,
            "year": self.year,
            "rule_set": self.rule_set,
            "rule_set_version": self.rule_set_version,
            "residents": self.residents,
            "designations": self.designations,
            "designations_unknown": self.designations_unknown,
            "below_population_minimum": self.below_population_minimum,
            "designations_if_population_met": self.designations_if_population_met,
            "criteria": {k: v.as_record() for k, v in self.criteria.items()},
            "history": {k: [s.as_record() for s in v] for k, v in self.history.items()},
            **(
                {"residents_at_least": self.residents_at_least}
                if self.residents_at_least is not None
                else {}
            ),
        }


class Evaluator:
    """Evaluates rule sets on a table of area statistics, remembering earlier years.

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
        rule_sets: Sequence[RuleSet] | None = None,
        history: ListHistory | None = None,
    ):
        self._rows: dict[tuple[str, int], dict[str, object]] = {
            (str(r["area_id"]), int(r["year"])): _row_dict(r) for r in statistics.to_dict("records")
        }
        self._rule_sets = tuple(rule_sets) if rule_sets is not None else shipped_rule_sets()
        self._published = history
        self._memo: dict[tuple[str, int, str], AreaDesignation | None] = {}

    def years(self) -> list[int]:
        """The list years present in the statistics."""
        return sorted({year for _, year in self._rows})

    def area_ids(self, year: int | None = None) -> list[str]:
        """The areas present (in ``year``, when given), in input order."""
        return list(dict.fromkeys(a for a, y in self._rows if year is None or y == year))

    def default_rule_sets(self, year: int, list_date: dt.date | None = None) -> list[RuleSet]:
        """The regimes governing the list (1 December ``year`` unless ``list_date`` is given)
        in each default family (§ 61 a/b and § 51 b)."""
        date = list_date or december_first(year)
        found = (regime_for_date(date, f, self._rule_sets) for f in DEFAULT_FAMILIES)
        return [r for r in found if r is not None]

    def list_date(self, area_id: str, year: int) -> dt.date | None:
        """The list date a row states (``list_date`` column), if any."""
        value = self._rows[(area_id, year)].get("list_date")
        return _as_date(value)

    def evaluate(self, area_id: str, year: int, rule_set: RuleSet) -> AreaDesignation:
        """Designations of one area-year under one rule set.

        Raises
        ------
        KeyError
            When the statistics have no row for the area and year.
        """
        row = self._rows[(area_id, year)]
        key = (area_id, year, rule_set.id)
        cached = self._memo.get(key)
        if cached is None:
            cached = self._evaluate_row(row, rule_set)
            self._memo[key] = cached
        return cached

    def _evaluate_row(self, row: Mapping[str, object], rule_set: RuleSet) -> AreaDesignation:
        criteria = {c.id: apply_criterion(c, row) for c in rule_set.criteria}
        residents = _int_or_none(row.get("residents"))
        at_least = _int_or_none(row.get("residents_min"))
        year = int(row["year"])  # type: ignore[call-overload]
        area_id = str(row["area_id"])
        population = _Population(residents, at_least)
        actual, history = self._designate(rule_set, criteria, population, area_id, year)
        minimum = rule_set.population_minimum
        lifted = minimum if residents is None else max(residents, minimum)
        if_met, _ = self._designate(rule_set, criteria, _Population(lifted, None), area_id, year)
        return AreaDesignation(
            area_id=area_id,
            area_name=str(row.get("area_name") or area_id),
            municipality=_str_or_none(row.get("municipality")),
            year=year,
            rule_set=rule_set.id,
            rule_set_version=rule_set.version,
            residents=residents,
            designations=[d for d, v in actual.items() if v is True],
            designations_unknown=[d for d, v in actual.items() if v is None],
            below_population_minimum=population.below(minimum),
            designations_if_population_met=[d for d, v in if_met.items() if v is True],
            criteria=criteria,
            history=history,
            residents_at_least=at_least if residents is None else None,
        )

    def _designate(
        self,
        rule_set: RuleSet,
        criteria: Mapping[str, CriterionResult],
        residents: _Population,
        area_id: str,
        year: int,
    ) -> tuple[dict[str, Tri], dict[str, list[YearStatus]]]:
        results: dict[str, Tri] = {}
        history: dict[str, list[YearStatus]] = {}
        for designation in rule_set.designations:
            context = _Context(rule_set, criteria, results, residents, area_id, year)
            if designation.consecutive:
                history[designation.id] = self._history(designation, context)
            value = self._condition(designation, context, history.get(designation.id), True)
            excluded = _any(results[e] for e in designation.excludes)
            results[designation.id] = _all([value, None if excluded is None else not excluded])
        return results, history

    def _condition(
        self,
        condition: Condition,
        ctx: _Context,
        history: list[YearStatus] | None,
        top: bool,
    ) -> Tri:
        met = {cid: r.met for cid, r in ctx.criteria.items()}
        parts: list[Tri] = [met[c] for c in condition.all_of]
        if condition.at_least:
            parts.append(_at_least(condition.at_least.n, [met[c] for c in condition.at_least.of]))
        parts.extend(ctx.results[d] for d in condition.designations)
        if history is not None:
            parts.append(_all(s.held for s in history))
        minimum = _population_requirement(condition, ctx.rule_set, top)
        if minimum is not None:
            parts.append(ctx.residents.at_least(minimum))
        if condition.any_of:
            parts.append(_any(self._condition(b, ctx, None, False) for b in condition.any_of))
        return _all(parts)

    def _history(self, designation: Designation, ctx: _Context) -> list[YearStatus]:
        assert designation.consecutive is not None
        span = designation.consecutive
        statuses = []
        for earlier in range(ctx.year - span.years + 1, ctx.year):
            statuses.append(
                self._held(ctx.area_id, earlier, ctx.rule_set.family, span.designations)
            )
        statuses.append(
            YearStatus(
                ctx.year,
                ctx.rule_set.id,
                _any(ctx.results.get(d) for d in span.designations if d in ctx.results),
            )
        )
        return statuses

    def _held(self, area_id: str, year: int, family: str, designations: list[str]) -> YearStatus:
        regime = regime_in_force(year, family, self._rule_sets)
        regime_id = regime.id if regime else None
        computed = self._computed(area_id, year, regime, designations)
        published = self._published.lookup(area_id, year, designations) if self._published else None
        if published is not None:
            return YearStatus(
                year, regime_id, published.held, published.origin, published.source, computed
            )
        if regime is None or (area_id, year) not in self._rows:
            return YearStatus(year, regime_id, None, None)
        return YearStatus(year, regime_id, computed)

    def _computed(
        self, area_id: str, year: int, regime: RuleSet | None, designations: list[str]
    ) -> Tri:
        if regime is None or (area_id, year) not in self._rows:
            return None
        result = self.evaluate(area_id, year, regime)
        held = [d for d in designations if d in {x.id for x in regime.designations}]
        if any(d in result.designations for d in held):
            return True
        unknown = any(d in result.designations_unknown for d in held)
        return None if unknown else False


@dataclass(frozen=True)
class _Population:
    """Residents as known: an exact count, or only a lower bound ("at least 1 000")."""

    exact: int | None
    lower_bound: int | None

    def at_least(self, minimum: int) -> Tri:
        if self.exact is not None:
            return self.exact >= minimum
        if self.lower_bound is not None and self.lower_bound >= minimum:
            return True
        return None

    def below(self, minimum: int) -> bool | None:
        met = self.at_least(minimum)
        return None if met is None else not met


@dataclass(frozen=True)
class _Context:
    rule_set: RuleSet
    criteria: Mapping[str, CriterionResult]
    results: dict[str, Tri]
    residents: _Population
    area_id: str
    year: int


def _population_requirement(condition: Condition, rule_set: RuleSet, top: bool) -> int | None:
    """A branch's own minimum; at the top, the rule set's unless branches state their own."""
    if condition.min_residents is not None:
        return condition.min_residents
    if top and not any(b.min_residents is not None for b in condition.any_of):
        return rule_set.population_minimum
    return None


def _row_dict(record: Mapping[object, object]) -> dict[str, object]:
    return {
        str(k): (None if v is pd.NA or (isinstance(v, float) and v != v) else v)
        for k, v in record.items()
    }


def _int_or_none(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]


def _str_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def _as_date(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def evaluate(
    statistics: pd.DataFrame,
    year: int | None = None,
    rule_sets: Sequence[RuleSet] | None = None,
    known_rule_sets: Sequence[RuleSet] | None = None,
    history: ListHistory | None = None,
) -> Evaluation:
    """Designate every area in the statistics.

    Parameters
    ----------
    statistics
        Validated area statistics, possibly spanning several years (earlier years feed the
        consecutive-year designations).
    year
        The list year to evaluate; ``None`` evaluates every year present.
    rule_sets
        Rule sets to apply; ``None`` applies, for each year, the § 61 a/§ 61 b regime in force and
        § 51 b.
    known_rule_sets
        Rule sets earlier years are judged under (default: the shipped ones plus ``rule_sets``).
    history
        Published list history for the consecutive-year designations; a published membership
        of an earlier year decides over the one computed from the statistics.

    Returns
    -------
    Evaluation
        One :class:`AreaDesignation` per area, year and rule set, by year and then in input
        order; computed over whole columns, each object built only when read
        (:meth:`Evaluation.table` gives who is designated without building any).
    """
    from boligmonitor.rules.evaluation import evaluate_vectorised

    known = tuple(known_rule_sets or ()) or (*(rule_sets or ()), *shipped_rule_sets())
    return evaluate_vectorised(statistics, year, rule_sets, known, history)


def evaluate_rowwise(
    statistics: pd.DataFrame,
    year: int | None = None,
    rule_sets: Sequence[RuleSet] | None = None,
    known_rule_sets: Sequence[RuleSet] | None = None,
    history: ListHistory | None = None,
) -> list[AreaDesignation]:
    """:func:`evaluate` one area-year at a time: the reference the columnar evaluator is
    tested against (same parameters and result)."""
    known = tuple(known_rule_sets or ()) or (*(rule_sets or ()), *shipped_rule_sets())
    evaluator = Evaluator(statistics, known, history)
    years = [year] if year is not None else evaluator.years()
    results: list[AreaDesignation] = []
    for current in years:
        for area_id in evaluator.area_ids(current):
            chosen = (
                list(rule_sets)
                if rule_sets
                else evaluator.default_rule_sets(current, evaluator.list_date(area_id, current))
            )
            results.extend(evaluator.evaluate(area_id, current, rs) for rs in chosen)
    return results
