"""The JSON API under /api/v1: every endpoint's happy path, 404 for unknown ids, 422 otherwise."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from boligmonitor.workspace import Workspace

API = "/api/v1"
YEARS = list(range(2014, 2023))


def _engine_records(web_engine: Workspace, year: int, rules: list[str]) -> list[dict[str, object]]:
    return [r.as_record() for r in web_engine.designate(year, rules, store=False)]


def _without_extras(item: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in item.items() if k not in ("explanation", "designation_labels")}


# -- years and rule sets ---------------------------------------------------------------------


def test_years(web_client: TestClient) -> None:
    assert web_client.get(f"{API}/years").json() == YEARS


def test_rule_sets(web_client: TestClient) -> None:
    sets = {s["id"]: s for s in web_client.get(f"{API}/rule-sets", params={"lang": "en"}).json()}
    assert {"dk-2010", "dk-2013", "dk-2018", "dk-2021", "dk-51b"} <= set(sets)
    assert (sets["dk-2018"]["first_year"], sets["dk-2018"]["last_year"]) == (2018, 2020)
    assert sets["dk-2021"]["last_year"] is None
    assert web_client.get(f"{API}/rule-sets", params={"lang": "fr"}).status_code == 422


# -- areas -----------------------------------------------------------------------------------


def test_areas_are_paginated(web_client: TestClient) -> None:
    first = web_client.get(f"{API}/areas", params={"per_page": 5}).json()
    assert (first["total"], first["pages"], first["page"]) == (12, 3, 1)
    assert [a["area_id"] for a in first["items"]] == ["3B 24", "AAB 58", "EX-01", "EX-02", "EX-03"]
    last = web_client.get(f"{API}/areas", params={"per_page": 5, "page": 3}).json()
    assert [a["area_id"] for a in last["items"]] == ["VIBO 142", "VIBO 147"]
    beyond = web_client.get(f"{API}/areas", params={"per_page": 5, "page": 4}).json()
    assert beyond["items"] == [] and beyond["total"] == 12


def test_areas_filter_by_municipality(web_client: TestClient) -> None:
    page = web_client.get(f"{API}/areas", params={"municipality": "København"}).json()
    assert page["total"] == 6
    assert all(a["first_year"] == a["last_year"] == 2020 for a in page["items"])
    vibo_147 = next(a for a in page["items"] if a["area_id"] == "VIBO 147")
    assert vibo_147["residents"] is None  # "Diskretioneret" in the seed


@pytest.mark.parametrize(
    "params",
    [{"page": 0}, {"per_page": 0}, {"per_page": 501}, {"page": "one"}, {"municipality": "x" * 101}],
)
def test_areas_reject_invalid_parameters(web_client: TestClient, params: dict[str, object]) -> None:
    response = web_client.get(f"{API}/areas", params=params)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "query"


def test_one_area(web_client: TestClient) -> None:
    area = web_client.get(f"{API}/areas/EX-01").json()
    assert area == {
        "area_id": "EX-01",
        "area_name": "Nordparken",
        "municipality": "Eksempelby",
        "first_year": 2014,
        "last_year": 2022,
        "residents": 2400,
    }
    assert web_client.get(f"{API}/areas/VIBO%20108").json()["residents"] == 370
    assert web_client.get(f"{API}/areas/NO-SUCH").status_code == 404


def test_area_designations_over_time(web_client: TestClient, web_engine: Workspace) -> None:
    items = web_client.get(f"{API}/areas/EX-01/designations").json()
    expected = [r.as_record() for r in web_engine.designations.area_designations("EX-01")]
    assert [_without_extras(i) for i in items] == expected
    assert len(items) == 2 * len(YEARS)  # § 61 a regime in force and § 51 b, each year
    by_year = {(i["year"], i["rule_set"]): i for i in items}
    assert "omdannelsesomraade" in by_year[(2021, "dk-2021")]["designations"]
    assert "Omdannelsesområde" in by_year[(2021, "dk-2021")]["designation_labels"]


def test_area_designations_for_one_year_in_english(web_client: TestClient) -> None:
    items = web_client.get(
        f"{API}/areas/VIBO 108/designations", params={"year": 2020, "lang": "en"}
    ).json()
    assert [i["rule_set"] for i in items] == ["dk-2018", "dk-51b"]
    education = items[0]["criteria"]["education"]
    # Seed 000: 59.5 % against > 60 %, one resident short (148 aged 30-59 estimated).
    assert (education["value"], education["threshold"], education["margin"]) == (59.5, 60, -0.5)
    assert (education["flip_persons"], education["population"]) == (1, 148)
    assert items[0]["below_population_minimum"] is True
    assert "Below the minimum of 1,000 residents" in items[0]["explanation"]


def test_area_designations_errors(web_client: TestClient) -> None:
    assert web_client.get(f"{API}/areas/NO-SUCH/designations").status_code == 404
    wrong_year = web_client.get(f"{API}/areas/VIBO 108/designations", params={"year": 2019})
    assert wrong_year.status_code == 422
    assert wrong_year.json()["detail"][0]["loc"] == ["query", "year"]
    assert (
        web_client.get(f"{API}/areas/EX-01/designations", params={"lang": "de"}).status_code == 422
    )


# -- designations ----------------------------------------------------------------------------


def test_designations_equal_the_engine(web_client: TestClient, web_engine: Workspace) -> None:
    page = web_client.get(f"{API}/designations", params={"year": 2021, "per_page": 500}).json()
    assert page["total"] == 6
    assert [_without_extras(i) for i in page["items"]] == _engine_records(
        web_engine, 2021, ["dk-2021"]
    )
    assert page["items"][0]["explanation"].startswith("Nordparken (EX-01) — liste 2021")


def test_designations_default_to_the_latest_year_in_force(web_client: TestClient) -> None:
    page = web_client.get(f"{API}/designations").json()
    assert {i["year"] for i in page["items"]} == {2022}
    assert {i["rule_set"] for i in page["items"]} == {"dk-2021"}


def test_designations_by_rule_set_designation_and_page(
    web_client: TestClient, web_engine: Workspace
) -> None:
    params = {"year": 2020, "rules": "dk-51b", "designation": "kombineret_udlejning"}
    page = web_client.get(f"{API}/designations", params=params).json()
    expected = [
        r["area_id"]
        for r in _engine_records(web_engine, 2020, ["dk-51b"])
        if "kombineret_udlejning" in r["designations"]  # type: ignore[operator]
    ]
    assert expected and [i["area_id"] for i in page["items"]] == expected
    second = web_client.get(f"{API}/designations", params={"year": 2020, "per_page": 4, "page": 2})
    assert [i["area_id"] for i in second.json()["items"]] == [
        r["area_id"] for r in _engine_records(web_engine, 2020, ["dk-2018"])[4:8]
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"year": 1999},
        {"year": "2021a"},
        {"rules": "dk-1066"},
        {"year": 2021, "designation": "ghettoomraade"},
        {"per_page": 1000},
        {"lang": "xx"},
    ],
)
def test_designations_reject_invalid_parameters(
    web_client: TestClient, params: dict[str, object]
) -> None:
    response = web_client.get(f"{API}/designations", params=params)
    assert response.status_code == 422
    assert response.json()["detail"]


# -- indicators ------------------------------------------------------------------------------


def test_indicators_for_one_area_and_year(web_client: TestClient) -> None:
    page = web_client.get(f"{API}/indicators", params={"year": 2020, "area_id": "VIBO 108"}).json()
    assert page["total"] == 1
    row = page["items"][0]
    assert (row["education_pct"], row["crime_threshold_pct"], row["residents"]) == (
        59.5,
        2.03,
        370,
    )


def test_indicators_are_paginated_over_all_years(web_client: TestClient) -> None:
    page = web_client.get(f"{API}/indicators", params={"per_page": 10, "page": 2}).json()
    assert page["total"] == 54 + 6
    assert len(page["items"]) == 10
    one_area = web_client.get(f"{API}/indicators", params={"area_id": "EX-02"}).json()
    assert [r["year"] for r in one_area["items"]] == YEARS


@pytest.mark.parametrize(
    "params", [{"year": 2030}, {"area_id": "NO-SUCH"}, {"page": -1}, {"year": "last"}]
)
def test_indicators_reject_invalid_parameters(
    web_client: TestClient, params: dict[str, object]
) -> None:
    assert web_client.get(f"{API}/indicators", params=params).status_code == 422


# -- documentation and read-only -------------------------------------------------------------


def test_openapi_lists_every_endpoint(web_client: TestClient) -> None:
    schema = web_client.get(f"{API}/openapi.json").json()
    assert set(schema["paths"]) >= {
        f"{API}/years",
        f"{API}/rule-sets",
        f"{API}/areas",
        f"{API}/areas/{{area_id}}",
        f"{API}/areas/{{area_id}}/designations",
        f"{API}/designations",
        f"{API}/indicators",
        f"{API}/gaps",
        f"{API}/goals",
        f"{API}/goals/{{number}}",
        f"{API}/plans",
        f"{API}/plans/{{plan_id}}",
    }
    docs = web_client.get(f"{API}/docs").text
    for path in schema["paths"]:
        assert path in docs
    assert web_client.get("/docs").status_code == 404  # Swagger UI would load from a CDN


def test_the_api_is_read_only(web_client: TestClient) -> None:
    schema = web_client.get(f"{API}/openapi.json").json()
    methods = {m for operations in schema["paths"].values() for m in operations}
    assert methods == {"get"}
    assert web_client.post(f"{API}/designations", json={}).status_code == 405
    assert web_client.delete(f"{API}/areas/EX-01").status_code == 405
