"""Excel workbooks laid out like a municipal budget note (budgetnotat).

Amounts are in thousand kr. with the number format ``#,##0`` (Excel shows it as ``2.100`` in a
Danish locale), and every total is a formula (``=SUM(...)``), so the totals always agree with
the figures above them. Year headings are integers with the format ``0`` (2022, never 2.022),
shares have the format ``0.0%``, and dates are written the Danish way (1. marts 2022). Sheet
names, headings and notes come from the message catalogue in the chosen language (Danish by
default); the layout is the same in every language. Workbooks are written atomically.

Reference: Københavns Kommune's budget-note tables (seed ``001_de2ba99353aea5a3``, Tabel 1
and Tabel 3).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from boligmonitor.finance.allocation import ore_to_thousand
from boligmonitor.finance.budget_note import BUDGET_TYPES, BudgetNoteSummary, budget_type_heading
from boligmonitor.finance.financing import PlanFinance
from boligmonitor.finance.model import BudgetNoteLine, BudgetType
from boligmonitor.i18n import Language, fmt_date, fmt_pct, translate
from boligmonitor.io.export import atomic_path
from boligmonitor.io.spreadsheet import Formula, put

__all__ = [
    "SHARE_FORMAT",
    "THOUSANDS_FORMAT",
    "YEAR_FORMAT",
    "write_budget_note_workbook",
    "write_finance_workbook",
]

#: Whole thousand kr. with a thousands separator (Danish Excel shows 2.100).
THOUSANDS_FORMAT = "#,##0"
#: Years as plain integers: 2022, never "2.022".
YEAR_FORMAT = "0"
#: Shares in percent with one decimal (Danish Excel shows 12,5 %).
SHARE_FORMAT = "0.0%"
_EXACT_FORMAT = "#,##0.00000"
#: The budget note's first year column (after label, committee, appropriation and R/E).
_FIRST_YEAR_COLUMN = 5
_BOLD = Font(bold=True)


def _sum(column: int, first: int, last: int) -> Formula:
    letter = get_column_letter(column)
    return Formula(f"=SUM({letter}{first}:{letter}{last})")


def _row_sum(row: int, first: int, last: int) -> Formula:
    return Formula(f"=SUM({get_column_letter(first)}{row}:{get_column_letter(last)}{row})")


def _write_row(sheet: Any, row: int, values: Sequence[object], bold: bool = False) -> None:
    for column, value in enumerate(values, start=1):
        cell = put(sheet, row, column, value)
        if isinstance(value, (int, float, Formula)):
            cell.number_format = THOUSANDS_FORMAT
        if bold:
            cell.font = _BOLD


def _write_heading(sheet: Any, row: int, values: Sequence[object]) -> None:
    """A bold heading row; years (integers) are written with the plain format ``0``."""
    _write_row(sheet, row, values, bold=True)
    for column, value in enumerate(values, start=1):
        if isinstance(value, int):
            sheet.cell(row=row, column=column).number_format = YEAR_FORMAT


def write_finance_workbook(
    destination: str | Path, finance: PlanFinance, lang: Language = "da"
) -> Path:
    """Write a plan's financing: payers by year, budget lines and the exact amounts.

    The figures are the shown ones (see :meth:`PlanFinance.shown_by_year`), so the formulas
    add them up to the shown totals.

    Parameters
    ----------
    destination
        The ``.xlsx`` file to write.
    finance
        The plan's computed financing.
    lang
        Language of sheet names, headings and dates (Danish by default).

    Returns
    -------
    Path
        The file written.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = translate("Financing", lang)
    _finance_sheet(sheet, finance, lang)
    _budget_sheet(workbook.create_sheet(translate("Budget", lang)), finance, lang)
    _exact_sheet(workbook.create_sheet(translate("Exact amounts", lang)), finance, lang)
    target = Path(destination)
    with atomic_path(target) as temporary:
        workbook.save(temporary)
    return target


def _finance_sheet(sheet: Any, finance: PlanFinance, lang: Language) -> None:
    plan = finance.plan
    shown = finance.shown_by_year()
    years = finance.years
    last_year_col = 3 + len(years)
    group_col = last_year_col + 2
    shares = finance.shown_shares()
    housing = finance.shown_housing_shares()
    title = translate("Financing (in thousand DKK) – {name}", lang, name=plan.name)
    _write_row(sheet, 1, [title], bold=True)
    _write_row(sheet, 2, [f"{fmt_date(plan.start, lang)} – {fmt_date(plan.last_day, lang)}"])
    total_label = translate("Total", lang)
    words = [translate(w, lang) for w in ("Payer", "Leases", "Share")]
    _write_heading(
        sheet, 4, [*words, *years, total_label, translate("Share of housing side", lang)]
    )
    row = 5
    for payer in finance.payers:
        cells = [shown[payer.payer][year] for year in years]
        _write_row(sheet, row, [payer.payer, payer.leases, None, *cells])
        _share_cell(sheet, row, 3, shares[payer.payer])
        put(sheet, row, last_year_col + 1, _row_sum(row, 4, last_year_col))
        sheet.cell(row=row, column=last_year_col + 1).number_format = THOUSANDS_FORMAT
        if payer.payer in housing:
            _share_cell(sheet, row, group_col, housing[payer.payer])
        row += 1
    first_org = 5 + sum(p.kind != "boligorganisation" for p in finance.payers)
    subtotal: list[object] = [translate("Housing side's share in total", lang), None]
    total: list[object] = [total_label, None]
    for column in range(3, last_year_col + 2):
        subtotal.append(_sum(column, first_org, row - 1))
        total.append(_sum(column, 5, row - 1))
    _write_row(sheet, row, subtotal)
    _write_row(sheet, row + 1, total, bold=True)
    for total_row in (row, row + 1):
        sheet.cell(row=total_row, column=3).number_format = SHARE_FORMAT
    put(sheet, row, group_col, _sum(group_col, first_org, row - 1))
    sheet.cell(row=row, column=group_col).number_format = SHARE_FORMAT
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions[get_column_letter(group_col)].width = 20


def _share_cell(sheet: Any, row: int, column: int, tenths_of_percent: int) -> None:
    """A shown share (tenths of a percent, see :meth:`PlanFinance.shown_shares`) as a fraction."""
    cell = sheet.cell(row=row, column=column, value=tenths_of_percent / 1000)
    cell.number_format = SHARE_FORMAT


def _budget_sheet(sheet: Any, finance: PlanFinance, lang: Language) -> None:
    title = translate("Budget (in thousand DKK) – {name}", lang, name=finance.plan.name)
    _write_row(sheet, 1, [title], bold=True)
    _write_row(sheet, 3, [translate("Budget line", lang), translate("Budget", lang)], bold=True)
    for offset, ((label, _), shown) in enumerate(
        zip(finance.lines, finance.shown_lines(), strict=True)
    ):
        _write_row(sheet, 4 + offset, [label, shown])
    last = 3 + len(finance.lines)
    _write_row(sheet, last + 1, [translate("Total", lang), _sum(2, 4, last)], bold=True)
    sheet.column_dimensions["A"].width = 55


def _exact_sheet(sheet: Any, finance: PlanFinance, lang: Language) -> None:
    years = finance.years
    title = translate("Exact amounts (in thousand DKK, computed in øre)", lang)
    _write_row(sheet, 1, [title], bold=True)
    _write_heading(sheet, 3, [translate("Payer", lang), *years, translate("Total", lang)])
    for offset, payer in enumerate(finance.payers):
        cells = [float(ore_to_thousand(finance.by_year[payer.payer][y])) for y in years]
        _write_row(sheet, 4 + offset, [payer.payer, *cells, float(ore_to_thousand(payer.amount))])
        for column in range(2, len(years) + 3):
            sheet.cell(row=4 + offset, column=column).number_format = _EXACT_FORMAT
    sheet.column_dimensions["A"].width = 30


def write_budget_note_workbook(
    destination: str | Path, summary: BudgetNoteSummary, lang: Language = "da"
) -> Path:
    """Write a budget note's expenses by budget type (like its Tabel 3) with formula totals.

    Lines are grouped under Anlægsudgifter and Serviceudgifter with their "i alt" rows, then
    "Udgifter i alt"; the source's inconsistent total rows are listed under *Bemærkninger*.

    Parameters
    ----------
    destination
        The ``.xlsx`` file to write.
    summary
        The budget note with its recomputed totals.
    lang
        Language of the sheet name, headings and notes (Danish by default); the note's own
        lines, title and price level are written as the source has them.

    Returns
    -------
    Path
        The file written.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = translate("Expenses", lang)
    note = summary.note
    years = summary.years
    first_year_col = _FIRST_YEAR_COLUMN
    total_col = first_year_col + len(years)
    _write_row(sheet, 1, [note.title], bold=True)
    thousand = translate("thousand DKK", lang)
    heading = f"{thousand} – {note.price_level}" if note.price_level else thousand
    words = [translate(w, lang) for w in ("Committee", "Appropriation", "R/E")]
    _write_heading(sheet, 3, [heading, *words, *years, translate("Total", lang)])
    row, subtotal_rows = 4, []
    for budget_type in BUDGET_TYPES:
        lines = zip(note.lines, summary.lines, strict=True)
        chosen = [(line, amounts) for line, amounts in lines if line.budget_type == budget_type]
        if chosen:
            row = _budget_type_rows(sheet, row, budget_type, chosen, years, lang)
            subtotal_rows.append(row)
            row += 1
    overall = [
        Formula("=" + "+".join(f"{get_column_letter(c)}{r}" for r in subtotal_rows))
        for c in range(first_year_col, total_col + 1)
    ]
    total = translate("Expenses in total", lang)
    _write_row(sheet, row, [total, None, None, None, *overall], bold=True)
    _notes(sheet, row + 2, summary, lang)
    sheet.column_dimensions["A"].width = 60
    target = Path(destination)
    with atomic_path(target) as temporary:
        workbook.save(temporary)
    return target


def _budget_type_rows(
    sheet: Any,
    row: int,
    budget_type: BudgetType,
    chosen: list[tuple[BudgetNoteLine, dict[int, int]]],
    years: Sequence[int],
    lang: Language,
) -> int:
    """One budget type's heading, lines and formula subtotal from ``row``; the subtotal's row."""
    first_year_col, total_col = _FIRST_YEAR_COLUMN, _FIRST_YEAR_COLUMN + len(years)
    type_heading = budget_type_heading(budget_type, lang)
    _write_row(sheet, row, [type_heading], bold=True)
    expense = translate("E", lang, msgctxt="expense")
    first = row + 1
    for offset, (line, amounts) in enumerate(chosen):
        figures = [float(ore_to_thousand(amounts[y])) for y in years]
        values = [line.label, line.committee, line.appropriation, expense, *figures]
        _write_row(sheet, first + offset, values)
        _write_row_total(sheet, first + offset, first_year_col, total_col)
    last = first + len(chosen)
    sums = [_sum(c, first, last - 1) for c in range(first_year_col, total_col + 1)]
    subtotal = translate("{budget_type} in total", lang, budget_type=type_heading)
    _write_row(sheet, last, [subtotal, None, None, None, *sums])
    return last


def _write_row_total(sheet: Any, row: int, first: int, last: int) -> None:
    cell = put(sheet, row, last, _row_sum(row, first, last - 1))
    cell.number_format = THOUSANDS_FORMAT


def _notes(sheet: Any, row: int, summary: BudgetNoteSummary, lang: Language) -> None:
    with_margin = [line.label for line in summary.note.lines if line.includes_risk_margin]
    notes = []
    if with_margin:
        margin = fmt_pct(float(summary.note.risk_margin) * 100, 0, lang)
        lines = ", ".join(with_margin)
        notes.append(
            translate(
                "Risk margin {margin} is included in: {lines}", lang, margin=margin, lines=lines
            )
        )
    notes += [
        translate("Inconsistency in the source: {text}", lang, text=i.text(lang))
        for i in summary.inconsistencies
    ]
    _write_row(sheet, row, [translate("Notes", lang)], bold=True)
    for offset, text in enumerate(notes, start=1):
        _write_row(sheet, row + offset, [text])
