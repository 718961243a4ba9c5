"""Tables for people: Danish Excel CSV and formatted workbooks with Danish headings.

Two CSV dialects are offered for every table:

- **Excel (dansk)**: ``;`` between fields, decimal comma, Danish headings, ``ja``/``nej``, UTF-8
  with a byte-order mark and CRLF line ends; a Danish Excel opens it straight into columns
  with real numbers, and :func:`boligmonitor.io.tables.read_raw_table` reads it back.
- **machine**: ``,``, decimal point, the stable snake_case column names, ``true``/``false``
  (:func:`boligmonitor.io.spreadsheet.csv_text`).

Workbooks get Danish headings, numbers stored as numbers (also amounts a table carries as
exact decimal text), a number format per column, column widths and a frozen header row. Both
go through :mod:`boligmonitor.io.spreadsheet`, so no text from the data becomes a formula.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

from boligmonitor.i18n import N_, Language, translate
from boligmonitor.io.spreadsheet import (
    csv_safe,
    number_format,
    numeric_columns,
    put,
)

__all__ = ["excel_csv", "heading", "xlsx_bytes"]

#: Headings of the columns tables share (msgids of the catalogue).
_HEADINGS: dict[str, str] = {
    "area_id": N_("Area id"),
    "area_name": N_("Area name"),
    "municipality": N_("Municipality"),
    "year": N_("Year"),
    "rule_set": N_("Rule set"),
    "rule_set_version": N_("Rule set version"),
    "residents": N_("Residents"),
    "designations": N_("Designations"),
    "designations_unknown": N_("Designations unknown"),
    "below_population_minimum": N_("Below the population minimum"),
    "designations_if_population_met": N_("Designations with enough residents"),
    "payer": N_("Payer"),
    "kind": N_("Kind"),
    "leases": N_("Leases"),
    "share": N_("Share"),
    "group_share": N_("Share of group"),
    "amount": N_("Amount (DKK)"),
    "amount_exact": N_("Amount, exact (DKK)"),
    "criterion": N_("Criterion"),
    "baseline_year": N_("Baseline year"),
    "baseline_gap": N_("Gap in baseline year"),
    "milestone": N_("Milestone"),
    "gap": N_("Gap"),
    "progress_pct": N_("Progress (%)"),
    "milestone_met": N_("Milestone met"),
    "unit": N_("Unit"),
    "designated": N_("Designated areas"),
    "rest": N_("Rest of the city"),
    "note": N_("Note"),
    "unit_id": N_("Unit id"),
    "name": N_("Name"),
    "status": N_("Status"),
    "round_year": N_("Round"),
    "department": N_("Department"),
    "source": N_("Source"),
    "goal": N_("Goal"),
    "indicator": N_("Indicator"),
    "verdict": N_("Verdict"),
    "value": N_("Value"),
    "city": N_("Copenhagen"),
    "target": N_("Target"),
}
_FIELDS: dict[str, str] = {
    "value": N_("value"),
    "threshold": N_("threshold"),
    "comparison": N_("comparison"),
    "met": N_("criterion met"),
    "margin": N_("margin"),
    "flip_persons": N_("persons to change status"),
}


def _criterion_label(criterion: str, lang: Language) -> str | None:
    """The short label of a criterion: that of the catalogue indicator with its id."""
    from boligmonitor.schema.indicators import statutory_indicators

    entry = statutory_indicators().by_id().get(criterion)
    return None if entry is None else entry.short(lang)


def heading(column: str, lang: Language) -> str:
    """The heading of a column in ``lang`` (``labour_threshold``: "Uden for arbejde og
    uddannelse – grænse"); a column nobody named keeps its name."""
    if column in _HEADINGS:
        return translate(_HEADINGS[column], lang)
    for field, field_msgid in _FIELDS.items():
        if column.endswith("_" + field):
            criterion = column[: -len(field) - 1]
            base, prevention = (
                criterion.removesuffix("_forebyggelse"),
                criterion.endswith("_forebyggelse"),
            )
            label = _criterion_label(base, lang)
            if label is not None:
                if prevention:
                    label += " (" + translate("prevention", lang) + ")"
                return f"{label} – {translate(field_msgid, lang)}"
    return column


def _cell_text(value: object, lang: Language) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return translate("yes", lang) if value else translate("no", lang)
    if isinstance(value, float):
        text = repr(round(value, 10)).removesuffix(".0")
        return text.replace(".", ",")
    return value


def excel_csv(frame: pd.DataFrame, lang: Language = "da") -> bytes:
    """``frame`` as CSV for a Danish Excel: ``;``, decimal comma, headings in ``lang``,
    ``ja``/``nej``, UTF-8 with BOM, CRLF."""
    shown = numeric_columns(frame).astype(object)
    shown = shown.apply(lambda column: column.map(lambda v: _cell_text(v, lang)))
    shown.columns = [heading(str(c), lang) for c in frame.columns]
    text = csv_safe(shown).to_csv(index=False, sep=";", lineterminator="\r\n")
    return str(text).encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, lang: Language = "da", sheet: str = "Boligmonitor") -> bytes:
    """``frame`` as a workbook: headings in ``lang``, numbers as numbers with a format, widths,
    the header row frozen and filtered."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    data = numeric_columns(frame)
    book = Workbook()
    ws: Any = book.active
    ws.title = sheet
    for col, column in enumerate(data.columns, start=1):
        title = heading(str(column), lang)
        put(ws, 1, col, title).font = Font(bold=True)
        fmt = number_format(data[column])
        width = len(title)
        for row, value in enumerate(data[column].tolist(), start=2):
            cell = put(ws, row, col, _workbook_value(value, lang))
            if fmt and cell.value is not None:
                cell.number_format = fmt
            width = max(width, len(str(cell.value or "")))
        ws.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 8), 60)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _workbook_value(value: object, lang: Language) -> object:
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, bool):
        return translate("yes", lang) if value else translate("no", lang)
    return value
