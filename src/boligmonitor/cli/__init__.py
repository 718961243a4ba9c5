"""The ``boligmonitor`` command line: a thin Typer adapter over :class:`Workspace`.

Bad input ends with every problem listed (file, row, column) on standard error and exit code 2.
"""

from __future__ import annotations

import sys
import warnings

import typer

from boligmonitor.cli.common import console_err
from boligmonitor.cli.designations import register as register_designations
from boligmonitor.cli.workspace import register as register_workspace
from boligmonitor.errors import InputError

__all__ = ["app", "main"]

app = typer.Typer(
    name="boligmonitor",
    help="Boligmonitor: udsatte boligområder, udsatte byområder, efterslæb og helhedsplaner.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
register_designations(app)
register_workspace(app)
# microdata (issue 3)
# screening and gap (issue 4)
# goals and report (issue 5)
# helhedsplaner (issue 6)


def main() -> None:
    """Console entry point: run the app, turning input errors into exit code 2."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        try:
            app(standalone_mode=False)
            code = 0
        except InputError as error:
            console_err.print(f"[bold red]Fejl i input[/] ({len(error.problems)}):")
            for problem in error.problems:
                console_err.print(f"  {problem}", markup=False, highlight=False)
            code = 2
        except typer.Exit as stop:
            code = stop.exit_code
        except typer.Abort:
            code = 1
        except Exception as error:  # click usage errors and the like
            code = _click_error(error)
        finally:
            for warning in caught:
                console_err.print(f"[yellow]Advarsel:[/] {warning.message}", highlight=False)
    sys.exit(code)


def _click_error(error: Exception) -> int:
    import click

    if isinstance(error, click.ClickException):
        error.show()
        return 2
    raise error
