"""GeoJSON export of units and areas (RFC 7946: WGS 84 longitude/latitude by default).

Geometries are held as WKT in EPSG:25832 (ETRS89 / UTM 32N, the Danish standard). DKN grid cells
need no stored geometry: their squares follow from their ids.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from boligmonitor.geo.dkn import is_cell_id, parse_cell_id
from boligmonitor.io.export import atomic_path

__all__ = ["SOURCE_CRS", "dissolve", "feature_collection", "unit_wkt", "write_geojson"]

SOURCE_CRS = "EPSG:25832"


def unit_wkt(unit_id: str, geometry: Mapping[str, str] | None = None) -> str | None:
    """A unit's WKT: its stored geometry, or the square of a DKN cell id; else ``None``."""
    if geometry is not None and isinstance(geometry.get(unit_id), str):
        return geometry[unit_id]
    if is_cell_id(unit_id):
        return parse_cell_id(unit_id).wkt()
    return None


def dissolve(wkts: Iterable[str]) -> str:
    """The union of polygons as one WKT (an area from its member units)."""
    import shapely

    return str(shapely.union_all(shapely.from_wkt(list(wkts))).wkt)


def _clean(value: object) -> object:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if value is None or str(value) in ("<NA>", "NaT"):
        return None
    return value


def feature_collection(
    records: Iterable[Mapping[str, Any]], wkt_key: str = "geometry_wkt", crs: str = "EPSG:4326"
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection from records holding WKT (EPSG:25832) and properties.

    Parameters
    ----------
    records
        One mapping per feature; ``wkt_key`` holds its geometry, the rest are properties.
    wkt_key
        The key of the WKT.
    crs
        Output CRS: ``EPSG:4326`` (RFC 7946, default) or ``EPSG:25832`` (coordinates kept;
        named in a ``crs`` member, as older GeoJSON readers expect).
    """
    import shapely
    from pyproj import Transformer
    from shapely.ops import transform as reproject

    transform = None
    if crs != SOURCE_CRS:
        transformer = Transformer.from_crs(SOURCE_CRS, crs, always_xy=True)
        transform = transformer.transform
    features = []
    for record in records:
        shape = shapely.from_wkt(record[wkt_key]) if record.get(wkt_key) else None
        if shape is not None and transform is not None:
            shape = reproject(transform, shape)
        properties = {k: _clean(v) for k, v in record.items() if k != wkt_key}
        geometry = shapely.geometry.mapping(shape) if shape is not None else None
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    collection: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if crs != "EPSG:4326":
        collection["crs"] = {"type": "name", "properties": {"name": crs}}
    return collection


def write_geojson(destination: str | Path, collection: Mapping[str, Any]) -> Path:
    """Write a FeatureCollection atomically (nothing is left behind on failure)."""
    target = Path(destination)
    with atomic_path(target) as temporary:
        temporary.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    return target
