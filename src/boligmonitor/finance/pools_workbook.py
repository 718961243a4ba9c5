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

from pydantic import ValidationError

from boligmonitor.errors import InputError, Problem
from boligmonitor.finance.pools_catalogue import pool_problems
from boligmonitor.finance.pools_model import PoolCatalogue
from boligmonitor.finance.workbook import PlanWorkbook, _records
from boligmonitor.schema.yamlfile import is_tag

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


def _read(path: Path) -> dict[str, tuple[str, list[tuple[int, dict[str, Any]]]]]:
    from openpyxl import load_workbook  # imported here: only workbook inputs need it

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on broken files
        raise InputError.single(path, "cannot read workbook: {exc}", exc=exc) from exc
    sheets = {}
    problems = []
    for sheet in workbook.worksheets:
        kind = next((k for k, names in SHEETS.items() if sheet.title.lower() in names), None)
        if kind is None:
            known = ", ".join(n for names in SHEETS.values() for n in names)
            problems.append(
                Problem(
                    str(path),
                    "unknown sheet '{title}'; use {known}",
                    params={"title": sheet.title, "known": known},
                )
            )
            continue
        sheets[kind] = (sheet.title, list(_records(sheet.iter_rows(values_only=True))))
    workbook.close()
    if problems:
        raise InputError(problems)
    return sheets


def _build(book: PlanWorkbook, sheets: dict[str, Any]) -> list[Problem]:
    title, pools = sheets.get("pools", ("pools", []))
    book.data["pools"] = []
    for index, (row, record) in enumerate(pools):
        key = {"kind": record.pop("key", None)} | {
            f: record.pop(f) for f in KEY_FIELDS if f in record
        }
        book.data["pools"].append({**record, "key": key})
        book.places[("pools", index)] = (title, row)
    title, agreements = sheets.get("agreements", ("agreements", []))
    book.data["agreements"] = []
    by_id: dict[str, int] = {}
    for index, (row, record) in enumerate(agreements):
        _split_areas(record)
        book.data["agreements"].append({**record, "initiatives": []})
        book.places[("agreements", index)] = (title, row)
        by_id.setdefault(str(record.get("id")), index)
    title, initiatives = sheets.get("initiatives", ("initiatives", []))
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
    problems = _build(book, _read(path))
    if problems:
        raise InputError(problems)
    try:
        catalogue = PoolCatalogue.model_validate(book.data)
    except ValidationError as exc:
        raise InputError(
            book.problem(tuple(p for p in e["loc"] if not is_tag(p)), e["msg"])
            for e in exc.errors()
        ) from exc
    findings = pool_problems(catalogue)
    if findings:
        raise InputError(book.problem(loc, message) for loc, message in findings)
    return catalogue
