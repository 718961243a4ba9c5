"""Shared pieces of the CLI: consoles, the language option, output writing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console

from boligmonitor.errors import InputError
from boligmonitor.i18n import LANGUAGES, Language, as_language
from boligmonitor.io.export import refuse_unwritable, write_output
from boligmonitor.workspace import Workspace

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
    "save",
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

LangOption = Annotated[
    str,
    typer.Option("--lang", help="Sprog for tekst og tal: da eller en.", envvar="BOLIGMONITOR_LANG"),
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


def open_workspace(folder: Path | None) -> Workspace:
    """The workspace named on the command line, or an in-memory one."""
    return Workspace.create(folder) if folder is not None else Workspace.memory()


def save(out: Path | None, payload: object, frame: pd.DataFrame) -> None:
    """Write a result file when ``--out`` was given and say where."""
    if out is None:
        return
    written = write_output(out, payload, frame)
    console_err.print(f"Skrev {written}", highlight=False)
