"""The overview map: areas coloured by designation, when the workspace has their geometry.

Area statistics carry no geometry, so a workspace built only from published lists has no map;
the page then says so instead of drawing an empty frame.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from boligmonitor.i18n import Language, translate
from boligmonitor.rules.evaluate import AreaDesignation
from boligmonitor.rules.model import RuleSet
from boligmonitor.web.charts import designation_map
from boligmonitor.web.views import area_url, designation_labels

__all__ = ["AreaGeometry", "clockwise", "designation_features", "geojson_from_wkt", "map_spec"]

#: Coordinates of stored geometry: ETRS89 / UTM zone 32N, as Danish registers use.
STORED_CRS = 25832


def geojson_from_wkt(wkt: Iterable[str]) -> list[dict[str, Any]]:
    """Polygons stored as WKT in EPSG:25832 as GeoJSON geometries in longitude/latitude, exterior
    rings counter-clockwise (RFC 7946)."""
    import geopandas as gpd
    import shapely
    from shapely.geometry.polygon import orient

    shapes = gpd.GeoSeries.from_wkt(list(wkt), crs=STORED_CRS).to_crs(4326)
    return [_mapping(shapely.MultiPolygon([orient(p, 1.0) for p in _parts(s)])) for s in shapes]


def clockwise(geometry: Mapping[str, Any]) -> dict[str, Any]:
    """Rings wound clockwise, as d3-geo (Vega) expects; it would read RFC 7946 rings as the
    whole globe minus the polygon."""
    import shapely
    from shapely.geometry.polygon import orient

    shape = shapely.geometry.shape(geometry)
    return _mapping(shapely.MultiPolygon([orient(p, -1.0) for p in _parts(shape)]))


def _parts(shape: Any) -> list[Any]:
    return list(getattr(shape, "geoms", [shape]))


def _mapping(shape: Any) -> dict[str, Any]:
    import shapely

    if len(shape.geoms) == 1:
        shape = shape.geoms[0]
    mapped: dict[str, Any] = shapely.geometry.mapping(shape)
    return mapped


@dataclass(frozen=True)
class AreaGeometry:
    """GeoJSON geometries keyed by area id, and whether coordinates are planar metres."""

    shapes: Mapping[str, Mapping[str, Any]]
    projected: bool


def designation_features(
    results: Sequence[AreaDesignation],
    rule_set: RuleSet,
    geometry: AreaGeometry | None,
    lang: Language,
) -> list[dict[str, Any]]:
    """GeoJSON features, one per area result (geometry ``None`` where unknown)."""
    none = translate("none", lang)
    shapes = geometry.shapes if geometry is not None else {}
    return [
        {
            "type": "Feature",
            "geometry": shapes.get(r.area_id),
            "properties": {
                "area_id": r.area_id,
                "area_name": r.area_name,
                "year": r.year,
                "rule_set": r.rule_set,
                "designation": ", ".join(designation_labels(r, rule_set, lang)) or none,
                "url": area_url(r.area_id, r.year),
            },
        }
        for r in results
    ]


def map_spec(
    results: Sequence[AreaDesignation],
    rule_set: RuleSet,
    geometry: AreaGeometry | None,
    lang: Language,
) -> dict[str, Any] | None:
    """The overview map's Vega-Lite spec, or ``None`` when no area has geometry."""
    if geometry is None:
        return None
    features = [
        {**f, "geometry": clockwise(f["geometry"])}
        for f in designation_features(results, rule_set, geometry, lang)
        if f["geometry"]
    ]
    if not features:
        return None
    return designation_map(features, lang, geometry.projected)
