"""Exporting a screening: areas and units as Excel, CSV, JSON or GeoJSON, disclosure-controlled.

Every exported value passes :mod:`boligmonitor.disclosure`: a unit's criterion value (and the
flags or z-score derived from it) is suppressed when it rests on fewer than ``min_persons``
persons; so is an area's value when the area has fewer residents. Suppressed cells read
``diskretioneret`` in files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from boligmonitor.disclosure import DEFAULT_MIN_PERSONS, MARK, Figure, marked, suppress
from boligmonitor.errors import InputError
from boligmonitor.geo.geojson import dissolve, feature_collection, unit_wkt, write_geojson
from boligmonitor.io.export import atomic_path, write_output
from boligmonitor.io.spreadsheet import write_frames
from boligmonitor.screening.screen import ScreeningResult

__all__ = ["SCREENING_SUFFIXES", "disclosed_areas", "disclosed_units", "write_screening"]

SCREENING_SUFFIXES = (".xlsx", ".csv", ".json", ".geojson")


def _criteria(result: ScreeningResult) -> list[str]:
    return [c.id for c in result.method.criteria]


def disclosed_units(
    result: ScreeningResult, min_persons: int = DEFAULT_MIN_PERSONS
) -> pd.DataFrame:
    """The unit table with values based on too few persons suppressed (empty cells)."""
    flags = {c: "boolean" for c in result.units.columns if c.endswith("_behind")}
    units = result.units.astype(flags)  # nullable, so suppressed flags can be empty
    figures = []
    for c in _criteria(result):
        derived = [f"{c}{s}" for s in ("", "_behind", "_z") if f"{c}{s}" in units.columns]
        figures.append(Figure((*derived, f"{c}_den"), f"{c}_den"))
    return suppress(units, figures, min_persons)


def disclosed_areas(
    result: ScreeningResult, min_persons: int = DEFAULT_MIN_PERSONS
) -> pd.DataFrame:
    """The area table with the values of areas with too few residents suppressed."""
    figure = Figure(tuple(_criteria(result)), "residents")
    return suppress(result.areas, [figure], min_persons)


def _for_excel(frame: pd.DataFrame) -> pd.DataFrame:
    """Suppressed cells read ``diskretioneret``; other numbers stay numbers (unlike
    :func:`~boligmonitor.disclosure.marked`, which writes text for typed formats)."""
    out = frame.drop(columns=[MARK]).astype(object)
    for row, listed in enumerate(frame[MARK]):
        for column in filter(None, str(listed).split(";")):
            out.at[out.index[row], column] = MARK
    return out.where(out.notna(), None)


def _geometry_records(
    result: ScreeningResult, areas: pd.DataFrame, geometry: pd.DataFrame | None
) -> list[dict[str, Any]]:
    known = None
    if geometry is not None:
        known = dict(zip(geometry["unit_id"].astype(str), geometry["geometry_wkt"], strict=True))
    records = []
    for record in areas.drop(columns=["diskretioneret"]).to_dict(orient="records"):
        members = str(record["unit_ids"]).split(";")
        shapes = [w for w in (unit_wkt(u, known) for u in members) if w is not None]
        record["geometry_wkt"] = dissolve(shapes) if shapes else None
        record["method"] = result.method.id
        records.append({str(k): v for k, v in record.items()})
    return records


def write_screening(
    destination: str | Path,
    result: ScreeningResult,
    geometry: pd.DataFrame | None = None,
    min_persons: int = DEFAULT_MIN_PERSONS,
) -> Path:
    """Write a screening result; the suffix chooses the format.

    ``.xlsx``: sheets *Områder* (areas with member units) and *Enheder* (every unit);
    ``.csv``: the areas; ``.json``: :meth:`ScreeningResult.as_json` (disclosed);
    ``.geojson``: one feature per area (member units dissolved; WGS 84).

    Raises
    ------
    InputError
        For an unsupported suffix (nothing is written).
    """
    target = Path(destination)
    suffix = target.suffix.lower()
    if suffix not in SCREENING_SUFFIXES:
        known = ", ".join(SCREENING_SUFFIXES)
        raise InputError.single(target, f"unsupported output type '{suffix}'; use one of {known}")
    areas, units = disclosed_areas(result, min_persons), disclosed_units(result, min_persons)
    if suffix == ".geojson":
        return write_geojson(target, feature_collection(_geometry_records(result, areas, geometry)))
    if suffix == ".xlsx":
        with atomic_path(target) as temporary:
            write_frames(temporary, {"Områder": _for_excel(areas), "Enheder": _for_excel(units)})
        return target
    disclosed = ScreeningResult(
        result.method, result.year, result.round_year, units, areas, result.membership
    )
    return write_output(target, disclosed.as_json(), marked(areas))
