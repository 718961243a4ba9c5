"""CLI commands for goals and the status report: ``goals list|show|evaluate`` and
``report status``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from boligmonitor.cli.common import (
    YEAR_MAX,
    YEAR_MIN,
    LangOption,
    LayoutOption,
    OutOption,
    WorkspaceOption,
    console,
    language,
    open_workspace,
    save,
    wrote,
)
from boligmonitor.errors import InputError
from boligmonitor.i18n import N_, Language, localized, translate

if TYPE_CHECKING:
    from boligmonitor.monitor.goals.evaluate import Evaluation
    from boligmonitor.monitor.goals.model import Catalogue


__all__ = ["register"]

CatalogueOption = Annotated[
    str | None,
    typer.Option("--catalogue", "-c", help="Målkatalog: id (kk-2017-2025) eller YAML-fil."),
]
SourceOption = Annotated[
    str,
    typer.Option(
        "--source",
        help="Tal: published (katalogets), microdata (afledt af arbejdsområdets mikrodata) "
        "eller auto.",
    ),
]
YearOption = Annotated[
    int, typer.Option("--year", "-y", min=YEAR_MIN, max=YEAR_MAX, help="Statusår, fx 2021.")
]
MicrodataOption = Annotated[
    Path | None,
    typer.Option("--microdata", "-m", help="Mikrodatamappe: målenes tal afledes af den."),
]

goals_app = typer.Typer(help="Politikkens mål: vis og vurdér dem.", no_args_is_help=True)
report_app = typer.Typer(help="Rapporter: statusrapporten i HTML og PDF.", no_args_is_help=True)


def _title(catalogue: Catalogue, number: int, lang: Language) -> str:
    goal = catalogue.goal(number)
    return localized(goal.title_da, goal.title_en, lang)


def _catalogue(workspace: Path | None, catalogue: str | None, source: str) -> Catalogue:
    with open_workspace(workspace, read_only=True) as ws:
        return ws.goals.catalogue(catalogue, source)


@goals_app.command("list")
def goals_list(
    catalogue: CatalogueOption = None,
    workspace: WorkspaceOption = None,
    source: SourceOption = "published",
    lang: LangOption = "da",
) -> None:
    """Vis målene med tilgang, ansvarlige forvaltninger og antal indikatorer."""
    chosen = language(lang)
    cat = _catalogue(workspace, catalogue, source)
    table = Table(title=localized(cat.title_da, cat.title_en, chosen))
    for heading in (
        N_("Goal"),
        N_("Approach"),
        N_("Administration"),
        N_("Title"),
        N_("Indicators"),
    ):
        table.add_column(translate(heading, chosen), overflow="fold")
    for goal in cat.goals:
        approach = cat.approach(goal.approach)
        table.add_row(
            str(goal.number),
            localized(approach.title_da, approach.title_en, chosen),
            ", ".join(goal.owners),
            localized(goal.title_da, goal.title_en, chosen),
            str(len(goal.indicators)),
        )
    console.print(table)


@goals_app.command("show")
def goals_show(
    number: Annotated[int, typer.Argument(min=1, max=99, help="Målets nummer (1-18).")],
    catalogue: CatalogueOption = None,
    workspace: WorkspaceOption = None,
    source: SourceOption = "published",
    lang: LangOption = "da",
) -> None:
    """Vis ét mål: indikatorer, mål og tal pr. statusår."""
    from boligmonitor.monitor.goals.explain import fmt_value

    chosen = language(lang)
    cat = _catalogue(workspace, catalogue, source)
    try:
        goal = cat.goal(number)
    except KeyError:
        raise typer.BadParameter(f"no goal {number}", param_hint="NUMBER") from None
    heading = translate("Goal {number}", chosen, number=goal.number)
    console.print(f"[bold]{heading}: {_title(cat, number, chosen)}[/]", highlight=False)
    table = Table()
    for column in (
        N_("Indicator"),
        N_("Year"),
        N_("Udsatte byområder"),
        N_("Copenhagen"),
        N_("Note"),
    ):
        table.add_column(translate(column, chosen), overflow="fold")
    for indicator in goal.indicators:
        for value in indicator.series():
            table.add_row(
                indicator.id,
                str(value.year),
                fmt_value(value.area, indicator, chosen, published=True)
                if value.available
                else "–",
                fmt_value(value.city, indicator, chosen, published=True)
                if value.city is not None
                else "",
                localized(value.note_da or "", value.note_en or value.note_da or "", chosen),
            )
    console.print(table)
    for indicator in goal.indicators:
        for note in indicator.notes:
            mark = translate("Break in series", chosen) + " " if note.breaks_series else ""
            years = ", ".join(map(str, note.years))
            text = localized(note.text_da, note.text_en or note.text_da, chosen)
            console.print(f"{indicator.id}: {mark}({years}) {text}", highlight=False)


def _verdict_table(evaluation: Evaluation, lang: Language) -> Table:
    from boligmonitor.monitor.goals.explain import verdict_label

    table = Table(title=translate("Verdicts {year}", lang, year=evaluation.year))
    for heading in (N_("Goal"), N_("Title"), N_("Verdict"), N_("The status report"), N_("Agrees")):
        table.add_column(translate(heading, lang), overflow="fold")
    for goal in evaluation.goals:
        agrees = {True: "✔", False: "≠", None: ""}[goal.agrees]
        table.add_row(
            str(goal.number),
            _title(evaluation.catalogue, goal.number, lang),
            verdict_label(goal.verdict, lang),
            verdict_label(goal.published, lang),
            agrees,
        )
    return table


@goals_app.command("evaluate")
def goals_evaluate(
    year: YearOption,
    catalogue: CatalogueOption = None,
    workspace: WorkspaceOption = None,
    source: SourceOption = "auto",
    microdata: MicrodataOption = None,
    out: OutOption = None,
    lang: LangOption = "da",
    layout: LayoutOption = "native",
) -> None:
    """Vurdér målene i et statusår: fremgang, ingen klar ændring, tilbagegang eller usikker."""
    from boligmonitor.monitor.goals.explain import disagreement_text
    from boligmonitor.monitor.goals.records import evaluation_frame, evaluation_records

    chosen = language(lang)
    with open_workspace(workspace, read_only=microdata is None) as ws:
        if microdata is not None:
            ws.microdata.load(microdata, layout=layout)
        evaluation = ws.goals.evaluate(year, catalogue, source)
    console.print(_verdict_table(evaluation, chosen))
    for goal in evaluation.disagreements:
        text = disagreement_text(goal, evaluation.catalogue, chosen)
        heading = translate("Goal {number}", chosen, number=goal.number)
        console.print(f"{heading}: {text}", highlight=False, markup=False)
    save(out, evaluation_records(evaluation, chosen), evaluation_frame(evaluation, chosen))


#: The file suffixes each report format may be written to.
_SUFFIXES = {"html": (".html", ".htm"), "pdf": (".pdf",)}


def _target(year: int, format: str, out: Path | None) -> Path:
    """The report file: ``--out`` when its suffix fits ``--format``, else the default name.

    Raises
    ------
    InputError
        For an unknown format, or an ``--out`` suffix of another format (nothing is written).
    """
    if format not in _SUFFIXES:
        raise InputError.single(
            "--format", "unknown format '{format}'; use html or pdf", format=format
        )
    if out is None:
        return Path(f"statusrapport-{year}.{format}")
    allowed = _SUFFIXES[format]
    if out.suffix.lower() not in allowed:
        raise InputError.single(
            out,
            "--format {format} is written to {allowed}, not '{suffix}'",
            column="--out",
            format=format,
            allowed=" / ".join(allowed),
            suffix=out.suffix,
        )
    return out


@report_app.command("status")
def report_status(
    year: YearOption,
    format: Annotated[str, typer.Option("--format", "-f", help="html eller pdf.")] = "html",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Fil (standard: statusrapport-ÅR.FORMAT).")
    ] = None,
    catalogue: CatalogueOption = None,
    workspace: WorkspaceOption = None,
    source: SourceOption = "auto",
    microdata: MicrodataOption = None,
    lang: LangOption = "da",
    layout: LayoutOption = "native",
) -> None:
    """Lav statusrapporten for et statusår som HTML eller PDF."""
    from boligmonitor.io.export import atomic_path

    language(lang)
    target = _target(year, format, out)
    with open_workspace(workspace, read_only=microdata is None) as ws:
        if microdata is not None:
            ws.microdata.load(microdata, layout=layout)
        payload = ws.reports.status(year, format, catalogue, source, lang)
    with atomic_path(target) as temporary:
        temporary.write_bytes(payload)
    wrote(target)


def register(app: typer.Typer) -> None:
    """Add the goal and report commands to the main app."""
    app.add_typer(goals_app, name="goals")
    app.add_typer(report_app, name="report")
