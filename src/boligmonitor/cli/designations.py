"""CLI commands for statutory designations: ``designate``, ``explain`` and ``rules``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
import yaml
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
    print_omitted,
    save,
    shown_rows,
)
from boligmonitor.i18n import Language, fmt_number, localized, translate

if TYPE_CHECKING:
    from boligmonitor.rules.evaluate import AreaDesignation
    from boligmonitor.workspace import Workspace


__all__ = ["register"]

RulesOption = Annotated[
    list[str] | None,
    typer.Option(
        "--rules",
        "-r",
        help="Regelsæt-id eller YAML-fil (kan gentages). Standard: "
        "de regler, der gælder i listeåret, og § 51 b.",
    ),
]
YearOption = Annotated[
    int | None, typer.Option("--year", "-y", min=YEAR_MIN, max=YEAR_MAX, help="Listeår.")
]
HistoryOption = Annotated[
    str | None,
    typer.Option(
        "--history",
        help="Listehistorik for femårsreglerne: 'official' (de offentliggjorte lister) eller en "
        "fil (CSV/Excel: area_id, year eller list_date, designation).",
    ),
]
RulesDirOption = Annotated[
    Path | None,
    typer.Option(
        "--rules-dir",
        help="Mappe med egne regelsæt; et nyt regime gælder fra sin første listedato.",
    ),
]


def _prepare(ws: Workspace, history: str | None, rules_dir: Path | None) -> None:
    """Store the list history and add the user's regimes before designating."""
    if rules_dir is not None:
        ws.designations.add_rules_dir(rules_dir)
    if history is not None:
        ws.record.load_history(history)


def _mark(met: bool | None) -> str:
    return {True: "[green]✔[/]", False: "·", None: "[yellow]?[/]"}[met]


def _table(results: list[AreaDesignation], ws: Workspace, lang: Language) -> Table:
    from boligmonitor.rules.explain import designation_label

    criteria = list(dict.fromkeys(c for r in results for c in r.criteria))
    table = Table(title=translate("Designations", lang), show_lines=False)
    for heading in ("Område", "Navn", "År", "Regelsæt", "Beboere", *criteria, "Udpegninger"):
        table.add_column(heading, overflow="fold")
    for r in results:
        rule_set = ws.designations.rule_set(r.rule_set)
        labels = [designation_label(rule_set, d, lang) for d in r.designations]
        if r.designations_unknown:
            labels.append(
                translate("unknown", lang)
                + ": "
                + ", ".join(designation_label(rule_set, d, lang) for d in r.designations_unknown)
            )
        if r.below_population_minimum and r.designations_if_population_met:
            labels.append(
                "(< "
                + fmt_number(rule_set.population_minimum, 0, lang)
                + ": "
                + ", ".join(
                    designation_label(rule_set, d, lang) for d in r.designations_if_population_met
                )
                + ")"
            )
        table.add_row(
            r.area_id,
            r.area_name,
            str(r.year),
            r.rule_set,
            fmt_number(r.residents, 0, lang),
            *[_mark(r.criteria[c].met) if c in r.criteria else "" for c in criteria],
            ", ".join(labels) or "–",
        )
    return table


def designate(
    input: Annotated[
        Path | None, typer.Argument(help="Områdestatistik (CSV, Parquet, Excel).")
    ] = None,
    year: YearOption = None,
    rules: RulesOption = None,
    out: OutOption = None,
    workspace: WorkspaceOption = None,
    lang: LangOption = "da",
    microdata: Annotated[
        Path | None,
        typer.Option("--microdata", "-m", help="Beregn områdestatistik fra mikrodata (mappe)."),
    ] = None,
    history: HistoryOption = None,
    rules_dir: RulesDirOption = None,
    layout: LayoutOption = "native",
) -> None:
    """Udpeg områder efter de statslige kriterier og vis hvorfor."""
    from boligmonitor.io.export import check_output
    from boligmonitor.rules.tables import designations_frame

    chosen = language(lang)
    check_output(out)
    with open_workspace(workspace) as ws:
        if input is not None:
            ws.load_area_statistics(input)
        if microdata is not None:  # the list year and the years it looks back to
            ws.microdata.load(microdata, layout=layout, list_year=year)
            ws.area_statistics_from_microdata(ws.microdata.designation_years(year))
        _prepare(ws, history, rules_dir)
        results = ws.designate(year=year, rules=rules)
        shown, left_out = shown_rows(results, out)
        console.print(_table(list(shown), ws, chosen))
        print_omitted(left_out, len(results), out, chosen)
        save(out, [r.as_record() for r in results], designations_frame(results))


def explain(
    area_id: Annotated[str, typer.Argument(help="Områdets id, fx 'VIBO 108'.")],
    input: Annotated[
        Path | None, typer.Argument(help="Områdestatistik (CSV, Parquet, Excel).")
    ] = None,
    year: Annotated[
        int, typer.Option("--year", "-y", min=YEAR_MIN, max=YEAR_MAX, help="Listeår.")
    ] = ...,  # type: ignore[assignment]
    rules: RulesOption = None,
    workspace: WorkspaceOption = None,
    lang: LangOption = "da",
    history: HistoryOption = None,
    rules_dir: RulesDirOption = None,
) -> None:
    """Forklar ét områdes udpegning kriterie for kriterie."""
    from boligmonitor.rules.explain import explain_text

    chosen = language(lang)
    with open_workspace(workspace, read_only=input is None and history is None) as ws:
        if input is not None:
            ws.load_area_statistics(input)
        _prepare(ws, history, rules_dir)
        results = ws.explain(area_id, year, rules)
        for result in results:
            console.print(
                explain_text(result, ws.designations.rule_set(result.rule_set), chosen),
                highlight=False,
                markup=False,
            )
            console.print()


rules_app = typer.Typer(help="Regelsæt: vis de kendte og deres indhold.", no_args_is_help=True)


@rules_app.command("list")
def rules_list(workspace: WorkspaceOption = None, lang: LangOption = "da") -> None:
    """Vis de kendte regelsæt."""
    chosen = language(lang)
    table = Table(title=translate("Rule sets", chosen))
    for heading in ("Id", "Version", "Lister", "Titel", "Udpegninger"):
        table.add_column(heading)
    with open_workspace(workspace, read_only=True) as ws:
        for rule_set in ws.designations.rule_sets():
            first, last = rule_set.list_years
            table.add_row(
                rule_set.id,
                rule_set.version,
                f"{first}–{last or ''}",
                localized(rule_set.title_da, rule_set.title_en, chosen),
                ", ".join(d.id for d in rule_set.designations),
            )
    console.print(table)


@rules_app.command("show")
def rules_show(
    rule_set_id: Annotated[str, typer.Argument(help="Regelsæt-id eller YAML-fil.")],
    workspace: WorkspaceOption = None,
) -> None:
    """Vis et regelsæt som YAML."""
    with open_workspace(workspace, read_only=True) as ws:
        rule_set = ws.designations.rule_set(rule_set_id)
    dumped = yaml.safe_dump(
        rule_set.model_dump(mode="json", exclude_none=True), allow_unicode=True, sort_keys=False
    )
    typer.echo(dumped)


def register(app: typer.Typer) -> None:
    """Add the designation commands to the main app."""
    app.command()(designate)
    app.command()(explain)
    app.add_typer(rules_app, name="rules")
