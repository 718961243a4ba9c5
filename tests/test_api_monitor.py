"""The monitor endpoints of the JSON API: gaps, goals and plans (happy path, 404, 422)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from boligmonitor.monitor.goals.records import evaluation_records
from boligmonitor.workspace import Workspace

API = "/api/v1"


def test_gaps_default_to_the_workspace_rounds(
    web_client: TestClient, web_engine: Workspace
) -> None:
    payload = web_client.get(f"{API}/gaps").json()
    assert payload["source_kind"] == "workspace"
    expected = web_engine.screening.gap(store=False).as_json()
    assert payload["records"] == expected["records"]
    assert payload["by_year"] == expected["by_year"]


def test_gaps_reference_reproduces_the_published_figures(web_client: TestClient) -> None:
    payload = web_client.get(f"{API}/gaps", params={"source": "reference"}).json()
    assert [r["gap"] for r in payload["records"]] == [5.8, 6.2, 9.2, 20.8, 10.3]
    assert payload["summary"]["vision_met"] is False


@pytest.mark.parametrize("source", ["both", "", "REFERENCE"])
def test_gaps_reject_unknown_sources(web_client: TestClient, source: str) -> None:
    assert web_client.get(f"{API}/gaps", params={"source": source}).status_code == 422


def test_goals_records_equal_the_evaluation(web_client: TestClient, web_engine: Workspace) -> None:
    page = web_client.get(
        f"{API}/goals", params={"year": 2021, "per_page": 500, "lang": "en"}
    ).json()
    expected = evaluation_records(web_engine.goals.evaluate(2021), "en")
    assert page["total"] == len(expected)
    assert [(r["goal"], r["indicator"], r["verdict"]) for r in page["items"]] == [
        (r["goal"], r["indicator"], r["verdict"]) for r in expected
    ]
    second = web_client.get(f"{API}/goals", params={"year": 2021, "per_page": 5, "page": 2}).json()
    assert [r["indicator"] for r in second["items"]] == [r["indicator"] for r in expected[5:10]]


def test_one_goal(web_client: TestClient, web_engine: Workspace) -> None:
    payload = web_client.get(f"{API}/goals/16", params={"year": 2019}).json()
    goal = web_engine.goals.evaluate(2019).goal(16)
    assert payload["verdict"] == goal.verdict.value
    assert payload["approach"] == "strukturel"
    assert [i["indicator"] for i in payload["indicators"]] == [i.indicator for i in goal.indicators]
    assert web_client.get(f"{API}/goals/19").status_code == 404


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/goals", {"year": 2018}),
        ("/goals", {"source": "guess"}),
        ("/goals", {"per_page": 0}),
        ("/goals/0", {}),
        ("/goals/x", {}),
        ("/goals/3", {"lang": "sv"}),
    ],
)
def test_goals_reject_invalid_parameters(
    web_client: TestClient, path: str, params: dict[str, object]
) -> None:
    assert web_client.get(API + path, params=params).status_code == 422


def test_plans_list(web_client: TestClient, web_engine: Workspace) -> None:
    page = web_client.get(f"{API}/plans").json()
    assert [p["id"] for p in page["items"]] == [p.id for p in web_engine.plans.all()]
    totals = {p["id"]: p["total"] for p in page["items"]}
    assert totals["mimerskvarter-2022"] == "4000" and totals["norrebrobyggerne"] is None
    assert web_client.get(f"{API}/plans", params={"page": 0}).status_code == 422


def test_one_plan(web_client: TestClient, web_engine: Workspace) -> None:
    payload = web_client.get(f"{API}/plans/mimerskvarter-2022").json()
    assert payload["finance"] == web_engine.plans.finance("mimerskvarter-2022").as_record()
    shares = {p["payer"]: p["amount"] for p in payload["finance"]["payers"]}
    assert (shares["VIBO"], shares["AAB"], shares["3B"]) == ("320", "146", "34")
    assert payload["plan"]["extends"] == "norrebrobyggerne"
    assert payload["designations"]["plan"] == "mimerskvarter-2022"
    assert web_client.get(f"{API}/plans/norrebrobyggerne").json()["finance"] is None
    assert web_client.get(f"{API}/plans/no-such-plan").status_code == 404
    assert web_client.get(f"{API}/plans/{'x' * 101}").status_code == 422
