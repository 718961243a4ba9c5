"""Reading pools and agreements from an Excel workbook, with sheet, row and column in problems.

One sheet per record type, a heading row and one record per row (Danish names accepted):

- ``pools`` (``puljer``): id, name, total, start_year, end_year, key (residents_of_list,
  fixed_shares or applications), list_year, designation, cofinancing_rate, source, note
- ``agreements`` (``aftaler``): id, name, municipality, start_year, end_year, areas, source,
  note
- ``initiatives`` (``initiativer``): agreement, id, name, pool, areas, cofinancing_source,
  note, and one column per year (``2011``, ``2012``, ...) with the amount applied for

Amounts in thousand kr.; lists (areas) separated by ``;``. Fixed shares, published shares and
other efforts are given in YAML only. The workbook becomes the same structure as a YAML pool
file and is validated by the same models and checks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from boligmonitor.errors import InputError, Problem
from boligmonitor.finance.pools_catalogue import pool_problems
from boligmonitor.finance.pools_model import PoolCatalogue
from boligmonitor.finance.workbook import PlanWorkbook, Sheet, read_sheets

__all__ = ["load_pool_workbook"]

SHEETS = {
    "pools": ("pools", "puljer"),
    "agreements": ("agreements", "aftaler"),
    "initiatives": ("initiatives", "initiativer"),
}
KEY_FIELDS = ("list_year", "designation")


def _split_areas(record: dict[str, Any]) -> None:
    if isinstance(record.get("areas"), str):
        record["areas"] = [a.strip() for a in record["areas"].split(";") if a.strip()]


def _sheet(sheets: dict[str, Sheet], kind: str) -> tuple[str, list[tuple[int, dict[str, Any]]]]:
    sheet = sheets.get(kind, Sheet(kind, []))
    return sheet.title, sheet.records


def _build(book: PlanWorkbook, sheets: dict[str, Sheet]) -> list[Problem]:
    title, pools = _sheet(sheets, "pools")
    book.data["pools"] = []
    for index, (row, record) in enumerate(pools):
        key = {"kind": record.pop("key", None)} | {
            f: record.pop(f) for f in KEY_FIELDS if f in record
        }
        book.data["pools"].append({**record, "key": key})
        book.places[("pools", index)] = (title, row)
    title, agreements = _sheet(sheets, "agreements")
    book.data["agreements"] = []
    by_id: dict[str, int] = {}
    for index, (row, record) in enumerate(agreements):
        _split_areas(record)
        book.data["agreements"].append({**record, "initiatives": []})
        book.places[("agreements", index)] = (title, row)
        by_id.setdefault(str(record.get("id")), index)
    title, initiatives = _sheet(sheets, "initiatives")
    problems = []
    for row, record in initiatives:
        agreement_id = str(record.pop("agreement", ""))
        if agreement_id not in by_id:
            where = f"{book.file} [{title}]"
            problems.append(
                Problem(
                    where,
                    "unknown agreement '{agreement_id}'",
                    row,
                    "agreement",
                    params={"agreement_id": agreement_id},
                )
            )
            continue
        _split_areas(record)
        yearly = {int(k): record.pop(k) for k in list(record) if str(k).isdigit()}
        entries = book.data["agreements"][by_id[agreement_id]]["initiatives"]
        book.places[("agreements", by_id[agreement_id], "initiatives", len(entries))] = (title, row)
        entries.append({**record, "yearly": yearly})
    return problems


def load_pool_workbook(path: Path) -> PoolCatalogue:
    """Read and validate a pool workbook completely.

    Raises
    ------
    InputError
        Every problem, with sheet, row and column.
    """
    book = PlanWorkbook(path)
    problems = _build(book, read_sheets(path, SHEETS))
    if problems:
        raise InputError(problems)
    return book.validated(PoolCatalogue, pool_problems)
