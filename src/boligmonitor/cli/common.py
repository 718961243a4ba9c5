"""Shared pieces of the CLI: consoles, the language option, output writing."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console

from boligmonitor.errors import InputError
from boligmonitor.i18n import LANGUAGES, Language, as_language, translate

if TYPE_CHECKING:
    import pandas as pd

    from boligmonitor.workspace import Workspace


T = TypeVar("T")

__all__ = [
    "PERSONS_MAX",
    "SEED_MAX",
    "YEAR_MAX",
    "YEAR_MIN",
    "LangOption",
    "LayoutOption",
    "OutOption",
    "WorkspaceOption",
    "console",
    "console_err",
    "known_output",
    "open_workspace",
    "print_omitted",
    "save",
    "shown_rows",
]


def _console(stderr: bool = False) -> Console:
    """A rich console; when output is piped or captured, wide and without hard wrapping."""
    probe = Console(stderr=stderr)
    return probe if probe.is_terminal else Console(stderr=stderr, width=160, soft_wrap=True)


#: Bounds of every year on the command line (list years, rounds, data years): a year outside
#: them is refused by the option parser before any work, as is a seed or size out of range.
YEAR_MIN, YEAR_MAX = 1900, 2200
SEED_MAX = 2**32 - 1
PERSONS_MAX = 100_000_000

console = _console()
console_err = _console(stderr=True)

#: The environment variable that chooses the language of every command.
LANG_ENV = "BOLIGMONITOR_LANG"
LangOption = Annotated[
    str,
    typer.Option("--lang", help="Sprog for tekst og tal: da eller en.", envvar=LANG_ENV),
]
#: Every output type some command writes; each command checks its own subset too.
KNOWN_OUTPUT_SUFFIXES = (".json", ".csv", ".xlsx", ".parquet", ".geojson", ".html", ".htm", ".pdf")


def known_output(value: Path | None) -> Path | None:
    """Refuse an unknown output type before the command does any work."""
    if value is not None and value.suffix.lower() not in KNOWN_OUTPUT_SUFFIXES:
        raise InputError.single(
            value,
            "unsupported output type '{suffix}'; use one of {value}",
            column="--out",
            suffix=value.suffix,
            value=", ".join(KNOWN_OUTPUT_SUFFIXES),
        )
    if value is not None:
        from boligmonitor.io.export import refuse_unwritable

        refuse_unwritable(value)
    return value


OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        "-o",
        help="Skriv resultatet til en fil (.json, .csv, .xlsx, .parquet).",
        callback=known_output,
    ),
]
WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        help="Arbejdsområde (mappe); uden: kun i hukommelsen.",
        envvar="BOLIGMONITOR_WORKSPACE",
    ),
]


LayoutOption = Annotated[
    str,
    typer.Option(
        "--layout",
        help="Mikrodataenes format: native (Boligmonitors skema) eller dst (Danmarks Statistiks "
        "registre, se docs/registers.md) eller en mapping-fil (YAML).",
    ),
]


def language(value: str) -> Language:
    """Validate the language option."""
    if value not in LANGUAGES:
        raise typer.BadParameter("use 'da' or 'en'", param_hint="--lang")
    return as_language(value)


def open_workspace(folder: Path | None, read_only: bool = False) -> Workspace:
    """The workspace named on the command line, or an in-memory one.

    A command that only reads opens it read-only, so it runs beside the dashboard; a command
    that writes waits for other programs briefly and then stops with a clear message. Used as
    a context manager, all of a command's writes are one transaction.
    """
    from boligmonitor.workspace import Workspace

    if folder is None:
        return Workspace.memory()
    return Workspace.open(folder, read_only=True) if read_only else Workspace.create(folder)


#: Rows printed of a long result when the output is not a terminal (the file has them all).
PIPED_ROWS = 20


def shown_rows(rows: Sequence[T], out: Path | None = None) -> tuple[Sequence[T], int]:
    """The rows to print and how many are left out.

    On a terminal every row is shown; to a pipe or a file only the first :data:`PIPED_ROWS`, so
    a national result does not spend seconds printing a thousand rows nobody reads (``--out``
    writes them all).
    """
    if console.is_terminal or len(rows) <= PIPED_ROWS:
        return rows, 0
    return rows[:PIPED_ROWS], len(rows) - PIPED_ROWS


def print_omitted(left_out: int, total: int, out: Path | None, lang: Language = "da") -> None:
    """Say on standard error how many rows were not printed and where they are."""
    if not left_out:
        return
    shown = total - left_out
    if out is not None:
        text = translate(
            "Showing {shown} of {total} rows; all in {out}",
            lang,
            shown=shown,
            total=total,
            out=str(out),
        )
    else:
        text = translate(
            "Showing {shown} of {total} rows; use --out for all", lang, shown=shown, total=total
        )
    console_err.print(text, highlight=False)


def save(out: Path | None, payload: object, frame: pd.DataFrame) -> None:
    """Write a result file when ``--out`` was given and say where."""
    save_built(out, lambda: payload, lambda: frame)


def save_built(
    out: Path | None, payload: Callable[[], object], frame: Callable[[], pd.DataFrame]
) -> None:
    """:func:`save`, building only the form the file's type takes: the JSON ``payload`` for
    ``.json``, else the ``frame``."""
    from boligmonitor.io.export import write_output

    if out is None:
        return
    if out.suffix.lower() == ".json":
        wrote(write_output(out, payload(), _no_frame()))
    else:
        wrote(write_output(out, None, frame()))


def _no_frame() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame()


def wrote(path: Path | str) -> None:
    """Say on standard error that a file was written, in the command line's language."""
    message = translate("Wrote {path}", command_language(sys.argv[1:]), path=path)
    console_err.print(message, highlight=False)


def command_language(args: Sequence[str]) -> Language:
    """The language a command line asks for: ``--lang``, else ``BOLIGMONITOR_LANG``, else da."""
    chosen: str | None = os.environ.get(LANG_ENV)
    for index, arg in enumerate(args):
        if arg == "--lang" and index + 1 < len(args):
            chosen = args[index + 1]
        elif arg.startswith("--lang="):
            chosen = arg.removeprefix("--lang=")
    return as_language(chosen)
