"""Downloads open in a Danish Excel: ``;``, decimal comma, Danish headings, BOM, real numbers."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from boligmonitor.io.danish import excel_csv, heading, xlsx_bytes
from boligmonitor.io.tables import read_raw_table
from boligmonitor.workspace import Workspace


def _danish_number(text: str) -> float:
    """A number as a Danish Excel reads it (decimal comma, no thousands mark written)."""
    return float(text.replace(",", "."))


def test_excel_csv_round_trips_through_the_product_reader(
    web_client: Any, web_engine: Workspace, tmp_path: Path
) -> None:
    response = web_client.get(
        "/download/overview.csv", params={"year": 2021, "dialect": "excel", "lang": "da"}
    )
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    assert "excel" in response.headers["content-disposition"]
    path = tmp_path / "omraader.csv"
    path.write_bytes(response.content)
    table = read_raw_table(path).frame
    assert table.columns[:4].tolist() == ["Område-id", "Områdenavn", "Kommune", "År"]
    assert "Uden for arbejde og uddannelse – værdi" in table.columns
    assert "Uden for arbejde og uddannelse (forebyggelse) – grænse" in table.columns
    expected = {r.area_id: r for r in web_engine.designate(2021, ["dk-2021"], store=False)}
    assert set(table["Område-id"]) == set(expected)
    for row in table.to_dict("records"):
        result = expected[row["Område-id"]]
        if result.residents is not None:
            assert int(row["Beboere"]) == result.residents
        labour = result.criteria["labour"]
        if labour.value is not None:
            shown = _danish_number(row["Uden for arbejde og uddannelse – værdi"])
            assert shown == pytest.approx(labour.value, abs=1e-9)
            assert row["Uden for arbejde og uddannelse – opfyldt"] == (
                "ja" if labour.met else "nej"
            )
    # the same bytes as Danish Excel parses them: ';' and decimal comma give numbers
    excel = pd.read_csv(io.BytesIO(response.content), sep=";", decimal=",", encoding="utf-8-sig")
    assert pd.api.types.is_float_dtype(excel["Uden for arbejde og uddannelse – værdi"])
    assert excel.shape[1] == table.shape[1]


def test_machine_csv_keeps_names_and_points(web_client: Any) -> None:
    response = web_client.get("/download/overview.csv", params={"year": 2021})
    frame = pd.read_csv(io.StringIO(response.content.decode("utf-8-sig")))
    assert frame.columns[:3].tolist() == ["area_id", "area_name", "municipality"]
    assert pd.api.types.is_float_dtype(frame["labour_value"])


def test_excel_csv_english_headings_and_formula_guard() -> None:
    frame = pd.DataFrame(
        {"area_name": ["=HYPERLINK(1)", "Æblehaven"], "residents": [1200, None], "x": [0.7, 1.5]}
    )
    frame["residents"] = frame["residents"].astype("Int64")
    text = excel_csv(frame, "en").decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == "Area name;Residents;x"
    assert lines[1] == "'=HYPERLINK(1);1200;0,7"
    assert lines[2] == "Æblehaven;;1,5"
    assert heading("crime_forebyggelse_threshold", "da") == "Dømte (forebyggelse) – grænse"


def test_xlsx_has_danish_headings_numbers_formats_and_frozen_header() -> None:
    frame = pd.DataFrame(
        {
            "area_name": ["A", "B"],
            "residents": pd.array([1000, 2500], dtype="Int64"),
            "share": ["1/3", "2/3"],
            "amount": ["320000.00000", "180000.00000"],
            "labour_value": [0.7000000000000002, 41.25],
            "labour_met": pd.array([True, False], dtype="boolean"),
        }
    )
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame, "da")))
    sheet = book.active
    assert [c.value for c in sheet[1]] == [
        "Områdenavn",
        "Beboere",
        "Andel",
        "Beløb (kr.)",
        "Uden for arbejde og uddannelse – værdi",
        "Uden for arbejde og uddannelse – opfyldt",
    ]
    assert sheet.freeze_panes == "A2"
    assert sheet["B2"].value == 1000 and sheet["B2"].number_format == "#,##0"
    assert sheet["C2"].value == pytest.approx(1 / 3)
    assert sheet["D2"].value + sheet["D3"].value == 500000  # amounts are numbers: SUM works
    assert sheet["E2"].number_format == "#,##0.0##"  # 0,7 on screen, not 0.7000000000000002
    assert sheet["F2"].value == "ja"
    assert sheet.column_dimensions["E"].width >= len("Uden for arbejde og uddannelse – værdi")


def test_plan_finance_workbook_sums(web_client: Any) -> None:
    response = web_client.get(
        "/download/plan_finance.xlsx", params={"plan_id": "mimerskvarter-2022", "lang": "da"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    headings = [c.value for c in sheet[1]]
    amount = headings.index("Beløb (kr.)") + 1
    values = [sheet.cell(row=r, column=amount).value for r in range(2, sheet.max_row + 1)]
    assert all(isinstance(v, (int, float)) for v in values)
    assert sum(values[:-1]) == pytest.approx(values[-1])  # the payers add up to the total row


def test_result_files_store_numbers_as_numbers(tmp_path: Path) -> None:
    from boligmonitor.io.export import write_output

    frame = pd.DataFrame(
        {"payer": ["=A1", "VIBO"], "amount": ["320000.00000", "180000.00000"], "x": [0.7, 1.25]}
    )
    path = write_output(tmp_path / "plan_finance.xlsx", None, frame)
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A2"].data_type == "s"  # formula-like text stays text
    assert sheet["B2"].value + sheet["B3"].value == 500000
    assert sheet["C2"].number_format == "#,##0.0##" and sheet.freeze_panes == "A2"
