"""The dwelling stock of one simulated run under udviklingsplaner: the run's plan state and
the yearly count of almene familieboliger per area with their share as Almenboligloven § 168 a
counts it (demolished dwellings and commercial floor space in the total, by the counting
rules of :mod:`boligmonitor.udviklingsplan.counting`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from boligmonitor.simulation.development import (
    FAMILY,
    GONE,
    Development,
    YearWorks,
    apply_works,
)
from boligmonitor.simulation.households import City, IntArray

__all__ = ["PLAN_LEDGER", "PlanRun", "housing"]


#: Ledger entries of a run with udviklingsplaner (zero in years without measures).
PLAN_LEDGER = (
    "dwellings_demolished",
    "dwellings_changed",
    "dwellings_built",
    "households_displaced",
    "households_rehoused",
    "households_rehoused_out",
    "persons_rehoused_out",
)


@dataclass
class PlanRun:
    """A run's udviklingsplan state: its own generator for choosing the affected dwellings
    (seeded ``(seed, run, 168)``, apart from the run's main stream), the demolished dwellings
    counted per area, and its records."""

    development: Development
    rng: np.random.Generator
    demolished: IntArray
    housing: list[pd.DataFrame] = field(default_factory=list)
    rehousing: list[pd.DataFrame] = field(default_factory=list)

    def apply(self, city: City, year: int) -> YearWorks | None:
        """This year's measures applied to ``city`` (``None``: none this year)."""
        todo = self.development.in_year(year)
        if not todo:
            return None
        works = apply_works(city, todo, self.development, self.rng)
        self.demolished = np.maximum(self.demolished + works.demolished - works.replaced, 0)
        return works


def housing(
    city: City, plan: Development, demolished: IntArray, year: int, run: int
) -> pd.DataFrame:
    """Per area at 1 January ``year``: almene familieboliger, dwellings and the share of
    almene familieboliger as § 168 a counts it (demolished dwellings and commercial floor space
    in the total, by the counting rules), and whether it meets the target (exact)."""
    n, rules = city.n_areas, plan.rules
    inside = (city.dwelling_area >= 0) & (city.dwelling_tenure != GONE)
    area = city.dwelling_area[inside]
    family = np.bincount(area[city.dwelling_tenure[inside] == FAMILY], minlength=n)
    dwellings = np.bincount(area, minlength=n)
    per = rules.commercial.m2_per_dwelling
    m2 = plan.commercial(year)
    counted = dwellings + (demolished if rules.demolished.counted_in_total else 0)
    floor = rules.commercial.rounding == "floor"
    scaled = counted * per + (m2 // per * per if floor else m2)  # total × m2_per_dwelling
    share = rules.target.share
    left, right = family * share.denominator * per, share.numerator * scaled
    met = left <= right if rules.target.comparison == "le" else left < right
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = np.where(scaled > 0, 100.0 * family * per / np.maximum(scaled, 1), np.nan)
    return pd.DataFrame(
        {
            "run": run,
            "year": year,
            "area_id": city.area_ids,
            "planned": plan.planned,
            "family_dwellings": family.astype(np.int64),
            "dwellings": dwellings.astype(np.int64),
            "family_share_pct": pct,
            "family_share_met": met & (scaled > 0),
        }
    )
