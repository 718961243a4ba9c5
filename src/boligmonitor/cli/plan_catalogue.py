"""The ``plan list``, ``plan show`` and ``plan load`` commands: the helhedsplaner of the catalogue,
one plan's period, staff, focus areas, departments and budget, and loading a plan file."""

from __future__ import annotations

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
)
from boligmonitor.cli.plan_options import PlanArgument, PlansOption, plan_workspace
from boligmonitor.i18n import N_, Language, fmt_date, fmt_number, translate

if TYPE_CHECKING:
    from boligmonitor.finance.model import Plan, PlanCatalogue

__all__ = ["plan_list", "plan_load", "plan_show"]


def plan_list(
    plans: PlansOption = None, workspace: WorkspaceOption = None, lang: LangOption = "da"
) -> None:
    """Vis planerne med periode, afdelinger, lejemål og budget."""
    chosen = language(lang)
    with plan_workspace(workspace, plans) as ws:
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
    with plan_workspace(workspace, plans) as ws:
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


def _thousand(value: Decimal | int, decimals: int, lang: Language) -> str:
    return fmt_number(Decimal(value), decimals, lang)


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
