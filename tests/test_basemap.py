"""The basemap is off by default; configured, it draws one WMS image of the map's extent under
the areas and the CSP allows images from that host only."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from boligmonitor.web import open_app
from boligmonitor.web.basemap import BASEMAP_ENV, basemap_template

WMS = (
    "https://kort.example.dk/wms?service=WMS&request=GetMap&layers=skaermkort"
    "&crs={crs}&bbox={bbox}&width={width}&height={height}&format=image/png"
)


def _map(client: TestClient) -> dict[str, object]:
    html = client.get("/", params={"year": 2021, "lang": "da"}).text
    found = re.search(r'id="map-spec">(.*?)</script>', html, re.S)
    assert found is not None
    spec: dict[str, object] = json.loads(found[1])
    return spec


def test_no_basemap_by_default(web_workspace_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(BASEMAP_ENV, raising=False)
    client = TestClient(open_app(web_workspace_dir))
    spec = _map(client)
    assert all(layer["mark"]["type"] != "image" for layer in spec["layer"])  # type: ignore[index,union-attr]
    csp = client.get("/").headers["content-security-policy"]
    assert "img-src 'self' data: blob:;" in csp and "example" not in csp


def test_configured_basemap_lies_under_the_areas_and_opens_only_its_host(
    web_workspace_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(BASEMAP_ENV, WMS)
    client = TestClient(open_app(web_workspace_dir))
    spec = _map(client)
    layers = spec["layer"]
    image = layers[0]  # type: ignore[index]
    assert image["mark"]["type"] == "image"
    row = image["data"]["values"][0]
    assert row["url"].startswith("https://kort.example.dk/wms?")
    assert "crs=EPSG:3857" in row["url"] or "crs=EPSG:25832" in row["url"]
    shapes = [f["geometry"] for f in layers[1]["data"]["values"]]  # type: ignore[index]
    xs = [x for g in shapes for ring in g["coordinates"] for x, _ in _ring(ring)]
    ys = [y for g in shapes for ring in g["coordinates"] for _, y in _ring(ring)]
    assert row["x0"] < min(xs) and row["x1"] > max(xs)  # the image covers every outline
    assert row["y0"] < min(ys) and row["y1"] > max(ys)
    csp = client.get("/").headers["content-security-policy"]
    assert "img-src 'self' https://kort.example.dk data: blob:;" in csp
    assert "connect-src 'self';" in csp  # only images may come from the map server
    assert "Baggrundskort: https://kort.example.dk" in client.get("/").text


def _ring(ring: list[object]) -> list[tuple[float, float]]:
    if ring and isinstance(ring[0], (int, float)):
        return [(float(ring[0]), float(ring[1]))]  # type: ignore[arg-type]
    if ring and isinstance(ring[0], list) and ring[0] and isinstance(ring[0][0], list):
        return [p for part in ring for p in _ring(part)]  # type: ignore[arg-type]
    return [(float(p[0]), float(p[1])) for p in ring]  # type: ignore[index]


def test_a_wrong_setting_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(BASEMAP_ENV, "ftp://kort.example.dk/wms?bbox={bbox}")
    with pytest.raises(ValueError, match="missing"):
        basemap_template()
