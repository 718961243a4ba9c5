"""The overview map: areas coloured by designation, when the workspace has their geometry.

Area statistics carry no geometry, so a workspace built only from published lists has no map;
the page then says so instead of drawing an empty frame.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from boligmonitor.charts.maps import designation_map, map_legend
from boligmonitor.charts.palette import DESIGNATION_COLOURS, leading_designation
from boligmonitor.i18n import Language, localized, translate
from boligmonitor.rules.evaluate import AreaDesignation
from boligmonitor.rules.explain import designation_label
from boligmonitor.rules.model import RuleSet
from boligmonitor.web.basemap import basemap_image
from boligmonitor.web.views import area_url, designation_labels

__all__ = [
    "AreaGeometry",
    "clockwise",
    "designation_features",
    "geojson_from_wkt",
    "label_points",
    "map_spec",
    "missing_outlines",
    "rule_set_legend",
]

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
    features = []
    for r in results:
        leading = leading_designation(r.designations)
        features.append(
            {
                "type": "Feature",
                "geometry": shapes.get(r.area_id),
                "properties": {
                    "area_id": r.area_id,
                    "area_name": r.area_name,
                    "year": r.year,
                    "rule_set": r.rule_set,
                    "designation": ", ".join(designation_labels(r, rule_set, lang)) or none,
                    "leading": designation_label(rule_set, leading, lang) if leading else none,
                    "rank": _rank(leading),
                    "url": area_url(r.area_id, r.year),
                },
            }
        )
    return features


def _rank(leading: str | None) -> int:
    """Drawing order: areas on no list first, the most severe designation last (on top)."""
    if leading is None:
        return 0
    order = list(DESIGNATION_COLOURS)
    return len(order) + 1 - (order.index(leading) if leading in order else len(order))


def rule_set_legend(rule_set: RuleSet, lang: Language) -> list[tuple[str, str, str]]:
    """The fixed-colour legend of a rule set's designations: ``(id, label, colour)``."""
    return map_legend(
        [(d.id, localized(d.label_da, d.label_en, lang)) for d in rule_set.designations], lang
    )


def missing_outlines(
    results: Sequence[AreaDesignation], geometry: AreaGeometry | None
) -> list[AreaDesignation]:
    """The results whose area has no outline (not drawn on the map), designated ones first."""
    shapes = geometry.shapes if geometry is not None else {}
    missing = [r for r in results if not shapes.get(r.area_id)]
    return sorted(missing, key=lambda r: (not r.designations, r.area_name))


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
    legend = rule_set_legend(rule_set, lang)
    image = basemap_image(features, geometry.projected)
    points = label_points(features)
    return designation_map(features, legend, lang, geometry.projected, points, image)


def label_points(features: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """A point inside each designated area's outline, and whether areas drawn above it cover
    most of it (then the map marks it with a symbol).

    Features are drawn in ``rank`` order (stable), so a feature is covered by those after it.
    """
    import shapely

    ordered = sorted(features, key=lambda f: f["properties"]["rank"])
    shapes = [shapely.geometry.shape(f["geometry"]) for f in ordered]
    points = []
    for index, feature in enumerate(ordered):
        properties = feature["properties"]
        if not properties["rank"]:
            continue
        shape = shapes[index]
        above = shapely.union_all(shapes[index + 1 :]) if index + 1 < len(shapes) else None
        visible = shape if above is None else shape.difference(above)
        covered = visible.area < 0.5 * shape.area
        inside = (shape if covered or visible.is_empty else visible).representative_point()
        points.append(
            {
                "x": inside.x,
                "y": inside.y,
                "area_id": properties["area_id"],
                "area_name": properties["area_name"],
                "leading": properties["leading"],
                "url": properties["url"],
                "covered": bool(covered),
            }
        )
    return points
