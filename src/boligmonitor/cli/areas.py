"""CLI commands for own outlines: ``areas load`` (GIS file into the workspace) and ``areas
export`` (GeoPackage or GeoJSON, EPSG:25832 or WGS 84)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from boligmonitor.cli.common import WorkspaceOption, console_err, wrote
from boligmonitor.errors import InputError
from boligmonitor.i18n import translate

if TYPE_CHECKING:
    import pandas as pd

    from boligmonitor.workspace import Workspace

__all__ = ["register"]

areas_app = typer.Typer(
    help="Egne omrids af områder og enheder: indlæs fra GIS-filer og eksportér.",
    no_args_is_help=True,
)
KindOption = Annotated[
    str, typer.Option("--kind", help="areas (boligområder) eller units (screeningsenheder).")
]


def _workspace(folder: Path | None) -> Workspace:
    if folder is None:
        raise InputError.single("--workspace", "give the workspace folder (-w DIR)")
    from boligmonitor.workspace import Workspace

    return Workspace.create(folder)


def _kind(kind: str) -> str:
    if kind not in ("areas", "units"):
        raise InputError.single("--kind", "unknown kind '{kind}'; use areas or units", kind=kind)
    return kind


@areas_app.command("load")
def load(
    file: Annotated[Path, typer.Argument(help="GeoPackage, shapefile eller GeoJSON.")],
    workspace: WorkspaceOption = None,
    kind: KindOption = "areas",
    id_column: Annotated[
        str | None,
        typer.Option("--id-column", help="Kolonnen med id (standard: area_id / unit_id)."),
    ] = None,
    name_column: Annotated[
        str | None, typer.Option("--name-column", help="Kolonne med navn (valgfri).")
    ] = None,
) -> None:
    """Indlæs omrids (enhver CRS, omregnes til EPSG:25832) i arbejdsområdet."""
    chosen = _kind(kind)
    with _workspace(workspace) as ws:
        if chosen == "areas":
            frame = ws.designations.load_area_outlines(file, id_column or "area_id", name_column)
        else:
            frame = ws.screening.load_unit_outlines(file, id_column or "unit_id", name_column)
    console_err.print(
        translate("Loaded {count} outlines from {file}", count=len(frame), file=file),
        highlight=False,
    )


def _frame(ws: Workspace, kind: str) -> pd.DataFrame:
    if kind == "units":
        units = ws.screening.units()
        if units is None or "geometry_wkt" not in units.columns:
            raise InputError.single("units", "the workspace has no unit outlines")
        return units[["unit_id", "name", "geometry_wkt"]].dropna(subset=["geometry_wkt"])
    outlines = ws.designations.area_geometry()
    if outlines is None or outlines.empty:
        raise InputError.single("area_geometry", "the workspace has no area outlines")
    index = ws.designations.area_index()[["area_id", "area_name", "municipality"]]
    return outlines.merge(index, on="area_id", how="left")[
        ["area_id", "area_name", "municipality", "geometry_wkt"]
    ]


@areas_app.command("export")
def export(
    out: Annotated[Path, typer.Argument(help="Fil: .gpkg eller .geojson.")],
    workspace: WorkspaceOption = None,
    kind: KindOption = "areas",
    crs: Annotated[
        int, typer.Option("--crs", help="25832 (ETRS89/UTM 32N, standard) eller 4326 (WGS 84).")
    ] = 25832,
) -> None:
    """Eksportér omrids som GeoPackage eller GeoJSON."""
    from boligmonitor.geo.outlines import write_outlines

    chosen = _kind(kind)
    with _workspace(workspace) as ws:
        frame = _frame(ws, chosen)
    layer = "omraader" if chosen == "areas" else "enheder"
    written = write_outlines(frame, out, crs, layer)
    wrote(written)


def register(app: typer.Typer) -> None:
    """Add ``areas load`` and ``areas export``."""
    app.add_typer(areas_app, name="areas")
