"""CLI: ``boligmonitor registers import`` - DST-layout registers into a microdata folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from boligmonitor.cli.common import LangOption, console, language
from boligmonitor.i18n import fmt_number, translate

__all__ = ["register"]

registers_app = typer.Typer(
    help="Registre i Danmarks Statistiks layout (SAS, Parquet, CSV) til mikrodata.",
    no_args_is_help=True,
)


@registers_app.command("import")
def import_command(
    folder: Annotated[Path, typer.Argument(help="Mappe med registerfiler og geo/.")],
    years: Annotated[str, typer.Option("--years", help="År, fx 2019-2024.")],
    mapping: Annotated[
        str, typer.Option("--mapping", help="Layout (dst) eller egen YAML-fil med base: dst.")
    ] = "dst",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Mikrodatamappe (standard: DIR/microdata).")
    ] = None,
    lang: LangOption = "da",
) -> None:
    """Læs registerfiler (BEF, UDDF, IND, AKM, DREAM, KRAF, BOL) ind som mikrodata."""
    from boligmonitor.cli.microdata import parse_years
    from boligmonitor.registers import import_registers

    chosen = language(lang)
    report = import_registers(folder, parse_years(years), mapping, out, progress=True)
    persons = sum(report.persons.values())
    console.print(
        translate(
            "Wrote {out}: {persons} person-years in {years} years, {dwellings} dwellings",
            chosen,
            out=report.out,
            persons=fmt_number(persons, 0, chosen),
            years=len(report.persons),
            dwellings=fmt_number(report.dwellings, 0, chosen),
        ),
        highlight=False,
    )
    for variable, codes in sorted(report.fallbacks.items()):
        total = sum(codes.values())
        listed = ", ".join(
            f"{code} ({fmt_number(n, 0, chosen)})" for code, n in sorted(codes.items())
        )
        console.print(
            translate(
                "{variable}: {n} rows with codes the mapping does not list, translated by its "
                "'otherwise' rule: {codes}",
                chosen,
                variable=variable,
                n=fmt_number(total, 0, chosen),
                codes=listed,
            ),
            highlight=False,
        )


def register(app: typer.Typer) -> None:
    """Add the ``registers`` commands to the main app."""
    app.add_typer(registers_app, name="registers")
