"""Every dashboard page looked at in a real browser: wide and narrow, Danish and English.

No element may push the page wider than the window; every designated area on the overview map
must be visible (a point inside its outline hit-tests to it); the legend and the shapes use the
fixed palette in both languages; a Danish page carries no English sentence of the catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from boligmonitor.charts.palette import designation_colour, leading_designation
from boligmonitor.i18n import catalogue
from boligmonitor.workspace import Workspace
from tests.screenshots import wait_for_charts

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/?year=2020",
    "/?rules=dk-51b",
    "/areas/VIBO%20108?year=2020",
    "/areas/EX-01",
    "/lists",
    "/udviklingsplaner",
    "/city",
    "/goals",
    "/plans",
    "/pools",
    "/simulation",
    "/outlook",
]
WIDTHS = [1400, 390]


@pytest.fixture
def page_at(browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def open_page(width: int) -> Any:
        context = browser.new_context(viewport={"width": width, "height": 900})
        context.set_default_timeout(60_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const e of document.querySelectorAll('body *')) {
    if (e.closest('.scroll, .chart, pre, table')) continue;
    const box = e.getBoundingClientRect();
    if (box.width && box.right > width + 1) wide.push(e.tagName + '.' + e.className);
  }
  return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PAGES)
def test_no_page_is_wider_than_the_window(
    page_at: Any, live_server: str, path: str, width: int
) -> None:
    page = page_at(width)
    page.goto(live_server + path)
    wait_for_charts(page)
    found = page.evaluate(_OVERFLOW)
    assert found["scroll"] <= found["width"], found
    assert found["wide"] == [], found
    empty = page.evaluate(
        "() => Array.from(document.querySelectorAll('[data-chart]'))"
        ".filter(e => !e.closest('details:not([open])'))"
        ".filter(e => e.dataset.rendered !== 'true' || !e.querySelector('svg')"
        " || !(Number(e.querySelector('svg').getAttribute('width')) > 0)).map(e => e.id)"
    )
    assert empty == []  # every chart is drawn, none as an empty frame


_ENGLISH = [
    msgid
    for msgid, danish in catalogue("da").items()
    if "\x04" not in msgid
    and "{" not in msgid
    and msgid != danish
    and len(msgid.split()) >= 4
    and re.fullmatch(r"[A-Za-z ,.'()-]+", msgid)
]


@pytest.mark.parametrize("path", PAGES)
def test_danish_pages_hold_no_english_sentence(page_at: Any, live_server: str, path: str) -> None:
    page = page_at(1400)
    page.goto(live_server + path + ("&" if "?" in path else "?") + "lang=da")
    text = page.locator("body").inner_text()
    assert [m for m in _ENGLISH if m in text] == []


_HIT = """(urls) => urls.map((url) => {
  const mine = Array.from(document.querySelectorAll('#map svg path'))
    .filter((p) => (p.getAttribute('aria-label') || '').includes('url: ' + url));
  for (const path of mine) {
    const box = path.getBoundingClientRect();
    for (let i = 1; i < 12; i++) for (let j = 1; j < 12; j++) {
      const x = box.left + box.width * i / 12, y = box.top + box.height * j / 12;
      const hit = document.elementFromPoint(x, y);
      if (mine.includes(hit)) return true;
    }
  }
  return false;
})"""


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("year", [2020, 2022])
def test_every_designated_area_is_visible_in_its_fixed_colour(
    page_at: Any, live_server: str, web_engine: Workspace, lang: str, year: int
) -> None:
    page = page_at(1400)
    page.goto(f"{live_server}/?year={year}&lang={lang}")
    page.wait_for_selector("#map[data-rendered='true'] svg path")
    page.locator("#map").scroll_into_view_if_needed()
    results = web_engine.designate(year, store=False)
    statutory = [r for r in results if r.rule_set != "dk-51b"]
    shapes = set(web_engine.designations.area_geometry()["area_id"])
    designated = [r for r in statutory if r.designations and r.area_id in shapes]
    assert designated
    urls = [f"/areas/{r.area_id}?year={year}" for r in designated]
    assert page.evaluate(_HIT, urls) == [True] * len(urls)
    legend = page.locator("#map-legend li").evaluate_all(
        "items => items.map(i => [i.dataset.designation, i.dataset.colour,"
        " getComputedStyle(i.querySelector('.swatch')).backgroundColor])"
    )
    for designation, colour, shown in legend:
        expected = designation_colour(None if designation == "none" else designation)
        assert colour == expected
        assert shown == _rgb(expected)
    fills = page.evaluate(
        "(urls) => urls.map(u => Array.from(document.querySelectorAll('#map svg path'))"
        ".find(p => (p.getAttribute('aria-label') || '').includes('properties.url: ' + u))"
        ".getAttribute('fill'))",
        urls,
    )
    assert fills == [designation_colour(leading_designation(r.designations)) for r in designated]


def _rgb(colour: str) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def test_a_stored_simulation_draws_every_chart(
    page_at: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from boligmonitor.synth import generate
    from tests.conftest import served

    city, folder = tmp_path_factory.mktemp("city"), tmp_path_factory.mktemp("simulated")
    generate(city, "city", years=range(2019, 2023), seed=5, persons=4000, progress=False)
    with Workspace.create(folder) as ws:
        ws.microdata.load(city)
        ws.simulation.save(
            *(
                ws.simulation.simulate(p, years=2, runs=2, inference=0)
                for p in ("baseline", "combined")
            )
        )
    with served(folder) as base:
        page = page_at(1400)
        page.goto(base + "/simulation?a=baseline&b=combined")
        wait_for_charts(page)
        states = page.evaluate(
            "() => Array.from(document.querySelectorAll('[data-chart]'))"
            ".map(e => e.dataset.rendered)"
        )
    assert len(states) == 3 and set(states) == {"true"}, states
