"""Shared test fixtures."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from boligmonitor.cli import main
from boligmonitor.data import example_path


@dataclass
class CliResult:
    """What a CLI invocation returned and printed."""

    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., CliResult]:
    """Run ``boligmonitor ARGS...`` in-process and capture exit code, stdout and stderr."""

    def run(*args: str | Path) -> CliResult:
        monkeypatch.setattr(sys, "argv", ["boligmonitor", *map(str, args)])
        with pytest.raises(SystemExit) as stop:
            main()
        captured = capsys.readouterr()
        return CliResult(int(stop.value.code or 0), captured.out, captured.err)

    return run


@pytest.fixture
def mimerskvarter_csv() -> Path:
    """The packaged Mimerskvarter table (seed 000)."""
    return example_path("mimerskvarter_2020.csv")
