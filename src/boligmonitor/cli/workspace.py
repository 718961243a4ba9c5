"""CLI commands for the workspace itself and the demo."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from boligmonitor.cli.common import console, console_err
from boligmonitor.data import example_path
from boligmonitor.io.export import write_output
from boligmonitor.rules.explain import explain_text
from boligmonitor.rules.tables import designations_frame
from boligmonitor.workspace import Workspace

__all__ = ["register"]


def runs(folder: Annotated[Path, typer.Argument(help="Arbejdsområde.")]) -> None:
    """Vis kørselshistorikken (inputfiler med hash, regelsæt og tidspunkt)."""
    with Workspace.open(folder, read_only=True) as ws:
        history = ws.runs()
    table = Table(title="Kørsler")
    for heading in ("Id", "Type", "Start", "Input", "Regelsæt"):
        table.add_column(heading, overflow="fold")
    for row in history.itertuples():
        table.add_row(
            str(row.run_id), str(row.kind), str(row.started_at), str(row.inputs), str(row.rule_sets)
        )
    console.print(table)


def demo(
    folder: Annotated[Path, typer.Argument(help="Mappe til demo-arbejdsområdet.")] = Path(
        "demo-output"
    ),
) -> None:
    """Byg et demo-arbejdsområde af de medfølgende eksempler og skriv resultaterne."""
    with Workspace.create(folder) as ws:
        ws.load_area_statistics(example_path("omraader_2014_2022.csv"))
        ws.load_area_statistics(example_path("mimerskvarter_2020.csv"))
        results = ws.designate()
        write_output(
            folder / "udpegninger.json",
            [r.as_record() for r in results],
            designations_frame(results),
        )
        write_output(folder / "udpegninger.xlsx", None, designations_frame(results))
        mimer = ws.explain("VIBO 108", 2020, ["dk-2018"])[0]
        text = explain_text(mimer, ws.rule_set("dk-2018"))
        (folder / "forklaring_vibo_108.txt").write_text(text + "\n", encoding="utf-8")
    typer.echo(text)
    console_err.print(f"Demo skrevet til {folder}/ ({len(results)} udpegninger).")


def register(app: typer.Typer) -> None:
    """Add the workspace commands to the main app."""
    app.command()(runs)
    app.command()(demo)
