"""Workbooks read back with openpyxl, and the shares in the CLI finance table."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl

from boligmonitor.finance.budget_note import summarise_budget_note
from boligmonitor.finance.catalogue import shipped_catalogue
from boligmonitor.finance.excel import (
    SHARE_FORMAT,
    THOUSANDS_FORMAT,
    YEAR_FORMAT,
    write_budget_note_workbook,
    write_finance_workbook,
)
from boligmonitor.finance.financing import Rounding, plan_finance

PLAN = "mimerskvarter-2022"


def _finance_sheet(tmp_path: Path, rounding: Rounding = "largest-remainder") -> Any:
    path = write_finance_workbook(
        tmp_path / "finance.xlsx", plan_finance(shipped_catalogue(), PLAN, rounding)
    )
    return openpyxl.load_workbook(path)


def _rows(sheet: Any) -> dict[str, Any]:
    return {row[0].value: row for row in sheet.iter_rows(min_row=5) if row[0].value}


def test_years_are_plain_integers_and_the_period_is_a_danish_date(tmp_path: Path) -> None:
    book = _finance_sheet(tmp_path)
    sheet = book["Finansiering"]
    assert sheet["A2"].value == "1. marts 2022 – 31. december 2024"
    heading = [c.value for c in sheet[4]]
    assert heading == [
        "Betaler",
        "Lejemål",
        "Andel",
        2022,
        2023,
        2024,
        "I alt",
        "Andel af boligsiden",
    ]
    for cell in sheet[4][3:6]:
        assert isinstance(cell.value, int) and cell.number_format == YEAR_FORMAT == "0"
    exact = book["Præcise beløb"]
    assert [c.value for c in exact[3]] == ["Betaler", 2022, 2023, 2024, "I alt"]
    assert all(c.number_format == YEAR_FORMAT for c in exact[3][1:4])
    # Landsbyggefonden's exact years (øre, as thousand kr.) add up to the budget by year.
    assert [c.value for c in exact[4][1:5]] == [882.35294, 1058.82353, 1058.82353, 3000.0]


def test_andel_is_the_share_of_the_total_and_adds_up_to_100_percent(tmp_path: Path) -> None:
    rows = _rows(_finance_sheet(tmp_path)["Finansiering"])
    shares = {p: rows[p][2].value for p in ("Landsbyggefonden", "Københavns Kommune")}
    assert shares == {"Landsbyggefonden": 0.75, "Københavns Kommune": 0.125}
    # VIBO 320.13, AAB 145.91, 3B 33.96 of 4 000: 8.003 %, 3.648 %, 0.849 %; shown with one
    # decimal by the largest-remainder rule (8.0, 3.6, 0.9), so the shown shares add up.
    assert [rows[p][2].value for p in ("VIBO", "AAB", "3B")] == [0.08, 0.036, 0.009]
    payers = ("Landsbyggefonden", "Københavns Kommune", "VIBO", "AAB", "3B")
    assert sum(round(rows[p][2].value * 1000) for p in payers) == 1000
    assert rows["I alt"][2].value == "=SUM(C5:C9)"
    assert rows["Boligsidens andel i alt"][2].value == "=SUM(C7:C9)"
    assert all(rows[p][2].number_format == SHARE_FORMAT for p in rows)
    # The housing side's split, labelled, in its own column: 509 / 232 / 54 of 795 leases.
    assert rows["Landsbyggefonden"][7].value is None
    assert [rows[p][7].value for p in ("VIBO", "AAB", "3B")] == [0.64, 0.292, 0.068]
    assert rows["Boligsidens andel i alt"][7].value == "=SUM(H7:H9)"
    assert rows["VIBO"][3].number_format == THOUSANDS_FORMAT


def test_whole_percent_housing_shares(tmp_path: Path) -> None:
    rows = _rows(_finance_sheet(tmp_path, "whole-percent")["Finansiering"])
    assert [rows[p][7].value for p in ("VIBO", "AAB", "3B")] == [0.64, 0.29, 0.07]
    assert [rows[p][2].value for p in ("VIBO", "AAB", "3B")] == [0.08, 0.036, 0.009]


def test_budget_note_years_are_plain_integers(tmp_path: Path) -> None:
    summary = summarise_budget_note(shipped_catalogue(), "tm021-2026")
    sheet = openpyxl.load_workbook(write_budget_note_workbook(tmp_path / "n.xlsx", summary))[
        "Udgifter"
    ]
    years = sheet[3][4:8]
    assert [c.value for c in years] == [2026, 2027, 2028, 2029]
    assert all(c.number_format == YEAR_FORMAT for c in years)


def test_cli_finance_shows_share_of_total_and_of_the_housing_side(
    run_cli: Callable[..., Any],
) -> None:
    result = run_cli("plan", "finance", PLAN)
    assert result.code == 0
    lines = {line.split("│")[1].strip(): line for line in result.out.splitlines() if "│" in line}
    assert "75,0 %" in lines["Landsbyggefonden"] and "12,5 %" in lines["Københavns Kommune"]
    assert "8,0 %" in lines["VIBO"] and "64,0 %" in lines["VIBO"]
    assert "0,9 %" in lines["3B"] and "6,8 %" in lines["3B"]
    assert lines["I alt"].count("100,0 %") == 2
    assert "Andel af boligsiden" in result.out
    english = run_cli("plan", "finance", PLAN, "--lang", "en")
    assert "Share of housing side" in english.out


def _cells(sheet: Any) -> list[tuple[object, ...]]:
    return [row for row in sheet.iter_rows(values_only=True) if any(v is not None for v in row)]


def test_finance_workbook_in_english_has_the_danish_layout(tmp_path: Path) -> None:
    finance = plan_finance(shipped_catalogue(), PLAN, "largest-remainder")
    danish = openpyxl.load_workbook(write_finance_workbook(tmp_path / "da.xlsx", finance))
    english = openpyxl.load_workbook(write_finance_workbook(tmp_path / "en.xlsx", finance, "en"))
    assert danish.sheetnames == ["Finansiering", "Budget", "Præcise beløb"]
    assert english.sheetnames == ["Financing", "Budget", "Exact amounts"]
    name = finance.plan.name
    assert danish["Finansiering"]["A1"].value == f"Finansiering (i 1.000 kr.) – {name}"
    sheet = english["Financing"]
    assert sheet["A1"].value == f"Financing (thousand DKK) – {name}"
    assert sheet["A2"].value == "1 March 2022 – 31 December 2024"
    assert [c.value for c in sheet[4]] == [
        "Payer", "Leases", "Share", 2022, 2023, 2024, "Total", "Share of housing side",
    ]  # fmt: skip
    rows = _rows(sheet)
    assert rows["Total"][2].value == "=SUM(C5:C9)"
    assert rows["Housing side's share in total"][7].value == "=SUM(H7:H9)"
    assert english["Budget"]["A3"].value == "Budget line"
    assert english["Budget"]["A13"].value == "Total"
    assert english["Exact amounts"]["A1"].value == "Exact amounts (thousand DKK, computed in øre)"
    # Only the words differ: every number, formula and format is where the Danish one has it.
    for da_sheet, en_sheet in zip(danish, english, strict=True):
        da_cells, en_cells = _cells(da_sheet), _cells(en_sheet)
        assert len(da_cells) == len(en_cells)
        for da_row, en_row in zip(da_cells, en_cells, strict=True):
            numbers = [(i, v) for i, v in enumerate(da_row) if not isinstance(v, str)]
            assert numbers == [(i, v) for i, v in enumerate(en_row) if not isinstance(v, str)]
            formulas = [v for v in da_row if isinstance(v, str) and v.startswith("=")]
            assert formulas == [v for v in en_row if isinstance(v, str) and v.startswith("=")]


def test_budget_note_workbook_in_danish_and_english(tmp_path: Path) -> None:
    summary = summarise_budget_note(shipped_catalogue(), "tm021-2026")
    danish = openpyxl.load_workbook(write_budget_note_workbook(tmp_path / "da.xlsx", summary))
    english = openpyxl.load_workbook(
        write_budget_note_workbook(tmp_path / "en.xlsx", summary, "en")
    )
    assert danish.sheetnames == ["Udgifter"] and english.sheetnames == ["Expenses"]
    da, en = danish["Udgifter"], english["Expenses"]
    assert [c.value for c in da[3]][:4] == ["1.000 kr. – 2026 p/l", "Udvalg", "Bevilling", "I/U"]
    assert [c.value for c in en[3]][:4] == [
        "thousand DKK – 2026 p/l", "Committee", "Appropriation", "R/E",
    ]  # fmt: skip
    assert da["I3"].value == "I alt" and en["I3"].value == "Total"
    column_a = {"da": [r[0] for r in _cells(da)], "en": [r[0] for r in _cells(en)]}
    assert column_a["da"][2:4] == ["Anlægsudgifter", summary.note.lines[0].label]
    assert [column_a["da"][i] for i in (4, 7, 8)] == [
        "Anlægsudgifter i alt",
        "Serviceudgifter i alt",
        "Udgifter i alt",
    ]
    assert [column_a["en"][i] for i in (4, 7, 8)] == [
        "Capital expenses in total",
        "Operating expenses in total",
        "Expenses in total",
    ]
    assert column_a["da"][9] == "Bemærkninger" and column_a["en"][9] == "Notes"
    assert column_a["da"][10].startswith("Risikomargin 5 % er medregnet i: Udbetaling")
    assert column_a["en"][10].startswith("Risk margin 5 % is included in: Udbetaling")
    assert column_a["da"][11].startswith("Uoverensstemmelse i kilden: 'Serviceudgifter i alt'")
    assert column_a["en"][11].startswith("Inconsistency in the source: 'Serviceudgifter i alt'")
    assert "12,544" in column_a["en"][11] and "12.544" in column_a["da"][11]
    assert (da["D5"].value, en["D5"].value) == ("U", "E")
    assert da["I10"].value == en["I10"].value == "=I6+I9"


def test_cli_writes_the_workbooks_in_the_chosen_language(
    run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    for lang, sheet, wrote in (("da", "Finansiering", "Skrev"), ("en", "Financing", "Wrote")):
        out = tmp_path / f"finance-{lang}.xlsx"
        result = run_cli("plan", "finance", PLAN, "--out", out, "--lang", lang)
        assert result.code == 0, result.err
        assert openpyxl.load_workbook(out).sheetnames[0] == sheet
        assert wrote in result.err
    english = run_cli("plan", "budget", "tm021-2026", "--out", tmp_path / "b.xlsx", "--lang", "en")
    assert english.code == 0, english.err
    assert openpyxl.load_workbook(tmp_path / "b.xlsx").sheetnames == ["Expenses"]
    assert "Capital expenses in total" in english.out and "Anlæg" not in english.out
    danish = run_cli("plan", "budget", "tm021-2026")
    assert "Anlægsudgifter i alt" in danish.out and "Serviceudgifter i alt" in danish.out
