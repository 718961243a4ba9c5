"""The command line starts without the data stack: help never imports pandas, Ibis or DuckDB."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import boligmonitor

SRC = Path(boligmonitor.__file__).resolve().parents[1]
HEAVY = ("pandas", "ibis", "duckdb", "scipy", "altair", "geopandas", "boligmonitor.workspace")

_PROBE = """
import contextlib, io, json, sys
import boligmonitor.cli
arguments, heavy = json.loads(sys.argv[1]), json.loads(sys.argv[2])
if arguments:
    sys.argv = ["boligmonitor", *arguments]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
        boligmonitor.cli.main()
print(json.dumps(sorted(name for name in heavy if name in sys.modules)))
"""


def _loaded_after(arguments: list[str]) -> list[str]:
    """The heavy modules a fresh interpreter holds after importing the CLI and running it."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(arguments), json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


@pytest.mark.parametrize(
    "arguments",
    [[], ["--help"], ["designate", "--help"], ["lists", "history", "--help"]],
)
def test_cli_help_does_not_import_the_data_stack(arguments: list[str]) -> None:
    assert _loaded_after(arguments) == []


def test_a_command_still_imports_what_it_needs() -> None:
    # the probe itself is sound: a command that opens a workspace loads the workspace
    assert "boligmonitor.workspace" in _loaded_after(["rules", "list"])


def test_public_names_resolve_lazily() -> None:
    from boligmonitor.workspace import Workspace

    assert boligmonitor.Workspace is Workspace
    assert set(boligmonitor.__all__) <= set(dir(boligmonitor))
    with pytest.raises(AttributeError):
        _ = boligmonitor.NoSuchName  # type: ignore[attr-defined]
