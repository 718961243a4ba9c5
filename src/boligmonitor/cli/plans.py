"""CLI commands for helhedsplaner: ``plan list|show|finance|budget|frame|designations|load``.

The commands live in modules of their own: the catalogue (:mod:`.plan_catalogue`), the money
(:mod:`.plan_finance`) and the designations of the plans' areas (:mod:`.plan_designations`).
"""

from __future__ import annotations

import typer

from boligmonitor.cli.plan_catalogue import plan_list, plan_load, plan_show
from boligmonitor.cli.plan_designations import plan_designations
from boligmonitor.cli.plan_finance import plan_budget, plan_finance, plan_frame

__all__ = ["register"]

plan_app = typer.Typer(
    help="Boligsociale helhedsplaner: afdelinger, budget og medfinansiering.",
    no_args_is_help=True,
)
plan_app.command("list")(plan_list)
plan_app.command("show")(plan_show)
plan_app.command("finance")(plan_finance)
plan_app.command("budget")(plan_budget)
plan_app.command("frame")(plan_frame)
plan_app.command("designations")(plan_designations)
plan_app.command("load")(plan_load)


def register(app: typer.Typer) -> None:
    """Add the plan commands to the main app."""
    app.add_typer(plan_app, name="plan")
