"""The web's caches: cached downloads and pages equal fresh ones, the start-up warm-up renders
what a visitor would get and waits while visitors are served, and a served workspace changes
only through a restart."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from boligmonitor.cli.web import example_workspace
from boligmonitor.data import example_path
from boligmonitor.errors import InputError
from boligmonitor.rules.tables import designations_frame
from boligmonitor.web import open_app
from boligmonitor.web.app import create_app
from boligmonitor.web.downloads import table_bytes
from boligmonitor.web.responses import ResponseCache
from boligmonitor.web.state import WebState
from boligmonitor.workspace import Workspace

PLAIN = {"Accept-Encoding": "identity"}
GZIP = {"Accept-Encoding": "gzip"}


@pytest.fixture(scope="module")
def workspace() -> Iterator[Workspace]:
    ws = example_workspace()
    yield ws
    ws.close()


def test_cached_download_equals_a_fresh_one(web_workspace_dir: Path) -> None:
    served = TestClient(open_app(web_workspace_dir))
    fresh = TestClient(open_app(web_workspace_dir))
    url = "/download/area.csv"
    first = served.get(url, params={"area_id": "EX-01"}, headers=PLAIN)
    again = served.get(url, params={"area_id": "EX-01"}, headers=PLAIN)
    zipped = served.get(url, params={"area_id": "EX-01"}, headers=GZIP)
    other = served.get(url, params={"area_id": "EX-02"}, headers=PLAIN)
    assert first.status_code == again.status_code == zipped.status_code == 200
    assert zipped.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in again.headers
    assert again.content == first.content == zipped.content  # httpx decodes the gzip
    assert again.headers["content-disposition"] == first.headers["content-disposition"]
    assert first.content == fresh.get(url, params={"area_id": "EX-01"}).content
    # the area is part of the key: another area's file is its own, also when cached
    assert other.content != first.content
    assert other.content == fresh.get(url, params={"area_id": "EX-02"}).content
    with Workspace.open(web_workspace_dir, read_only=True) as ws:
        expected = table_bytes(
            designations_frame(ws.designations.area_designations("EX-01")), "csv"
        )
    assert first.content == expected


def test_cached_overview_download_follows_the_year(web_workspace_dir: Path) -> None:
    served = TestClient(open_app(web_workspace_dir))
    fresh = TestClient(open_app(web_workspace_dir))
    bodies = {}
    for year in (2019, 2020, 2019, 2020):
        body = served.get("/download/overview.csv", params={"year": year}).content
        assert body == bodies.setdefault(year, body)
    assert bodies[2019] != bodies[2020]
    assert bodies[2020] == fresh.get("/download/overview.csv", params={"year": 2020}).content


def test_warm_up_renders_what_a_visitor_would_get(workspace: Workspace) -> None:
    app = create_app(workspace, warm=False)
    progress = app.state.warm_up
    progress.freeze = False  # not in the test process
    progress.run(app, app.state.web)
    assert progress.finished and progress.failed == 0
    assert progress.done == progress.total > 50
    assert len(app.state.web._responses) > 50
    assert progress.idle()  # its own requests are not counted as visitors
    warmed = TestClient(app)
    other = example_workspace()
    try:
        fresh = TestClient(create_app(other, warm=False))
        for url in (
            "/",
            "/?year=2020",
            "/areas/EX-01?year=2016",
            "/api/v1/areas/EX-03/designations",
            "/download/overview.csv?year=2021",
            "/lists?year=2015",
            "/api/lists?year=2019",
        ):
            key_hits = len(app.state.web._responses)
            served = warmed.get(url, headers=PLAIN)
            assert len(app.state.web._responses) == key_hits  # served from the warm-up
            assert served.status_code == 200
            assert served.content == fresh.get(url, headers=PLAIN).content, url
    finally:
        other.close()


def test_warm_up_waits_while_a_visitor_is_served(workspace: Workspace) -> None:
    app = create_app(workspace, warm=False)
    progress = app.state.warm_up
    progress.quiet, progress.freeze = 0.0, False
    progress.enter()  # a visitor's request in flight
    thread = threading.Thread(target=progress.run, args=(app, app.state.web))
    thread.start()
    for _ in range(600):
        if progress.total:
            break
        time.sleep(0.1)
    assert progress.total > 0
    time.sleep(0.5)
    assert progress.done == 0
    progress.leave()
    thread.join(timeout=300)
    assert progress.finished and progress.done == progress.total


def test_a_visitor_is_counted_while_served(workspace: Workspace) -> None:
    app = create_app(workspace, warm=False)
    progress = app.state.warm_up
    seen: list[bool] = []
    state: WebState = app.state.web
    original = state.years

    def years() -> list[int]:
        seen.append(progress.idle())
        return original()

    state.years = years  # type: ignore[method-assign]
    assert TestClient(app).get("/api/v1/years").status_code == 200
    assert seen and not any(seen)
    progress.quiet = 0.0
    assert progress.idle()


def test_a_workspace_input_error_is_computed_once(workspace: Workspace) -> None:
    state = WebState(workspace)
    calls: list[int] = []

    def lacking() -> int:
        calls.append(1)
        raise InputError.single("workspace", "no goal status")

    for _ in range(3):
        with pytest.raises(InputError, match="no goal status"):
            state.call("lacking", lacking)
    assert calls == [1]


def test_response_cache_keeps_gzip_and_drops_the_oldest_over_budget() -> None:
    cache = ResponseCache(budget=6_000)
    page = ("<p>" + "Område " * 2_000 + "</p>").encode()
    headers = [(b"content-type", b"text/html"), (b"content-length", b"1")]
    cache.put("a", (page, 200, headers))
    stored = cache.get("a")
    assert stored is not None and stored.compressed
    body, status, sent = stored.for_client(accepts_gzip=False)
    assert body == page and status == 200 and (b"content-length", b"1") not in sent
    zipped, _, sent = stored.for_client(accepts_gzip=True)
    assert gzip.decompress(zipped) == page and (b"content-encoding", b"gzip") in sent
    small = b'{"a": 1}'
    cache.put("b", (small, 200, []))
    assert cache.get("b") is not None and not cache.get("b").compressed  # type: ignore[union-attr]
    cache.put("c", (os.urandom(5_000), 200, []))  # incompressible
    assert "a" in cache and "b" in cache and "c" in cache
    cache.get("a")  # used again: now the most recent
    cache.put("d", (os.urandom(1_000), 200, []))  # over budget: the least recent go
    assert "a" in cache and "d" in cache and "b" not in cache and "c" not in cache
    assert cache.size <= 6_000


def test_a_served_workspace_changes_only_through_a_restart(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    with Workspace.create(folder) as ws:
        ws.load_area_statistics(example_path("omraader_2014_2022.csv"))
    app = open_app(folder)
    client = TestClient(app)
    before = client.get("/api/v1/areas", params={"per_page": 500}).json()["total"]
    # another program cannot write while the dashboard holds the workspace: no stale cache
    load = (
        "import sys; from boligmonitor.workspace import Workspace; "
        "Workspace.open(sys.argv[1]).load_area_statistics(sys.argv[2])"
    )
    env = {**os.environ, "BOLIGMONITOR_LOCK_WAIT": "0"}
    args = [sys.executable, "-c", load, str(folder), str(example_path("mimerskvarter_2020.csv"))]
    refused = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    assert refused.returncode != 0
    assert "restart the dashboard" in refused.stderr
    app.state.web.workspace.close()  # the server stops; now the change can be made
    subprocess.run(args, capture_output=True, env=env, check=True)
    restarted = TestClient(open_app(folder))
    after: dict[str, Any] = restarted.get("/api/v1/areas", params={"per_page": 500}).json()
    assert after["total"] > before  # the areas loaded after the restart are served
