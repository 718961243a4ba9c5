"""Statutory area outlines from microdata: hand-computed shapes and the synthetic city."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ibis
import numpy as np
import pandas as pd
import pytest
import shapely

from boligmonitor.engine import connect
from boligmonitor.geo.areas import area_outlines, area_points
from boligmonitor.schema.microdata import Microdata
from boligmonitor.synth.generate import generate
from boligmonitor.workspace import Workspace

#: A 100 × 50 m rectangle of addresses with one inside (area A), a single address (area B), an
#: address of a department outside any area and one whose dwelling is not public housing.
ADDRESSES = [
    (1, 0.0, 0.0),
    (2, 100.0, 0.0),
    (3, 100.0, 50.0),
    (4, 0.0, 50.0),
    (5, 50.0, 25.0),
    (6, 1000.0, 1000.0),
    (7, 5000.0, 5000.0),
    (8, -5000.0, -5000.0),
]
DWELLING_DEPARTMENT = {1: "D1", 2: "D1", 3: "D2", 4: "D2", 5: "D2", 6: "D3", 7: "D4", 8: None}
DEPARTMENT_AREA = {"D1": "A", "D2": "A", "D3": "B", "D4": ""}


def _hand_made() -> Microdata:
    con = connect()
    addresses = pd.DataFrame(ADDRESSES, columns=["address_id", "x", "y"])
    dwellings = pd.DataFrame(
        {"address_id": list(DWELLING_DEPARTMENT), "department_id": DWELLING_DEPARTMENT.values()}
    )
    departments = pd.DataFrame(
        {"department_id": list(DEPARTMENT_AREA), "area_id": DEPARTMENT_AREA.values()}
    )
    tables = {
        "addresses": ibis.memtable(addresses),
        "dwellings": ibis.memtable(dwellings.astype({"department_id": "string"})),
        "departments": ibis.memtable(departments),
    }
    return Microdata(con, tables, Path("."), [])


def _regular_polygon_area(radius: float, sides: int) -> float:
    return sides / 2 * radius**2 * math.sin(2 * math.pi / sides)


def test_outlines_are_the_buffered_convex_hulls() -> None:
    outlines = area_outlines(_hand_made(), margin_m=10.0)
    assert list(outlines["area_id"]) == ["A", "B"]  # no area for D4 ("") nor for address 8
    shapes = dict(zip(outlines["area_id"], shapely.from_wkt(outlines["geometry_wkt"]), strict=True))
    # Rectangle + 10 m strips along its 300 m perimeter + four quarter circles drawn with eight
    # segments each (a regular 32-gon of radius 10 m); vertices are rounded to decimetres.
    corners = _regular_polygon_area(10.0, 32)
    assert shapes["A"].area == pytest.approx(100 * 50 + 300 * 10 + corners, abs=2)
    assert shapes["A"].bounds == pytest.approx((-10.0, -10.0, 110.0, 60.0))
    # One address: a disc around it.
    assert shapes["B"].area == pytest.approx(corners, abs=2)
    assert shapes["B"].centroid.coords[0] == pytest.approx((1000.0, 1000.0))
    assert all(s.geom_type == "Polygon" and s.is_valid for s in shapes.values())


def test_points_follow_dwellings_and_departments() -> None:
    points = area_points(_hand_made())
    assert points.values.tolist() == [
        ["A", 0.0, 0.0],
        ["A", 0.0, 50.0],
        ["A", 50.0, 25.0],
        ["A", 100.0, 0.0],
        ["A", 100.0, 50.0],
        ["B", 1000.0, 1000.0],
    ]


@pytest.mark.parametrize("margin", [0.0, -5.0, float("nan")])
def test_the_margin_must_be_positive(margin: float) -> None:
    with pytest.raises(ValueError, match="positive"):
        area_outlines(_hand_made(), margin_m=margin)


@pytest.fixture(scope="module")
def synthetic_city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """A small synthetic city (20 000 persons, 2020-2021) with area statistics computed."""
    folder = tmp_path_factory.mktemp("synth-areas")
    generate(folder / "mikrodata", persons=20_000, years=[2020, 2021], progress=False)
    with Workspace.memory() as ws:
        ws.load_microdata(folder / "mikrodata")
        ws.area_statistics_from_microdata([2020, 2021])
        yield ws


def test_every_area_with_statistics_gets_a_polygon_around_its_addresses(
    synthetic_city: Any,
) -> None:
    microdata = synthetic_city.microdata.tables()
    outlines = area_outlines(microdata).set_index("area_id")["geometry_wkt"]
    with_statistics = set(synthetic_city.designations.area_statistics()["area_id"])
    assert with_statistics and with_statistics <= set(outlines.index)
    points = area_points(microdata)
    for area_id in sorted(with_statistics):
        shape = shapely.from_wkt(outlines[area_id])
        assert shape.geom_type == "Polygon" and shape.is_valid, area_id
        own = points[points["area_id"] == area_id]
        x, y = own["x"].to_numpy(), own["y"].to_numpy()
        assert len(own) > 0 and shapely.contains_xy(shape, x, y).all(), area_id
        # Every address lies about the 25 m margin (less the arcs' chords) inside the outline.
        distances = shapely.distance(shape.exterior, shapely.points(np.column_stack([x, y])))
        assert distances.min() >= 0.98 * 25.0, area_id
