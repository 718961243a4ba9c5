"""CLI commands for helhedsplaner: ``plan list|show|finance|budget|frame|designations|load``."""

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
    open_workspace,
    save,
    wrote,
)
from boligmonitor.errors import InputError
from boligmonitor.i18n import N_, Language, fmt_date, fmt_number, fmt_pct, translate

if TYPE_CHECKING:
    import pandas as pd

    from boligmonitor.finance.designations import AreaYear
    from boligmonitor.finance.financing import PlanFinance, Rounding
    from boligmonitor.finance.model import Plan, PlanCatalogue
    from boligmonitor.rules.model import RuleSet
    from boligmonitor.workspace import Workspace


__all__ = ["register"]

plan_app = typer.Typer(
    help="Boligsociale helhedsplaner: afdelinger, budget og medfinansiering.",
    no_args_is_help=True,
)

PlansOption = Annotated[
    Path | None,
    typer.Option(
        "--plans",
        "-p",
        help="Planfil (YAML eller Excel). Uden: de gemte planer eller de medfølgende eksempler.",
    ),
]
PlanArgument = Annotated[str, typer.Argument(help="Planens id, fx 'mimerskvarter-2022'.")]


def _workspace(folder: Path | None, plans: Path | None) -> Workspace:
    ws = open_workspace(folder, read_only=plans is None)
    if plans is not None:
        ws.plans.load(plans)
    return ws


def _thousand(value: Decimal | int, decimals: int, lang: Language) -> str:
    return fmt_number(Decimal(value), decimals, lang)


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


@plan_app.command("list")
def plan_list(
    plans: PlansOption = None, workspace: WorkspaceOption = None, lang: LangOption = "da"
) -> None:
    """Vis planerne med periode, afdelinger, lejemål og budget."""
    chosen = language(lang)
    with _workspace(workspace, plans) as ws:
        catalogue = ws.plans.catalogue()
    table = Table(title=translate("Comprehensive plans", chosen))
    headings = (
        N_("Id"),
        N_("Name"),
        N_("Period"),
        N_("Extends"),
        N_("Departments"),
        N_("Leases"),
        N_("Budget (thousand DKK)"),
    )
    for heading in headings:
        table.add_column(translate(heading, chosen), overflow="fold")
    for plan in catalogue.plans:
        leases = [catalogue.department(m.department) for m in plan.departments]
        known = [d.leases for d in leases if d is not None and d.leases is not None]
        budget = sum((line.amount for line in plan.budget), Decimal(0))
        table.add_row(
            plan.id,
            plan.name,
            f"{fmt_date(plan.start, chosen)} – {fmt_date(plan.last_day, chosen)}",
            plan.extends or "",
            str(len(plan.departments)),
            fmt_number(sum(known), 0, chosen) if known else "–",
            _thousand(budget, 0, chosen) if plan.budget else "–",
        )
    console.print(table)


@plan_app.command("show")
def plan_show(
    plan_id: PlanArgument,
    plans: PlansOption = None,
    out: OutOption = None,
    workspace: WorkspaceOption = None,
    lang: LangOption = "da",
) -> None:
    """Vis én plan: periode, baser, medarbejdere, fokusområder, afdelinger og budget."""
    import pandas as pd

    chosen = language(lang)
    with _workspace(workspace, plans) as ws:
        catalogue = ws.plans.catalogue()
        plan = ws.plans.plan(plan_id)
    console.print(_plan_text(plan, chosen), highlight=False, markup=False)
    console.print(_departments_table(catalogue, plan, chosen))
    if plan.budget:
        console.print(_budget_table(plan, chosen))
    record = plan.model_dump(mode="json")
    save(out, record, pd.DataFrame([m.model_dump(mode="json") for m in plan.departments]))


def _plan_text(plan: Plan, lang: Language) -> str:
    from boligmonitor.finance.model import focus_area_label

    lines = [
        f"{plan.name} ({plan.id})",
        translate("Period", lang) + f": {fmt_date(plan.start, lang)} – {fmt_date(plan.end, lang)}",
    ]
    if plan.extended_to:
        lines.append(translate("Extended to: {date}", lang, date=fmt_date(plan.extended_to, lang)))
    if plan.extends:
        lines.append(translate("Extension of: {plan}", lang, plan=plan.extends))
    if plan.administrator:
        lines.append(translate("Administrator: {name}", lang, name=plan.administrator))
    if plan.bases:
        lines.append(translate("Bases: {names}", lang, names=", ".join(plan.bases)))
    if plan.staff:
        staff = [
            f"{s.title} ({fmt_number(s.fte, 2, lang)})" if s.fte else s.title for s in plan.staff
        ]
        lines.append(translate("Staff: {names}", lang, names=", ".join(staff)))
    if plan.focus_areas:
        names = ", ".join(focus_area_label(f, lang) for f in plan.focus_areas)
        lines.append(translate("Focus areas: {names}", lang, names=names))
    lbf = fmt_number(plan.financing.lbf_share * 100, 1, lang)
    municipality = fmt_number(plan.financing.municipality_share_of_local * 100, 1, lang)
    lines.append(
        translate(
            "Financing: Landsbyggefonden {lbf} %, the municipality's part of the local share "
            "{municipality} %",
            lang,
            lbf=lbf,
            municipality=municipality,
        )
    )
    return "\n".join(lines)


def _departments_table(catalogue: PlanCatalogue, plan: Plan, lang: Language) -> Table:
    table = Table(title=translate("Departments", lang))
    for heading in (
        N_("Id"),
        N_("Name"),
        N_("Organisation"),
        N_("Streets"),
        N_("Leases"),
        N_("Residents"),
        N_("Housing area"),
        N_("From"),
        N_("To"),
    ):
        table.add_column(translate(heading, lang), overflow="fold")
    for member in plan.departments:
        department = catalogue.department(member.department)
        if department is None:
            continue
        table.add_row(
            department.id,
            department.name,
            department.organisation or "–",
            ", ".join(department.streets),
            fmt_number(department.leases, 0, lang),
            fmt_number(department.residents, 0, lang),
            department.boligomraade or "–",
            fmt_date(member.entry or plan.start, lang),
            fmt_date(member.exit or plan.last_day, lang),
        )
    return table


def _budget_table(plan: Plan, lang: Language) -> Table:
    table = Table(title=translate("Budget (thousand DKK)", lang))
    table.add_column(translate("Budget line", lang))
    table.add_column(translate("Amount", lang), justify="right")
    for line in plan.budget:
        table.add_row(line.label, _thousand(line.amount, 0, lang))
    total = sum((line.amount for line in plan.budget), Decimal(0))
    table.add_row(translate("Total", lang), _thousand(total, 0, lang), style="bold")
    return table


@plan_app.command("finance")
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
    with _workspace(workspace, plans) as ws:
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


@plan_app.command("budget")
def plan_budget(
    note_id: Annotated[str, typer.Argument(help="Budgetnotatets id, fx 'tm021-2026'.")],
    plans: PlansOption = None,
    out: OutOption = None,
    workspace: WorkspaceOption = None,
    lang: LangOption = "da",
) -> None:
    """Vis et budgetnotat pr. budgettype og år, genberegnede totaler og kildens fejl."""
    import pandas as pd

    from boligmonitor.finance.allocation import ore_to_thousand
    from boligmonitor.finance.budget_note import BUDGET_TYPES, budget_type_heading

    chosen = language(lang)
    with _workspace(workspace, plans) as ws:
        summary = ws.plans.budget_note(note_id)
    thousand = translate("thousand DKK", chosen)
    total = translate("Total", chosen)
    table = Table(title=f"{summary.note.title} ({thousand})")
    table.add_column(translate("Expense", chosen))
    for heading in (*map(str, summary.years), total):
        table.add_column(heading, justify="right")

    def row(label: str, amounts: dict[int, int], bold: bool = False) -> None:
        figures = [_ore(amounts[y], chosen) for y in summary.years]
        table.add_row(
            label, *figures, _ore(sum(amounts.values()), chosen), style="bold" if bold else None
        )

    for line, amounts in zip(summary.note.lines, summary.lines, strict=True):
        row(f"{line.label} ({line.budget_type})", amounts)
    for budget_type in BUDGET_TYPES:
        heading = budget_type_heading(budget_type, chosen)
        subtotal = translate("{budget_type} in total", chosen, budget_type=heading)
        row(subtotal, summary.subtotal(budget_type), bold=True)
    row(translate("Expenses in total", chosen), summary.subtotal(None), bold=True)
    console.print(table)
    for inconsistency in summary.inconsistencies:
        label = translate("The source", chosen)
        console_err.print(f"[yellow]{label}:[/] {inconsistency.text(chosen)}", highlight=False)
    frame = pd.DataFrame(
        [
            {
                "label": line.label,
                "budget_type": line.budget_type,
                **{str(y): str(ore_to_thousand(a[y])) for y in summary.years},
            }
            for line, a in zip(summary.note.lines, summary.lines, strict=True)
        ]
    )
    from boligmonitor.finance.excel import write_budget_note_workbook

    _save_with_excel(
        out,
        summary.as_record(),
        frame,
        lambda p: write_budget_note_workbook(p, summary, chosen),
        chosen,
    )


def _ore(ore: int, lang: Language) -> str:
    from boligmonitor.finance.allocation import ore_to_thousand, thousand_to_ore

    return fmt_number(
        ore_to_thousand(ore), 0 if ore % thousand_to_ore(Decimal(1)) == 0 else 2, lang
    )


@plan_app.command("frame")
def plan_frame(
    plans: PlansOption = None,
    out: OutOption = None,
    workspace: WorkspaceOption = None,
    lang: LangOption = "da",
) -> None:
    """Sammenlign planernes landsbyggefondsandel pr. år med den nationale ramme."""
    import pandas as pd

    chosen = language(lang)
    with _workspace(workspace, plans) as ws:
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


@plan_app.command("designations")
def plan_designations(
    plan_id: PlanArgument,
    statistics: Annotated[
        list[Path] | None,
        typer.Option("--statistics", "-s", help="Områdestatistik at udpege først (kan gentages)."),
    ] = None,
    plans: PlansOption = None,
    out: OutOption = None,
    workspace: WorkspaceOption = None,
    lang: LangOption = "da",
) -> None:
    """Vis udpegningerne af planens områder over årene (statslige og kommunale)."""
    from boligmonitor.finance.designations import NOTE_TEXTS, SOURCE_LABELS

    chosen = language(lang)
    with _workspace(workspace, plans) as ws:
        for path in statistics or []:
            ws.load_area_statistics(path)
        if statistics:
            ws.designate()
        result = ws.plans.designations_of(plan_id)
        labels = _designation_labels(ws, result.rows, chosen)
    table = Table(title=f"{translate('Designations', chosen)} – {result.plan.name}")
    for heading in (
        N_("Department"),
        N_("Area"),
        N_("Source"),
        N_("Year"),
        N_("Rule set"),
        N_("Designations"),
    ):
        table.add_column(translate(heading, chosen), overflow="fold")
    for r in result.rows:
        kind = translate(SOURCE_LABELS[r.source], chosen)
        table.add_row(r.department, r.area_id, kind, str(r.year), r.rule_set or "", labels(r))
    console.print(table)
    for note in result.notes:
        console_err.print(
            f"[yellow]{translate('Note', chosen)}:[/] {translate(NOTE_TEXTS[note], chosen)}",
            highlight=False,
        )
    save(out, result.as_record(), result.frame())


def _designation_labels(
    ws: Workspace, rows: list[AreaYear], lang: Language
) -> Callable[[AreaYear], str]:
    """A function giving a row's designations as labels: listed, unknown, if populated."""
    from boligmonitor.finance.designations import MUNICIPAL_DESIGNATION, MUNICIPAL_LABEL
    from boligmonitor.rules.explain import designation_label

    rule_sets: dict[str, RuleSet | None] = {}
    for rule_set_id in {r.rule_set for r in rows if r.rule_set}:
        try:
            rule_sets[rule_set_id] = ws.designations.rule_set(rule_set_id)
        except InputError:  # a rule set of an earlier session: show its ids
            rule_sets[rule_set_id] = None

    def label(row: AreaYear, designation: str) -> str:
        rule_set = rule_sets.get(row.rule_set or "")
        if rule_set is not None:
            return designation_label(rule_set, designation, lang).lower()
        if designation == MUNICIPAL_DESIGNATION:
            return translate(MUNICIPAL_LABEL, lang).lower()
        return designation

    def text(row: AreaYear) -> str:
        listed = ", ".join(label(row, d) for d in row.designations) or "–"
        if row.unknown:
            unknown = ", ".join(label(row, d) for d in row.unknown)
            listed += f"; {translate('unknown', lang)}: {unknown}"
        extra = [d for d in row.if_population_met if d not in row.designations]
        if extra:
            populated = ", ".join(label(row, d) for d in extra)
            listed += f" ({translate('with ≥ 1,000 residents', lang)}: {populated})"
        return listed

    return text


@plan_app.command("load")
def plan_load(
    file: Annotated[Path, typer.Argument(help="Planfil (YAML eller Excel).")],
    workspace: WorkspaceOption = None,
) -> None:
    """Valider en planfil og gem den i arbejdsområdet (erstatter tidligere planer)."""
    with open_workspace(workspace) as ws:
        catalogue = ws.plans.load(file)
    message = translate(
        "Loaded {plans} plans and {departments} departments from {file}",
        plans=len(catalogue.plans),
        departments=len(catalogue.departments),
        file=file,
    )
    console_err.print(message, highlight=False)


def register(app: typer.Typer) -> None:
    """Add the plan commands to the main app."""
    app.add_typer(plan_app, name="plan")
