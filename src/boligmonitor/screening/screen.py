"""Screening a city: candidate units merged with contiguous neighbours into designated areas.

Candidates (:func:`~boligmonitor.screening.classify.classify_units`) that are contiguous
(:mod:`~boligmonitor.screening.contiguity`) form groups; a group with at least
``area_min_residents`` residents is an udsat byområde, a smaller one is reported with status
``below_minimum`` (``isolated`` when it is a single unit) rather than dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from boligmonitor.errors import InputError
from boligmonitor.geo.dkn import is_cell_id
from boligmonitor.monitor.groups import pooled_value
from boligmonitor.monitor.reference import load_reference
from boligmonitor.screening.classify import classify_units
from boligmonitor.screening.contiguity import (
    Neighbours,
    Rule,
    connected_groups,
    grid_neighbours,
    polygon_neighbours,
)
from boligmonitor.screening.method import ScreeningMethod

__all__ = ["ScreeningResult", "screen_units", "unit_neighbours"]

DESIGNATED = "designated"
BELOW_MINIMUM = "below_minimum"


@dataclass(frozen=True)
class ScreeningResult:
    """The outcome of screening one year under one method.

    Attributes
    ----------
    units
        Every unit with its values, rule columns, ``candidate``, ``area_id`` and
        ``area_status``.
    areas
        One row per group of contiguous candidates: ``area_id, round_year, status,
        isolated, n_units, residents``, the pooled criteria values and ``unit_ids``.
    membership
        ``area_id, round_year, unit_id, status``: the units of each group.
    """

    method: ScreeningMethod
    year: int
    round_year: int
    units: pd.DataFrame
    areas: pd.DataFrame
    membership: pd.DataFrame

    def designated_units(self) -> set[str]:
        """Units in designated areas."""
        rows = self.membership[self.membership["status"] == DESIGNATED]
        return set(rows["unit_id"])

    def designated_areas(self) -> pd.DataFrame:
        """The designated areas only."""
        return self.areas[self.areas["status"] == DESIGNATED].reset_index(drop=True)

    def as_json(self) -> dict[str, Any]:
        """Method, years, areas (with member units) and the units not screened."""
        skipped = self.units[~self.units["screened"].astype(bool)]
        return {
            "method": {"id": self.method.id, "version": self.method.version},
            "year": self.year,
            "round_year": self.round_year,
            "areas": _records(self.areas.assign(unit_ids=self.areas["unit_ids"].str.split(";"))),
            "not_screened": _records(skipped[["unit_id", "residents", "not_screened_reason"]]),
        }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    clean = frame.astype(object).where(frame.notna(), None)
    return [{str(k): v for k, v in row.items()} for row in clean.to_dict(orient="records")]


def unit_neighbours(
    unit_ids: list[str], geometry: pd.DataFrame | None, rule: Rule = "rook"
) -> Neighbours:
    """Neighbours of units: DKN grid adjacency when every id is a DKN cell id, else polygons.

    Parameters
    ----------
    unit_ids
        The units.
    geometry
        ``unit_id, geometry_wkt`` (EPSG:25832) — needed unless the ids are DKN cells.
    rule
        ``"rook"`` (shared edge) or ``"queen"`` (shared corner suffices).

    Raises
    ------
    InputError
        When units lack a geometry.
    """
    if unit_ids and all(is_cell_id(u) for u in unit_ids):
        return grid_neighbours(unit_ids, rule)
    if geometry is None:
        raise InputError.single(
            "units", "units are not DKN grid cells and no unit geometry was given", column="unit_id"
        )
    wkt = dict(zip(geometry["unit_id"].astype(str), geometry["geometry_wkt"], strict=True))
    missing = [u for u in unit_ids if u not in wkt or not isinstance(wkt[u], str)]
    if missing:
        shown = ", ".join(missing[:10])
        raise InputError.single(
            "units", "no geometry for units: {shown}", column="geometry_wkt", shown=shown
        )
    return polygon_neighbours(unit_ids, [wkt[u] for u in unit_ids], rule)


def screen_units(
    stats: pd.DataFrame,
    year: int,
    method: ScreeningMethod,
    geometry: pd.DataFrame | None = None,
    round_year: int | None = None,
) -> ScreeningResult:
    """Screen the units of one data year and merge candidates into areas.

    Parameters
    ----------
    stats
        Validated unit statistics.
    year
        Data year to screen.
    method
        Screening method (:func:`~boligmonitor.screening.method.load_method`).
    geometry
        ``unit_id, geometry_wkt`` for polygon contiguity; not needed for DKN grid cells.
    round_year
        The designation round the result belongs to (default ``year``).

    Raises
    ------
    InputError
        When the year has no statistics or units lack geometry.
    """
    units = classify_units(stats, year, method)
    round_year = round_year if round_year is not None else year
    candidates = sorted(units.loc[units["candidate"], "unit_id"])
    neighbours = unit_neighbours(candidates, geometry, method.contiguity) if candidates else {}
    groups = connected_groups(candidates, neighbours)
    year_stats = stats[stats["year"] == year]
    areas, membership = _areas(groups, year_stats, method, round_year)
    status = dict(zip(membership["unit_id"], membership["status"], strict=True))
    area_of = dict(zip(membership["unit_id"], membership["area_id"], strict=True))
    units["area_id"] = units["unit_id"].map(area_of)
    units["area_status"] = units["unit_id"].map(status)
    return ScreeningResult(method, year, round_year, units, areas, membership)


def _areas(
    groups: list[list[str]], year_stats: pd.DataFrame, method: ScreeningMethod, round_year: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    criteria = [load_reference(method.reference).criterion(r.id) for r in method.criteria]
    residents = dict(zip(year_stats["unit_id"], year_stats["residents"], strict=True))
    rows: list[dict[str, Any]] = []
    members: list[dict[str, Any]] = []
    counters = {DESIGNATED: 0, BELOW_MINIMUM: 0}
    for group in groups:
        total = int(sum(int(residents[u]) for u in group))
        status = DESIGNATED if total >= method.area_min_residents else BELOW_MINIMUM
        counters[status] += 1
        prefix = "U" if status == DESIGNATED else "S"
        area_id = f"{prefix}{round_year}-{counters[status]:02d}"
        of_group = year_stats[year_stats["unit_id"].isin(group)]
        row: dict[str, Any] = {
            "area_id": area_id,
            "round_year": round_year,
            "status": status,
            "isolated": len(group) == 1,
            "n_units": len(group),
            "residents": total,
        }
        row.update({c.id: pooled_value(of_group, c) for c in criteria})
        row["unit_ids"] = ";".join(group)
        rows.append(row)
        members.extend(
            {"area_id": area_id, "round_year": round_year, "unit_id": u, "status": status}
            for u in group
        )
    area_columns = ["area_id", "round_year", "status", "isolated", "n_units", "residents"]
    areas = pd.DataFrame(rows, columns=[*area_columns, *(c.id for c in criteria), "unit_ids"])
    membership = pd.DataFrame(members, columns=["area_id", "round_year", "unit_id", "status"])
    return areas, membership
