"""The ``plan finance``, ``plan budget`` and ``plan frame`` commands: a plan's co-financing by
payer and year, a budget note by budget type, and the plans against Landsbyggefonden's frame.

Amounts are computed in øre, so shown sums add up exactly (:mod:`boligmonitor.finance`)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from boligmonitor.cli.common import (
    LangOption,
    OutOption,
    WorkspaceOption,
    console,
    console_err,
    language,
    save,
    wrote,
)
from boligmonitor.cli.plan_options import PlanArgument, PlansOption, plan_workspace
from boligmonitor.errors import InputError
from boligmonitor.i18n import N_, Language, fmt_number, fmt_pct, translate

if TYPE_CHECKING:
    import pandas as pd

    from boligmonitor.finance.budget_note import BudgetNoteSummary
    from boligmonitor.finance.financing import PlanFinance, Rounding

__all__ = ["plan_budget", "plan_finance", "plan_frame"]


def _save_with_excel(
    out: Path | None,
    payload: object,
    frame: pd.DataFrame,
    excel: Callable[[Path], Path],
    lang: Language,
) -> None:
    if out is not None and out.suffix.lower() == ".xlsx":
        wrote(excel(out))
    else:
        save(out, payload, frame)


def plan_finance(
    plan_id: PlanArgument,
    rounding: Annotated[
        str,
        typer.Option(
            help="Afrunding: largest-remainder (eksakt) eller whole-percent (hele procent)."
        ),
    ] = "largest-remainder",
    decimals: Annotated[
        int, typer.Option(min=0, max=5, help="Viste decimaler i 1.000 kr. (0-5).")
    ] = 0,
    plans: PlansOption = None,
    out: OutOption = None,
    workspace: WorkspaceOption = None,
    lang: LangOption = "da",
) -> None:
    """Vis planens finansiering pr. betaler og år (beregnet i øre, summer altid præcist)."""
    from boligmonitor.finance.financing import ROUNDINGS

    chosen = language(lang)
    if rounding not in ROUNDINGS:
        raise InputError.single("--rounding", "use one of {value}", value=", ".join(ROUNDINGS))
    mode: Rounding = "whole-percent" if rounding == "whole-percent" else "largest-remainder"
    with plan_workspace(workspace, plans) as ws:
        finance = ws.plans.finance(plan_id, mode, decimals)
    console.print(_finance_table(finance, chosen))
    from boligmonitor.finance.excel import write_finance_workbook  # openpyxl only when needed

    _save_with_excel(
        out,
        finance.as_record(),
        finance.frame(),
        lambda p: write_finance_workbook(p, finance, chosen),
        chosen,
    )


def _finance_table(finance: PlanFinance, lang: Language) -> Table:
    title = translate("Financing (thousand DKK)", lang)
    table = Table(title=f"{title} – {finance.plan.name}")
    years = finance.years
    # "Andel" is a payer's share of the total; the organisations' share of the housing side has
    # its own column.
    share = translate("Share", lang)
    housing_share = translate("Share of housing side", lang)
    payer_heading = translate("Payer", lang)
    total = translate("Total", lang)
    leases = translate("Leases", lang)
    for heading in (payer_heading, leases, share, *map(str, years), total, housing_share):
        table.add_column(heading, justify="left" if heading == payer_heading else "right")
    shown = finance.shown_payers()
    by_year = finance.shown_by_year()
    shares = finance.shown_shares()
    housing = finance.shown_housing_shares()
    d = finance.decimals
    for payer in finance.payers:
        table.add_row(
            payer.payer,
            fmt_number(payer.leases, 0, lang),
            _percent(shares[payer.payer], lang),
            *[_shown(by_year[payer.payer][y], d, lang) for y in years],
            _shown(shown[payer.payer], d, lang),
            _percent(housing[payer.payer], lang) if payer.payer in housing else "",
        )
    totals = [sum(cells[y] for cells in by_year.values()) for y in years]
    table.add_row(
        total,
        "",
        _percent(sum(shares.values()), lang),
        *[_shown(t, d, lang) for t in totals],
        _shown(sum(shown.values()), d, lang),
        _percent(sum(housing.values()), lang) if housing else "",
        style="bold",
    )
    if not finance.valid:
        table.caption = translate("Invalid: local co-financing below 25 %", lang)
    return table


def _percent(tenths: int, lang: Language) -> str:
    """A shown share in tenths of a percent: ``12,5 %``."""
    return fmt_pct(tenths / 10, 1, lang)


def _shown(units: int, decimals: int, lang: Language) -> str:
    return fmt_number(Decimal(units).scaleb(-decimals), decimals, lang)


def plan_budget(
    note_id: Annotated[str, typer.Argument(help="Budgetnotatets id, fx 'tm021-2026'.")],
    plans: PlansOption = None,
    out: OutOption = None,
    workspace: WorkspaceOption = None,
    lang: LangOption = "da",
) -> None:
    """Vis et budgetnotat pr. budgettype og år, genberegnede totaler og kildens fejl."""
    chosen = language(lang)
    with plan_workspace(workspace, plans) as ws:
        summary = ws.plans.budget_note(note_id)
    console.print(_budget_note_table(summary, chosen))
    for inconsistency in summary.inconsistencies:
        label = translate("The source", chosen)
        console_err.print(f"[yellow]{label}:[/] {inconsistency.text(chosen)}", highlight=False)
    from boligmonitor.finance.excel import write_budget_note_workbook

    _save_with_excel(
        out,
        summary.as_record(),
        _budget_note_frame(summary),
        lambda p: write_budget_note_workbook(p, summary, chosen),
        chosen,
    )


def _budget_note_table(summary: BudgetNoteSummary, lang: Language) -> Table:
    """The note's lines, each budget type's subtotal and the total expenses, by year."""
    from boligmonitor.finance.budget_note import BUDGET_TYPES, budget_type_heading

    thousand = translate("thousand DKK", lang)
    table = Table(title=f"{summary.note.title} ({thousand})")
    table.add_column(translate("Expense", lang))
    for heading in (*map(str, summary.years), translate("Total", lang)):
        table.add_column(heading, justify="right")

    def row(label: str, amounts: dict[int, int], bold: bool = False) -> None:
        figures = [_ore(amounts[y], lang) for y in summary.years]
        table.add_row(
            label, *figures, _ore(sum(amounts.values()), lang), style="bold" if bold else None
        )

    for line, amounts in zip(summary.note.lines, summary.lines, strict=True):
        row(f"{line.label} ({line.budget_type})", amounts)
    for budget_type in BUDGET_TYPES:
        heading = budget_type_heading(budget_type, lang)
        subtotal = translate("{budget_type} in total", lang, budget_type=heading)
        row(subtotal, summary.subtotal(budget_type), bold=True)
    row(translate("Expenses in total", lang), summary.subtotal(None), bold=True)
    return table


def _budget_note_frame(summary: BudgetNoteSummary) -> pd.DataFrame:
    """The note's lines with their amounts by year in thousand DKK (for CSV and JSON)."""
    import pandas as pd

    from boligmonitor.finance.allocation import ore_to_thousand

    return pd.DataFrame(
        [
            {
                "label": line.label,
                "budget_type": line.budget_type,
                **{str(y): str(ore_to_thousand(a[y])) for y in summary.years},
            }
            for line, a in zip(summary.note.lines, summary.lines, strict=True)
        ]
    )


def _ore(ore: int, lang: Language) -> str:
    from boligmonitor.finance.allocation import ore_to_thousand, thousand_to_ore

    return fmt_number(
        ore_to_thousand(ore), 0 if ore % thousand_to_ore(Decimal(1)) == 0 else 2, lang
    )


def plan_frame(
    plans: PlansOption = None,
    out: OutOption = None,
    workspace: WorkspaceOption = None,
    lang: LangOption = "da",
) -> None:
    """Sammenlign planernes landsbyggefondsandel pr. år med den nationale ramme."""
    import pandas as pd

    chosen = language(lang)
    with plan_workspace(workspace, plans) as ws:
        checks = ws.plans.lbf_frame_check()
    table = Table(title=translate("Landsbyggefonden's frame (thousand DKK)", chosen))
    for heading in (N_("Year"), N_("Frame"), N_("The plans"), N_("Remaining"), N_("Exceeded")):
        table.add_column(translate(heading, chosen), justify="right")
    for check in checks:
        table.add_row(
            str(check.year),
            _ore(check.frame, chosen) if check.frame is not None else "–",
            _ore(check.used, chosen),
            _ore(check.remaining, chosen) if check.remaining is not None else "–",
            "–" if check.exceeded is None else translate("yes" if check.exceeded else "no", chosen),
        )
    console.print(table)
    records = [c.as_record() for c in checks]
    save(
        out, records, pd.DataFrame([{k: v for k, v in r.items() if k != "plans"} for r in records])
    )
