"""The demo workspace behind ``make demo``: area outlines on the overview map, no stray tables."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import shapely
from fastapi.testclient import TestClient

from boligmonitor.demo import build_demo
from boligmonitor.geo.areas import area_points
from boligmonitor.schema.microdata import load_microdata
from boligmonitor.web import open_app
from boligmonitor.workspace import Workspace


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[str]]]:
    """A small demo (20 000 persons) and the tables its connection listed before closing.

    Ibis registers a pandas frame used in an expression as a view ``ibis_pandas_memtable_*`` on
    the connection; such views vanish with the connection, so they must be seen before it closes.
    """
    folder = tmp_path_factory.mktemp("demo") / "demo"
    seen: list[str] = []
    close = Workspace.close

    def listing_close(ws: Workspace) -> None:
        seen.extend(ws.store.tables())
        close(ws)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Workspace, "close", listing_close)
        build_demo(folder, persons=20_000, progress=False)
    yield folder, seen


def test_demo_leaves_no_memtables_behind(demo: tuple[Path, list[str]]) -> None:
    _, seen = demo
    assert "area_geometry" in seen and "designations" in seen  # the listing is the workspace's
    assert [t for t in seen if "memtable" in t] == []


def test_demo_stores_an_outline_for_every_synthetic_area(demo: tuple[Path, list[str]]) -> None:
    folder, _ = demo
    microdata = load_microdata(folder / "mikrodata", validate=False)
    points = area_points(microdata)
    with Workspace.open(folder, read_only=True) as ws:
        outlines = ws.designations.area_geometry()
        stored = set(ws.designations.area_index()["area_id"])
    assert outlines is not None
    synthetic = set(points["area_id"])
    assert set(outlines["area_id"]) == synthetic and synthetic <= stored
    for area_id, wkt in zip(outlines["area_id"], outlines["geometry_wkt"], strict=True):
        own = points[points["area_id"] == area_id]
        shape = shapely.from_wkt(wkt)
        assert shapely.contains_xy(shape, own["x"].to_numpy(), own["y"].to_numpy()).all()


def test_demo_overview_draws_the_synthetic_areas(demo: tuple[Path, list[str]]) -> None:
    folder, _ = demo
    client = TestClient(open_app(folder))
    html = client.get("/", params={"lang": "da"}).text
    assert 'id="no-map"' not in html
    found = re.search(r'id="map-spec">(.*?)</script>', html, re.S)
    assert found is not None
    features = json.loads(found[1])["layer"][0]["data"]["values"]
    with Workspace.open(folder, read_only=True) as ws:
        outlined = set(ws.store.read("area_geometry")["area_id"])
        latest = ws.designations.statistics_years()[-1]
        listed = set(ws.designations.statistics_rows(year=latest)["area_id"])
    assert {f["properties"]["area_id"] for f in features} == outlined & listed
    lon, lat = features[0]["geometry"]["coordinates"][0][0]
    assert 12.3 < lon < 12.7 and 55.5 < lat < 55.8  # the synthetic city lies in Copenhagen
    client.app.state.web.workspace.close()  # type: ignore[attr-defined]


def test_synthetic_area_page_lists_the_microdata_departments(
    demo: tuple[Path, list[str]],
) -> None:
    folder, _ = demo
    microdata = load_microdata(folder / "mikrodata", validate=False)
    departments = microdata.departments.to_pandas()
    area_id = str(departments["area_id"].dropna().iloc[0])
    own = set(departments.loc[departments["area_id"] == area_id, "department_id"])
    html = TestClient(open_app(folder)).get(f"/areas/{area_id}", params={"lang": "da"}).text
    assert set(re.findall(r'data-department="([^"]+)"', html)) == own
    assert "Ingen kendte afdelinger" not in html
