"""``boligmonitor plan ...``: tables, JSON/CSV/Excel outputs, loading into a workspace."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd

from boligmonitor import Workspace
from boligmonitor.data import data_path
from boligmonitor.finance.excel import THOUSANDS_FORMAT

PLAN = "mimerskvarter-2022"


def test_plan_list_works_out_of_the_box(run_cli: Callable[..., Any]) -> None:
    result = run_cli("plan", "list")
    assert result.code == 0
    for plan_id in ("norrebrobyggerne", PLAN, "norrebro-2026", "amager-2026"):
        assert plan_id in result.out
    assert "4.000" in result.out and "795" in result.out
    assert "1. marts 2022" in result.out


def test_plan_show(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    result = run_cli("plan", "show", PLAN, "--out", out)
    assert result.code == 0
    assert "Bogtrykkergården" in result.out and "Heimdalsgade" in result.out
    assert "2.957" in result.out and "Udvidelse af: norrebrobyggerne" in result.out
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["id"] == PLAN and len(record["departments"]) == 6


def test_finance_json_shape_and_values(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    out = tmp_path / "finance.json"
    result = run_cli("plan", "finance", PLAN, "--rounding", "whole-percent", "--out", out)
    assert result.code == 0
    assert "64,0 %" in result.out
    record = json.loads(out.read_text(encoding="utf-8"))
    assert {"plan", "total", "payers", "by_year"} <= set(record)
    assert record["plan"] == PLAN and record["total"] == "4000"
    first = record["payers"][0]
    assert {"payer", "kind", "share", "amount"} <= set(first)
    assert [(p["payer"], p["kind"], p["amount"]) for p in record["payers"]] == [
        ("Landsbyggefonden", "landsbyggefonden", "3000"),
        ("Københavns Kommune", "kommune", "500"),
        ("VIBO", "boligorganisation", "320"),
        ("AAB", "boligorganisation", "145"),
        ("3B", "boligorganisation", "35"),
    ]
    for year in record["by_year"]:
        assert sum(int(p["amount"]) for p in year["payers"]) == int(year["total"])
    assert sum(int(y["total"]) for y in record["by_year"]) == 4000


def test_finance_csv(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    out = tmp_path / "finance.csv"
    assert run_cli("plan", "finance", PLAN, "--out", out).code == 0
    frame = pd.read_csv(out, dtype=str)
    assert list(frame["payer"]) == [
        "Landsbyggefonden",
        "Københavns Kommune",
        "VIBO",
        "AAB",
        "3B",
        "I alt",
    ]
    assert list(frame["amount"]) == ["3000", "500", "320", "146", "34", "4000"]
    assert list(frame["2022"]) == ["882", "147", "94", "43", "10", "1176"]


def test_finance_workbook_totals_are_formulas(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    out = tmp_path / "finance.xlsx"
    assert run_cli("plan", "finance", PLAN, "--out", out).code == 0
    sheet = openpyxl.load_workbook(out)["Finansiering"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=5) if row[0].value}
    assert rows["VIBO"][6].value == "=SUM(D7:F7)"
    assert rows["Boligsidens andel i alt"][3].value == "=SUM(D7:D9)"
    assert rows["I alt"][6].value == "=SUM(G5:G9)"
    assert rows["VIBO"][3].number_format == THOUSANDS_FORMAT == "#,##0"
    payers = ["Landsbyggefonden", "Københavns Kommune", "VIBO", "AAB", "3B"]
    # What the formulas will show: every year column adds up, the grand total is 4 000.
    assert [sum(rows[p][c].value for p in payers) for c in (3, 4, 5)] == [1176, 1412, 1412]
    assert sum(rows[p][c].value for p in ("VIBO", "AAB", "3B") for c in (3, 4, 5)) == 500
    budget = openpyxl.load_workbook(out)["Budget"]
    assert [r[1].value for r in budget.iter_rows() if r[0].value == "I alt"] == ["=SUM(B4:B12)"]


def test_budget_note_workbook_recomputes_totals(
    run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    out = tmp_path / "note.xlsx"
    result = run_cli("plan", "budget", "tm021-2026", "--out", out)
    assert result.code == 0
    assert "12.544" in result.out and "3.754" in result.out
    assert "Serviceudgifter i alt" in result.err and "5.144" in result.err
    sheet = openpyxl.load_workbook(out)["Udgifter"]
    rows = {row[0].value: row for row in sheet.iter_rows() if row[0].value}
    assert rows["Serviceudgifter i alt"][4].value == "=SUM(E8:E8)"
    assert rows["Udgifter i alt"][8].value == "=I6+I9"
    numbers = [
        c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, int | float)
    ]
    assert 2282 not in numbers and 3734 not in numbers  # no copied totals
    line = next(row for label, row in rows.items() if label.startswith("Understøttelse"))
    assert [c.value for c in line[4:8]] == [182, 1654, 1654, 1654]
    assert line[8].value == "=SUM(E8:H8)"
    assert line[4].number_format == "#,##0"


def test_budget_note_json(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    out = tmp_path / "note.json"
    assert run_cli("plan", "budget", "tm021-2026", "--out", out, "--lang", "en").code == 0
    record = json.loads(out.read_text(encoding="utf-8"))
    totals = {t["budget_type"]: t for t in record["totals"]}
    assert totals["anlæg"]["total"] == "7400" and totals["service"]["total"] == "5144"
    assert totals[None]["total"] == "12544"
    assert totals["service"]["amounts"] == {
        "2026": "182",
        "2027": "1654",
        "2028": "1654",
        "2029": "1654",
    }
    labels = [i["label"] for i in record["inconsistencies"]]
    assert labels == ["Serviceudgifter i alt", "Udgifter i alt"]


def test_frame(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    out = tmp_path / "frame.json"
    result = run_cli("plan", "frame", "--out", out)
    assert result.code == 0 and "140.000" in result.out
    records = {r["year"]: r for r in json.loads(out.read_text(encoding="utf-8"))}
    assert records[2022]["used"] == "882.35294" and records[2022]["exceeded"] is False


def test_load_plans_into_a_workspace(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    source = data_path("plans", "copenhagen.yaml").read_text(encoding="utf-8")
    own = tmp_path / "mine.yaml"
    own.write_text(source.replace("id: mimerskvarter-2022", "id: mimers"), encoding="utf-8")
    folder = tmp_path / "ws"
    assert run_cli("plan", "load", own, "--workspace", folder).code == 0
    result = run_cli("plan", "list", "--workspace", folder)
    assert "mimers " in result.out and PLAN not in result.out
    with Workspace.open(folder, read_only=True) as ws:
        assert ws.plans.finance("mimers").shown_payers()["3B"] == 34
        assert list(ws.runs()["kind"]) == ["load_plans"]


def test_plan_show_names_focus_areas_in_danish(run_cli: Callable[..., Any]) -> None:
    result = run_cli("plan", "show", "mimerskvarter-2022")
    assert result.code == 0
    assert "Sammenhængskraft og medborgerskab" in result.out
    assert "sammenhaengskraft" not in result.out


def test_plan_tables_speak_the_chosen_language(run_cli: Callable[..., Any]) -> None:
    danish = run_cli("plan", "finance", PLAN)
    english = run_cli("plan", "finance", PLAN, "--lang", "en")
    assert danish.code == english.code == 0
    assert "Betaler" in danish.out and "I alt" in danish.out
    assert "Payer" in english.out and "Total" in english.out
    assert "Betaler" not in english.out and "I alt" not in english.out
    shown = run_cli("plan", "show", PLAN, "--lang", "en")
    assert "Extension of: norrebrobyggerne" in shown.out and "Streets" in shown.out
    frame = run_cli("plan", "frame", "--lang", "en")
    assert "Remaining" in frame.out and "Tilbage" not in frame.out
