"""Rows of the city screening and the gap for the workspace tables, and unit geometry input.

Tables (replaced per round or per gap source, so a new screening of a round supersedes the old):

- ``unit_statistics``: validated unit statistics (one row per unit and year);
- ``units``: unit geometry ``unit_id, name, geometry_wkt`` (EPSG:25832);
- ``screening_areas``: membership ``area_id, round_year, unit_id, status, method, run_id``
  (``status`` is ``designated`` or ``below_minimum``);
- ``screening_area_summary``: one row per area: residents, criteria values, member units;
- ``screening_units``: every screened unit with its values, flags and ``candidate``;
- ``gap_records`` / ``gap_summary``: gap records and the vision test per year, by ``source``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from boligmonitor.errors import InputError, Problem
from boligmonitor.io.tables import RawTable, read_raw_table
from boligmonitor.monitor.gap import GapReport
from boligmonitor.schema.columns import Column, Kind, validate_table
from boligmonitor.screening.screen import ScreeningResult
from boligmonitor.store import Table

__all__ = ["gap_frames", "read_units", "require", "screening_frames"]

UNIT_GEOMETRY = (
    Column("unit_id", Kind.TEXT, nullable=False, aliases=("enhed", "id")),
    Column("name", Kind.TEXT, required=False, aliases=("navn",)),
    Column("geometry_wkt", Kind.TEXT, nullable=False, aliases=("wkt", "geometry", "geometri")),
)


def _valid_wkt(frame: pd.DataFrame, raw: RawTable) -> list[Problem]:
    import shapely
    from shapely.errors import ShapelyError

    problems = []
    for row, text in zip(frame["source_row"], frame["geometry_wkt"], strict=True):
        try:
            shape = shapely.from_wkt(str(text))
        except ShapelyError as error:
            problems.append(
                Problem(
                    str(raw.path),
                    "not WKT: {error}",
                    int(row),
                    "geometry_wkt",
                    params={"error": error},
                )
            )
            continue
        if not all(math.isfinite(v) for v in shape.bounds):
            problems.append(
                Problem(
                    str(raw.path), "coordinates must be finite numbers", int(row), "geometry_wkt"
                )
            )
            continue
        if shape.geom_type not in ("Polygon", "MultiPolygon"):
            problems.append(
                Problem(
                    str(raw.path),
                    "a {kind}, not a polygon",
                    int(row),
                    "geometry_wkt",
                    {"kind": shape.geom_type},
                )
            )
    return problems


def read_units(path: str | Path) -> pd.DataFrame:
    """Read unit geometry (``unit_id, name, geometry_wkt`` in EPSG:25832), validated; other
    columns (e.g. a municipality code) are ignored.

    Raises
    ------
    InputError
        Listing every problem (file, row, column): missing ids, duplicates, invalid WKT.
    """
    raw = read_raw_table(path)
    known = [h for h in raw.frame.columns if any(c.accepts(h) for c in UNIT_GEOMETRY)]
    raw = RawTable(raw.path, raw.frame[known], raw.first_row)  # other attributes are ignored
    frame = validate_table(raw, UNIT_GEOMETRY, key=("unit_id",), checks=[_valid_wkt])
    frame["name"] = frame["name"].fillna(frame["unit_id"])
    return frame.drop(columns=["source_row"])


def screening_frames(result: ScreeningResult, run_id: str) -> dict[Table, pd.DataFrame]:
    """The rows one screening adds to each workspace table."""
    tag = {"method": result.method.id, "method_version": result.method.version, "run_id": run_id}
    units = result.units.assign(round_year=result.round_year, status=result.units["area_status"])
    return {
        Table.SCREENING_AREAS: result.membership.assign(**tag),
        Table.SCREENING_AREA_SUMMARY: result.areas.assign(year=result.year, **tag),
        Table.SCREENING_UNITS: units.assign(**tag),
    }


def gap_frames(report: GapReport, source: str, run_id: str) -> dict[Table, pd.DataFrame]:
    """The rows a gap computation adds to ``gap_records`` and ``gap_summary``."""
    summary = pd.DataFrame([s.__dict__ for s in report.by_year]).astype({"vision_met": "boolean"})
    tag: dict[str, Any] = {"source": source, "run_id": run_id}
    return {
        Table.GAP_RECORDS: report.frame().assign(**tag),
        Table.GAP_SUMMARY: summary.assign(**tag),
    }


def require(frame: pd.DataFrame | None, what: str) -> pd.DataFrame:
    """The frame, or an :class:`InputError` saying the workspace lacks it."""
    if frame is None or frame.empty:
        raise InputError.single("workspace", "no {what} stored", what=what)
    return frame
