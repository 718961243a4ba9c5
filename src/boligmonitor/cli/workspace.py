"""CLI commands for the workspace itself and the demo."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from boligmonitor.cli.common import PERSONS_MAX, SEED_MAX, console, console_err
from boligmonitor.cli.web import serve
from boligmonitor.i18n import N_, fmt_number, translate

__all__ = ["register"]


def runs(folder: Annotated[Path, typer.Argument(help="Arbejdsområde.")]) -> None:
    """Vis kørselshistorikken (inputfiler med hash, regelsæt og tidspunkt)."""
    from boligmonitor.workspace import Workspace

    with Workspace.open(folder, read_only=True) as ws:
        history = ws.runs()
    table = Table(title=translate("Runs"))
    for heading in (N_("Id"), N_("Type"), N_("Start"), N_("Input"), N_("Rule sets")):
        table.add_column(translate(heading), overflow="fold")
    for row in history.itertuples():
        table.add_row(
            str(row.run_id), str(row.kind), str(row.started_at), str(row.inputs), str(row.rule_sets)
        )
    console.print(table)


def demo(
    folder: Annotated[Path, typer.Argument(help="Mappe til demo-arbejdsområdet.")] = Path(
        "demo-output"
    ),
    persons: Annotated[
        int | None,
        typer.Option(
            "--persons",
            min=1,
            max=PERSONS_MAX,
            help="Beboere i den syntetiske by (standard ca. 650.000).",
        ),
    ] = None,
    seed: Annotated[
        int, typer.Option("--seed", min=0, max=SEED_MAX, help="Frø til den syntetiske by.")
    ] = 2017,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Byg kun arbejdsområdet; start ikke dashboardet.")
    ] = False,
    host: Annotated[str, typer.Option("--host", help="Adresse at lytte på.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
) -> None:
    """Byg en syntetisk by gennem hele Boligmonitor og vis den i dashboardet."""
    from boligmonitor.demo import build_demo
    from boligmonitor.rules.registry import shipped_rule_sets

    summary = build_demo(folder, persons=persons, seed=seed)
    labels = {d.id: d.label_da.lower() for s in shipped_rule_sets() for d in s.designations}
    counts = ", ".join(
        f"{labels.get(k, k)} {v}" for k, v in sorted(summary.designated_areas.items())
    )
    message = translate(
        "Demo in {folder}/: {persons} synthetic residents, years {first}–{last}, {evaluations} "
        "evaluations (area × year × rule set); designated areas {last}: {counts}.",
        folder=summary.folder,
        persons=fmt_number(summary.persons, 0),
        first=summary.years[0],
        last=summary.years[-1],
        evaluations=fmt_number(summary.designations, 0),
        counts=counts or translate("none"),
    )
    console_err.print(message, highlight=False)
    for path in summary.files:
        console_err.print(f"  {path}", highlight=False)
    if not no_serve:
        serve(folder, host=host, port=port)


def register(app: typer.Typer) -> None:
    """Add the workspace commands to the main app."""
    app.command()(runs)
    app.command()(demo)
