"""The ``boligmonitor`` command line: a thin Typer adapter over :class:`Workspace`.

Bad input ends with every problem listed (file, row, column) on standard error and exit code 2,
in the language of ``--lang`` (or ``BOLIGMONITOR_LANG``; Danish by default).
"""

from __future__ import annotations

import os
import sys
import warnings
from typing import Annotated

import typer
from rich.markup import escape

from boligmonitor.cli.areas import register as register_areas
from boligmonitor.cli.common import LANG_ENV, command_language, console_err, language
from boligmonitor.cli.designations import register as register_designations
from boligmonitor.cli.lazy import lazy_command
from boligmonitor.cli.microdata import register as register_microdata
from boligmonitor.cli.outlook import register as register_outlook
from boligmonitor.cli.plans import register as register_plans
from boligmonitor.cli.pools import register as register_pools
from boligmonitor.cli.record import register as register_record
from boligmonitor.cli.registers import register as register_registers
from boligmonitor.cli.report import register as register_report
from boligmonitor.cli.richhelp import import_rich_help
from boligmonitor.cli.screening import register as register_screening
from boligmonitor.cli.simulation import register as register_simulation
from boligmonitor.cli.udviklingsplan import register as register_udviklingsplan
from boligmonitor.cli.web import register as register_web
from boligmonitor.cli.workspace import register as register_workspace
from boligmonitor.engine import ENGINE_ENV, ENGINES
from boligmonitor.errors import InputError, InputWarning
from boligmonitor.i18n import translate

__all__ = ["app", "main"]

app = typer.Typer(
    name="boligmonitor",
    help="Boligmonitor: udsatte boligområder, udsatte byområder, efterslæb og helhedsplaner.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _options(
    engine: Annotated[
        str | None,
        typer.Option(
            "--engine",
            help="Beregningsmotor for mikrodata: duckdb (standard) eller pyspark "
            "(se docs/scale-out.md).",
            envvar=ENGINE_ENV,
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang", help="Sprog for tekst, tal og hjælp i alle kommandoer: da eller en."
        ),
    ] = None,
) -> None:
    """Options for every command."""
    if lang is not None:  # every command's own --lang defaults to it
        os.environ[LANG_ENV] = language(lang)
    if engine is not None:
        if engine not in ENGINES:
            raise typer.BadParameter(f"use one of {', '.join(ENGINES)}", param_hint="--engine")
        os.environ[ENGINE_ENV] = engine


register_designations(app)
register_workspace(app)
register_microdata(app)
register_screening(app)
register_report(app)
register_plans(app)
register_pools(app)
register_web(app)
register_record(app)
register_udviklingsplan(app)
register_outlook(app)
register_registers(app)
register_simulation(app)
register_areas(app)


def main() -> None:
    """Console entry point: run the app, turning input errors into exit code 2.

    Typer runs in standalone mode, so usage errors also exit with code 2 and a short message.
    Only the command asked for is built (see :mod:`boligmonitor.cli.lazy`), and the help
    formatter comes without Markdown and traceback rendering (:mod:`boligmonitor.cli.richhelp`).
    """
    import_rich_help()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        try:
            lazy_command(app)()
        except InputError as error:
            lang = command_language(sys.argv[1:])
            header = translate("Errors in input", lang)
            console_err.print(f"[bold red]{header}[/] ({len(error.problems)}):")
            for line in error.render(lang):
                console_err.print(f"  {line}", markup=False, highlight=False)
            sys.exit(2)
        finally:
            _show_warnings(caught)


def _show_warnings(caught: list[warnings.WarningMessage]) -> None:
    """Print the warnings a command raised, in the command line's language."""
    if not caught:
        return
    lang = command_language(sys.argv[1:])
    label = translate("Warning", lang)
    for warning in caught:
        message = warning.message
        text = message.render(lang) if isinstance(message, InputWarning) else str(message)
        console_err.print(f"[yellow]{label}:[/] {escape(text)}", highlight=False)
