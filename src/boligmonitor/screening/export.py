"""Exporting a screening: areas and units as Excel, CSV, JSON or GeoJSON, disclosure-controlled.

Every exported value passes :mod:`boligmonitor.disclosure`: a unit's criterion value (and the
flags or z-score derived from it) is suppressed when it rests on fewer than ``min_persons``
persons, and so are its residents and the counts built from several criteria; an area is the
total of its member units, so secondary suppression keeps a hidden unit from being recovered
as the area minus the others. Suppressed cells read ``diskretioneret`` in files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from boligmonitor.disclosure import DEFAULT_MIN_PERSONS, MARK, Figure, marked, suppress
from boligmonitor.errors import InputError
from boligmonitor.geo.geojson import dissolve, feature_collection, unit_wkt, write_geojson
from boligmonitor.i18n import Language, translate
from boligmonitor.io.export import atomic_path, write_output
from boligmonitor.io.spreadsheet import write_frames
from boligmonitor.screening.screen import ScreeningResult

__all__ = ["SCREENING_SUFFIXES", "disclosed_areas", "disclosed_units", "write_screening"]

SCREENING_SUFFIXES = (".xlsx", ".csv", ".json", ".geojson")


def _criteria(result: ScreeningResult) -> list[str]:
    return [c.id for c in result.method.criteria]


#: Unit columns derived from several criteria: hidden when any of them is.
_SUMMARY = ("behind_count", "status_index", "class")


def _published(result: ScreeningResult, min_persons: int) -> pd.DataFrame:
    """Units and areas in one table, each area the total of its member units, suppressed.

    An area's residents and values add up its members', so an area is the published total of
    its units (secondary suppression as in :func:`~boligmonitor.disclosure.suppress`); a unit
    in no area has nothing to be subtracted from.
    """
    criteria = _criteria(result)
    units = result.units
    area_of = units["area_id"] if "area_id" in units.columns else pd.Series(None, index=units.index)
    members = pd.DataFrame(
        {
            "group": [
                a if isinstance(a, str) else f"unit:{u}"
                for a, u in zip(area_of, units["unit_id"], strict=True)
            ],
            "residents": units["residents"].to_numpy(),
            **{c: units[c].to_numpy() for c in criteria},
            **{f"{c}_den": units[f"{c}_den"].to_numpy() for c in criteria},
        }
    )
    dens = members.groupby("group")[[f"{c}_den" for c in criteria]].sum()
    areas = result.areas
    totals = pd.DataFrame(
        {
            "group": areas["area_id"].to_numpy(),
            "residents": areas["residents"].to_numpy(),
            **{c: areas[c].to_numpy() for c in criteria},
            **{
                f"{c}_den": dens[f"{c}_den"].reindex(areas["area_id"]).fillna(0).to_numpy()
                for c in criteria
            },
        }
    )
    frame = pd.concat([members, totals], ignore_index=True)
    figures = [Figure(("residents",), "residents")]
    figures += [Figure((c, f"{c}_den"), f"{c}_den") for c in criteria]
    is_total = pd.Series([False] * len(members) + [True] * len(totals))
    return suppress(frame, figures, min_persons, group="group", total=is_total)


def _hidden(published: pd.DataFrame, rows: slice) -> list[set[str]]:
    return [set(filter(None, str(n).split(";"))) for n in published[MARK].iloc[rows]]


def disclosed_units(
    result: ScreeningResult, min_persons: int = DEFAULT_MIN_PERSONS
) -> pd.DataFrame:
    """The unit table with values based on too few persons suppressed (empty cells).

    A criterion's value, flag, z-score and denominator go together; ``residents`` is a figure
    of its own; ``behind_count``, ``status_index`` and ``class`` go when any criterion does.
    """
    flags = {c: "boolean" for c in result.units.columns if c.endswith("_behind")}
    units = result.units.astype(flags)  # nullable, so suppressed flags can be empty
    hidden = _hidden(_published(result, min_persons), slice(0, len(units)))
    figures = [Figure(("residents",), None)]
    masks = {figures[0]: np.array(["residents" in h for h in hidden], dtype=bool)}
    for c in _criteria(result):
        derived = [f"{c}{s}" for s in ("", "_behind", "_z") if f"{c}{s}" in units.columns]
        figure = Figure((*derived, f"{c}_den"), None)
        figures.append(figure)
        masks[figure] = np.array([c in h for h in hidden], dtype=bool)
    summary = Figure(tuple(c for c in _SUMMARY if c in units.columns), None)
    figures.append(summary)
    masks[summary] = np.array([bool(h) for h in hidden], dtype=bool)
    return suppress(units, figures, min_persons, masks=masks)


def disclosed_areas(
    result: ScreeningResult, min_persons: int = DEFAULT_MIN_PERSONS
) -> pd.DataFrame:
    """The area table with values resting on too few persons, or giving a unit away, suppressed."""
    published = _published(result, min_persons)
    hidden = _hidden(published, slice(len(result.units), len(published)))
    figures, masks = [], {}
    for column in ("residents", *_criteria(result)):
        figure = Figure((column,), None)
        figures.append(figure)
        masks[figure] = np.array([column in h for h in hidden], dtype=bool)
    return suppress(result.areas, figures, min_persons, masks=masks)


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
    lang: Language = "da",
) -> Path:
    """Write a screening result; the suffix chooses the format.

    ``.xlsx``: sheets *Områder* (areas with member units) and *Enheder* (every unit), named in
    ``lang`` (*Areas* and *Units* in English);
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
        raise InputError.single(
            target,
            "unsupported output type '{suffix}'; use one of {known}",
            suffix=suffix,
            known=known,
        )
    areas, units = disclosed_areas(result, min_persons), disclosed_units(result, min_persons)
    if suffix == ".geojson":
        return write_geojson(target, feature_collection(_geometry_records(result, areas, geometry)))
    if suffix == ".xlsx":
        with atomic_path(target) as temporary:
            sheets = {translate("Areas", lang): areas, translate("Units", lang): units}
            write_frames(temporary, {name: _for_excel(f) for name, f in sheets.items()})
        return target
    disclosed = ScreeningResult(
        result.method, result.year, result.round_year, units, areas, result.membership
    )
    return write_output(target, disclosed.as_json(), marked(areas))
