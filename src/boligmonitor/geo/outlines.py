"""Outlines of areas and units from GIS files, and back to GIS files.

Reads GeoPackage, shapefile and GeoJSON through GeoPandas/pyogrio, in any coordinate reference
system the file declares, and reprojects to EPSG:25832 (ETRS89 / UTM 32N), the CRS every
geometry is stored in. Writes GeoPackage and GeoJSON in EPSG:25832 or WGS 84 (EPSG:4326; the
only CRS of RFC 7946 GeoJSON), so an outline opens in QGIS as it was drawn.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from boligmonitor.errors import InputError, Problem
from boligmonitor.io.export import atomic_path

__all__ = ["GIS_SUFFIXES", "STORED_EPSG", "read_outlines", "write_outlines"]

#: The CRS of stored geometry.
STORED_EPSG = 25832
GIS_SUFFIXES = (".gpkg", ".shp", ".geojson", ".json")
_POLYGONS = {"Polygon", "MultiPolygon"}


def read_outlines(path: str | Path, id_column: str, name_column: str | None = None) -> pd.DataFrame:
    """Read polygons with an id from a GIS file, reprojected to EPSG:25832.

    Parameters
    ----------
    path
        A ``.gpkg`` (first layer), ``.shp`` or ``.geojson`` file.
    id_column
        The attribute holding each outline's id (``area_id`` or ``unit_id`` of the workspace).
    name_column
        An optional attribute with a display name.

    Returns
    -------
    pandas.DataFrame
        ``id, name, geometry_wkt`` (WKT in EPSG:25832), one row per id.

    Raises
    ------
    InputError
        For a missing file or column, a file without CRS, an empty, non-polygon or duplicate
        outline; each problem names the file, the feature's row (1 = first feature) and column.
    """
    file = Path(path)
    frame = _read_gis_file(file)
    _require_columns(file, frame, (id_column, name_column))
    if frame.crs is None:
        raise InputError.single(file, "the file declares no coordinate reference system")
    _check(file, frame, id_column)
    return _stored_outlines(frame, id_column, name_column)


def _read_gis_file(file: Path) -> Any:
    """The features of a GIS file of a known type, as a GeoDataFrame."""
    import geopandas as gpd

    if file.suffix.lower() not in GIS_SUFFIXES:
        raise InputError.single(
            file,
            "unsupported file type '{suffix}'; use .gpkg, .shp or .geojson",
            suffix=file.suffix,
        )
    if not file.is_file():
        raise InputError.single(file, "file not found")
    try:
        return gpd.read_file(file, engine="pyogrio")
    except Exception as exc:  # pyogrio raises several unrelated types on broken files
        raise InputError.single(file, "cannot read file: {reason}", reason=str(exc)) from exc


def _require_columns(file: Path, frame: Any, columns: tuple[str | None, ...]) -> None:
    """Every named attribute column is in the file (``None`` names none)."""
    for column in columns:
        if column is not None and column not in frame.columns:
            known = ", ".join(c for c in frame.columns if c != "geometry")
            raise InputError.single(
                file,
                "no column '{name}' (columns: {known})",
                column=column,
                name=column,
                known=known,
            )


def _stored_outlines(frame: Any, id_column: str, name_column: str | None) -> pd.DataFrame:
    """``id, name, geometry_wkt``: the ids stripped, the shapes valid and in EPSG:25832."""
    shapes = frame.to_crs(STORED_EPSG).geometry.make_valid()
    ids = frame[id_column].astype(str).str.strip()
    names = frame[name_column].astype(str) if name_column else ids
    return pd.DataFrame(
        {"id": ids.to_numpy(), "name": names.to_numpy(), "geometry_wkt": shapes.to_wkt().to_numpy()}
    )


def _check(file: Path, frame: Any, id_column: str) -> None:
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for row, (key, shape) in enumerate(zip(frame[id_column], frame.geometry, strict=True), 1):
        text = "" if key is None or key != key else str(key).strip()
        if not text:
            problems.append(Problem(str(file), "empty id", row, id_column))
        elif text in seen:
            problems.append(
                Problem(
                    str(file),
                    "id '{id}' also in row {row}",
                    row,
                    id_column,
                    {"id": text, "row": seen[text]},
                )
            )
        else:
            seen[text] = row
        if shape is None or shape.is_empty:
            problems.append(Problem(str(file), "no geometry", row, "geometry"))
        elif shape.geom_type not in _POLYGONS:
            problems.append(
                Problem(
                    str(file),
                    "{kind} is not an outline (polygon)",
                    row,
                    "geometry",
                    {"kind": shape.geom_type},
                )
            )
    if problems:
        raise InputError(problems)


def write_outlines(
    frame: pd.DataFrame, destination: str | Path, epsg: int = STORED_EPSG, layer: str = "omraader"
) -> Path:
    """Write ``frame`` (attributes plus ``geometry_wkt`` in EPSG:25832) as GeoPackage or GeoJSON.

    Raises
    ------
    InputError
        For another suffix, or GeoJSON in a CRS other than 25832 or 4326.
    """
    import geopandas as gpd

    out = Path(destination)
    suffix = out.suffix.lower()
    if suffix not in (".gpkg", ".geojson"):
        raise InputError.single(out, "use .gpkg or .geojson")
    if epsg not in (STORED_EPSG, 4326):
        raise InputError.single("--crs", "use 25832 or 4326, not {epsg}", epsg=epsg)
    shapes = gpd.GeoSeries.from_wkt(frame["geometry_wkt"], crs=STORED_EPSG).to_crs(epsg)
    data = gpd.GeoDataFrame(frame.drop(columns="geometry_wkt"), geometry=shapes.values, crs=epsg)
    with atomic_path(out) as temporary:
        temporary.unlink()  # the drivers create the file themselves
        if suffix == ".gpkg":
            data.to_file(temporary, driver="GPKG", layer=layer, engine="pyogrio")
        else:
            data.to_file(temporary, driver="GeoJSON", engine="pyogrio")
    return out
