"""The status report in English, with its charts honest about units and zero, the map when
the workspace has units, and the outlook section when an outlook is stored."""

from __future__ import annotations

from typing import Any

import pandas as pd

from boligmonitor.charts.report import gap_chart, goal_chart
from boligmonitor.report import build_report
from boligmonitor.report.html import render_html
from boligmonitor.report.pdf import typst_source
from boligmonitor.store import Table
from boligmonitor.workspace import Workspace


def test_english_report_has_no_danish_headings() -> None:
    with Workspace.memory() as ws:
        report = build_report(ws.reports.status_input(2021, lang="en"))
    html, typst = render_html(report), typst_source(report)
    for text in (html, typst):
        assert "Summary" in text and "Appendix: data definitions and method" in text
        assert "Approach 1" in text and "How the goals are assessed" in text
        for danish in ("Sammenfatning", "Bilag", "Tilgang", "Vurdering af målene", "Kilde:"):
            assert danish not in text, danish


def test_danish_report_keeps_danish_headings() -> None:
    with Workspace.memory() as ws:
        html = render_html(build_report(ws.reports.status_input(2021)))
    assert "Sammenfatning" in html and "Tilgang 1" in html and "Bilag: Datadefinitioner" in html
    assert "manglende tal" in html  # missing figures are named as a reason for "usikker"


def _axes(spec: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for part in spec.get("vconcat", []) + spec.get("layer", []):
        found += _axes(part)
    encoding = spec.get("encoding", {})
    found += [encoding[c] for c in ("x", "y") if encoding.get(c, {}).get("type") == "quantitative"]
    return found


def test_report_charts_start_at_zero_name_units_and_keep_titles() -> None:
    with Workspace.memory() as ws:
        data = ws.reports.status_input(2021)
    goal = data.evaluation.catalogue.goal(3)
    spec = goal_chart(list(goal.indicators))
    assert spec is not None
    axes = _axes(spec)
    assert axes and all(a["scale"]["zero"] is True for a in axes if "scale" in a)
    assert all(a.get("title") for a in axes)  # every value axis names its unit
    titles = [
        p["layer"][0]["title"]["text"] if "layer" in p else p["title"]["text"]
        for p in spec["vconcat"]
    ]
    assert all(isinstance(t, list) and not any("[" in line for line in t) for t in titles)


def test_gap_chart_never_mixes_square_metres_and_points() -> None:
    rows = [
        {"criterion": "Boligareal", "measure": "Efterslæb 2017", "value": 6.9, "unit": "m²"},
        {"criterion": "Boligareal", "measure": "Efterslæb 2021", "value": 5.8, "unit": "m²"},
        {
            "criterion": "Indkomst",
            "measure": "Efterslæb 2017",
            "value": 23.8,
            "unit": "procentpoint",
        },
        {
            "criterion": "Indkomst",
            "measure": "Efterslæb 2021",
            "value": 20.8,
            "unit": "procentpoint",
        },
    ]
    spec = gap_chart(rows)
    panels = spec["vconcat"]
    assert len(panels) == 2
    assert [p["encoding"]["x"]["title"] for p in panels] == [
        "Efterslæb (m²)",
        "Efterslæb (procentpoint)",
    ]


def test_report_shows_map_of_units_and_the_stored_outlook(tmp_path: Any) -> None:
    from tests.test_screening_fixtures import cell

    units = pd.DataFrame(
        [
            {
                "unit_id": cell(0, e),
                "name": f"C{e}",
                "geometry_wkt": f"POLYGON(({e * 100} 0, {e * 100 + 100} 0, {e * 100 + 100} 100, "
                f"{e * 100} 100, {e * 100} 0))",
            }
            for e in range(3)
        ]
    )
    units.to_csv(tmp_path / "units.csv", index=False)
    outlook = pd.DataFrame(
        {
            "year": [2025, 2025],
            "area_id": ["VIBO 108", "EX-01"],
            "area_name": ["Mimerskvarteret", "Nordparken"],
            "designation": ["udsat_boligomraade", "parallelsamfund"],
            "probability": [0.55, 0.97],
            "change": [0.5, 0.0],
            "flip_criterion": ["labour", None],
            "flip_persons": [12, None],
        }
    )
    with Workspace.create(tmp_path / "ws") as ws:
        ws.screening.load_units(tmp_path / "units.csv")
        ws.store.write(Table.OUTLOOK, outlook)
        report = build_report(ws.reports.status_input(2021))
    html = render_html(report)
    assert "map" in report.svgs and "Der er ingen geometri" not in html
    assert "Mimerskvarteret" in html and 'href="/areas/VIBO%20108"' in html


def _encodings(spec: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for part in spec.get("vconcat", []) + spec.get("layer", []):
        found += _encodings(part)
    return found + list(spec.get("encoding", {}).values())


def test_goal_chart_fields_are_neutral_and_never_shown_as_titles() -> None:
    with Workspace.memory() as ws:
        goal = ws.reports.status_input(2021).evaluation.catalogue.goal(1)
    spec = goal_chart(list(goal.indicators), lang="en")
    assert spec is not None
    encodings = _encodings(spec)
    assert {e["field"] for e in encodings} == {"year", "value", "group"}
    # The year axis (also on the data-break rules) and the legend have no title; the value
    # axis is titled with the indicator's unit in the report's language.
    assert all("title" in e and e["title"] is None for e in encodings if e["field"] != "value")
    assert all(e["title"] for e in encodings if e["field"] == "value")
    assert any(len(part.get("layer", [])) == 2 for part in spec["vconcat"])  # a break rule
