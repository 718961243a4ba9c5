"""The official lists page and API: published values, distances in persons, history."""

from __future__ import annotations

from typing import Any


def test_lists_api_gives_values_distances_and_history(web_client: Any) -> None:
    response = web_client.get("/api/lists?year=2015")
    assert response.status_code == 200
    rows = {r["area_id"]: r for r in response.json()}
    ringparken = rows["ringparken-slagelse"]
    assert ringparken["values"]["labour_pct"] == 46.1
    # Labour 46,1 % of about 62 % of 1 949 residents (1 208) is 6,1 points above 40 %: 74 persons.
    assert ringparken["distance_persons"]["labour"] == 74
    assert "2012 ghettoomraade" in ringparken["history"]
    assert ringparken["published"] is True


def test_lists_page_is_danish_and_marks_derived(web_client: Any) -> None:
    web_client.cookies.clear()  # an earlier test's language cookie would make it English
    page = web_client.get("/lists?year=2021")
    assert page.status_code == 200
    assert "Offentliggjorte lister 2021" in page.text
    assert 'title="derived_set_arithmetic">afledt<' in page.text
