"""Geography: Det Danske Kvadratnet (DKN) grid cells, GeoJSON export, and area outlines."""

from __future__ import annotations

from boligmonitor.geo.areas import area_outlines
from boligmonitor.geo.dkn import DknCell, cell_id, cell_of_point, is_cell_id, parse_cell_id
from boligmonitor.geo.geojson import dissolve, feature_collection, unit_wkt, write_geojson

__all__ = [
    "DknCell",
    "area_outlines",
    "cell_id",
    "cell_of_point",
    "dissolve",
    "feature_collection",
    "is_cell_id",
    "parse_cell_id",
    "unit_wkt",
    "write_geojson",
]
