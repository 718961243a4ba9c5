"""The ``plan designations`` command: the statutory and municipal designations of a plan's
areas over the years."""

from __future__ import annotations

from collections.abc import Callable
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
)
from boligmonitor.cli.plan_options import PlanArgument, PlansOption, plan_workspace
from boligmonitor.errors import InputError
from boligmonitor.i18n import N_, Language, translate

if TYPE_CHECKING:
    from boligmonitor.finance.designations import AreaYear
    from boligmonitor.rules.model import RuleSet
    from boligmonitor.workspace import Workspace

__all__ = ["plan_designations"]


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
    with plan_workspace(workspace, plans) as ws:
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
