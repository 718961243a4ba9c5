"""Walking a Click command tree and printing its help, for the command-line tests."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import redirect_stdout

import pytest


def command_paths(command: object, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command path of a Click tree, in the order the tree lists them."""
    commands = getattr(command, "commands", {})
    for name in commands:
        yield (*path, name)
        yield from command_paths(commands[name], (*path, name))


def help_output(command: object, arguments: list[str]) -> str:
    """What ``--help`` prints for a command line, run on a given Click tree."""
    out = io.StringIO()
    with redirect_stdout(out), pytest.raises(SystemExit) as stop:
        command.main([*arguments, "--help"], prog_name="boligmonitor")  # type: ignore[attr-defined]
    assert stop.value.code == 0
    return out.getvalue()
