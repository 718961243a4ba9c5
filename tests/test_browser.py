"""The dashboard in a real headless Chromium against a real uvicorn server.

One browser for the session (``browser`` fixture), a fresh context per test. Every request the
page makes is checked to stay on the test server, and every console error fails the test.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from boligmonitor.i18n import fmt_number, fmt_pct
from boligmonitor.workspace import Workspace

pytestmark = pytest.mark.browser


class Watched:
    """A page plus the console errors and foreign requests it produced."""

    def __init__(self, page: Any, base: str) -> None:
        self.page = page
        self.errors: list[str] = []
        self.foreign: list[str] = []
        host = urlsplit(base).netloc
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

        def guard(route: Any) -> None:
            url = route.request.url
            if urlsplit(url).netloc == host or url.startswith(("data:", "blob:")):
                route.continue_()
            else:
                self.foreign.append(url)
                route.abort()

        page.route("**/*", guard)

    def assert_clean(self) -> None:
        assert self.errors == []
        assert self.foreign == []


@pytest.fixture
def watched(browser: Any, live_server: str) -> Iterator[Watched]:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1200, "height": 900})
    context.set_default_timeout(30_000)
    page = Watched(context.new_page(), live_server)
    yield page
    context.close()


def test_overview_year_language_sorting_and_navigation(
    watched: Watched, live_server: str, web_engine: Workspace
) -> None:
    page = watched.page
    page.goto(live_server + "/")
    assert page.locator("h1").inner_text() == "Oversigt 2022"
    expected = web_engine.designate(2022, ["dk-2021"], store=False)
    udsat = sum("udsat_boligomraade" in r.designations for r in expected)
    assert page.locator('[data-count="udsat_boligomraade"]').inner_text() == str(udsat)
    page.wait_for_selector("#map[data-rendered='true'] svg path")

    page.select_option("#year-select", "2020")
    page.wait_for_url("**year=2020**")
    assert page.locator("h1").inner_text() == "Oversigt 2020"
    assert page.locator('[data-count="total"]').inner_text() == "12"  # with Mimerskvarter
    assert page.locator('[data-count="haardt_ghettoomraade"]').is_visible()

    page.click("#lang-switch")
    page.wait_for_url("**lang=en**")
    assert page.locator("h1").inner_text() == "Overview 2020"

    page.click("#area-table th:nth-child(4)")  # residents, ascending; unknown first
    ids = page.locator("#area-table tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.areaId)"
    )
    assert ids[:3] == ["VIBO 147", "3B 24", "VIBO 142"]

    page.click("#area-table a:text-is('EX-01')")
    page.wait_for_url("**/areas/EX-01**")
    assert page.locator("#area-name").inner_text() == "Nordparken"
    page.wait_for_selector("#criteria-chart-0[data-rendered='true'] svg")
    watched.assert_clean()


def test_area_page_shows_figures_chart_and_switches_year(
    watched: Watched, live_server: str, web_engine: Workspace
) -> None:
    page = watched.page
    page.goto(live_server + "/areas/VIBO%20108?year=2020")
    page.wait_for_selector("#criteria-chart-0[data-rendered='true'] svg")
    result = web_engine.explain("VIBO 108", 2020, ["dk-2018"])[0]
    row = page.locator('table[data-rule-set="dk-2018"] tr[data-criterion="education"]')
    assert row.locator(".value").inner_text() == fmt_pct(result.criteria["education"].value, 2)
    assert row.locator(".threshold").inner_text() == "60,00 %"
    assert row.locator(".flip").inner_text().startswith("1")
    assert "Under mindstekravet" in page.locator(".explanation pre").first.inner_text()

    page.goto(live_server + "/areas/EX-03")
    page.select_option("#year-select", "2017")
    page.wait_for_url("**year=2017**")
    heading = page.locator("section.result h2").first.inner_text()
    assert heading.endswith("2017") and "2013" in heading
    residents = web_engine.explain("EX-03", 2017)[0].residents
    assert page.locator(".residents").first.inner_text() == fmt_number(residents, 0)
    watched.assert_clean()


def test_csv_download_holds_what_is_on_screen(
    watched: Watched, live_server: str, web_engine: Workspace
) -> None:
    page = watched.page
    page.goto(live_server + "/?year=2021")
    with page.expect_download() as info:
        page.click("a.download[data-format='csv']")
    download = info.value
    assert download.suggested_filename == "boligmonitor-overview.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text("utf-8-sig"))))
    expected = web_engine.designate(2021, ["dk-2021"], store=False)
    assert [r["area_id"] for r in rows] == [r.area_id for r in expected]
    nordparken = rows[0]
    assert nordparken["designations"] == ";".join(expected[0].designations)
    assert "omdannelsesomraade" in nordparken["designations"]
    assert float(nordparken["labour_value"]) == expected[0].criteria["labour"].value
    watched.assert_clean()


def test_city_goals_and_plan_pages(watched: Watched, live_server: str) -> None:
    page = watched.page
    page.goto(live_server + "/city")
    page.wait_for_selector("#city-map[data-rendered='true'] svg path")
    page.wait_for_selector("#gap-chart[data-rendered='true'] svg")
    assert page.locator("#designated-units").inner_text() == "7"
    page.click("#lang-switch")
    page.wait_for_url("**lang=en**")
    assert page.locator("h1").inner_text() == "Vulnerable urban areas: gap and vision"

    page.click("nav a[href='/goals']")
    page.wait_for_selector("#goal-summary-chart[data-rendered='true'] svg")
    assert page.locator("article.goal").count() == 18
    assert page.locator("#goal-chart-3[data-rendered]").count() == 0  # drawn when opened
    page.click("#goal-3 details summary")
    page.wait_for_selector("#goal-chart-3[data-rendered='true'] svg")
    page.select_option("#year-select", "2019")
    page.wait_for_url("**year=2019**")
    assert page.locator("h1 small").inner_text() == "2019"

    page.goto(live_server + "/plans?lang=da")
    page.click("#plan-table a:text-is('NørreBrobyggerne - udvidelse med Mimerskvarter')")
    page.wait_for_selector("#finance-chart[data-rendered='true'] svg")
    assert page.locator("#plan-total").inner_text() == "4.000"
    page.click("#department-table a:text-is('VIBO 108')")
    page.wait_for_url("**/areas/VIBO%20108**")
    assert page.locator("#area-name").inner_text() == "Bogtrykkergården"
    watched.assert_clean()


def test_api_docs_page_loads_offline(watched: Watched, live_server: str) -> None:
    page = watched.page
    page.goto(live_server + "/api/v1/docs?lang=en")
    assert page.locator("code", has_text="GET /api/v1/designations").count() == 1
    response = page.request.get(live_server + "/api/v1/openapi.json")
    assert response.ok and "/api/v1/indicators" in response.json()["paths"]
    watched.assert_clean()
