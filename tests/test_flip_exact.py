"""The columnar evaluator's exact flip count equals the reference ``flip_persons`` (Fraction)."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from boligmonitor.rules.columnar import _decimal, _flip_exactly
from boligmonitor.rules.criteria import flip_persons
from boligmonitor.rules.registry import shipped_rule_sets

_CRITERIA = {(c.unit, c.comparison.inclusive): c for s in shipped_rule_sets() for c in s.criteria}


@pytest.mark.parametrize("x", [0.1, -0.5, 36.529999999999994, 1e-05, -2.5e-07, 1e16, 0.0, -0.0])
def test_decimal_is_the_fraction_of_the_text(x: float) -> None:
    numerator, denominator = _decimal(x)
    assert Fraction(numerator, denominator) == Fraction(str(x))


@pytest.mark.parametrize("key", sorted(_CRITERIA, key=str))
def test_flip_equals_the_fraction_reference(key: tuple[str, bool]) -> None:
    criterion = _CRITERIA[key]
    rng = random.Random(13)
    for _ in range(3000):
        value = round(rng.uniform(0, 99.9), rng.choice([2, 6, 12]))
        margin = round(rng.uniform(-30, 30), 6) * rng.choice([1, 1e-4])
        population = rng.randint(1, 9000)
        if criterion.unit == "pct_of_region":
            per_person = Fraction(str(100 - value)) / population
        else:
            per_person = Fraction(100, population)
        expected = flip_persons(margin, per_person, criterion.comparison.inclusive)
        assert _flip_exactly(criterion, value, margin, population) == expected
