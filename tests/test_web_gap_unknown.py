"""The city page, API and download when the gap has unknowns: a criterion without data and an
undecided vision test shown as unknown, never as "not met"."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from boligmonitor.web import open_app
from boligmonitor.workspace import Workspace
from tests.test_screening_fixtures import DEPRIVED, ORDINARY, cell, grid_stats, unit_row

API = "/api/v1"
OLD = {(0, 0), (0, 1), (1, 0), (1, 1)}  # designated in 2017, followed over time ("fixed")
#: The 2017 areas in 2021: living area and outside labour at or below the milestone (half
#: the baseline gaps 9 m² and 13 pp), low income and non-western unchanged (gaps 15 and 26).
IMPROVED = {**DEPRIVED, "living_area": 40.0, "outside_labour": 15.0}
SUPPRESSED = "no_education"  # no data in 2021 (e.g. suppressed): its milestone is unknown


def _stats_2021() -> pd.DataFrame:
    rows = [
        unit_row(cell(n, e), 2021, 400, IMPROVED if (n, e) in OLD else ORDINARY)
        for n in range(6)
        for e in range(6)
    ]
    frame = pd.DataFrame(rows)
    frame[[f"{SUPPRESSED}_num", f"{SUPPRESSED}_den", SUPPRESSED]] = None
    return frame


@pytest.fixture(scope="module")
def unknown_gap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Path]]:
    """A workspace screened in 2017 whose 2021 gap meets 2 of 5 milestones with 1 unknown."""
    folder = tmp_path_factory.mktemp("gap-unknown")
    stats = pd.concat([grid_stats(OLD, year=2017), _stats_2021()])
    stats.to_csv(folder / "unit_statistics.csv", index=False)
    with Workspace.create(folder / "ws") as ws:
        ws.screening.load_unit_statistics(folder / "unit_statistics.csv")
        ws.screen(2017)
    client = TestClient(open_app(folder / "ws"))
    yield client, folder / "ws"
    client.app.state.web.workspace.close()  # type: ignore[attr-defined]


def _row(html: str, criterion: str) -> str:
    found = re.search(rf'<tr data-criterion="{criterion}">(.*?)</tr>', html, re.S)
    assert found is not None, criterion
    return found[1]


def _text(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def test_engine_gap_is_undecided(unknown_gap: tuple[TestClient, Path]) -> None:
    """The fixture does what it claims: 2 met, 2 not met, 1 unknown of 5 → undecided."""
    with Workspace.open(unknown_gap[1], read_only=True) as ws:
        report = ws.screening.gap(store=False)
    latest = {r.criterion: r for r in report.records if r.year == 2021}
    assert {c: r.milestone_met for c, r in latest.items()} == {
        "living_area": True,
        "outside_labour": True,
        "low_income": False,
        "nonwestern": False,
        "no_education": None,
    }
    assert latest[SUPPRESSED].note == "no_data"
    assert [(s.year, s.criteria_met, s.criteria_total, s.vision_met) for s in report.by_year] == [
        (2017, 0, 5, False),
        (2021, 2, 5, None),
    ]


def test_city_page_shows_unknown_not_no(unknown_gap: tuple[TestClient, Path]) -> None:
    client, _ = unknown_gap
    html = client.get("/city", params={"lang": "da"}).text
    card = re.search(r'data-year="2021" data-vision-met="unknown">(.*?)</tr>', html, re.S)
    assert card is not None
    assert _text(card[1]) == "2021 2 / 5 (ukendte: 1) kan ikke afgøres"
    assert 'data-year="2017" data-vision-met="false"' in html
    missing = _row(html, SUPPRESSED)
    assert re.findall(r'<td class="num[^"]*">([^<]*)</td>', missing) == ["12,0", "6,0", "–", "–"]
    assert '<td class="met" data-met="unknown">ukendt' in missing
    assert "ingen data" in missing and "nej" not in missing
    assert '<td class="num gap">2,0 <small>m²</small></td>' in _row(html, "living_area")
    assert '<td class="met" data-met="false">nej</td>' in _row(html, "low_income")
    english = client.get("/city", params={"lang": "en"}).text
    assert "cannot be decided" in english
    assert '<td class="met" data-met="unknown">unknown' in _row(english, SUPPRESSED)


def test_gap_chart_leaves_unknown_points_out(unknown_gap: tuple[TestClient, Path]) -> None:
    client, _ = unknown_gap
    html = client.get("/city", params={"lang": "en"}).text
    found = re.search(r'id="gap-chart-spec">(.*?)</script>', html, re.S)
    assert found is not None
    spec = json.loads(found[1])
    rows = [row for part in spec["datasets"].values() for row in part]
    panels = [panel for row in spec["vconcat"] for panel in row["hconcat"]]
    assert len(panels) == 5  # one panel per criterion, none empty
    assert all(r["value"] is not None for r in rows)
    education = sorted(
        (r["year"], r["measure"]) for r in rows if r["criterion"] == "Share without education"
    )
    assert education == [("2017", "gap"), ("2017", "milestone"), ("2021", "milestone")]
    assert len(rows) == 5 * 4 - 1  # 5 criteria × 2 years × (gap, milestone), one gap unknown


def test_api_gaps_give_null_and_the_note(unknown_gap: tuple[TestClient, Path]) -> None:
    client, _ = unknown_gap
    payload = client.get(f"{API}/gaps").json()
    record = next(
        r for r in payload["records"] if r["year"] == 2021 and r["criterion"] == SUPPRESSED
    )
    assert (record["gap"], record["milestone_met"], record["note"]) == (None, None, "no_data")
    assert record["milestone"] == 6.0 and record["baseline_gap"] == 12.0
    assert payload["summary"] == {
        "year": 2021,
        "criteria_met": 2,
        "criteria_total": 5,
        "vision_met": None,
    }
    schema = client.get(f"{API}/openapi.json").json()["components"]["schemas"]
    met = schema["GapRecordOut"]["properties"]["milestone_met"]
    assert {"type": "null"} in met["anyOf"] and {"type": "boolean"} in met["anyOf"]
    vision = schema["GapSummaryOut"]["properties"]["vision_met"]
    assert {"type": "null"} in vision["anyOf"] and "undecided" in vision["description"]


def test_gap_download_has_the_note(unknown_gap: tuple[TestClient, Path]) -> None:
    client, _ = unknown_gap
    body = client.get("/download/gap.csv").content.decode("utf-8-sig")
    frame = pd.read_csv(io.StringIO(body), keep_default_na=False)
    latest = frame[frame["year"] == 2021].set_index("criterion")
    assert latest.loc[SUPPRESSED, "note"] == "no_data"
    assert latest.loc[SUPPRESSED, "milestone_met"] == ""  # unknown: empty, not False
    assert latest.loc["living_area", "milestone_met"] == "True"
    assert latest.loc["low_income", "note"] == ""
