"""Own outlines from GIS files: any CRS in, EPSG:25832 stored, GeoPackage and GeoJSON out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely

from boligmonitor.workspace import Workspace

# Two squares of 200 m in Copenhagen (EPSG:25832).
SQUARES = {
    "EX-01": shapely.box(723000, 6175000, 723200, 6175200),
    "EX-02": shapely.box(724000, 6176000, 724200, 6176200),
}


def _gis(path: Path, epsg: int, **extra: Any) -> Path:
    frame = gpd.GeoDataFrame(
        {"omraade": list(SQUARES), "navn": ["Nordparken", "Søndervang"], **extra},
        geometry=list(SQUARES.values()),
        crs=25832,
    ).to_crs(epsg)
    frame.to_file(path, engine="pyogrio")
    return path


@pytest.mark.parametrize(("suffix", "epsg"), [(".gpkg", 4326), (".shp", 3857), (".geojson", 25832)])
def test_areas_load_reprojects_and_exports_both_ways(
    run_cli: Any, tmp_path: Path, suffix: str, epsg: int
) -> None:
    source = _gis(tmp_path / f"omrids{suffix}", epsg)
    workspace = tmp_path / "ws"
    loaded = run_cli("areas", "load", source, "-w", workspace, "--id-column", "omraade")
    assert loaded.code == 0, loaded.err
    with Workspace.open(workspace, read_only=True) as ws:
        stored = ws.designations.area_geometry()
    assert stored is not None
    shapes = dict(zip(stored["area_id"], shapely.from_wkt(stored["geometry_wkt"]), strict=True))
    for area_id, square in SQUARES.items():
        # reprojection round trip: within a few centimetres of the original square
        assert shapes[area_id].symmetric_difference(square).area < 1.0
    for crs in (25832, 4326):
        out = tmp_path / f"ud-{crs}.geojson"
        assert run_cli("areas", "export", out, "-w", workspace, "--crs", str(crs)).code == 0
        back = gpd.read_file(out).to_crs(25832)
        assert back.crs.to_epsg() == 25832
        read = dict(zip(back["area_id"], back.geometry, strict=True))
        assert read["EX-01"].symmetric_difference(SQUARES["EX-01"]).area < 1.0
    assert run_cli("areas", "export", tmp_path / "ud.gpkg", "-w", workspace).code == 0
    package = gpd.read_file(tmp_path / "ud.gpkg")
    assert package.crs.to_epsg() == 25832 and set(package["area_id"]) == set(SQUARES)


def test_units_load_into_the_screening(run_cli: Any, tmp_path: Path) -> None:
    source = _gis(tmp_path / "enheder.gpkg", 4326)
    workspace = tmp_path / "ws"
    result = run_cli(
        "areas", "load", source, "-w", workspace, "--kind", "units",
        "--id-column", "omraade", "--name-column", "navn",
    )  # fmt: skip
    assert result.code == 0, result.err
    with Workspace.open(workspace, read_only=True) as ws:
        units = ws.screening.units()
    assert units is not None
    assert dict(zip(units["unit_id"], units["name"], strict=True)) == {
        "EX-01": "Nordparken",
        "EX-02": "Søndervang",
    }


def test_bad_outlines_are_named_by_row_and_nothing_is_stored(run_cli: Any, tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"area_id": ["A", "A", "C"]},
        geometry=[shapely.box(0, 0, 1, 1), shapely.box(2, 2, 3, 3), shapely.Point(5, 5)],
        crs=25832,
    )
    frame.to_file(tmp_path / "bad.gpkg", engine="pyogrio")
    workspace = tmp_path / "ws"
    result = run_cli("areas", "load", tmp_path / "bad.gpkg", "-w", workspace)
    assert result.code == 2
    assert "id 'A' findes også i række 1" in result.err and "Point" in result.err
    assert not workspace.exists() or list(workspace.iterdir()) == []  # nothing stored
    missing = run_cli("areas", "load", tmp_path / "bad.gpkg", "-w", workspace, "--id-column", "x")
    assert missing.code == 2 and "ingen kolonne 'x'" in missing.err
