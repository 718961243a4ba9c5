"""CLI command ``serve``: the web dashboard and JSON API over a workspace."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from boligmonitor.cli.common import console_err
from boligmonitor.data import example_path
from boligmonitor.i18n import translate

if TYPE_CHECKING:
    from boligmonitor.workspace import Workspace


__all__ = ["example_workspace", "register"]


def example_workspace() -> Workspace:
    """An in-memory workspace holding the packaged example areas (for a first look)."""
    from boligmonitor.workspace import Workspace

    ws = Workspace.memory()
    ws.load_area_statistics(example_path("omraader_2014_2022.csv"))
    ws.load_area_statistics(example_path("mimerskvarter_2020.csv"))
    return ws


def serve(
    workspace: Annotated[
        Path | None,
        typer.Argument(
            help="Arbejdsområde (mappe), åbnes skrivebeskyttet. Uden: de medfølgende eksempler.",
            envvar="BOLIGMONITOR_WORKSPACE",
        ),
    ] = None,
    host: Annotated[str, typer.Option("--host", help="Adresse at lytte på.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=64, help="Processer (kræver et arbejdsområde).")
    ] = 1,
) -> None:
    """Start dashboardet og JSON-API'et (http://HOST:PORT, API under /api/v1)."""
    import uvicorn

    from boligmonitor.web.app import WORKSPACE_ENV, create_app
    from boligmonitor.workspace import Workspace

    if workers > 1 and workspace is None:
        raise typer.BadParameter("several workers need a workspace folder", param_hint="--workers")
    ws = Workspace.open(workspace, read_only=True) if workspace else example_workspace()
    console_err.print(
        translate("Boligmonitor at {url} (API: /api/v1/docs)", url=f"http://{host}:{port}/")
    )
    if workspace is not None and workers > 1:
        ws.close()  # each worker process opens the workspace itself, read-only
        os.environ[WORKSPACE_ENV] = str(workspace.resolve())
        factory = "boligmonitor.web.app:app_from_environment"
        uvicorn.run(
            factory, factory=True, host=host, port=port, workers=workers, log_level="warning"
        )
        return
    with ws:
        uvicorn.run(create_app(ws), host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the main app."""
    app.command()(serve)
