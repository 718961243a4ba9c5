"""CLI commands for why areas change and which are close to a list: ``flows`` and ``outlook``."""

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
    console_err,
    language,
    save,
)
from boligmonitor.errors import InputError
from boligmonitor.i18n import Language, fmt_number, fmt_pct, translate

if TYPE_CHECKING:
    import pandas as pd

    from boligmonitor.workspace import Workspace


__all__ = ["register"]

MicrodataOption = Annotated[
    Path | None, typer.Option("--microdata", "-m", help="Mikrodatamappe (ellers arbejdsområdets).")
]


def _workspace(folder: Path | None, microdata: Path | None) -> Workspace:
    from boligmonitor.workspace import Workspace

    ws = Workspace.open(folder) if folder is not None else Workspace.memory()
    if microdata is not None:
        ws.microdata.load(microdata)
    return ws


def _pair(text: str) -> tuple[int, int]:
    try:
        first, last = (int(part) for part in text.split("-"))
    except ValueError:
        raise InputError.single(
            "--years", "'{text}' is not two years like 2020-2021", text=text
        ) from None
    if last <= first:
        raise InputError.single("--years", "'{text}': the second year must be later", text=text)
    return first, last


def _cell(value: object, lang: Language, decimals: int = 1) -> str:
    if value is None or value != value:
        return "–"
    return fmt_number(float(value), decimals, lang)  # type: ignore[arg-type]


def flows_command(
    area: Annotated[str, typer.Option("--area", help="Områdets id.")],
    years: Annotated[str, typer.Option("--years", help="To år, fx 2020-2021.")],
    workspace: WorkspaceOption = None,
    microdata: MicrodataOption = None,
    out: OutOption = None,
    lang: LangOption = "da",
) -> None:
    """Dekomponér ændringen af et områdes kriterier (fraflyttere, tilflyttere, blivende) og vis
    flytningerne, med diskretionering."""
    chosen = language(lang)
    first, last = _pair(years)
    facet = _workspace(workspace, microdata).movers
    decomposition = facet.decomposition(first, last, [area])
    flow_table = facet.flows(first, last, [area])
    console.print(_decomposition_table(decomposition, area, first, last, chosen))
    console.print(_moves_table(flow_table, chosen))
    if out is not None:
        _save_flows(out, decomposition, flow_table)


def _decomposition_table(
    decomposition: pd.DataFrame, area: str, first: int, last: int, lang: Language
) -> Table:
    """Each criterion's change split into movers out, movers in and stayers."""
    title = translate(
        "Why the criteria changed in {area}, {first}-{last}",
        lang,
        area=area,
        first=first,
        last=last,
    )
    table = Table(title=title)
    for heading in ("Criterion", "Component", "Points", "Persons"):
        table.add_column(translate(heading, lang))
    for row in decomposition.to_dict("records"):
        table.add_row(
            str(row["criterion"]),
            translate(f"component {row['component']}", lang),
            _cell(row["contribution_pp"], lang, 2),
            _cell(row["persons"], lang, 0),
        )
    return table


def _moves_table(flow_table: pd.DataFrame, lang: Language) -> Table:
    """The movers out of and into the area by category and the other area."""
    moves = Table(title=translate("Movers out and in", lang))
    for heading in ("Direction", "Category", "Area", "Persons"):
        moves.add_column(translate(heading, lang))
    for row in flow_table.to_dict("records"):
        other = row["other_area_id"]
        moves.add_row(
            translate(f"direction {row['direction']}", lang),
            translate(f"flow {row['category']}", lang),
            "" if other is None or other != other else str(other),
            _cell(row["persons"], lang, 0),
        )
    return moves


def _save_flows(out: Path, decomposition: pd.DataFrame, flow_table: pd.DataFrame) -> None:
    """Write both tables to ``--out``; a table file has the decomposition, disclosure-marked."""
    from boligmonitor.disclosure import marked

    both = marked(decomposition) if out.suffix.lower() != ".json" else decomposition
    save(
        out,
        {
            "decomposition": decomposition.to_dict("records"),
            "flows": flow_table.to_dict("records"),
        },
        both,
    )


def outlook_command(
    year: Annotated[
        int,
        typer.Option("--year", "-y", min=YEAR_MIN, max=YEAR_MAX, help="Listeåret der forudsiges."),
    ],
    workspace: WorkspaceOption = None,
    microdata: MicrodataOption = None,
    draws: Annotated[
        int, typer.Option("--draws", min=1, max=100_000, help="Antal simulationer.")
    ] = 1000,
    out: OutOption = None,
    lang: LangOption = "da",
) -> None:
    """Sandsynligheden for at hvert område er på hver liste 1. december i året, og
    overvågningslisten."""
    from boligmonitor.outlook.facet import watch_list

    chosen = language(lang)
    facet = _workspace(workspace, microdata).outlook
    frame = facet.compute(year, draws) if workspace is not None else facet.outlook(year, draws)
    watched = watch_list(frame)
    table = Table(title=translate("Watch list for 1 December {year}", chosen, year=year))
    for heading in ("Area", "List", "Probability", "Change", "Flip criterion", "Persons"):
        table.add_column(translate(heading, chosen))
    for row in watched.to_dict("records"):
        change = row["change"]
        table.add_row(
            str(row["area_name"]),
            str(row["designation"]),
            fmt_pct(100 * float(row["probability"]), 0, chosen),
            "–" if change is None or change != change else fmt_pct(100 * float(change), 0, chosen),
            ""
            if row["flip_criterion"] is None or row["flip_criterion"] != row["flip_criterion"]
            else str(row["flip_criterion"]),
            _cell(row["flip_persons"], chosen, 0),
        )
    console.print(table)
    if watched.empty:
        console_err.print(translate("No area is close to a change.", chosen))
    save(out, frame.to_dict("records"), frame)


def register(app: typer.Typer) -> None:
    """Add ``flows`` and ``outlook`` to the main app."""
    app.command("flows")(flows_command)
    app.command("outlook")(outlook_command)
