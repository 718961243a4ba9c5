"""Long work is never silent: plain step lines when the output is not a terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from boligmonitor.progress import Steps
from boligmonitor.synth.generate import generate


def test_steps_write_numbered_lines_and_the_total_time(capsys: pytest.CaptureFixture[str]) -> None:
    with Steps(2, title="Demo") as steps:
        steps.advance("første")
        steps.advance("anden")
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "[1/2] Demo: første"
    assert lines[1].startswith("[2/2] Demo: anden (forrige trin ") and lines[1].endswith(" s)")
    assert lines[2].startswith("Demo: færdig efter ")


def test_disabled_steps_say_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    with Steps(1, enabled=False) as steps:
        steps.advance("tavs")
    assert capsys.readouterr().err == ""


def test_synthetic_city_reports_each_year(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    generate(tmp_path / "by", "city", persons=2_000, years=[2020, 2021], seed=1)
    err = capsys.readouterr().err
    assert "[1/4] Syntetisk city: verden" in err
    assert "[4/4] Syntetisk city: personer 2021" in err


def test_screen_announces_its_steps(run_cli: Any, tmp_path: Path) -> None:
    from tests.test_screening_fixtures import grid_stats

    grid_stats({(0, 0), (0, 1), (1, 0), (1, 1)}, year=2021).to_csv(tmp_path / "u.csv", index=False)
    result = run_cli("screen", tmp_path / "u.csv", "--year", "2021")
    assert result.code == 0
    assert "[1/2] Indlæser input" in result.err and "[2/2] Screener 2021" in result.err
