"""Geography: Det Danske Kvadratnet (DKN) grid cells and GeoJSON export."""

from __future__ import annotations

from boligmonitor.geo.dkn import DknCell, cell_id, cell_of_point, is_cell_id, parse_cell_id
from boligmonitor.geo.geojson import dissolve, feature_collection, unit_wkt, write_geojson

__all__ = [
    "DknCell",
    "cell_id",
    "cell_of_point",
    "dissolve",
    "feature_collection",
    "is_cell_id",
    "parse_cell_id",
    "unit_wkt",
    "write_geojson",
]
