"""What an analyst reads first: the reason at the top of the area page, what changed since last
year's list, the fixed map colours, the areas without outline, the other lists in force."""

from __future__ import annotations

import re
from typing import Any

from boligmonitor.charts.palette import DESIGNATION_COLOURS, designation_colour, severity_order
from boligmonitor.web.record import history_runs
from boligmonitor.workspace import Workspace


def test_population_minimum_reason_comes_first(web_client: Any) -> None:
    html = web_client.get("/areas/VIBO%20108", params={"year": 2020, "lang": "da"}).text
    headline = re.search(r'id="headline">(.*?)</p>', html, re.S)
    assert headline is not None
    assert "Ikke udpeget: området har" in headline[1]
    assert "færre end mindstekravet på 1.000" in headline[1]
    assert "udsat boligområde" in headline[1] and "ghettoområde" in headline[1]
    assert html.index('id="headline"') < html.index('class="criteria"')


def test_area_page_says_what_changed_since_last_year(
    web_client: Any, web_engine: Workspace
) -> None:
    html = web_client.get("/areas/EX-01", params={"year": 2021, "lang": "da"}).text
    section = html[html.index('id="changes"') :]
    assert "Sammenlignet med 2020" in section
    now = {r.rule_set: r for r in web_engine.explain("EX-01", 2021)}
    before = {r.rule_set: r for r in web_engine.explain("EX-01", 2020)}
    # 2021 brings a new rule set, so the comparison is within the § 51 b list
    assert ("dk-51b" in now) and ("dk-51b" in before)
    assert 'id="print-link"' in html


def test_navigation_reaches_every_capability(web_client: Any) -> None:
    html = web_client.get("/", params={"lang": "da"}).text
    for path in ("/lists", "/udviklingsplaner", "/pools", "/outlook", "/simulation"):
        assert f'href="{path}"' in html


def test_overview_legend_has_fixed_colours_and_names_missing_outlines(
    web_client: Any, web_engine: Workspace
) -> None:
    for lang in ("da", "en"):
        html = web_client.get("/", params={"year": 2021, "lang": lang}).text
        legend = re.findall(r'data-designation="([^"]+)" data-colour="([^"]+)"', html)
        assert legend[-1] == ("none", designation_colour(None))
        ids = [d for d, _ in legend[:-1]]
        assert ids == severity_order(ids)  # most severe first
        assert all(colour == DESIGNATION_COLOURS[d] for d, colour in legend[:-1])
        note = re.search(r'id="missing-outlines">(.*?)</p>', html, re.S)
        assert note is not None
        shapes = set(web_engine.designations.area_geometry()["area_id"])
        missing = [r for r in web_engine.designate(2021, ["dk-2021"], store=False)]
        missing = [r for r in missing if r.area_id not in shapes]
        assert f">{len(missing)} " in note[0] or note[1].lstrip().startswith(str(len(missing)))
    assert 'data-rule-set="dk-51b"' in html  # § 51 b is counted beside § 61 a


def test_list_history_reads_as_runs_of_years() -> None:
    years = [2010, 2011, 2012, 2014, 2018, 2019, 2019]
    kinds = [
        "ghettoomraade",
        "ghettoomraade",
        "ghettoomraade",
        "ghettoomraade",
        "udsat_boligomraade",
        "udsat_boligomraade",
        "left_list",
    ]
    assert history_runs(years, kinds, "da") == [
        "ghettoområde 2010–2012, 2014",
        "udsat boligområde 2018–2019",
    ]


def test_list_year_change_view_matches_the_engine(web_client: Any, web_engine: Workspace) -> None:
    html = web_client.get("/", params={"year": 2021, "lang": "da"}).text
    rows = dict(re.findall(r'data-change-area="([^"]+)" data-change="([^"]+)"', html))
    now = {r.area_id: r for r in web_engine.designate(2021, ["dk-2021"], store=False)}
    then = {r.area_id: r for r in web_engine.designate(2020, ["dk-2018"], store=False)}
    expected = {}
    for area_id in set(now) | set(then):
        held_now = bool(now[area_id].designations) if area_id in now else False
        held_then = bool(then[area_id].designations) if area_id in then else False
        if held_now or held_then:
            expected[area_id] = (
                "stayed" if held_now and held_then else ("new" if held_now else "left")
            )
    assert rows == expected
    assert "Ændringer siden listen for 2020" in html


def test_navigation_never_leads_to_a_not_found_page(web_client: Any) -> None:
    for path in ("/lists", "/udviklingsplaner", "/pools", "/outlook", "/simulation"):
        response = web_client.get(path, params={"lang": "da"})
        assert response.status_code == 200, path
    assert "Der er ingen prognose i arbejdsområdet" in web_client.get("/outlook").text
