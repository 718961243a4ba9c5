"""Where a workspace's goal figures, gap and map come from.

A workspace without microdata reports the shipped (published) catalogue and the published gap
(reference ``kk-2021``). A workspace with register-style microdata (loaded with
``Workspace.load_microdata``, or stored as tables ``persons``, ``addresses``, ``dwellings``) and
a municipal screening (``screening_areas``, written by ``Workspace.screen``) reports the goal
indicators derived from the microdata (:mod:`.microdata`) for the units designated in the first
round, and draws a map when the ``units`` table has geometry.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Literal

from boligmonitor.errors import InputError
from boligmonitor.monitor.goals.catalogue import resolve_catalogue
from boligmonitor.monitor.goals.microdata import DEFAULT_MIN_PERSONS, derive_catalogue
from boligmonitor.monitor.goals.model import Catalogue
from boligmonitor.screening.store import SCREENING_AREAS_TABLE, UNITS_TABLE, rounds_from_membership

__all__ = [
    "MICRODATA_TABLES",
    "Source",
    "designated_rounds",
    "has_microdata",
    "microdata_tables",
    "parse_source",
    "unit_geometry",
    "workspace_catalogue",
]

Source = Literal["auto", "published", "microdata"]
MICRODATA_TABLES = ("persons", "addresses", "dwellings")


def parse_source(text: str) -> Source:
    """Validate a source name (``auto``, ``published`` or ``microdata``).

    Raises
    ------
    InputError
        For any other name.
    """
    for source in ("auto", "published", "microdata"):
        if text == source:
            return source
    raise InputError.single(
        "--source", f"unknown source '{text}'; use auto, published or microdata"
    )


def microdata_tables(ws: Any) -> dict[str, Any] | None:
    """The microdata tables goal indicators are derived from, or ``None``.

    The microdata loaded into the session (``ws.load_microdata``) win over workspace tables.
    """
    try:
        tables: dict[str, Any] = dict(ws.microdata().tables)
    except (InputError, AttributeError):
        tables = {t: ws.table(t) for t in MICRODATA_TABLES if ws.has_table(t)}
    return tables if all(t in tables for t in MICRODATA_TABLES) else None


def has_microdata(ws: Any) -> bool:
    """Whether the workspace has the microdata goal indicators are derived from."""
    return microdata_tables(ws) is not None


def designated_rounds(ws: Any) -> dict[int, set[str]]:
    """Designated screening units by round year (``screening_areas``), or empty."""
    if not ws.has_table(SCREENING_AREAS_TABLE):
        return {}
    return rounds_from_membership(ws.read_table(SCREENING_AREAS_TABLE))


def workspace_catalogue(
    ws: Any,
    name_or_path: str | None = None,
    source: Source = "auto",
    designated_units: Collection[str] | None = None,
    min_persons: int = DEFAULT_MIN_PERSONS,
) -> Catalogue:
    """The catalogue a workspace reports: published values, or values derived from microdata.

    Parameters
    ----------
    ws
        The :class:`~boligmonitor.workspace.Workspace`.
    name_or_path
        Shipped catalogue id or YAML path (default ``kk-2017-2025``).
    source
        ``published`` (the catalogue's own values), ``microdata`` (derived) or ``auto``
        (microdata when the workspace holds it).
    designated_units
        Units of the designated areas; default those of the first screening round stored
        (followed over the period, as the 2021 status follows the areas of 2017).

    Raises
    ------
    InputError
        When microdata are asked for but absent, or no designated units are known.
    """
    catalogue = resolve_catalogue(name_or_path)
    use_microdata = source == "microdata" or (source == "auto" and has_microdata(ws))
    if not use_microdata:
        return catalogue
    tables = microdata_tables(ws)
    if tables is None:
        raise InputError.single("workspace", "no microdata loaded (use --microdata DIR)")
    units = designated_units
    if units is None:
        rounds = designated_rounds(ws)
        if not rounds:
            raise InputError.single(
                "workspace", "no designated screening units; screen the city first"
            )
        units = rounds[min(rounds)]
    return derive_catalogue(catalogue, tables, units, min_persons=min_persons)


def unit_geometry(ws: Any, designated: Collection[str]) -> dict[str, Any] | None:
    """GeoJSON of the workspace's screening units with a ``designated`` flag, if any geometry.

    Reads the ``units`` table (``unit_id``, ``geometry_wkt``, EPSG:25832).
    """
    if not ws.has_table(UNITS_TABLE):
        return None
    import shapely

    frame = ws.read_table(UNITS_TABLE)
    if "geometry_wkt" not in frame.columns:
        return None
    chosen = set(designated)
    features = [
        {
            "type": "Feature",
            "geometry": shapely.geometry.mapping(shapely.from_wkt(wkt)),
            "properties": {"unit_id": str(unit), "designated": str(unit) in chosen},
        }
        for unit, wkt in zip(frame["unit_id"], frame["geometry_wkt"], strict=True)
        if isinstance(wkt, str)
    ]
    return {"type": "FeatureCollection", "features": features} if features else None
