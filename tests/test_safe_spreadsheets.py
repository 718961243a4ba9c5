"""Finding 4: names from the data never become live formulas in .xlsx or CSV files."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from boligmonitor.finance.budget_note import summarise_budget_note
from boligmonitor.finance.catalogue import shipped_catalogue
from boligmonitor.finance.excel import write_budget_note_workbook, write_finance_workbook
from boligmonitor.finance.financing import plan_finance
from boligmonitor.io.export import write_output
from boligmonitor.io.spreadsheet import csv_safe_text
from boligmonitor.screening.export import write_screening
from boligmonitor.screening.method import load_method
from boligmonitor.screening.screen import screen_units
from boligmonitor.web.downloads import table_bytes
from tests.test_screening_fixtures import grid_stats

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]

SHOWN = {t.replace("\r", "\n") for t in HOSTILE}  # XML stores a carriage return as a newline


def _formulas(book: openpyxl.Workbook) -> list[str]:
    return [
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def _texts(book: openpyxl.Workbook) -> set[str]:
    return {
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }


def _hostile_frame() -> pd.DataFrame:
    return pd.DataFrame({"area_name": HOSTILE, "value": range(len(HOSTILE)), "neg": ["-3.5"] * 6})


def test_csv_escaping_follows_the_owasp_rule() -> None:
    assert [csv_safe_text(t) for t in HOSTILE] == ["'" + t for t in HOSTILE]
    assert csv_safe_text("-3.5") == "-3.5" and csv_safe_text("Mjølnerparken") == "Mjølnerparken"
    assert csv_safe_text(-3) == -3


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_every_file_export_writes_names_as_text(tmp_path: Path, suffix: str) -> None:
    frame = _hostile_frame()
    path = write_output(tmp_path / f"out{suffix}", frame.to_dict("records"), frame)
    if suffix == ".xlsx":
        book = openpyxl.load_workbook(path)
        assert _formulas(book) == []
        assert _texts(book) >= SHOWN
    else:
        lines = path.read_bytes().decode("utf-8").split("\r\n")
        assert not any(line.startswith(("=", "+", "-", "@", "\t")) for line in lines)
        read = pd.read_csv(path, dtype=str, keep_default_na=False)
        assert list(read["area_name"]) == ["'" + t for t in HOSTILE]
        assert set(read["neg"]) == {"-3.5"}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_every_download_writes_names_as_text(fmt: str) -> None:
    body = table_bytes(_hostile_frame(), fmt)
    if fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(body))
        assert _formulas(book) == [] and _texts(book) >= SHOWN
    else:
        text = body.decode("utf-8-sig")
        assert "\n=" not in text and "\n+" not in text and "\n@" not in text
        assert "'=HYPERLINK" in text


def test_screening_workbook_writes_unit_names_as_text(tmp_path: Path) -> None:
    stats = grid_stats({(0, 0), (0, 1)}, size=4, year=2021)
    stats["name"] = [HOSTILE[i % len(HOSTILE)] for i in range(len(stats))]
    result = screen_units(stats, 2021, load_method("kk-default"))
    book = openpyxl.load_workbook(write_screening(tmp_path / "s.xlsx", result))
    assert _formulas(book) == []
    assert _texts(book) >= SHOWN


def test_finance_workbooks_keep_their_own_formulas_only(tmp_path: Path) -> None:
    finance = plan_finance(shipped_catalogue(), "mimerskvarter-2022")
    hostile_plan = finance.plan.model_copy(update={"name": HOSTILE[0]})
    finance = replace(finance, plan=hostile_plan)
    book = openpyxl.load_workbook(write_finance_workbook(tmp_path / "f.xlsx", finance))
    formulas = _formulas(book)
    assert formulas and all(f.startswith(("=SUM(", "=")) and "HYPERLINK" not in f for f in formulas)
    assert any(HOSTILE[0] in t for t in _texts(book))
    summary = summarise_budget_note(shipped_catalogue(), "tm021-2026")
    note = write_budget_note_workbook(tmp_path / "b.xlsx", summary)
    assert all("HYPERLINK" not in f for f in _formulas(openpyxl.load_workbook(note)))
