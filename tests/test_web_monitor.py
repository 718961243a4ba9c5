"""The city (gap and screening map), goals and plans pages, and their downloads."""

from __future__ import annotations

import io
import itertools
import json
import re

import pandas as pd
from fastapi.testclient import TestClient

from boligmonitor.i18n import fmt_number
from boligmonitor.workspace import Workspace
from tests.conftest import WEB_DESIGNATED_2021
from tests.test_screening_fixtures import cell


def _spec(html: str, chart_id: str) -> dict[str, object]:
    found = re.search(rf'id="{chart_id}-spec">(.*?)</script>', html, re.S)
    assert found is not None, chart_id
    spec: dict[str, object] = json.loads(found[1])
    return spec


# -- city: gap, vision test and map ----------------------------------------------------------


def test_city_gap_equals_the_workspace_gap(web_client: TestClient, web_engine: Workspace) -> None:
    html = web_client.get("/city", params={"lang": "da"}).text
    report = web_engine.screening.gap(store=False)
    assert "beregnet af arbejdsområdets screeningsrunder" in html
    for record in (r for r in report.records if r.year == 2021):
        row = re.search(rf'data-criterion="{record.criterion}">(.*?)</tr>', html, re.S)
        assert row is not None
        assert f'<td class="num gap">{fmt_number(record.gap, 1)} ' in row[1]
    for summary in report.by_year:
        vision = {True: "true", False: "false", None: "unknown"}[summary.vision_met]
        assert f'data-year="{summary.year}" data-vision-met="{vision}"' in html


def test_city_reference_gap_is_the_published_2021_status(web_client: TestClient) -> None:
    html = web_client.get("/city", params={"source": "reference", "lang": "da"}).text
    gaps = re.findall(r'<td class="num gap">([0-9,]+) ', html)
    assert gaps == ["5,8", "6,2", "9,2", "20,8", "10,3"]  # seed 003, Tabel 2
    # Progress from the rounded published gaps: (6,8 - 5,8) / 6,8 and (8,3 - 9,2) / 8,3.
    assert "14,71 %" in html and "-10,84 %" in html
    assert 'data-year="2021" data-vision-met="false"' in html


def test_city_map_shows_the_designated_units(web_client: TestClient) -> None:
    html = web_client.get("/city").text
    features = _spec(html, "city-map")["data"]["values"]  # type: ignore[index]
    designated = {
        f["properties"]["unit_id"] for f in features if f["properties"]["status"] == "designated"
    }
    assert designated == {cell(n, e) for n, e in WEB_DESIGNATED_2021}
    assert len(features) == 36
    lon, lat = features[0]["geometry"]["coordinates"][0][0]
    assert 12.3 < lon < 12.7 and 55.5 < lat < 55.8  # Copenhagen, in longitude/latitude
    old = _spec(web_client.get("/city", params={"round": 2017}).text, "city-map")
    old_designated = [f for f in old["data"]["values"] if f["properties"]["status"] == "designated"]  # type: ignore[index]
    assert len(old_designated) == 4


def test_screening_geojson_download(web_client: TestClient) -> None:
    collection = web_client.get("/download/screening.geojson").json()
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 36
    ring = collection["features"][0]["geometry"]["coordinates"][0]
    # RFC 7946: exterior rings counter-clockwise (positive signed area).
    area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring))
    assert area > 0


def test_city_rejects_unknown_round_and_source(web_client: TestClient) -> None:
    assert web_client.get("/city", params={"round": 2019}).status_code == 422
    assert web_client.get("/city", params={"source": "x"}).status_code == 422


# -- goals -----------------------------------------------------------------------------------


def test_goals_page_shows_every_goal_with_the_engines_verdict(
    web_client: TestClient, web_engine: Workspace
) -> None:
    html = web_client.get("/goals", params={"year": 2021, "lang": "da"}).text
    evaluation = web_engine.goals.evaluate(2021)
    assert len(evaluation.goals) == 18
    for goal in evaluation.goals:
        assert f'id="goal-{goal.number}" data-verdict="{goal.verdict.value}"' in html
    assert html.count('class="approach"') == 3
    assert "databrud" in html  # data-break notes are shown


def test_goals_download_equals_the_evaluation(
    web_client: TestClient, web_engine: Workspace
) -> None:
    response = web_client.get("/download/goals.csv", params={"year": 2019})
    frame = pd.read_csv(io.StringIO(response.content.decode("utf-8-sig")))
    evaluation = web_engine.goals.evaluate(2019)
    expected = [(g.number, g.verdict.value) for g in evaluation.goals for _ in g.indicators]
    assert list(zip(frame["goal"], frame["goal_verdict"], strict=True)) == expected


# -- plans -----------------------------------------------------------------------------------


def test_plan_page_splits_the_mimerskvarter_money_by_leases(web_client: TestClient) -> None:
    html = web_client.get("/plans/mimerskvarter-2022", params={"lang": "da"}).text
    amounts = dict(
        re.findall(
            r'data-payer="([^"]+)">.*?<td class="num payer-amount">([0-9.]+)</td>', html, re.S
        )
    )
    # 4 000 thousand kr.: LBF 75 %, the rest halved; 500 split 509/232/54 of 795 leases.
    assert amounts == {
        "Landsbyggefonden": "3.000",
        "Københavns Kommune": "500",
        "VIBO": "320",
        "AAB": "146",
        "3B": "34",
    }
    assert '<strong id="plan-total">4.000</strong>' in html
    assert 'href="/areas/VIBO%20108"' in html
    assert "Sammenhængskraft og medborgerskab" in html and "sammenhaengskraft" not in html


def test_plan_without_budget_says_so(web_client: TestClient) -> None:
    html = web_client.get("/plans/norrebrobyggerne", params={"lang": "en"}).text
    assert 'id="no-budget"' in html
    assert (
        web_client.get(
            "/download/plan_finance.csv", params={"plan_id": "norrebrobyggerne"}
        ).status_code
        == 404
    )


def test_plans_list_and_unknown_plan(web_client: TestClient, web_engine: Workspace) -> None:
    html = web_client.get("/plans").text
    assert re.findall(r'data-plan-id="([^"]+)"', html) == [p.id for p in web_engine.plans.all()]
    assert web_client.get("/plans/no-such-plan").status_code == 404


def test_plan_downloads(web_client: TestClient, web_engine: Workspace) -> None:
    finance = web_client.get(
        "/download/plan_finance.xlsx", params={"plan_id": "mimerskvarter-2022", "lang": "da"}
    )
    frame = pd.read_excel(io.BytesIO(finance.content))
    assert list(frame["Betaler"]) == [
        "Landsbyggefonden",
        "Københavns Kommune",
        "VIBO",
        "AAB",
        "3B",
        "I alt",
    ]
    designations = web_client.get(
        "/download/plan_designations.csv", params={"plan_id": "mimerskvarter-2022"}
    )
    rows = pd.read_csv(io.StringIO(designations.content.decode("utf-8-sig")))
    expected = web_engine.plans.designations_of("mimerskvarter-2022").rows
    assert list(rows["area_id"]) == [r.area_id for r in expected]


def test_area_page_lists_its_departments_and_plans(web_client: TestClient) -> None:
    html = web_client.get("/areas/VIBO%20108", params={"lang": "da"}).text
    section = html.split('id="area-plans"')[1]
    assert "Bogtrykkergården" in section
    assert 'href="/plans/mimerskvarter-2022"' in section
    assert 'href="/plans/os-fra-mimerskvarter"' in section
    nothing = web_client.get("/areas/EX-01", params={"lang": "da"}).text.split('id="area-plans"')[1]
    assert "Ingen kendte afdelinger" in nothing
