"""CLI commands for statutory designations: ``designate``, ``explain`` and ``rules``."""

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
    print_omitted,
    save_built,
    shown_rows,
)
from boligmonitor.data import example_path
from boligmonitor.errors import InputError
from boligmonitor.i18n import Language, fmt_number, localized, translate

if TYPE_CHECKING:
    from boligmonitor.rules.evaluate import AreaDesignation
    from boligmonitor.rules.model import RuleSet
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


def _labels(r: AreaDesignation, rule_set: RuleSet, lang: Language) -> list[str]:
    """What an area holds, what is undecided, and what a larger population would give."""
    from boligmonitor.rules.explain import designation_label

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
    return labels


def _wide_table(results: list[AreaDesignation], ws: Workspace, lang: Language) -> Table:
    """Every criterion as its own column (``--wide``)."""
    criteria = list(dict.fromkeys(c for r in results for c in r.criteria))
    table = Table(title=translate("Designations", lang), show_lines=False)
    headings = [translate(h, lang) for h in ("Area", "Name", "Year", "Rule set", "Residents")]
    for heading in (*headings, *criteria, translate("Designations", lang)):
        table.add_column(heading, overflow="fold")
    for r in results:
        rule_set = ws.designations.rule_set(r.rule_set)
        labels = _labels(r, rule_set, lang)
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


def _compact_tables(
    results: list[AreaDesignation], ws: Workspace, lang: Language
) -> list[Table | str]:
    """One narrow table per rule set (fits 80 columns): the criteria as one symbol each in
    a fixed order, explained in a legend under the table."""
    out: list[Table | str] = []
    years = {r.year for r in results}
    for rule_set_id in dict.fromkeys(r.rule_set for r in results):
        rule_set = ws.designations.rule_set(rule_set_id)
        rows = [r for r in results if r.rule_set == rule_set_id]
        criteria = [c.id for c in rule_set.criteria if any(c.id in r.criteria for r in rows)]
        title = localized(rule_set.title_da, rule_set.title_en, lang)
        table = Table(title=title, title_justify="left", show_lines=False, pad_edge=False)
        table.add_column(translate("Area", lang), overflow="fold", max_width=28)
        if len(years) > 1:
            table.add_column(translate("Year", lang))
        table.add_column(translate("Residents", lang), justify="right")
        table.add_column(translate("Criteria", lang), no_wrap=True)
        table.add_column(translate("Designations", lang), overflow="fold")
        for r in rows:
            marks = "".join(_mark(r.criteria[c].met) if c in r.criteria else " " for c in criteria)
            cells = [f"{r.area_id} {r.area_name}" if r.area_name != r.area_id else r.area_id]
            if len(years) > 1:
                cells.append(str(r.year))
            cells += [
                fmt_number(r.residents, 0, lang),
                marks,
                ", ".join(_labels(r, rule_set, lang)) or "–",
            ]
            table.add_row(*cells)
        out.append(table)
        out.append(_legend(rule_set, criteria, lang))
    return out


def _legend(rule_set: RuleSet, criteria: list[str], lang: Language) -> str:
    """The order of the criteria symbols and what each symbol means."""
    lines = [translate("Criteria, in order:", lang)]
    lines += [
        f"  {i}. {localized(c.label_da, c.label_en, lang)}"
        for i, c in enumerate((rule_set.criterion(c) for c in criteria), start=1)
    ]
    lines.append(
        "  "
        + translate(
            "[green]✔[/] met   · not met   [yellow]?[/] unknown   (--wide: one column each)",
            lang,
        )
    )
    return "\n".join(lines) + "\n"


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
    wide: Annotated[
        bool, typer.Option("--wide", help="Én kolonne pr. kriterium (bred terminal).")
    ] = False,
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
        if not ws.designations.has_statistics():
            raise InputError.single(
                "designate",
                translate(
                    "no area statistics: give a file (for example the shipped {example}), "
                    "--microdata DIR or --workspace DIR with statistics loaded",
                    chosen,
                    example=example_path("omraader_2014_2022.csv"),
                ),
            )
        results = ws.designate(year=year, rules=rules)
        shown, left_out = shown_rows(results, out)
        if wide:
            console.print(_wide_table(list(shown), ws, chosen))
        else:
            for part in _compact_tables(list(shown), ws, chosen):
                console.print(part, highlight=False)
        print_omitted(left_out, len(results), out, chosen)
        save_built(
            out, lambda: [r.as_record() for r in results], lambda: designations_frame(results)
        )


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
    import yaml

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
