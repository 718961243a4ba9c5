"""CLI commands for microdata: ``synth`` (synthetic city/nation) and ``indicators``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from boligmonitor.cli.common import (
    PERSONS_MAX,
    SEED_MAX,
    LangOption,
    LayoutOption,
    OutOption,
    WorkspaceOption,
    command_language,
    console,
    language,
    open_workspace,
    wrote,
)
from boligmonitor.errors import InputError
from boligmonitor.i18n import Language, fmt_number, localized, translate
from boligmonitor.progress import Steps

if TYPE_CHECKING:
    import pandas as pd


__all__ = ["parse_years", "register"]


def parse_years(text: str) -> list[int]:
    """Parse ``2015-2025``, ``2017,2021`` or ``2021`` into a list of years.

    Raises
    ------
    InputError
        When the text is not such a list.

    Examples
    --------
    >>> parse_years("2019-2021")
    [2019, 2020, 2021]
    """
    years: list[int] = []
    try:
        for part in text.split(","):
            first, _, last = part.strip().partition("-")
            years.extend(range(int(first), int(last or first) + 1))
    except ValueError:
        raise InputError.single(
            "--years", "'{text}' is not a year list like 2015-2025", text=text
        ) from None
    if not years or any(not 1990 <= y <= 2100 for y in years):
        raise InputError.single("--years", "'{text}' is not a year list like 2015-2025", text=text)
    return sorted(set(years))


def synth(
    out_dir: Annotated[Path, typer.Argument(help="Mappe, der skal skrives til.")],
    scale: Annotated[str, typer.Option("--scale", help="city eller nation.")] = "city",
    years: Annotated[str, typer.Option("--years", help="År, fx 2015-2025.")] = "2015-2025",
    seed: Annotated[
        int, typer.Option("--seed", min=0, max=SEED_MAX, help="Tilfældighedsfrø.")
    ] = 2017,
    persons: Annotated[
        int | None,
        typer.Option(
            "--persons", min=1, max=PERSONS_MAX, help="Antal personer (standard: skalaens)."
        ),
    ] = None,
    layout: Annotated[
        str, typer.Option("--layout", help="native eller dst (registerfiler som hos DST).")
    ] = "native",
) -> None:
    """Generér syntetiske mikrodata (by eller land) som Parquet-filer med kendt facit."""
    from boligmonitor.synth import SCALES, generate

    if scale not in SCALES:
        raise InputError.single(
            "--scale", "unknown scale '{scale}'; use city or nation", scale=scale
        )
    if layout not in ("native", "dst"):
        raise InputError.single(
            "--layout", "unknown layout '{layout}'; use native or dst", layout=layout
        )
    native = out_dir if layout == "native" else out_dir / "native"
    truth = generate(
        native,
        "city" if scale == "city" else "nation",
        parse_years(years),
        seed,
        persons,
        progress=True,
    )
    if layout == "dst":
        from boligmonitor.registers.synthetic import write_dst_layout

        write_dst_layout(native, out_dir, parse_years(years))
    summary = translate(
        "Wrote {path}: {persons} persons, years {years}, seed {seed}",
        command_language(sys.argv[1:]),
        path=out_dir,
        persons=fmt_number(truth["persons"], 0),
        years=years,
        seed=seed,
    )
    console.print(summary, highlight=False)


def _shown(kind: str, lang: Language) -> list[tuple[str, str]]:
    """The preview's columns with their headings: for area statistics the indicator
    catalogue's measured indicators and their labels, for the city each unit criterion's."""
    if kind == "statutory":
        from boligmonitor.schema.indicators import statutory_indicators

        catalogue = statutory_indicators()
        columns = ("residents", *(i.column for i in catalogue.measured()))
        key = ("area_id", translate("Area id", lang))
        return [key, ("year", translate("Year", lang))] + [
            (c, catalogue.label(c, lang)) for c in columns
        ]
    from boligmonitor.indicators.copenhagen import CITY_INDICATORS, LIVING_AREA

    criteria = [
        (i.id, localized(i.label_da, i.label_en, lang)) for i in (LIVING_AREA, *CITY_INDICATORS)
    ]
    return [
        ("unit_id", translate("Unit", lang)),
        ("year", translate("Year", lang)),
        ("residents", translate("Residents", lang)),
        *criteria,
    ]


_MAX_ROWS = 25


def _cell(column: str, value: object, lang: Language) -> str:
    """One preview cell: ids and years as they are, counts whole, values with one decimal."""
    import pandas as pd

    from boligmonitor.disclosure import MARK

    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return "–"
    if column.endswith("_id") or column == "year" or value == MARK:
        return str(value)
    number = float(str(value))
    return fmt_number(number, 0 if column == "residents" else 1, lang)


def _preview(frame: pd.DataFrame, kind: str, lang: Language) -> Table:
    """The first rows (Danish number format), and how many there are in all."""
    title = translate("Indicators", lang)
    table = Table(title=f"{title} ({fmt_number(len(frame), 0, lang)})")
    shown = _shown(kind, lang)
    for column, heading in shown:
        table.add_column(heading, justify="left" if column.endswith("_id") else "right")
    columns = [column for column, _ in shown]
    for record in frame.head(_MAX_ROWS).to_dict("records"):
        table.add_row(*(_cell(c, record[c], lang) for c in columns))
    return table


def indicators(
    microdata: Annotated[Path, typer.Option("--microdata", "-m", help="Mikrodatamappe.")],
    year: Annotated[
        str | None, typer.Option("--year", "-y", help="År, fx 2021 eller 2017-2021.")
    ] = None,
    kind: Annotated[
        str, typer.Option("--kind", help="statutory (boligområder) eller city (byens enheder).")
    ] = "statutory",
    unit: Annotated[
        str, typer.Option("--unit", help="screening_unit, dkn100 eller dkn250 (kun city).")
    ] = "screening_unit",
    min_persons: Annotated[
        int,
        typer.Option(
            "--min-persons", max=PERSONS_MAX, help="Diskretionering: mindste antal personer."
        ),
    ] = 3,
    out: OutOption = None,
    lang: LangOption = "da",
    layout: LayoutOption = "native",
    workspace: WorkspaceOption = None,
) -> None:
    """Beregn indikatorer fra mikrodata, med diskretionering af små tal."""
    from boligmonitor.disclosure import check_min_persons
    from boligmonitor.indicators.exports import write_disclosed

    chosen = language(lang)
    check_min_persons(min_persons)
    years = parse_years(year) if year else None
    if kind not in ("statutory", "city"):
        raise InputError.single("--kind", "unknown kind '{kind}'; use statutory or city", kind=kind)
    with open_workspace(workspace) as ws, Steps(2, lang=chosen) as steps:
        steps.advance(translate("Loading microdata", chosen))
        ws.microdata.load(microdata, layout=layout)
        steps.advance(translate("Computing indicators", chosen))
        if kind == "statutory":
            frame = ws.microdata.disclosed_area_statistics(years, min_persons)
        else:
            frame = ws.microdata.disclosed_unit_indicators(years, unit, min_persons)
    console.print(_preview(frame, kind, chosen))
    if out is not None:
        wrote(write_disclosed(frame, out))


def register(app: typer.Typer) -> None:
    """Add the microdata commands to the main app."""
    app.command()(synth)
    app.command()(indicators)
