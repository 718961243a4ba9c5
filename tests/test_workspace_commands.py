"""The workspace as a command sees it: one transaction per command, and beside the dashboard.

A command that fails midway leaves every file of the workspace byte for byte as it was; a new
workspace folder is left empty. Readers run beside a served dashboard; a writer gets a clear
message and exit code 2, never a database traceback.
"""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from boligmonitor.data import example_path
from boligmonitor.workspace import Workspace

EXAMPLE = example_path("omraader_2014_2022.csv")


def _hashes(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "ws"
    with Workspace.create(folder) as ws, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        ws.load_area_statistics(EXAMPLE)
        ws.designate()
    return folder


@pytest.fixture
def bad_history(tmp_path: Path) -> Path:
    path = tmp_path / "historik.csv"
    path.write_text("area_id,year,designation\nEX-01,20x9,ghettoomraade\n", encoding="utf-8")
    return path


@pytest.fixture
def unit_statistics(tmp_path: Path) -> Path:
    from tests.test_screening_fixtures import grid_stats

    path = tmp_path / "enheder.csv"
    grid_stats({(0, 0), (0, 1), (1, 0), (1, 1)}, year=2017).to_csv(path, index=False)
    return path


# Each command stores an input first and fails in a later step.
FAILING_COMMANDS: dict[str, Callable[[Path, Path, Path], list[str | Path]]] = {
    "designate, then an unknown rule set": lambda ws, hist, units: [
        "designate", example_path("mimerskvarter_2020.csv"), "-w", ws, "--rules", "dk-1999",
    ],
    "designate, then a broken history file": lambda ws, hist, units: [
        "designate", example_path("mimerskvarter_2020.csv"), "-w", ws, "--history", hist,
    ],
    "explain an area the file lacks": lambda ws, hist, units: [
        "explain", "NO-SUCH", example_path("mimerskvarter_2020.csv"), "--year", "2020", "-w", ws,
    ],
    "screen a year the statistics lack": lambda ws, hist, units: [
        "screen", units, "--year", "1999", "-w", ws,
    ],
    "plan designations of an unknown plan": lambda ws, hist, units: [
        "plan", "designations", "no-such-plan", "--statistics", EXAMPLE, "-w", ws,
    ],
}  # fmt: skip


@pytest.mark.parametrize("name", FAILING_COMMANDS)
def test_a_failing_command_leaves_the_workspace_as_it_was(
    name: str,
    workspace: Path,
    bad_history: Path,
    unit_statistics: Path,
    run_cli: Callable[..., Any],
) -> None:
    before = _hashes(workspace)
    result = run_cli(*FAILING_COMMANDS[name](workspace, bad_history, unit_statistics))
    assert result.code == 2, (result.out, result.err)
    assert "Traceback" not in result.err
    assert _hashes(workspace) == before


def test_a_failing_first_command_leaves_a_new_folder_empty(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    folder = tmp_path / "ny"
    result = run_cli("designate", EXAMPLE, "-w", folder, "--rules", "dk-1999")
    assert result.code == 2
    assert not folder.exists() or list(folder.iterdir()) == []


def test_a_succeeding_command_writes_once_with_its_run(
    workspace: Path, run_cli: Callable[..., Any]
) -> None:
    result = run_cli("designate", example_path("mimerskvarter_2020.csv"), "-w", workspace)
    assert result.code == 0, result.err
    with Workspace.open(workspace, read_only=True) as ws:
        kinds = list(ws.runs()["kind"])
        assert kinds[-2:] == ["load_area_statistics", "designate"]
        assert "VIBO 108" in set(ws.designations.area_index()["area_id"])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def dashboard(workspace: Path) -> Iterator[str]:
    """``boligmonitor serve`` on the workspace in another process, as an analyst runs it."""
    port = _free_port()
    server = subprocess.Popen(
        [Path(sys.executable).parent / "boligmonitor", "serve", workspace, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/v1/years", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_cli_and_dashboard_share_a_workspace(
    dashboard: str,
    workspace: Path,
    run_cli: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BOLIGMONITOR_LOCK_WAIT", "1")
    before = _hashes(workspace)
    reading = run_cli("runs", workspace)
    assert reading.code == 0, reading.err
    assert "designate" in reading.out
    explained = run_cli("explain", "EX-01", "--year", "2020", "-w", workspace)
    assert explained.code == 0, explained.err
    writing = run_cli("designate", example_path("mimerskvarter_2020.csv"), "-w", workspace)
    assert writing.code == 2
    assert "Traceback" not in writing.err and "IO Error" not in writing.err
    assert "workspace.duckdb" in writing.err
    with urllib.request.urlopen(f"{dashboard}/api/v1/areas", timeout=10) as answer:
        assert answer.status == 200
    assert _hashes(workspace) == before
    assert os.environ["BOLIGMONITOR_LOCK_WAIT"] == "1"


def test_area_page_and_cli_go_through_the_same_facet(
    workspace: Path, run_cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi.testclient import TestClient

    from boligmonitor.rules.facet import DesignationFacet
    from boligmonitor.web import open_app

    calls: list[str] = []
    evaluate = DesignationFacet.evaluate

    def spy(self: DesignationFacet, *args: Any, **kwargs: Any) -> Any:
        calls.append("evaluate")
        return evaluate(self, *args, **kwargs)

    monkeypatch.setattr(DesignationFacet, "evaluate", spy)
    explained = run_cli("explain", "EX-01", "--year", "2020", "-w", workspace)
    assert explained.code == 0 and calls, explained.err
    cli_calls = len(calls)
    page = TestClient(open_app(workspace)).get("/areas/EX-01", params={"year": 2020})
    assert page.status_code == 200 and len(calls) > cli_calls
    with Workspace.open(workspace, read_only=True) as ws:
        result = ws.explain("EX-01", 2020)[0]
    labour = result.criteria["labour"]
    shown = f"{labour.value:.2f}".replace(".", ",")
    assert shown in page.text and shown.rstrip("0").rstrip(",") in explained.out
