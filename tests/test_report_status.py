"""The status report in HTML and PDF, built once for the module from the published 2021 data."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import yaml
from pypdf import PdfReader

from boligmonitor.data import data_path
from boligmonitor.monitor.goals.catalogue import resolve_catalogue
from boligmonitor.monitor.goals.evaluate import Evaluation, evaluate_catalogue
from boligmonitor.monitor.goals.explain import verdict_label
from boligmonitor.monitor.unit_gap import compute_gap
from boligmonitor.report import Report, ReportInput, build_report
from boligmonitor.report.html import render_html
from boligmonitor.report.pdf import render_pdf, typst_escape, typst_source
from boligmonitor.workspace import Workspace
from tests.test_screening_fixtures import DEPRIVED, ORDINARY, unit_row

GAPS_2021 = [
    "5,8 m²",
    "6,2 procentpoint",
    "9,2 procentpoint",
    "20,8 procentpoint",
    "10,3 procentpoint",
]


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    return evaluate_catalogue(resolve_catalogue("kk-2017-2025"), 2021)


@pytest.fixture(scope="module")
def report() -> Report:
    with Workspace.memory() as ws:
        return build_report(ws.reports.status_input(2021))


@pytest.fixture(scope="module")
def html(report: Report) -> str:
    return render_html(report)


@pytest.fixture(scope="module")
def pdf_text(report: Report) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(render_pdf(report)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), re.sub(r"\s+", " ", text)


def test_html_has_the_five_2021_gaps(html: str) -> None:
    cells = re.findall(r'<td class="num gap-now">([^<]+)</td>', html)
    assert cells == GAPS_2021
    assert "15,08 %" in html and "-10,44 %" in html  # Tabel 2 as printed
    assert "på 0 af 5 kriterier" in html


def test_html_has_tabel_1_levels_by_year(html: str) -> None:
    levels = html[
        html.index('<table class="levels">') : html.index(
            "</table>", html.index('<table class="levels">')
        )
    ]
    assert re.findall(r'<th class="num">(\d{4})</th>', levels) == ["2017", "2018", "2019", "2021"]
    # living area 2017: 35,6 m² in the areas against 41,6 m² in the rest (Tabel 1)
    assert '<td class="num">35,6 m²</td>' in levels and '<td class="num">41,6 m²</td>' in levels
    assert '<td class="num">30,1 %</td>' in levels  # no education 2017, before the data break


def _section(html: str, number: int) -> str:
    start = html.index(f'<article class="goal" id="maal-{number}">')
    return html[start : html.index("</article>", start)]


def test_html_has_each_goals_verdict(html: str, evaluation: Evaluation) -> None:
    for goal in evaluation.goals:
        section = _section(html, goal.number)
        label = verdict_label(goal.verdict)
        assert (
            f'Vurdering: <span class="verdict verdict-{goal.verdict.value}">{label}</span>'
            in section
        )
    assert '<td class="num">34.665</td>' in _section(html, 17)  # private dwellings 2021
    assert "p = 0,79" in _section(html, 5)  # 56 % of 50 against 59 % of 34


def test_html_states_why_it_differs_from_the_published_summary(html: str) -> None:
    for number in (3, 4, 12):
        assert f'id="afvigelse-maal-{number}"' in html
    assert "3,9 år → 3,9 år" in _section(html, 3)
    assert "Databrud i 2021 (ændret metode)" in _section(html, 4)
    assert 'id="afvigelse-maal-2"' not in html


def test_html_is_self_contained_with_inline_svg(html: str, report: Report) -> None:
    assert "<script" not in html and "cdn" not in html.lower()
    assert not re.search(r'(src|href)="https?:', html)
    # the gap chart and one per goal, except goal 15 which has only its baseline
    assert html.count("<svg") == len(report.svgs) == 1 + 17
    assert "goal-15" not in report.svgs
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # element ids stay unique across inlined charts
    HTMLParser().feed(html)


def test_html_has_appendix_with_definitions_and_no_map_without_geometry(html: str) -> None:
    appendix = html[html.index('id="bilag"') :]
    assert "Boligareal for alle beboede boliger" in appendix or "boligareal" in appendix.lower()
    assert "2021-2025" in appendix  # bilag 3 baselines for the new areas
    assert "Der er ingen geometri" in html


def test_pdf_has_pages_and_the_figures_in_danish_format(pdf_text: tuple[int, str]) -> None:
    pages, text = pdf_text
    assert pages >= 10
    for figure in ("5,8 m²", "6,2", "9,2", "20,8", "10,3", "15,08 %", "34.665"):
        assert figure in text, figure
    assert "Fremgang 7 2, 6, 7, 9, 16, 17, 18" in text
    assert "Usikker 9 1, 4, 5, 8, 10, 11, 13, 14, 15" in text


def test_pdf_has_every_goal_and_its_verdict(
    pdf_text: tuple[int, str], evaluation: Evaluation
) -> None:
    _, text = pdf_text
    for goal in evaluation.goals:
        title = resolve_catalogue().goal(goal.number).title_da
        heading = f"Mål {goal.number}: {title}"
        assert heading in text, heading
        after = text[text.index(heading) :]
        assert after.split("Vurdering: ", 1)[1].startswith(verdict_label(goal.verdict))


def test_typst_source_escapes_catalogue_text(report: Report) -> None:
    source = typst_source(report)
    assert "Mål 1: Højere fagligt niveau" in source
    assert typst_escape("a #b [c] $d *e* _f_ <g> @h") == r"a \#b \[c\] \$d \*e\* \_f\_ \<g\> \@h"
    assert typst_escape(None) == ""


@pytest.fixture
def small_catalogue(tmp_path: Path) -> Path:
    data = yaml.safe_load(data_path("goals", "kk-2017-2025.yaml").read_text(encoding="utf-8"))
    data["goals"] = [g for g in data["goals"] if g["number"] in (5, 17)]
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_map_drawn_when_geometry_exists(small_catalogue: Path) -> None:
    square = "[[0, 0], [500, 0], [500, 500], [0, 500], [0, 0]]"
    features = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [yaml.safe_load(square)]},
                "properties": {"unit_id": "A", "designated": True},
            },
            {
                "type": "Feature",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[500, 0], [1000, 0], [1000, 500], [500, 500], [500, 0]]],
                },
                "properties": {"unit_id": "B", "designated": False},
            },
        ],
    }
    evaluation = evaluate_catalogue(resolve_catalogue(small_catalogue), 2021)
    built = build_report(ReportInput(evaluation, geometry=features))
    assert "map" in built.svgs
    html = render_html(built)
    assert "Der er ingen geometri" not in html and "Screeningsenheder" in html
    assert "Der er ingen efterslæbsberegning" in html
    assert 'image("chart' in typst_source(built)


def test_cli_writes_the_report_atomically(tmp_path: Path, small_catalogue: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "status.html"
    args = (
        "report",
        "status",
        "--year",
        "2021",
        "--catalogue",
        small_catalogue,
        "--source",
        "published",
    )
    result = run_cli(*args, "--format", "html", "--out", out)
    assert result.code == 0, result.err
    html = out.read_text(encoding="utf-8")
    assert "20,8 procentpoint" in html and 'id="maal-17"' in html
    bad = run_cli(*args, "--format", "docx", "--out", tmp_path / "status.docx")
    assert bad.code == 2 and "ukendt format" in bad.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["small.yaml", "status.html"]


def _cells(html: str, css: str) -> list[str]:
    return re.findall(rf'<td class="num{css}">([^<]*)</td>', html)


def test_milestones_are_computed_and_said_to_be(html: str, pdf_text: tuple[int, str]) -> None:
    gap = html[
        html.index('<table class="gap">') : html.index("</table>", html.index('class="gap"'))
    ]
    milestones = re.findall(r'<td class="num">([^<]*)</td><td class="num gap-now">', gap)
    # half the published 2017 gap, one decimal rounded half up, as the gap command shows it
    assert milestones == [
        "3,4 m²",
        "4,2 procentpoint",
        "4,2 procentpoint",
        "11,9 procentpoint",
        "5,9 procentpoint",
    ]
    # Tabel 2's own (printed) milestones beside them: 5,8 for uden uddannelse
    assert _cells(gap, " published-milestone")[-1] == "5,8 procentpoint"
    note = html[html.index('id="milepael-note"') :]
    note = note[: note.index("</p>")]
    assert "halvdelen af efterslæbet i basisåret" in note
    assert (
        "Andel uden uddannelse 5,85" in note and "Gennemsnitligt boligareal pr. beboer 3,4" in note
    )
    assert "Tallene er de offentliggjorte" not in html  # the milestones are not published ones
    assert "milepæle og udvikling er genberegnet" in html
    _, text = pdf_text
    assert "5,85" in text and "11,85" in text


def test_report_says_when_the_vision_cannot_be_decided(evaluation: Evaluation) -> None:
    rows = []
    for year, values in ((2017, DEPRIVED), (2021, {**DEPRIVED, "outside_labour": 16.0})):
        rows += [unit_row("A", year, 1000, values), unit_row("R", year, 1000, ORDINARY)]
    units = pd.DataFrame(rows)
    for criterion in ("living_area", "low_income", "nonwestern"):
        units.loc[units["year"] == 2021, [f"{criterion}_num", f"{criterion}_den"]] = float("nan")
    gap = compute_gap(units, {2017: {"A"}}, baseline_year=2017)
    built = build_report(ReportInput(evaluation, gap=gap))
    section = built.context["gap"]
    assert "på 1 af 5 kriterier (3 er ukendte)" in section["sentence"]
    assert section["sentence"].endswith("visionen om halvt så udsatte byområder kan ikke afgøres.")
    living = section["rows"][0]
    assert (living["gap"], living["progress"], living["milestone_met"]) == ("–", "–", "Ukendt")
    assert living["milestone"] == "4,5 m²"  # (42 − 33) / 2: the baseline is known
    assert len(section["notes"]) == 3
    html = render_html(built)
    assert "kan ikke afgøres" in html and "er diskretioneret" in html


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ("--year", "2020"),
            "2020 er ikke et statusår i kataloget; statusår: 2019, 2021",
        ),
        (("--year", "2021", "--format", "html", "--out", "r.pdf"), "--format html skrives til"),
        (
            ("--year", "2021", "--format", "pdf", "--out", "r.html"),
            "--format pdf skrives til .pdf",
        ),
    ],
)
def test_cli_rejects_other_years_and_mismatched_suffixes(
    extra: tuple[str, ...], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    result = run_cli("report", "status", "--source", "published", *extra)
    assert result.code == 2
    assert message in result.err.replace("\n", " ")
    assert list(tmp_path.iterdir()) == []  # nothing written, not even the default file
