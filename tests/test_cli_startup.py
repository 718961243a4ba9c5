"""The command line starts light: help imports no data stack, nor what only a command needs
(Pydantic, YAML, Jinja, Babel, Rich's Markdown and traceback rendering), and builds only the
command asked for; the lazily built tree is the one Typer builds eagerly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import typer.main

import boligmonitor
from boligmonitor.cli import app
from boligmonitor.cli.lazy import LazyCommands, lazy_command
from boligmonitor.synth import generate
from tests.cli_tree import command_paths, help_output
from tests.conftest import CliResult

SRC = Path(boligmonitor.__file__).resolve().parents[1]
HEAVY = ("pandas", "ibis", "duckdb", "scipy", "altair", "geopandas", "boligmonitor.workspace")
#: Needed by commands, not to print help.
NOT_FOR_HELP = (
    "pydantic",
    "typer._adapters",
    "yaml",
    "jinja2",
    "babel",
    "markdown_it",
    "rich.markdown",
    "rich.traceback",
    "rich.progress",
)
HELP = [[], ["--help"], ["designate", "--help"], ["lists", "history", "--help"]]

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


def _loaded_after(arguments: list[str], heavy: tuple[str, ...] = HEAVY) -> list[str]:
    """The modules of ``heavy`` a fresh interpreter holds after importing the CLI and running
    it."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(arguments), json.dumps(heavy)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


@pytest.mark.parametrize("arguments", HELP)
def test_cli_help_does_not_import_the_data_stack(arguments: list[str]) -> None:
    assert _loaded_after(arguments) == []


@pytest.mark.parametrize("arguments", HELP)
def test_cli_help_does_not_import_what_only_commands_need(arguments: list[str]) -> None:
    assert _loaded_after(arguments, NOT_FOR_HELP) == []


def test_a_command_still_imports_what_it_needs() -> None:
    # the probe itself is sound: a command that opens a workspace loads the workspace, reads
    # YAML rule sets through Pydantic and prints Danish through the catalogue (Babel)
    loaded = _loaded_after(["rules", "list"], (*HEAVY, *NOT_FOR_HELP))
    assert {"boligmonitor.workspace", "pydantic", "yaml", "babel"} <= set(loaded)
    assert "markdown_it" not in loaded


def test_designating_from_microdata_leaves_geopandas_alone(tmp_path: Path) -> None:
    # Ibis would import GeoPandas (0.2 s) to look for a geometry column in every result
    generate(tmp_path / "city", "city", [2020, 2021], seed=1, persons=2_000, progress=False)
    out = tmp_path / "x.json"
    arguments = ["designate", "--microdata", str(tmp_path / "city"), "--year", "2021"]
    loaded = _loaded_after([*arguments, "--out", str(out)])
    assert {"pandas", "ibis", "duckdb", "boligmonitor.workspace"} <= set(loaded)
    assert "geopandas" not in loaded
    assert out.is_file()


def test_the_lazy_tree_is_the_tree_typer_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    eager = typer.main.get_command(app)
    paths = list(command_paths(eager))
    assert list(command_paths(lazy_command(app))) == paths
    assert ("designate",) in paths and ("lists", "history") in paths and len(paths) > 40
    for path in [(), *paths]:
        assert help_output(lazy_command(app), list(path)) == help_output(eager, list(path)), path


def test_a_subcommand_is_built_alone_and_top_level_help_builds_none() -> None:
    group = lazy_command(app)
    commands = group.commands  # type: ignore[attr-defined]
    assert isinstance(commands, LazyCommands)
    assert "designate" in help_output(group, [])
    assert commands.built() == []
    assert "--year" in help_output(group, ["designate"])
    assert commands.built() == ["designate"]


def test_top_level_options_are_still_checked(run_cli: Callable[..., CliResult]) -> None:
    # --engine's value goes through Typer's coercion, then the app's own check
    bad = run_cli("--engine", "spark", "rules", "list")
    assert bad.code == 2 and "duckdb, pyspark" in bad.err
    assert run_cli("--engine", "duckdb", "rules", "--help").code == 0


def test_markdown_and_tracebacks_load_when_used() -> None:
    code = (
        "import sys\n"
        "from boligmonitor.cli.richhelp import import_rich_help\n"
        "import_rich_help()\n"
        "import typer.rich_utils as r\n"
        "assert 'rich.markdown' not in sys.modules and 'rich.traceback' not in sys.modules\n"
        "from rich.markdown import Markdown\n"
        "from rich.traceback import Traceback\n"
        "assert isinstance(r.Markdown('**x**'), Markdown)\n"
        "assert r.Traceback.from_exception is not None\n"
        "print('ok')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip() == "ok"


def test_public_names_resolve_lazily() -> None:
    from boligmonitor.workspace import Workspace

    assert boligmonitor.Workspace is Workspace
    assert set(boligmonitor.__all__) <= set(dir(boligmonitor))
    with pytest.raises(AttributeError):
        _ = boligmonitor.NoSuchName  # type: ignore[attr-defined]


def test_an_unknown_command_is_refused_with_suggestions(run_cli: Callable[..., CliResult]) -> None:
    commands = lazy_command(app).commands  # type: ignore[attr-defined]
    assert commands.get("desigate") is None and commands.built() == []
    typo = run_cli("desigate")
    assert typo.code == 2 and "No such command 'desigate'" in typo.err
    assert "'designate'" in typo.err  # Typer's suggestion lists every command, none built
