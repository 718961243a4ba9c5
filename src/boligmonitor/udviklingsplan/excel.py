"""An Excel status report on udviklingsplaner, laid out like a status to the ministry.

Sheet ``Status``: one row per area (plan outcome at 1 January 2030). One sheet per area: the
stock at each 1 January by category, commercial floor space converted with a formula, the total
and the share of almene familieboliger as formulas (so a reader can follow the count), whether
the 40 % requirement is met, and households re-housed. Sheet ``Tiltag``: every measure. Text
from plans (names, notes) is written as text, never as a formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from boligmonitor.i18n import Language, translate
from boligmonitor.io.export import atomic_path
from boligmonitor.udviklingsplan.calculate import PlanResult
from boligmonitor.udviklingsplan.counting import CountingRules

__all__ = ["safe_text", "write_status_workbook"]

_COUNT_FORMAT = "#,##0"
_YEAR_FORMAT = "0"
_SHARE_FORMAT = "0.0%"
_DATE_FORMAT = "dd-mm-yyyy"
_BOLD = Font(bold=True)
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_text(sheet: Any, row: int, column: int, value: str | None) -> None:
    """Write text that Excel shows as typed, never evaluates (``=cmd|...`` stays text)."""
    cell = sheet.cell(row=row, column=column, value=value)
    if value is not None and value.startswith(_FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True


def _heading(sheet: Any, row: int, labels: Sequence[str]) -> None:
    for column, label in enumerate(labels, start=1):
        safe_text(sheet, row, column, label)
        sheet.cell(row=row, column=column).font = _BOLD


def write_status_workbook(
    destination: str | Path, results: Sequence[PlanResult], rules: CountingRules, lang: Language
) -> Path:
    """Write the status workbook for computed plans.

    Returns
    -------
    Path
        The file written (atomically).
    """
    workbook = Workbook()
    _status_sheet(workbook.active, results, rules, lang)
    for index, result in enumerate(results, start=1):
        title = translate("Area {number}", lang, number=index)
        _area_sheet(workbook.create_sheet(title), result, rules, lang)
    _measures_sheet(workbook.create_sheet(translate("Measures", lang)), results, rules, lang)
    target = Path(destination)
    with atomic_path(target) as temporary:
        workbook.save(temporary)
    return target


def _status_sheet(
    sheet: Any, results: Sequence[PlanResult], rules: CountingRules, lang: Language
) -> None:
    sheet.title = "Status"
    safe_text(sheet, 1, 1, translate("Development plans: status", lang))
    sheet.cell(row=1, column=1).font = _BOLD
    safe_text(sheet, 2, 1, rules.legal_basis)
    labels = ["Area id", "Area", "Share 1 January 2030", "Met by 2030", "Met from",
              "Gap in dwellings", "Households to re-house"]  # fmt: skip
    _heading(sheet, 4, [translate(label, lang) for label in labels])
    for row, result in enumerate(results, start=5):
        final = result.at_deadline
        safe_text(sheet, row, 1, result.area_id)
        safe_text(sheet, row, 2, result.area_name)
        sheet.cell(row=row, column=3, value=float(final.share)).number_format = _SHARE_FORMAT
        safe_text(sheet, row, 4, translate("yes" if final.met else "no", lang))
        sheet.cell(row=row, column=5, value=result.first_met_year).number_format = _YEAR_FORMAT
        sheet.cell(row=row, column=6, value=final.gap).number_format = _COUNT_FORMAT
        rehoused = sum(result.rehousing.values())
        sheet.cell(row=row, column=7, value=rehoused).number_format = _COUNT_FORMAT
    sheet.column_dimensions["B"].width = 30


def _area_sheet(sheet: Any, result: PlanResult, rules: CountingRules, lang: Language) -> None:
    safe_text(sheet, 1, 1, f"{result.area_name or result.area_id} ({result.area_id})")
    sheet.cell(row=1, column=1).font = _BOLD
    categories = [rules.category(c) for c in rules.category_ids]
    labels = [
        translate("1 January", lang),
        *(c.label(lang) for c in categories),
        translate("Commercial m²", lang),
        translate("Commercial as dwellings", lang),
        translate("Demolished, counted", lang),
        translate("Dwellings in total", lang),
        translate("Share of public family dwellings", lang),
        translate("At most 40 %", lang),
        translate("Households re-housed the year before", lang),
    ]
    _heading(sheet, 3, labels)
    n = len(categories)
    names = ("m2", "commercial", "demolished", "total", "share", "met", "rehoused")
    col = {name: n + offset for offset, name in enumerate(names, start=2)}
    family_col = 2 + rules.category_ids.index(rules.family_category)
    for row, status in enumerate(result.years, start=4):
        sheet.cell(row=row, column=1, value=status.year).number_format = _YEAR_FORMAT
        for offset, category in enumerate(rules.category_ids, start=2):
            cell = sheet.cell(row=row, column=offset, value=status.stock.count(category))
            cell.number_format = _COUNT_FORMAT
        _formulas(sheet, row, col, family_col, status.stock.commercial_m2, rules, lang)
        sheet.cell(row=row, column=col["demolished"], value=status.stock.demolished_not_replaced)
        rehoused = result.rehousing.get(status.year - 1, 0)
        sheet.cell(row=row, column=col["rehoused"], value=rehoused).number_format = _COUNT_FORMAT
    for column in range(2, col["rehoused"] + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 16


def _formulas(
    sheet: Any,
    row: int,
    col: dict[str, int],
    family_col: int,
    m2: int,
    rules: CountingRules,
    lang: Language,
) -> None:
    letter = {k: get_column_letter(v) for k, v in col.items()}
    per = rules.commercial.m2_per_dwelling
    sheet.cell(row=row, column=col["m2"], value=m2).number_format = _COUNT_FORMAT
    converted = f"=INT({letter['m2']}{row}/{per})"
    if rules.commercial.rounding == "fraction":
        converted = f"={letter['m2']}{row}/{per}"
    sheet.cell(row=row, column=col["commercial"], value=converted).number_format = "#,##0.##"
    last_category = get_column_letter(col["m2"] - 1)
    parts = [f"SUM(B{row}:{last_category}{row})", f"{letter['commercial']}{row}"]
    if rules.demolished.counted_in_total:
        parts.append(f"{letter['demolished']}{row}")
    total = sheet.cell(row=row, column=col["total"], value="=" + "+".join(parts))
    total.number_format = "#,##0.##"
    family = f"{get_column_letter(family_col)}{row}"
    share = f"=IF({letter['total']}{row}=0,0,{family}/{letter['total']}{row})"
    sheet.cell(row=row, column=col["share"], value=share).number_format = _SHARE_FORMAT
    # exact: family * denominator <= numerator * total
    target = rules.target.max_share
    sign = "<=" if rules.target.comparison == "le" else "<"
    test = f"{family}*{target['denominator']}{sign}{target['numerator']}*{letter['total']}{row}"
    yes, no = (_formula_text(translate(w, lang).capitalize()) for w in ("yes", "no"))
    sheet.cell(row=row, column=col["met"], value=f"=IF({test},{yes},{no})")


def _formula_text(text: str) -> str:
    """A text constant inside an Excel formula: ``"Ja"`` (double quotes doubled)."""
    return '"' + text.replace('"', '""') + '"'


def _measures_sheet(
    sheet: Any, results: Sequence[PlanResult], rules: CountingRules, lang: Language
) -> None:
    labels = ["Area id", "Date", "Measure", "Dwellings", "m²", "Households to re-house",
              "Note", "Source"]  # fmt: skip
    _heading(sheet, 1, [translate(label, lang) for label in labels])
    row = 2
    for result in results:
        for measure in result.measures:
            kind = rules.kind(measure.kind)
            rehoused = measure.rehoused
            if rehoused is None:
                rehoused = kind.rehoused_per_dwelling * (measure.dwellings or 0)
            safe_text(sheet, row, 1, result.area_id)
            sheet.cell(row=row, column=2, value=measure.date).number_format = _DATE_FORMAT
            safe_text(sheet, row, 3, kind.label(lang))
            sheet.cell(row=row, column=4, value=measure.dwellings).number_format = _COUNT_FORMAT
            sheet.cell(row=row, column=5, value=measure.m2).number_format = _COUNT_FORMAT
            sheet.cell(row=row, column=6, value=rehoused).number_format = _COUNT_FORMAT
            safe_text(sheet, row, 7, measure.note)
            safe_text(sheet, row, 8, measure.source)
            row += 1
    for column, width in (("C", 32), ("G", 40), ("H", 40)):
        sheet.column_dimensions[column].width = width
