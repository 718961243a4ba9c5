"""What every ``plan`` command shares: the plan file and plan id options, and the workspace
opened with them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from boligmonitor.cli.common import open_workspace

if TYPE_CHECKING:
    from boligmonitor.workspace import Workspace

__all__ = ["PlanArgument", "PlansOption", "plan_workspace"]

PlansOption = Annotated[
    Path | None,
    typer.Option(
        "--plans",
        "-p",
        help="Planfil (YAML eller Excel). Uden: de gemte planer eller de medfølgende eksempler.",
    ),
]
PlanArgument = Annotated[str, typer.Argument(help="Planens id, fx 'mimerskvarter-2022'.")]


def plan_workspace(folder: Path | None, plans: Path | None) -> Workspace:
    """The workspace of ``folder`` (read-only unless a plan file ``plans`` is loaded into it)."""
    ws = open_workspace(folder, read_only=plans is None)
    if plans is not None:
        ws.plans.load(plans)
    return ws
