"""Documentation keeps up with the code: every input column and command is documented."""

from __future__ import annotations

from pathlib import Path

import typer

from boligmonitor.cli import app
from boligmonitor.schema.area_statistics import AREA_STATISTICS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_area_statistics_column_is_in_the_readme() -> None:
    missing = [c.name for c in AREA_STATISTICS if f"`{c.name}`" not in README]
    assert missing == []


def _commands(group: typer.Typer, prefix: str = "boligmonitor") -> list[str]:
    names = [
        f"{prefix} {c.name or c.callback.__name__}"
        for c in group.registered_commands
        if c.callback is not None
    ]
    for sub in group.registered_groups:
        assert sub.typer_instance is not None
        names += _commands(sub.typer_instance, f"{prefix} {sub.name}")
    return names


def test_every_cli_command_is_in_the_readme_reference() -> None:
    commands = _commands(app)
    assert "boligmonitor designate" in commands
    missing = [c for c in commands if c.replace("_", "-") not in README]
    assert missing == []
