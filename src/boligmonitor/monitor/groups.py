"""The two groups a gap compares: the designated units and the rest of the city.

Københavns Kommune, *Politik for Udsatte Byområder* (2017): the designated areas are the
screening units of a designation round, followed either as the areas of one round over time
(``fixed``) or as the areas of the latest round (``updated``); each group's value of a criterion
is pooled over its units (Σ numerator / Σ denominator), with disclosure control on the persons
counted (:mod:`boligmonitor.disclosure`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Literal

import pandas as pd

from boligmonitor.errors import InputError
from boligmonitor.monitor.gap import DIGITS
from boligmonitor.monitor.reference import CityCriterion

__all__ = [
    "Tracking",
    "designated_in",
    "group_levels",
    "pooled_value",
    "rounds_from_membership",
]

Tracking = Literal["fixed", "updated"]


def designated_in(
    rounds: Mapping[int, Collection[str]], year: int, tracking: Tracking, fixed_round: int | None
) -> set[str]:
    """The units counted as designated in a year.

    ``fixed``: the units of ``fixed_round`` (default the first round) in every year, so the same
    areas are followed over time. ``updated``: the units of the latest round at or before the
    year, so the areas change with each re-designation.

    Raises
    ------
    InputError
        When no round applies.
    """
    if not rounds:
        raise InputError.single("designation rounds", "no designation rounds given")
    if tracking == "fixed":
        chosen = fixed_round if fixed_round is not None else min(rounds)
        if chosen not in rounds:
            raise InputError.single(
                "designation rounds", "no round {chosen}", column="round_year", chosen=chosen
            )
        return set(rounds[chosen])
    earlier = [r for r in rounds if r <= year]
    if not earlier:
        raise InputError.single(
            "designation rounds",
            "no designation round at or before {year}",
            column="round_year",
            year=year,
        )
    return set(rounds[max(earlier)])


def group_levels(
    units: pd.DataFrame,
    year: int,
    members: Collection[str],
    criterion: CityCriterion,
    min_persons: int = 0,
) -> tuple[float | None, float | None]:
    """Pooled value of the designated units and of the rest of the city in one year."""
    of_year = units[units["year"] == year]
    inside = of_year["unit_id"].isin(list(members))
    return (
        pooled_value(of_year[inside], criterion, min_persons),
        pooled_value(of_year[~inside], criterion, min_persons),
    )


def pooled_value(
    units: pd.DataFrame, criterion: CityCriterion, min_persons: int = 0
) -> float | None:
    """Σ numerator / Σ denominator × scale over units (those lacking either are left out).

    ``None`` when no unit has a positive denominator, or (disclosure control, see
    :mod:`boligmonitor.disclosure`) when the denominators count fewer than ``min_persons``.
    """
    num, den = units[f"{criterion.id}_num"], units[f"{criterion.id}_den"]
    usable = num.notna() & den.notna()
    total = float(den[usable].sum())
    if total <= 0 or total < min_persons:
        return None
    return round(float(num[usable].sum()) / total * criterion.scale, DIGITS)


def rounds_from_membership(membership: pd.DataFrame) -> dict[int, set[str]]:
    """Designated units by round year from a ``screening_areas`` table."""
    designated = membership[membership["status"] == "designated"]
    return {
        int(str(year)): {str(u) for u in group["unit_id"]}
        for year, group in designated.groupby("round_year")
    }
