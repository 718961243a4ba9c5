"""CLI commands for udviklingsplaner (§ 168 a): ``udviklingsplan show|check|what-if``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table as RichTable

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
    wrote,
)
from boligmonitor.errors import InputError
from boligmonitor.i18n import Language, fmt_number, fmt_pct, translate

if TYPE_CHECKING:
    from boligmonitor.udviklingsplan.calculate import PlanResult
    from boligmonitor.udviklingsplan.facet import UdviklingsplanFacet
    from boligmonitor.udviklingsplan.plan import Measure


__all__ = ["register"]

app = typer.Typer(
    help="Udviklingsplaner (almenboligloven § 168 a): højst 40 % almene familieboliger i 2030.",
    no_args_is_help=True,
)
AreaArgument = Annotated[str, typer.Argument(help="Områdets id, fx 'BO0005'.")]
PlanOption = Annotated[Path | None, typer.Option("--plan", help="Planfil (YAML eller Excel).")]
StockOption = Annotated[
    Path | None, typer.Option("--stock", help="Boligbestand pr. område og år (CSV/Excel).")
]
MicrodataOption = Annotated[
    Path | None, typer.Option("--microdata", help="Mikrodata: boligbestand fra boliger × ejerform.")
]
YearOption = Annotated[
    int | None,
    typer.Option(
        "--stock-year",
        min=YEAR_MIN,
        max=YEAR_MAX,
        help="Året (1. januar) bestanden fra mikrodata gælder (i år).",
    ),
]


def _facet(
    workspace: Path | None,
    stock: Path | None,
    microdata: Path | None,
    year: int | None,
    plan: Path | None,
) -> UdviklingsplanFacet:
    ws = open_workspace(workspace)
    facet = ws.udviklingsplaner
    if microdata is not None:
        ws.microdata.load(microdata)
        facet.stock_from_microdata(year if year is not None else dt.date.today().year)
    if stock is not None:
        facet.load_stock(stock)
    if plan is not None:
        facet.load_plans(plan)
    return facet


def _print_result(result: PlanResult, facet: UdviklingsplanFacet, lang: Language) -> None:
    from boligmonitor.udviklingsplan.tables import additional_text, years_frame

    table = RichTable(title=f"{result.area_name or result.area_id} ({result.area_id})")
    for label in ("1 January", "Public family dwellings", "Dwellings in total",
                  "Share of public family dwellings", "At most 40 %", "Gap in dwellings",
                  "Households re-housed the year before"):  # fmt: skip
        table.add_column(translate(label, lang), justify="right")
    for row in years_frame(result, facet.rules).to_dict("records"):
        table.add_row(
            str(row["year"]),
            fmt_number(row["almen_family"], 0, lang),
            fmt_number(row["total"], 0 if float(row["total"]).is_integer() else 2, lang),
            fmt_pct(100 * row["share"], 1, lang),
            translate("yes" if row["met"] else "no", lang),
            fmt_number(row["gap"], 0, lang),
            fmt_number(row["rehoused_previous_year"], 0, lang),
        )
    console.print(table)
    if result.met_at_deadline:
        message = translate("Met from 1 January {year}.", lang, year=result.first_met_year)
        console.print(message)
        return
    console.print(translate("Not met by 1 January 2030. Smallest additional measure:", lang))
    for extra in result.additional:
        console.print(f"  {translate('or', lang)} {additional_text(extra, lang)}")


def _write(
    out: Path | None, results: list[PlanResult], facet: UdviklingsplanFacet, lang: Language
) -> None:
    import pandas as pd

    from boligmonitor.udviklingsplan.excel import write_status_workbook
    from boligmonitor.udviklingsplan.tables import result_record, years_frame

    if out is None:
        return
    if out.suffix.lower() == ".xlsx":
        written = write_status_workbook(out, results, facet.rules, lang)
        wrote(written)
        return
    frames = [years_frame(r, facet.rules) for r in results]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    save(out, [result_record(r, facet.rules, lang) for r in results], frame)


@app.command("show")
def show(
    area: AreaArgument,
    plan: PlanOption = None,
    stock: StockOption = None,
    microdata: MicrodataOption = None,
    stock_year: YearOption = None,
    workspace: WorkspaceOption = None,
    out: OutOption = None,
    lang: LangOption = "da",
) -> None:
    """Vis et områdes plan år for år frem til 2030: andel, mangel og genhusning."""
    chosen = language(lang)
    facet = _facet(workspace, stock, microdata, stock_year, plan)
    result = facet.result(area)
    _print_result(result, facet, chosen)
    _write(out, [result], facet, chosen)


@app.command("check")
def check(
    area: Annotated[str | None, typer.Argument(help="Områdets id (uden: alle).")] = None,
    plan: PlanOption = None,
    stock: StockOption = None,
    microdata: MicrodataOption = None,
    stock_year: YearOption = None,
    published: Annotated[
        bool, typer.Option("--published/--workspace-lists", help="Listerne: de offentliggjorte.")
    ] = True,
    workspace: WorkspaceOption = None,
    out: OutOption = None,
    lang: LangOption = "da",
) -> None:
    """Valider planerne; vis områder, der skal have en plan, og planer, der ikke kræves."""
    import pandas as pd

    from boligmonitor.store import Table
    from boligmonitor.udviklingsplan.obligations import (
        memberships_from_designations,
        published_memberships,
    )

    chosen = language(lang)
    facet = _facet(workspace, stock, microdata, stock_year, plan)
    memberships = published_memberships()
    if not published:
        stored = facet.store.read_or_none(Table.DESIGNATIONS)
        if stored is None:
            raise InputError.single("workspace", "no stored designations (run designate)")
        memberships = memberships_from_designations(stored)
    frame = facet.overview(memberships)
    if area is not None:
        frame = frame[frame["area_id"] == area]
    table = RichTable(title=translate("Development plans: status", chosen))
    for label in ("Area id", "Status", "Plan", "Share 1 January 2030", "Met from"):
        table.add_column(translate(label, chosen))
    for row in frame.to_dict("records"):
        share = row["share_2030"]
        table.add_row(
            str(row["area_id"]),
            translate(str(row["status"]), chosen),
            translate(row["flag"] if row["flag"] else "yes", chosen),
            "–" if pd.isna(share) else fmt_pct(100 * share, 1, chosen),
            "–" if pd.isna(row["first_met_year"]) else str(int(row["first_met_year"])),
        )
    console.print(table)
    if out is not None and out.suffix.lower() == ".xlsx":
        _write(out, facet.results(), facet, chosen)
    else:
        save(out, frame.to_dict("records"), frame)


@app.command("what-if")
def what_if(
    area: AreaArgument,
    add: Annotated[
        list[str] | None,
        typer.Option("--add", help="Ekstra tiltag KIND=ANTAL@DATO, fx sell=50@2027-06-30."),
    ] = None,
    plan: PlanOption = None,
    stock: StockOption = None,
    microdata: MicrodataOption = None,
    stock_year: YearOption = None,
    workspace: WorkspaceOption = None,
    out: OutOption = None,
    lang: LangOption = "da",
) -> None:
    """Planen med ekstra tiltag og det mindste yderligere tiltag af hver slags."""
    chosen = language(lang)
    facet = _facet(workspace, stock, microdata, stock_year, plan)
    extra = [_parse_measure(text, facet) for text in add or []]
    result = facet.what_if(area, extra)
    _print_result(result, facet, chosen)
    _write(out, [result], facet, chosen)


def _parse_measure(text: str, facet: UdviklingsplanFacet) -> Measure:
    """``KIND=AMOUNT@YYYY-MM-DD`` as a measure."""
    from boligmonitor.udviklingsplan.plan import Measure

    try:
        kind, rest = text.split("=", 1)
        amount, date = rest.split("@", 1)
        count, day = int(amount), dt.date.fromisoformat(date)
    except ValueError:
        raise InputError.single(
            "--add", "'{text}' is not KIND=AMOUNT@YYYY-MM-DD", text=text
        ) from None
    if kind not in facet.rules.kind_ids:
        raise InputError.single(
            "--add",
            "unknown kind '{kind}' ({value})",
            kind=kind,
            value=", ".join(facet.rules.kind_ids),
        )
    if count <= 0 or day >= facet.rules.target.deadline:
        raise InputError.single(
            "--add", "'{text}': amount must be positive, date before 2030", text=text
        )
    commercial = facet.rules.kind(kind).to_category == "commercial_m2"
    return Measure(kind=kind, date=day, m2=count if commercial else None,
                   dwellings=None if commercial else count)  # fmt: skip


def register(parent: typer.Typer) -> None:
    """Add the ``udviklingsplan`` commands to the main app."""
    parent.add_typer(app, name="udviklingsplan")
