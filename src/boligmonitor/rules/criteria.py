"""One criterion applied to one area-year: value against threshold, margin and distance.

``flip_persons`` answers the analyst's question "how many residents would have to change status
for this criterion to flip?". For a share of a population of *N* persons, one person changing
status moves the share by 100/N percentage points. For the income criterion (a mean relative
to the region) one person changing status is taken as one taxpayer moving from the area's mean
income to the regional mean, which moves the ratio by (100 − value)/N points. When the input
gives no population column for the criterion, *N* is estimated as residents × the rule set's
documented ``population_share``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from boligmonitor.rules.model import Criterion

__all__ = ["CriterionResult", "apply_criterion", "flip_persons"]

_DIGITS = 10  # published values have at most a few decimals; this removes float noise only


@dataclass(frozen=True)
class CriterionResult:
    """The outcome of one criterion for one area and year.

    Attributes
    ----------
    value, threshold
        The indicator value and the threshold it is compared with (``None`` when unknown).
    comparison
        ``gt``, ``ge``, ``lt`` or ``le``.
    met
        ``True``/``False``, or ``None`` when the value or threshold is unknown.
    margin
        How far the value lies on the meeting side of the threshold, in percentage points:
        positive means met (or exactly at an inclusive threshold when zero), negative not met.
    flip_persons
        The smallest number of persons whose status would have to change to flip ``met``.
    population
        The size of the criterion's population used for ``flip_persons``.
    population_estimated
        Whether ``population`` was estimated from total residents.
    """

    id: str
    value: float | None
    threshold: float | None
    comparison: str
    met: bool | None
    margin: float | None
    flip_persons: int | None
    population: int | None
    population_estimated: bool

    def as_record(self) -> dict[str, object]:
        """The JSON shape: ``{value, threshold, comparison, met, margin, flip_persons, ...}``."""
        return {
            "value": self.value,
            "threshold": self.threshold,
            "comparison": self.comparison,
            "met": self.met,
            "margin": self.margin,
            "flip_persons": self.flip_persons,
            "population": self.population,
            "population_estimated": self.population_estimated,
        }


def _clean(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else round(number, _DIGITS)


def _threshold(criterion: Criterion, row: Mapping[str, object]) -> float | None:
    if criterion.threshold is not None:
        return criterion.threshold
    relative = criterion.threshold_relative
    assert relative is not None  # guaranteed by the model
    if relative.published is not None:  # the published threshold is exact; prefer it
        published = _clean(row.get(relative.published.column))
        if published is not None:
            return round(published * relative.factor / relative.published.factor, _DIGITS)
    base = _clean(row.get(relative.indicator))
    return None if base is None else round(base * relative.factor, _DIGITS)


def _population(criterion: Criterion, row: Mapping[str, object]) -> tuple[int | None, bool]:
    if criterion.population:
        given = _clean(row.get(criterion.population))
        if given is not None:
            return int(given), False
    residents = _clean(row.get("residents"))
    if residents is None:
        return None, True
    return round(residents * criterion.population_share), True


def _margin(criterion: Criterion, value: float, threshold: float) -> float:
    signed = value - threshold if criterion.comparison.upward else threshold - value
    return round(signed, _DIGITS)


def _is_met(criterion: Criterion, margin: float) -> bool:
    return margin >= 0 if criterion.comparison.inclusive else margin > 0


def flip_persons(margin: float, per_person: Fraction, inclusive: bool) -> int:
    """Smallest number of persons whose status change flips a criterion.

    Parameters
    ----------
    margin
        Signed margin in percentage points (positive: on the meeting side).
    per_person
        Percentage points one person's status change moves the value.
    inclusive
        Whether a value at the threshold meets the criterion.

    Examples
    --------
    A share of 59.5 % against "> 60 %" in a group of 148: one person more flips it.

    >>> flip_persons(-0.5, Fraction(100, 148), inclusive=False)
    1
    """
    steps = Fraction(str(margin)) / per_person
    met = steps >= 0 if inclusive else steps > 0
    if met:
        return math.floor(steps) + 1 if inclusive else max(math.ceil(steps), 1)
    return max(math.ceil(-steps), 1) if inclusive else math.floor(-steps) + 1


def _per_person(criterion: Criterion, value: float, population: int) -> Fraction | None:
    if population <= 0:
        return None
    if criterion.unit == "pct_of_region":
        room = Fraction(str(100 - value)) if value < 100 else None
        return None if room is None or room == 0 else room / population
    return Fraction(100, population)


def apply_criterion(criterion: Criterion, row: Mapping[str, object]) -> CriterionResult:
    """Apply one criterion to one row of area statistics.

    Parameters
    ----------
    criterion
        From a rule set.
    row
        Area statistics for one area and year (canonical column names).

    Returns
    -------
    CriterionResult
        With ``met=None`` when the value or the threshold is unknown: unknown is never met.
    """
    value = _clean(row.get(criterion.indicator))
    threshold = _threshold(criterion, row)
    population, estimated = _population(criterion, row)
    if value is None or threshold is None:
        return CriterionResult(
            criterion.id,
            value,
            threshold,
            criterion.comparison.value,
            None,
            None,
            None,
            population,
            estimated,
        )
    margin = _margin(criterion, value, threshold)
    per_person = _per_person(criterion, value, population) if population else None
    flips = flip_persons(margin, per_person, criterion.comparison.inclusive) if per_person else None
    return CriterionResult(
        criterion.id,
        value,
        threshold,
        criterion.comparison.value,
        _is_met(criterion, margin),
        margin,
        flips,
        population,
        estimated,
    )
