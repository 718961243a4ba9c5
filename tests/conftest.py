"""Shared test fixtures."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


# -- web --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def web_workspace_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace for the web tests: the packaged example areas (2014-2022, Mimerskvarter)
    with their designations stored, outlines for EX-01 to EX-05, and a 6 × 6 grid of 100 m
    units screened in 2017 and 2021 (the 2021 round designates ``WEB_DESIGNATED_2021``)."""
    import warnings

    import pandas as pd

    from boligmonitor.workspace import Workspace
    from tests.test_screening_fixtures import cell, grid_stats

    folder = tmp_path_factory.mktemp("web")
    old = {(0, 0), (0, 1), (1, 0), (1, 1)}
    stats = pd.concat([grid_stats(old, year=2017), grid_stats(WEB_DESIGNATED_2021, year=2021)])
    stats.to_csv(folder / "unit_statistics.csv", index=False)
    units = [
        {"unit_id": cell(n, e), "name": f"Celle {n}-{e}", "geometry_wkt": _square(n, e)}
        for n in range(6)
        for e in range(6)
    ]
    pd.DataFrame(units).to_csv(folder / "units.csv", index=False)
    with Workspace.create(folder / "ws") as ws, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        ws.load_area_statistics(example_path("omraader_2014_2022.csv"))
        ws.load_area_statistics(example_path("mimerskvarter_2020.csv"))
        ws.designate()
        ws.screening.load_unit_statistics(folder / "unit_statistics.csv")
        ws.screening.load_units(folder / "units.csv")
        ws.screen(2017)
        ws.screen(2021)
        outlines = [
            {"area_id": f"EX-0{i}", "geometry_wkt": _square(10, 2 * i)} for i in range(1, 6)
        ]
        ws.store.write("area_geometry", pd.DataFrame(outlines))  # EX-06 has no outline
    return folder / "ws"


@pytest.fixture(scope="session")
def web_app(web_workspace_dir: Path) -> Any:
    """The dashboard over the web workspace opened read-only (as ``serve`` does), shared by
    the tests so its caches warm once."""
    from boligmonitor.web import open_app

    return open_app(web_workspace_dir)


@pytest.fixture
def web_client(web_app: Any) -> Any:
    """A fresh browser on the shared dashboard: no cookie (e.g. a language chosen by another
    test) carries over."""
    from fastapi.testclient import TestClient

    return TestClient(web_app)


@pytest.fixture(scope="session")
def web_engine(web_workspace_dir: Path) -> Iterator[Any]:
    """The web workspace opened read-only for the engines themselves (expected values)."""
    from boligmonitor.workspace import Workspace

    with Workspace.open(web_workspace_dir, read_only=True) as ws:
        yield ws


#: Cells (north, east) of the web workspace's grid that are deprived in 2021.
WEB_DESIGNATED_2021 = {(0, 1), (1, 1), (0, 2), (1, 2), (4, 4), (4, 5), (5, 4)}


def _square(north: int, east: int) -> str:
    """The WKT of a 100 m DKN cell in EPSG:25832 (the cell ids of test_screening_fixtures)."""
    x, y = (7200 + east) * 100, (61700 + north) * 100
    return f"POLYGON(({x} {y}, {x + 100} {y}, {x + 100} {y + 100}, {x} {y + 100}, {x} {y}))"


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """A real uvicorn server over a workspace folder (read-only) on a free port: its address."""
    import socket
    import threading
    import time

    import httpx
    import uvicorn

    from boligmonitor.web import open_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(open_app(folder), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    base = f"http://127.0.0.1:{port}"
    # The Vega bundle is built in a child process at start-up; under a loaded test run that
    # can take longer than a page load may, so wait for it once here.
    httpx.get(base + "/vendor/vega-bundle.js", timeout=180).raise_for_status()
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="session")
def live_server(web_workspace_dir: Path) -> Iterator[str]:
    """A real uvicorn server over the example workspace (read-only) on a free port."""
    with served(web_workspace_dir) as base:
        yield base


CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium for the whole session (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
