"""Columnar rule evaluation: every area and year at once, with numpy.

The semantics are those of :class:`boligmonitor.rules.evaluate.Evaluator` (three-valued logic,
consecutive-year designations judged under the regime in force each earlier year, published
history deciding earlier years), computed one criterion and one designation at a time over
whole columns instead of one row at a time. ``flip_persons`` stays exact: margins and
populations are integers scaled by 10¹⁰, so the fractions of
:func:`boligmonitor.rules.criteria.flip_persons` become exact integer divisions.

Three-valued results are ``int8`` arrays: 1 true, 0 false, -1 unknown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from boligmonitor.rules.criteria import CriterionResult
from boligmonitor.rules.history import ListHistory, Membership
from boligmonitor.rules.model import Condition, Criterion, RuleSet
from boligmonitor.rules.registry import regime_in_force

__all__ = ["Columns", "Tri", "tri_all", "tri_any", "tri_at_least"]

Tri = np.ndarray  # int8: 1 true, 0 false, -1 unknown
_SCALE = 10**10  # _DIGITS = 10 decimals in criteria.py
_SAFE = 1e5  # below this magnitude x·10¹⁰ is exact enough to round in floating point


def tri_all(parts: Sequence[Tri], size: int) -> Tri:
    """Three-valued AND over arrays (an empty AND is true)."""
    if not parts:
        return np.ones(size, np.int8)
    stack = np.vstack(parts)
    false, true = (stack == 0).any(axis=0), (stack == 1).all(axis=0)
    return np.where(false, 0, np.where(true, 1, -1)).astype(np.int8)


def tri_any(parts: Sequence[Tri], size: int) -> Tri:
    """Three-valued OR over arrays (an empty OR is false)."""
    if not parts:
        return np.zeros(size, np.int8)
    stack = np.vstack(parts)
    true, false = (stack == 1).any(axis=0), (stack == 0).all(axis=0)
    return np.where(true, 1, np.where(false, 0, -1)).astype(np.int8)


def tri_at_least(n: int, parts: Sequence[Tri], size: int) -> Tri:
    """At least ``n`` of the parts true (unknown when the unknown ones could decide)."""
    stack = np.vstack(parts) if parts else np.zeros((0, size), np.int8)
    met = (stack == 1).sum(axis=0)
    possible = met + (stack == -1).sum(axis=0)
    return np.where(met >= n, 1, np.where(possible < n, 0, -1)).astype(np.int8)


def round10(values: np.ndarray) -> np.ndarray:
    """``round(x, 10)`` elementwise, identical to Python's correctly rounded ``round``.

    Scaling by 10¹⁰ and rounding is exact unless the scaled value lies near a half; those few
    values (and very large ones) go through Python's ``round``.
    """
    scaled = values * _SCALE
    out: np.ndarray = np.rint(scaled) / _SCALE
    fraction = np.abs(scaled - np.trunc(scaled))
    doubtful = (np.abs(fraction - 0.5) < 0.05) | (np.abs(values) >= _SAFE)
    doubtful &= ~np.isnan(values)
    for i in np.flatnonzero(doubtful):
        out[i] = round(float(values[i]), 10)
    return out


def _decimal_units(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``Fraction(str(x)) · 10¹⁰`` as int64, and where that is exact (x has ≤ 10 decimals)."""
    exact = ~np.isnan(values) & (np.abs(values) < _SAFE)
    exact &= round10(np.where(exact, values, 0.0)) == values
    units: np.ndarray = np.where(exact, np.rint(np.where(exact, values, 0.0) * _SCALE), 0)
    return units.astype(np.int64), exact


@dataclass
class CriterionColumns:
    """One criterion over every row, as the fields of :class:`CriterionResult`."""

    criterion: Criterion
    value: np.ndarray  # float, NaN unknown
    threshold: np.ndarray
    met: Tri
    margin: np.ndarray
    flips: np.ndarray  # int64, -1 none
    population: np.ndarray  # int64, -1 none
    estimated: bool | np.ndarray

    def results(self, rows: np.ndarray) -> list[CriterionResult]:
        """The :class:`CriterionResult` objects of the rows at positions ``rows``."""
        comparison = self.criterion.comparison.value
        cid = self.criterion.id
        estimated = np.broadcast_to(np.asarray(self.estimated), self.value.shape)[rows].tolist()
        fields = zip(
            _floats(self.value[rows]),
            _floats(self.threshold[rows]),
            self.met[rows].tolist(),
            _floats(self.margin[rows]),
            self.flips[rows].tolist(),
            self.population[rows].tolist(),
            estimated,
            strict=True,
        )
        new, attach = object.__new__, object.__setattr__
        out = []
        for value, threshold, met, margin, flips, population, est in fields:
            result = new(CriterionResult)
            attach(
                result,
                "__dict__",
                {
                    "id": cid,
                    "value": value,
                    "threshold": threshold,
                    "comparison": comparison,
                    "met": _TRI[met],
                    "margin": margin,
                    "flip_persons": None if flips < 0 else flips,
                    "population": None if population < 0 else population,
                    "population_estimated": est,
                },
            )
            out.append(result)
        return out


_TRI: dict[int, bool | None] = {1: True, 0: False, -1: None}


def _floats(values: np.ndarray) -> list[float | None]:
    return [None if v != v else v for v in values.tolist()]


class Columns:
    """The statistics as numpy columns, indexed by ``(area_id, year)``.

    Parameters
    ----------
    statistics
        Area statistics; a repeated ``(area_id, year)`` keeps its last row, at its first place.
    """

    def __init__(self, statistics: pd.DataFrame) -> None:
        frame = statistics.reset_index(drop=True)
        area = frame["area_id"].astype(str).to_numpy(object)
        year = frame["year"].astype("int64").to_numpy()
        codes, _ = pd.factorize(area)
        first_year = int(year.min()) if len(year) else 0
        span = int(year.max()) - first_year + 1 if len(year) else 1
        key = codes.astype(np.int64) * span + (year - first_year)
        keys, first = np.unique(key, return_index=True)
        if len(keys) < len(key):  # a repeated (area, year): its last row, at its first place
            _, from_end = np.unique(key[::-1], return_index=True)
            last = len(key) - 1 - from_end
            chosen = last[np.argsort(first, kind="stable")]
            frame, area, year = (
                frame.iloc[chosen].reset_index(drop=True),
                area[chosen],
                year[chosen],
            )
            codes = codes[chosen]
        self.frame = frame
        self.size = len(frame)
        self.area: np.ndarray = area
        self.year: np.ndarray = year
        self._codes = codes
        self._first_year, self._span = first_year, span
        self._lookup = np.full((int(codes.max()) + 1 if len(codes) else 0, span), -1, np.int64)
        self._lookup[codes, year - first_year] = np.arange(self.size)
        self._numbers: dict[str, np.ndarray] = {}
        self._clean: dict[str | None, np.ndarray] = {}

    def number(self, column: str | None) -> np.ndarray:
        """A column as float64 with NaN for empty, missing, boolean or non-numeric values."""
        if column is None or column not in self.frame.columns:
            return np.full(self.size, np.nan)
        found = self._numbers.get(column)
        if found is None:
            raw = self.frame[column]
            if pd.api.types.is_bool_dtype(raw):
                found = np.full(self.size, np.nan)
            elif pd.api.types.is_numeric_dtype(raw):
                found = raw.to_numpy(dtype="float64", na_value=np.nan)
            else:
                numeric = pd.to_numeric(raw.map(_not_bool), errors="coerce")
                found = numeric.astype("float64").to_numpy(na_value=np.nan)
            self._numbers[column] = found
        return found

    def clean(self, column: str | None) -> np.ndarray:
        """:func:`criteria._clean` over a column: rounded to 10 decimals, NaN unknown
        (remembered; callers must not change the array)."""
        found = self._clean.get(column)
        if found is None:
            found = round10(self.number(column))
            self._clean[column] = found
        return found

    def positions(self, year: np.ndarray) -> np.ndarray:
        """Per row, the row of the same area in ``year`` (one year per row); -1 where none."""
        offset = year - self._first_year
        inside = (offset >= 0) & (offset < self._span)
        found = np.full(self.size, -1, np.int64)
        found[inside] = self._lookup[self._codes[inside], offset[inside]]
        return found


def _not_bool(value: object) -> object:
    return None if isinstance(value, bool) else value


def criterion_columns(criterion: Criterion, columns: Columns) -> CriterionColumns:
    """Apply one criterion to every row (see :func:`criteria.apply_criterion`)."""
    value = columns.clean(criterion.indicator)
    threshold = _threshold(criterion, columns)
    population, estimated = _population(criterion, columns)
    known = ~np.isnan(value) & ~np.isnan(threshold)
    signed = value - threshold if criterion.comparison.upward else threshold - value
    margin = np.where(known, round10(np.where(known, signed, 0.0)), np.nan)
    inclusive = criterion.comparison.inclusive
    met_bool = margin >= 0 if inclusive else margin > 0
    met = np.where(known, met_bool.astype(np.int8), -1).astype(np.int8)
    flips = _flips(criterion, value, margin, population, known)
    return CriterionColumns(criterion, value, threshold, met, margin, flips, population, estimated)


def _threshold(criterion: Criterion, columns: Columns) -> np.ndarray:
    if criterion.threshold is not None:
        return np.full(columns.size, float(criterion.threshold))
    relative = criterion.threshold_relative
    assert relative is not None  # guaranteed by the model
    base = columns.clean(relative.indicator)
    out = np.where(np.isnan(base), np.nan, round10(base * relative.factor))
    if relative.published is not None:
        published = columns.clean(relative.published.column)
        scaled = round10(published * relative.factor / relative.published.factor)
        out = np.where(np.isnan(published), out, scaled)
    return out


def _population(criterion: Criterion, columns: Columns) -> tuple[np.ndarray, bool | np.ndarray]:
    residents = columns.clean("residents")
    estimate = np.where(np.isnan(residents), -1, np.rint(residents * criterion.population_share))
    if not criterion.population:
        return estimate.astype(np.int64), True
    given = columns.clean(criterion.population)
    has = ~np.isnan(given)
    population = np.where(has, np.trunc(np.where(has, given, 0.0)), estimate)
    return population.astype(np.int64), ~has


def _flips(
    criterion: Criterion,
    value: np.ndarray,
    margin: np.ndarray,
    population: np.ndarray,
    known: np.ndarray,
) -> np.ndarray:
    """Exact ``flip_persons``: steps = margin / per-person change as an integer ratio."""
    margin_units, margin_exact = _decimal_units(np.where(known, margin, np.nan))
    people = np.where(population > 0, population, 0)
    if criterion.unit == "pct_of_region":
        usable = known & (people > 0) & (value < 100)
        room_units, room_exact = _decimal_units(np.where(usable, 100 - value, np.nan))
        numerator = margin_units * people
        near = _near_room(value, numerator, usable & ~room_exact)
        denominator = np.where(room_exact, room_units, near)
        exact = margin_exact & (room_exact | (near > 0))
    else:
        usable = known & (people > 0)
        numerator = margin_units * people
        denominator = np.full(len(value), 100 * _SCALE, dtype=np.int64)
        exact = margin_exact
    exact &= np.abs(margin_units) < 2**62 // np.maximum(people, 1)
    safe = np.where(denominator > 0, denominator, 1)
    floor = numerator // safe
    ceil = -((-numerator) // safe)
    if criterion.comparison.inclusive:
        flips = np.where(numerator >= 0, floor + 1, np.maximum(-floor, 1))
    else:
        flips = np.where(numerator > 0, np.maximum(ceil, 1), -ceil + 1)
    flips = np.where(usable, flips, -1).astype(np.int64)
    for i in np.flatnonzero(usable & ~exact):  # the rare value needing Python's fractions
        flips[i] = _flip_exactly(criterion, float(value[i]), float(margin[i]), int(people[i]))
    return flips


def _near_room(value: np.ndarray, numerator: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``100 − value`` in units of 10⁻¹⁰ where that decides ``flip_persons``; 0 elsewhere.

    The float ``100 − value`` often prints with more than ten decimals (``54.330000000000005``)
    and the row-wise evaluator divides by that printed decimal. It lies within a few units in
    the last place of the decimal ``100 − value``, so the steps ``numerator / room`` differ
    from those with the decimal room by at most ``|steps| · error / room``: when the decimal
    steps lie farther than that from a whole number, both round alike.
    """
    value_units, value_exact = _decimal_units(np.where(rows, value, np.nan))
    room = np.where(rows & value_exact, 100 * _SCALE - value_units, 0)
    safe = np.maximum(room, 1)
    remainder = numerator % safe
    distance = np.minimum(remainder, safe - remainder).astype(np.float64)
    known = np.where(rows, value, 0.0)
    spacing = np.spacing(np.abs(known)) + 2 * np.spacing(np.abs(100 - known))
    error = 8 * spacing * _SCALE  # generous: the float's and its printed text's distance
    steps = np.abs(numerator).astype(np.float64) / safe
    decided = (room > 0) & ((numerator == 0) | (distance > steps * error))
    return np.where(decided, room, 0).astype(np.int64)


def _decimal(x: float) -> tuple[int, int]:
    """``Fraction(str(x))`` as an unreduced (numerator, positive denominator) pair."""
    mantissa, _, exponent = repr(x).partition("e")
    whole, _, decimals = mantissa.partition(".")
    scale = len(decimals) - int(exponent or 0)
    numerator = int(whole + decimals)
    return (numerator, 10**scale) if scale >= 0 else (numerator * 10**-scale, 1)


def _flip_exactly(criterion: Criterion, value: float, margin: float, population: int) -> int:
    """:func:`~boligmonitor.rules.criteria.flip_persons` in integers: steps = margin ·
    population / (100 − value) or margin · population / 100, from the values' decimal texts."""
    margin_num, margin_den = _decimal(margin)
    if criterion.unit == "pct_of_region":
        room_num, room_den = _decimal(100 - value)
        numerator, denominator = margin_num * population * room_den, margin_den * room_num
    else:
        numerator, denominator = margin_num * population, margin_den * 100
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    floor = numerator // denominator
    ceil = -(-numerator // denominator)
    if criterion.comparison.inclusive:
        return floor + 1 if numerator >= 0 else max(-floor, 1)
    return max(ceil, 1) if numerator > 0 else -ceil + 1


def population_at_least(exact: np.ndarray, lower: np.ndarray, minimum: int) -> Tri:
    """Residents (exact, -1 unknown; or a lower bound, -1 none) at least ``minimum``."""
    known = exact >= 0
    by_bound = (lower >= 0) & (lower >= minimum)
    return np.where(known, exact >= minimum, np.where(by_bound, 1, -1)).astype(np.int8)


def requirement(condition: Condition, rule_set: RuleSet, top: bool) -> int | None:
    """A branch's own minimum; at the top, the rule set's unless branches state their own."""
    if condition.min_residents is not None:
        return condition.min_residents
    if top and not any(b.min_residents is not None for b in condition.any_of):
        return rule_set.population_minimum
    return None


def regimes_by_year(years: np.ndarray, family: str, rule_sets: Sequence[RuleSet]) -> dict[int, Any]:
    """The regime in force for each distinct year (``None`` where none governs)."""
    return {int(y): regime_in_force(int(y), family, rule_sets) for y in np.unique(years)}


def published(
    history: ListHistory | None, area: np.ndarray, year: np.ndarray, designations: list[str]
) -> list[Membership | None]:
    """The published membership deciding each ``(area, year)``, if the history knows it."""
    if history is None:
        return [None] * len(area)
    return [
        history.lookup(a, y, designations)
        for a, y in zip(area.tolist(), year.tolist(), strict=True)
    ]
