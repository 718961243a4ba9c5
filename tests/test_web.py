"""The dashboard's pages and downloads through FastAPI's TestClient (no browser)."""

from __future__ import annotations

import io
import itertools
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from boligmonitor.data import example_path
from boligmonitor.i18n import fmt_number, fmt_pct, fmt_pp
from boligmonitor.rules.evaluate import AreaDesignation
from boligmonitor.web import open_app
from boligmonitor.web.text import LANG_COOKIE
from boligmonitor.workspace import Workspace


@dataclass
class Row:
    """A table row: its table's and its own attributes, and each cell's class and text."""

    table: dict[str, str]
    attrs: dict[str, str]
    cells: list[tuple[str, str]] = field(default_factory=list)

    def cell(self, css_class: str) -> str:
        for classes, text in self.cells:
            if css_class in classes.split():
                return text
        raise KeyError(css_class)


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Row] = []
        self._tables: list[dict[str, str]] = []
        self._cell: list[str] | None = None
        self._cell_class = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "table":
            self._tables.append(values)
        elif tag == "tr" and self._tables:
            self.rows.append(Row(self._tables[-1], values))
        elif tag in ("td", "th") and self.rows:
            self._cell, self._cell_class = [], values.get("class", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._tables:
            self._tables.pop()
        elif tag in ("td", "th") and self._cell is not None:
            self.rows[-1].cells.append((self._cell_class, " ".join("".join(self._cell).split())))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def table_rows(html: str) -> list[Row]:
    parser = _Tables()
    parser.feed(html)
    return parser.rows


def _criteria_shown(html: str, rule_set: str) -> dict[str, Row]:
    return {
        row.attrs["data-criterion"]: row
        for row in table_rows(html)
        if row.table.get("data-rule-set") == rule_set and "data-criterion" in row.attrs
    }


# -- the area page shows the web_engine's figures ------------------------------------------------


def _assert_page_matches(html: str, result: AreaDesignation) -> None:
    shown = _criteria_shown(html, result.rule_set)
    assert set(shown) == set(result.criteria)
    for criterion_id, outcome in result.criteria.items():
        row = shown[criterion_id]
        assert row.cell("value") == fmt_pct(outcome.value, 2)
        assert row.cell("threshold") == fmt_pct(outcome.threshold, 2)
        assert row.cell("margin") == fmt_pp(outcome.margin, 2)
        assert row.cell("flip").split(" ")[0] == fmt_number(outcome.flip_persons, 0)
        assert row.cell("met-cell") == {True: "ja", False: "nej", None: "ukendt"}[outcome.met]


@pytest.mark.parametrize("year", [2014, 2017, 2018, 2020, 2021, 2022])
def test_area_page_figures_equal_the_engine(
    web_client: TestClient, web_engine: Workspace, year: int
) -> None:
    results = web_engine.designate(year, store=False)
    assert results
    for result in results:
        response = web_client.get(f"/areas/{result.area_id}", params={"year": year, "lang": "da"})
        assert response.status_code == 200
        _assert_page_matches(response.text, result)
        if result.designations:
            section = response.text.split(f'data-rule-set="{result.rule_set}"')[1]
            assert "ingen" not in section.split("</p>")[0]


def test_area_page_shows_the_seed_figures_for_vibo_108(web_client: TestClient) -> None:
    # Seed 000: 59,5 % with only basic schooling against > 60 %; one person short.
    html = web_client.get("/areas/VIBO%20108", params={"year": 2020, "lang": "da"}).text
    education = _criteria_shown(html, "dk-2018")["education"]
    assert education.cell("value") == "59,50 %"
    assert education.cell("threshold") == "60,00 %"
    assert education.cell("margin") == "-0,50 procentpoint"
    assert education.cell("flip") == "1 / ≈148"
    assert _criteria_shown(html, "dk-2018")["crime"].cell("threshold") == "2,03 %"
    assert "Under mindstekravet på 1.000 beboere" in html


def test_area_page_draws_criteria_over_time_with_thresholds(web_client: TestClient) -> None:
    html = web_client.get("/areas/EX-01").text
    specs = [
        json.loads(m) for m in re.findall(r'id="criteria-chart-\d+-spec">(.*?)</script>', html)
    ]
    data = [row for spec in specs for rows in spec["datasets"].values() for row in rows]
    rows = [row for row in data if "threshold" in row]
    # one chart per indicator, each with the area's line and the comparison lines
    series = {r["series"] for r in data if "series" in r}
    assert series == {"Nordparken", "Alle områder i arbejdsområdet (gns.)"} | {
        s for s in series if s.startswith("Områder i ")
    }
    labour = sorted(
        (r["year"], r["threshold"])
        for r in rows
        if r["criterion_id"] in ("labour", "labour_forebyggelse")
    )
    # 2014-2022 all use "> 40 %"; dk-2021 adds the forebyggelse threshold of 30 %.
    assert [y for y, t in labour if t == 40] == list(range(2014, 2023))
    assert [y for y, t in labour if t == 30] == [2021, 2022]
    crime = {r["year"]: r["threshold"] for r in rows if r["criterion_id"] == "crime"}
    assert crime[2014] == 2.7  # dk-2013: > 2.7 % of residents 18+
    assert crime[2020] == pytest.approx(3 * 0.68)  # dk-2018: 3 × the national share (0.68 %)


def test_area_history_lists_every_year(web_client: TestClient, web_engine: Workspace) -> None:
    html = web_client.get("/areas/EX-01", params={"lang": "en"}).text
    history = [r for r in table_rows(html) if r.table.get("id") == "history-table" and r.attrs]
    expected = web_engine.designations.area_designations("EX-01")
    assert [(int(r.attrs["data-year"]), r.attrs["data-rule-set"]) for r in history] == [
        (r.year, r.rule_set) for r in expected
    ]
    assert "Omdannelsesområde" not in html  # English page
    assert "Transformation area" in html


# -- overview --------------------------------------------------------------------------------


def test_overview_counts_equal_the_engine(web_client: TestClient, web_engine: Workspace) -> None:
    results = web_engine.designate(2021, ["dk-2021"], store=False)
    html = web_client.get("/", params={"year": 2021, "lang": "da"}).text
    for designation in ("udsat_boligomraade", "parallelsamfund", "omdannelsesomraade"):
        count = sum(designation in r.designations for r in results)
        assert f'data-count="{designation}">{count}<' in html
    assert f'data-count="total">{len(results)}<' in html
    rows = [r for r in table_rows(html) if "data-area-id" in r.attrs]
    assert [r.attrs["data-area-id"] for r in rows] == [r.area_id for r in results]


def test_overview_defaults_to_the_latest_year_and_regime_in_force(web_client: TestClient) -> None:
    html = web_client.get("/", params={"lang": "da"}).text
    assert "<h1>Oversigt 2022</h1>" in html
    assert "(dk-2021)" in html
    html_2016 = web_client.get("/", params={"year": 2016, "lang": "da"}).text
    assert "(dk-2013)" in html_2016
    assert 'data-count="ghettoomraade"' in html_2016


def test_overview_without_geometry_says_so() -> None:
    from boligmonitor.cli.web import example_workspace
    from boligmonitor.web import create_app

    with example_workspace() as ws:
        html = TestClient(create_app(ws, warm=False)).get("/", params={"lang": "da"}).text
    assert 'id="no-map"' in html and "ingen geometri" in html


def test_overview_map_colours_areas_by_designation(
    web_client: TestClient, web_engine: Workspace
) -> None:
    html = web_client.get("/", params={"year": 2021, "lang": "da"}).text
    assert 'id="no-map"' not in html
    spec = json.loads(re.search(r'id="map-spec">(.*?)</script>', html, re.S)[1])
    shown = {
        f["properties"]["area_id"]: f["properties"] for f in spec["layer"][0]["data"]["values"]
    }
    assert set(shown) == {"EX-01", "EX-02", "EX-03", "EX-04", "EX-05"}  # EX-06: no outline
    for feature in spec["layer"][0]["data"][
        "values"
    ]:  # d3-geo wants clockwise rings (else: the globe)
        ring = feature["geometry"]["coordinates"][0]
        assert sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)) < 0
    rule_set = web_engine.designations.rule_set("dk-2021")
    for result in web_engine.designate(2021, ["dk-2021"], store=False):
        if result.area_id in shown:
            labels = [d.label_da for d in rule_set.designations if d.id in result.designations]
            assert shown[result.area_id]["designation"] == (", ".join(labels) or "ingen")
            assert shown[result.area_id]["url"] == f"/areas/{result.area_id}?year=2021"
    collection = web_client.get("/download/overview.geojson", params={"year": 2021}).json()
    geometry = {f["properties"]["area_id"]: f["geometry"] for f in collection["features"]}
    assert geometry["EX-06"] is None and geometry["EX-01"]["type"] == "Polygon"
    lon, lat = geometry["EX-01"]["coordinates"][0][0]
    assert 12.3 < lon < 12.7 and 55.5 < lat < 55.8


def test_danish_numbers_on_danish_pages(web_client: TestClient) -> None:
    html = web_client.get("/", params={"year": 2021, "lang": "da"}).text
    residents = {
        r.attrs["data-area-id"]: r.cells[3][1]
        for r in table_rows(html)
        if "data-area-id" in r.attrs
    }
    assert residents["EX-06"] == "5.200"
    html_en = web_client.get("/", params={"year": 2021, "lang": "en"}).text
    residents_en = {
        r.attrs["data-area-id"]: r.cells[3][1]
        for r in table_rows(html_en)
        if "data-area-id" in r.attrs
    }
    assert residents_en["EX-06"] == "5,200"


def test_language_switch_is_remembered_in_a_cookie(web_workspace_dir: Path) -> None:
    web_client = TestClient(open_app(web_workspace_dir))
    assert '<html lang="da">' in web_client.get("/").text
    switched = web_client.get("/", params={"lang": "en"})
    assert switched.cookies.get(LANG_COOKIE) == "en"
    assert '<html lang="en">' in web_client.get("/areas/EX-02").text
    assert "List year" in web_client.get("/").text


def test_unknown_area_page_is_404_and_bad_year_422(web_client: TestClient) -> None:
    missing = web_client.get("/areas/NO-SUCH", params={"lang": "da"})
    assert missing.status_code == 404 and "Ikke fundet" in missing.text
    assert web_client.get("/", params={"year": 1999}).status_code == 422
    assert web_client.get("/", params={"year": "x"}).status_code == 422
    assert web_client.get("/", params={"rules": "dk-1066"}).status_code == 422
    assert web_client.get("/areas/EX-01", params={"year": 2013}).status_code == 422


# -- no external hosts -----------------------------------------------------------------------

PAGES = [
    "/",
    "/?year=2016&lang=en",
    "/areas/EX-01",
    "/areas/VIBO%20108?year=2020",
    "/areas/NO-SUCH",
    "/city",
    "/city?source=reference&lang=en",
    "/goals",
    "/plans",
    "/plans/mimerskvarter-2022",
    "/api/v1/docs",
    "/static/app.js",
    "/static/style.css",
]


@pytest.mark.parametrize("path", PAGES)
def test_served_html_references_no_external_host(web_client: TestClient, path: str) -> None:
    text = web_client.get(path).text
    assert not re.search(r"https?://|(?:src|href|action)=[\"']//|url\(\s*[\"']?//", text)
    for reference in re.findall(r"(?:src|href)=\"([^\"]*)\"", text):
        assert reference.startswith(("/", "?", "#")), reference


def test_pages_forbid_other_hosts_by_content_security_policy(web_client: TestClient) -> None:
    policy = web_client.get("/").headers["content-security-policy"]
    assert "default-src 'self'" in policy and "connect-src 'self'" in policy


def test_vega_bundle_is_served_locally(web_client: TestClient) -> None:
    response = web_client.get("/vendor/vega-bundle.js")
    assert response.status_code == 200
    assert "window.vegaEmbed" in response.text
    again = web_client.get(
        "/vendor/vega-bundle.js", headers={"If-None-Match": response.headers["etag"]}
    )
    assert again.status_code == 304


# -- downloads -------------------------------------------------------------------------------


def test_overview_csv_is_the_table_on_screen(web_client: TestClient, web_engine: Workspace) -> None:
    response = web_client.get("/download/overview.csv", params={"year": 2021})
    assert response.headers["content-type"].startswith("text/csv")
    frame = pd.read_csv(io.StringIO(response.content.decode("utf-8-sig")))
    results = web_engine.designate(2021, ["dk-2021"], store=False)
    assert list(frame["area_id"]) == [r.area_id for r in results]
    assert list(frame["designations"].fillna("")) == [";".join(r.designations) for r in results]
    assert list(frame["education_value"]) == [r.criteria["education"].value for r in results]


def test_area_excel_and_geojson(web_client: TestClient, web_engine: Workspace) -> None:
    expected = web_engine.designations.area_designations("EX-03")
    excel = web_client.get("/download/area.xlsx", params={"area_id": "EX-03", "lang": "da"})
    frame = pd.read_excel(io.BytesIO(excel.content))
    assert list(zip(frame["År"], frame["Regelsæt"], strict=True)) == [
        (r.year, r.rule_set) for r in expected
    ]
    geojson = web_client.get("/download/area.geojson", params={"area_id": "EX-03"}).json()
    assert geojson["type"] == "FeatureCollection"
    assert len(geojson["features"]) == len(expected)
    first = geojson["features"][0]
    assert first["geometry"]["type"] == "Polygon"  # the workspace's outline of EX-03
    lonely = web_client.get("/download/area.geojson", params={"area_id": "EX-06"}).json()
    assert {f["geometry"] is None for f in lonely["features"]} == {True}  # no outline
    assert first["properties"]["residents"] == expected[0].residents


def test_bad_downloads(web_client: TestClient) -> None:
    assert web_client.get("/download/nothing.csv").status_code == 404
    assert web_client.get("/download/overview.pdf").status_code == 422
    assert web_client.get("/download/area.csv").status_code == 422
    assert web_client.get("/download/area.csv", params={"area_id": "NO-SUCH"}).status_code == 404
    assert web_client.get("/download/overview.csv", params={"year": "abc"}).status_code == 422


def test_serve_refuses_a_folder_that_is_no_workspace(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("serve", tmp_path, "--port", "8999")
    assert result.code == 2
    assert "ikke et Boligmonitor-arbejdsområde" in result.err
    several = run_cli("serve", "--workers", "2")
    assert several.code == 2
    assert "several workers need a workspace folder" in several.err
    assert run_cli("serve", tmp_path, "--port", "0").code == 2


def test_an_empty_workspace_is_served_with_notes(tmp_path: Path) -> None:
    Workspace.create(tmp_path / "empty").close()
    empty = TestClient(open_app(tmp_path / "empty"))
    assert "ingen områdestatistik" in empty.get("/", params={"lang": "da"}).text
    assert empty.get("/api/v1/years").json() == []
    assert empty.get("/api/v1/areas").json()["total"] == 0
    assert empty.get("/api/v1/designations").status_code == 422
    assert empty.get("/api/v1/indicators").status_code == 422
    assert empty.get("/areas/EX-01").status_code == 404
    assert "5,8" in empty.get("/city", params={"lang": "da"}).text  # the published gap
    assert 'id="no-screening-map"' in empty.get("/city").text


def test_names_are_escaped_in_pages_and_chart_data(tmp_path: Path) -> None:
    from boligmonitor.web import create_app

    rows = pd.read_csv(example_path("omraader_2014_2022.csv"))
    rows = rows[rows["area_id"] == "EX-01"].assign(area_name="<script>alert(1)</script>")
    rows.to_csv(tmp_path / "areas.csv", index=False)
    with Workspace.memory() as ws:
        ws.load_area_statistics(tmp_path / "areas.csv")
        html = TestClient(create_app(ws, warm=False)).get("/areas/EX-01").text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
