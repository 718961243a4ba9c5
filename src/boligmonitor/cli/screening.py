"""CLI commands for Copenhagen's udsatte byområder: ``screen``, ``rounds``, ``gap`` and
``screen-methods``."""

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
    known_output,
    language,
    open_workspace,
    save,
    wrote,
)
from boligmonitor.i18n import Language, fmt_number, fmt_pct, localized, translate

if TYPE_CHECKING:
    from boligmonitor.monitor.gap import GapReport
    from boligmonitor.screening.compare import MethodComparison
    from boligmonitor.screening.rounds import RoundComparison
    from boligmonitor.screening.screen import ScreeningResult
    from boligmonitor.workspace import Workspace

from boligmonitor.progress import Steps

__all__ = ["register"]

YearsOption = Annotated[
    list[int] | None,
    typer.Option(
        "--year", "-y", min=YEAR_MIN, max=YEAR_MAX, help="År (kan gentages). Standard: alle."
    ),
]

ScreeningInput = Annotated[
    Path | None, typer.Argument(help="Enhedsstatistik (CSV, Parquet, Excel).")
]
DataYearOption = Annotated[
    int, typer.Option("--year", "-y", min=YEAR_MIN, max=YEAR_MAX, help="Dataår, der screenes.")
]
MethodOption = Annotated[str, typer.Option("--method", "-m", help="Metode-id eller YAML-fil.")]
CompareOption = Annotated[
    list[str] | None,
    typer.Option("--compare", help="Sammenlign med en anden metode (kan gentages)."),
]
UnitsOption = Annotated[
    Path | None, typer.Option("--units", help="Enhedernes geometri (unit_id, geometry_wkt).")
]
MicrodataOption = Annotated[
    Path | None, typer.Option("--microdata", help="Mikrodatamappe (i stedet for statistik).")
]
GridOption = Annotated[
    str,
    typer.Option("--unit", help="Med --microdata: screening_unit, dkn100 eller dkn250."),
]
RoundOption = Annotated[
    int | None,
    typer.Option(
        "--round", min=YEAR_MIN, max=YEAR_MAX, help="Udpegningsrunde (standard: dataåret)."
    ),
]
ScreeningOutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        "-o",
        help="Skriv resultatet (.xlsx, .csv, .json, .geojson).",
        callback=known_output,
    ),
]


def _label(criterion: str, lang: Language, reference: str) -> str:
    """A criterion's label from the reference dataset the method or comparison uses."""
    from boligmonitor.monitor.reference import load_reference

    return load_reference(reference).criterion(criterion).label(lang)


def _value(value: object, lang: Language) -> str:
    import pandas as pd

    if value is None or pd.isna(value):  # type: ignore[call-overload]  # NaN, or NA
        return "–"
    return fmt_number(float(value), 1, lang)  # type: ignore[arg-type]


def _areas_table(result: ScreeningResult, lang: Language) -> Table:
    """The areas as published: values resting on too few persons are suppressed ("–")."""
    import pandas as pd

    from boligmonitor.screening.export import disclosed_areas

    criteria = [c.id for c in result.method.criteria]
    title = translate("Vulnerable urban areas", lang)
    table = Table(title=f"{title} {result.round_year} ({result.method.id}, data {result.year})")
    headings = [translate("Area", lang), "Status", translate("Units", lang)]
    labels = [_label(c, lang, result.method.reference) for c in criteria]
    for heading in (*headings, translate("Residents", lang), *labels):
        table.add_column(heading, overflow="fold")
    status = {
        "designated": translate("designated", lang),
        "below_minimum": translate("too small", lang),
    }
    for row in disclosed_areas(result).to_dict(orient="records"):
        table.add_row(
            str(row["area_id"]),
            status[str(row["status"])]
            + (translate(" (isolated)", lang) if row["isolated"] else ""),
            str(row["n_units"]),
            "–" if pd.isna(row["residents"]) else fmt_number(int(row["residents"]), 0, lang),
            *[_value(row[c], lang) for c in criteria],
        )
    return table


def _comparison_table(comparison: MethodComparison, lang: Language) -> Table:
    table = Table(title=translate("Methods compared", lang))
    for heading in (
        "A",
        "B",
        translate("Both", lang),
        translate("Only A", lang),
        translate("Only B", lang),
        "Jaccard",
    ):
        table.add_column(heading)
    for row in comparison.agreement.to_dict(orient="records"):
        table.add_row(
            str(row["method_a"]),
            str(row["method_b"]),
            str(row["both"]),
            str(row["only_a"]),
            str(row["only_b"]),
            fmt_number(float(row["jaccard"]), 2, lang),
        )
    return table


def _load_inputs(
    ws: Workspace,
    input: Path | None,
    units: Path | None,
    microdata: Path | None,
    grid: str,
    layout: str = "native",
) -> None:
    """Store the unit statistics (from a file or from microdata) and the unit geometry."""
    if microdata is not None:
        ws.microdata.load(microdata, layout=layout)
        ws.screening.unit_statistics_from_microdata(unit=grid)
        polygons = microdata / "units.parquet"  # the synthetic city's unit polygons
        if grid == "screening_unit" and units is None and polygons.is_file():
            units = polygons
    if input is not None:
        ws.screening.load_unit_statistics(input)
    if units is not None:
        ws.screening.load_units(units)


def _print_screening(result: ScreeningResult, lang: Language) -> None:
    console.print(_areas_table(result, lang))
    skipped = int((~result.units["screened"].astype(bool)).sum())
    if skipped:
        console.print(
            translate(
                "{skipped} units not screened (few residents or missing values).",
                lang,
                skipped=skipped,
            )
        )


def _compare_methods(
    ws: Workspace,
    steps: Steps,
    year: int,
    method: str,
    compare: list[str] | None,
    lang: Language,
) -> MethodComparison | None:
    """The screening method compared with the ``--compare`` methods, if any were named."""
    if not compare:
        return None
    steps.advance(translate("Comparing methods", lang))
    return ws.screening.compare_methods(year, [method, *compare])


def _write_result(
    ws: Workspace, steps: Steps, result: ScreeningResult, out: Path | None, lang: Language
) -> Path | None:
    """Write the screening to ``--out``, if given; the path written."""
    from boligmonitor.screening.export import write_screening

    if out is None:
        return None
    steps.advance(translate("Writing {path}", lang, path=out))
    return write_screening(out, result, ws.screening.units(), lang=lang)


def screen(
    input: ScreeningInput = None,
    year: DataYearOption = ...,  # type: ignore[assignment]
    method: MethodOption = "kk-default",
    compare: CompareOption = None,
    units: UnitsOption = None,
    microdata: MicrodataOption = None,
    grid: GridOption = "screening_unit",
    round_year: RoundOption = None,
    out: ScreeningOutOption = None,
    workspace: WorkspaceOption = None,
    lang: LangOption = "da",
    layout: LayoutOption = "native",
) -> None:
    """Screen byens enheder og udpeg udsatte byområder."""
    chosen = language(lang)
    total = 2 + bool(compare) + (out is not None)
    with open_workspace(workspace) as ws, Steps(total, lang=chosen) as steps:
        steps.advance(translate("Loading input", chosen))
        _load_inputs(ws, input, units, microdata, grid, layout)
        steps.advance(translate("Screening {year}", chosen, year=year))
        result = ws.screen(year, method, round_year)
        comparison = _compare_methods(ws, steps, year, method, compare, chosen)
        written = _write_result(ws, steps, result, out, chosen)
    _print_screening(result, chosen)
    if comparison is not None:
        console.print(_comparison_table(comparison, chosen))
    if written is not None:
        wrote(written)


def _rounds_table(comparison: RoundComparison, lang: Language) -> Table:
    title = translate("Rounds compared", lang)
    table = Table(
        title=f"{title} {comparison.old_round} → {comparison.new_round} (data {comparison.year})"
    )
    table.add_column(translate("Group", lang))
    for criterion in comparison.criteria.columns:
        table.add_column(_label(str(criterion), lang, comparison.reference), justify="right")
    names = {
        "old_areas": translate("{round} areas", lang, round=comparison.old_round),
        "new_areas": translate("{round} areas", lang, round=comparison.new_round),
        "difference": translate("Difference", lang),
        "added": translate("Units added", lang),
        "dropped": translate("Units dropped", lang),
    }
    for group, row in comparison.criteria.iterrows():
        table.add_row(names[str(group)], *[_value(v, lang) for v in row.tolist()])
    return table


def rounds(
    old: Annotated[
        int, typer.Argument(min=YEAR_MIN, max=YEAR_MAX, help="Den gamle runde, fx 2017.")
    ],
    new: Annotated[int, typer.Argument(min=YEAR_MIN, max=YEAR_MAX, help="Den nye runde, fx 2021.")],
    year: Annotated[
        int | None,
        typer.Option("--year", "-y", min=YEAR_MIN, max=YEAR_MAX, help="Dataår for kriterierne."),
    ] = None,
    out: OutOption = None,
    workspace: WorkspaceOption = None,
    lang: LangOption = "da",
) -> None:
    """Sammenlign to udpegningsrunder: enheder og områder, der er kommet til, udgået og bevaret."""
    chosen = language(lang)
    with open_workspace(workspace, read_only=True) as ws:
        comparison = ws.screening.compare_rounds(old, new, year)
    console.print(_rounds_table(comparison, chosen))
    console.print(
        translate(
            "Units: {a} added, {d} dropped, {k} kept.",
            chosen,
            a=len(comparison.units_added),
            d=len(comparison.units_dropped),
            k=len(comparison.units_kept),
        )
    )
    save(out, comparison.as_json(), comparison.criteria.reset_index(names="group"))


def _gap_table(report: GapReport, lang: Language) -> Table:
    """Gaps and milestones with one decimal (rounded half up, as published) and their unit."""
    from boligmonitor.screening.gap_text import fmt_gap, met_text, note_text

    table = Table(title=translate("Gap to the rest of the city", lang))
    headings = (
        translate("Criterion", lang),
        translate("Year", lang),
        translate("Gap", lang) + f" {report.records[0].baseline_year}",
        translate("Milestone", lang),
        translate("Gap", lang),
        translate("Progress", lang, msgctxt="gap"),
        translate("Milestone met", lang),
    )
    for heading in headings:
        table.add_column(heading, justify="left" if heading == headings[0] else "right")
    notes = any(r.note for r in report.records)
    if notes:
        table.add_column("Note", overflow="fold")
    for r in report.records:
        table.add_row(
            localized(r.label_da, r.label_en, lang),
            str(r.year),
            fmt_gap(r.baseline_gap, r, lang),
            fmt_gap(r.milestone, r, lang),
            fmt_gap(r.gap, r, lang),
            fmt_pct(r.progress_pct, 2, lang),
            met_text(r.milestone_met, lang),
            *([note_text(r, lang)] if notes else []),
        )
    return table


def _vision_text(report: GapReport, lang: Language) -> str:
    from boligmonitor.screening.gap_text import vision_verdict

    s = report.summary
    met, total = s.criteria_met, s.criteria_total
    verdict = vision_verdict(s, len(report.unknown(s.year)), lang)
    return translate(
        "Vision in {year}: {verdict} — milestone met on {met} of {total} criteria.",
        lang,
        year=s.year,
        verdict=verdict,
        met=met,
        total=total,
    )


def gap(
    reference: Annotated[
        str | None,
        typer.Option("--reference", help="Referencedata, fx kk-2021 (Tabel 1 og 2)."),
    ] = None,
    tracking: Annotated[
        str, typer.Option("--tracking", help="fixed (områderne fra første runde) eller updated.")
    ] = "fixed",
    baseline_year: Annotated[
        int | None,
        typer.Option(
            "--baseline-year", min=YEAR_MIN, max=YEAR_MAX, help="Basisår (standard: første runde)."
        ),
    ] = None,
    published_baseline: Annotated[
        str | None,
        typer.Option("--published-baseline", help="Brug publicerede basisefterslæb (fx kk-2021)."),
    ] = None,
    year: YearsOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Skriv resultatet (.json, .csv, .xlsx).", callback=known_output
        ),
    ] = None,
    workspace: WorkspaceOption = None,
    lang: LangOption = "da",
) -> None:
    """Efterslæb, milepæl og vision for de udsatte byområder mod resten af byen."""
    chosen = language(lang)
    with open_workspace(workspace) as ws:
        report = ws.screening.gap(reference, tracking, baseline_year, published_baseline, year)
    console.print(_gap_table(report, chosen))
    console.print(_vision_text(report, chosen), highlight=False)
    save(out, report.as_json(), report.frame())


def screen_methods(lang: LangOption = "da") -> None:
    """Vis de medfølgende screeningsmetoder."""
    from boligmonitor.screening.method import load_method, shipped_methods

    chosen = language(lang)
    table = Table(title=translate("Screening methods", chosen))
    for heading in ("Id", translate("Rule", chosen), translate("Title", chosen)):
        table.add_column(heading)
    for method_id in shipped_methods():
        method = load_method(method_id)
        table.add_row(method.id, method.rule.kind, method.title(chosen))
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add the screening and gap commands to the main app."""
    app.command()(screen)
    app.command()(rounds)
    app.command()(gap)
    app.command("screen-methods")(screen_methods)
