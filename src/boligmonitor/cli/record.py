"""CLI commands for the published record: ``lists``, ``lists history`` and ``reconcile``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from boligmonitor.cli.common import (
    YEAR_MAX,
    YEAR_MIN,
    LangOption,
    OutOption,
    WorkspaceOption,
    console,
    language,
    open_workspace,
    save,
)
from boligmonitor.i18n import Language, fmt_number, translate
from boligmonitor.record import OFFICIAL

if TYPE_CHECKING:
    import pandas as pd


__all__ = ["register"]


lists_app = typer.Typer(
    help="De offentliggjorte lister 2010-2024 med kilder og evidens.",
    invoke_without_command=True,
)


def _evidence_label(published: bool, lang: Language) -> str:
    return translate("published" if published else "derived", lang)


def _lists_table(frame: pd.DataFrame, lang: Language) -> Table:
    import pandas as pd

    table = Table(title=translate("Official lists", lang))
    headings = ("List date", "Area", "Municipality", "Designation", "Residents", "Evidence")
    for heading in headings:
        table.add_column(translate(heading, lang), overflow="fold")
    residents = [fmt_number(None if pd.isna(v) else v, 0, lang) for v in frame["residents"]]
    for row, count in zip(frame.itertuples(index=False), residents, strict=True):
        table.add_row(
            str(row.list_date),
            str(row.area),
            str(row.municipality),
            str(row.designation),
            count,
            f"{_evidence_label(bool(row.published), lang)} ({row.evidence})",
        )
    return table


@lists_app.callback()
def lists(
    ctx: typer.Context,
    year: Annotated[
        int | None, typer.Option("--year", "-y", min=YEAR_MIN, max=YEAR_MAX, help="Listeår.")
    ] = None,
    designation: Annotated[
        str | None, typer.Option("--designation", "-d", help="Udpegning, fx parallelsamfund.")
    ] = None,
    municipality: Annotated[str | None, typer.Option("--municipality", help="Kommune.")] = None,
    out: OutOption = None,
    workspace: WorkspaceOption = None,
    lang: LangOption = "da",
) -> None:
    """Vis de offentliggjorte lister (afledte medlemskaber vises som afledte)."""
    if ctx.invoked_subcommand is not None:
        return
    from boligmonitor.io.export import check_output

    chosen = language(lang)
    check_output(out)
    with open_workspace(workspace, read_only=True) as ws:
        facet = ws.record
        frame = facet.lists(year, designation, municipality)
        console.print(_lists_table(frame, chosen))
        for row in facet.completeness(year).itertuples(index=False):
            if designation is None or row.designation == designation:
                console.print(
                    translate(
                        "{date} {designation}: {found} of {stated} areas in the record",
                        chosen,
                        date=row.list_date,
                        designation=row.designation,
                        found=row.found,
                        stated=row.stated if row.stated is not None else "?",
                    ),
                    highlight=False,
                )
        save(out, frame.to_dict("records"), frame)


@lists_app.command("history")
def lists_history(
    area: Annotated[str, typer.Argument(help="Områdets id eller et af dets navne.")],
    out: OutOption = None,
    workspace: WorkspaceOption = None,
    lang: LangOption = "da",
) -> None:
    """Vis alle lister et område har været på, år for år, med evidens."""
    from boligmonitor.io.export import check_output

    chosen = language(lang)
    check_output(out)
    with open_workspace(workspace, read_only=True) as ws:
        facet = ws.record
        area_id, frame = facet.area_history(area)
        entry = facet.catalogue().entry(area_id)
    table = Table(title=f"{facet.catalogue().display_name(area_id)} ({area_id})")
    for heading in ("List date", "Designation", "Published name", "Evidence", "Source"):
        table.add_column(translate(heading, chosen), overflow="fold")
    for row in frame.itertuples(index=False):
        via = str(row.via)
        name = str(row.area) + (f" ({translate('via', chosen)} {via})" if via else "")
        table.add_row(
            str(row.list_date),
            str(row.designation),
            name,
            f"{_evidence_label(bool(row.published), chosen)} ({row.evidence})",
            str(row.source_url).split("|")[0].strip(),
        )
    console.print(table)
    if entry.note:
        console.print(entry.note, highlight=False)
    save(out, frame.to_dict("records"), frame)


def reconcile(
    year: Annotated[int, typer.Option("--year", "-y", min=YEAR_MIN, max=YEAR_MAX, help="Listeår.")],
    input: Annotated[
        Path | None, typer.Argument(help="Områdestatistik (CSV, Parquet, Excel).")
    ] = None,
    list_: Annotated[
        str,
        typer.Option("--list", help="Den offentliggjorte liste: 'official' eller en fil."),
    ] = OFFICIAL,
    out: OutOption = None,
    workspace: WorkspaceOption = None,
    lang: LangOption = "da",
) -> None:
    """Sammenlign beregnede udpegninger med den offentliggjorte liste, område for område."""
    import pandas as pd

    from boligmonitor.io.export import check_output

    chosen = language(lang)
    check_output(out)
    with open_workspace(workspace, read_only=input is None) as ws:
        if input is not None:
            ws.load_area_statistics(input)
        facet = ws.record
        computed = ws.designations.evaluate(ws.designations.area_statistics(year), year)
        rows = facet.reconcile(computed, year, list_, tuple(ws.designations.rule_sets()))
    table = Table(title=translate("Reconciliation {year}", chosen, year=year))
    for heading in ("Area", "Designation", "Verdict", "Cause"):
        table.add_column(translate(heading, chosen), overflow="fold")
    for row in rows:
        table.add_row(
            row.area_name,
            row.designation,
            translate(row.verdict, chosen),
            "; ".join(row.causes) or "–",
        )
    console.print(table)
    frame = pd.DataFrame([{**r.as_record(), "causes": "; ".join(r.causes)} for r in rows])
    save(out, [r.as_record() for r in rows], frame)


@lists_app.command("names")
def lists_names(
    file: Annotated[Path, typer.Argument(help="YAML-fil med områder og deres navne og år.")],
    workspace: Annotated[
        Path, typer.Option("--workspace", "-w", help="Arbejdsområdet navnene gemmes i.")
    ],
    lang: LangOption = "da",
) -> None:
    """Udvid områdernes identitet med egne navne, omdøbninger og opdelinger (samme form som
    data/record/areas.yaml); history, web og egne filer finder derefter områderne under dem."""
    chosen = language(lang)
    with open_workspace(workspace) as ws:
        added = ws.record.load_areas(file)
    console.print(
        translate("{count} areas added to the area names", chosen, count=len(added)),
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    """Add the record commands to the main app."""
    app.add_typer(lists_app, name="lists")
    app.command()(reconcile)
