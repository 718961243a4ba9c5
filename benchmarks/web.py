"""Latency of the dashboard and the JSON API under 20 concurrent clients on loopback.

Starts ``boligmonitor serve`` on a free port in its own process (so the clients do not share
its interpreter), waits until it has designated every year, then sends a bounded number of
requests per endpoint from N concurrent clients (threads with keep-alive connections) and prints
p50/p95/max latency: first on fresh URLs (areas and years drawn at random with a fixed seed, so
most area requests hit areas not rendered yet), then the same URLs again (cached). The first
row, the tiny cached list of years, is the floor: what uvicorn and the clients cost here.

Without ``--workspace`` a large area-statistics workspace is generated first (default 2 000
areas × 14 list years: a stress case beside the national synthetic's 520 areas × 2 years).

Usage::

    python benchmarks/web.py [--workspace DIR] [--requests 300] [--concurrency 20] [--workers 1]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
import numpy as np
import pandas as pd

from boligmonitor.workspace import Workspace

Endpoint = tuple[str, Callable[[random.Random], str]]


def generate_workspace(folder: Path, areas: int, years: range, seed: int = 7) -> Path:
    """A workspace of synthetic area statistics: ``areas`` areas over ``years``."""
    rng = np.random.default_rng(seed)
    base = {
        "labour_pct": rng.uniform(15, 55, areas),
        "crime_pct": rng.uniform(0.5, 4.0, areas),
        "education_pct": rng.uniform(30, 70, areas),
        "income_pct_of_region": rng.uniform(40, 90, areas),
        "nonwestern_pct": rng.uniform(5, 80, areas),
        "outside_labour_pct": rng.uniform(15, 55, areas),
    }
    residents = rng.integers(600, 8000, areas)
    frames = []
    for year in years:
        drift = (year - years.start) * 0.2
        frame = pd.DataFrame(
            {
                "area_id": [f"A{i:05d}" for i in range(areas)],
                "area_name": [f"Område {i}" for i in range(areas)],
                "municipality": [f"Kommune {i % 98:02d}" for i in range(areas)],
                "year": year,
                "residents": residents,
                "crime_national_pct": round(0.75 - 0.01 * (year - years.start), 3),
            }
        )
        for column, values in base.items():
            noise = rng.normal(0, 1.5, areas)
            frame[column] = np.clip(values - drift + noise, 0, 100).round(2)
        frames.append(frame)
    csv = folder / "area_statistics.csv"
    pd.concat(frames).to_csv(csv, index=False)
    with Workspace.create(folder / "ws") as ws:
        ws.load_area_statistics(csv)
    return folder / "ws"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(workspace: Path, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    """``boligmonitor serve`` in its own process; returns it and its base URL once ready."""
    port = _free_port()
    cli = "from boligmonitor.cli import main; main()"
    command = [sys.executable, "-c", cli, "serve", str(workspace)]
    options = ["--port", str(port), "--workers", str(workers)]
    # Own session, so stopping it stops its worker processes too.
    process = subprocess.Popen([*command, *options], env=os.environ.copy(), start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/v1/years", timeout=1).status_code == 200:
                return process, base
        except httpx.TransportError:
            time.sleep(0.2)
    stop_server(process)
    raise RuntimeError("server did not start")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    """Stop the server and its workers (its whole process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def endpoints(base: str) -> list[Endpoint]:
    """The measured endpoints, each with a random-URL maker."""
    with httpx.Client(base_url=base) as client:
        years = client.get("/api/v1/years").json()
        first = client.get("/api/v1/areas", params={"per_page": 500})
        ids = [quote(a["area_id"], safe="") for a in first.json()["items"]]
        pages = first.json()["total"] // 50 + 1
    return [
        ("API years (floor)", lambda r: "/api/v1/years"),
        ("area page", lambda r: f"/areas/{r.choice(ids)}?year={r.choice(years)}"),
        ("API area designations", lambda r: f"/api/v1/areas/{r.choice(ids)}/designations"),
        ("API designations", lambda r: f"/api/v1/designations?year={r.choice(years)}"),
        ("API indicators", lambda r: f"/api/v1/indicators?year={r.choice(years)}"),
        ("API areas", lambda r: f"/api/v1/areas?page={r.randint(1, pages)}"),
        ("overview page", lambda r: f"/?year={r.choice(years)}"),
    ]


def measure(base: str, urls: list[str], c: int) -> list[float]:
    """Latencies (ms) of requests for ``urls`` from ``c`` concurrent clients.

    Each client is a thread with its own keep-alive ``http.client`` connection: the lightest
    client at hand, so the numbers are mostly the server's (an asyncio httpx client spends
    several milliseconds of this machine's two cores per request itself).
    """
    split = urlsplit(base)
    latencies: list[float] = []
    failures: list[str] = []

    def client(mine: list[str]) -> None:
        connection = http.client.HTTPConnection(split.hostname or "", split.port, timeout=120)
        for url in mine:
            started = time.perf_counter()
            connection.request("GET", url)
            response = connection.getresponse()
            response.read()
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status != 200:
                failures.append(f"{url}: {response.status}")
        connection.close()

    threads = [threading.Thread(target=client, args=(urls[i::c],)) for i in range(c)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{len(failures)} failed requests, e.g. {failures[0]}")
    return latencies


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workspace", type=Path, help="workspace folder (default: generate)")
    parser.add_argument("--areas", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=300, help="requests per endpoint")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        workspace = args.workspace
        if workspace is None:
            started = time.perf_counter()
            workspace = generate_workspace(Path(scratch), args.areas, range(2010, 2024))
            print(
                f"generated {args.areas} areas × 14 years in {time.perf_counter() - started:.1f} s"
            )
        process, base = start_server(workspace, args.workers)
        try:
            started = time.perf_counter()
            for _ in range(2 * args.workers):  # new connections reach every worker
                httpx.get(base + "/api/v1/designations", timeout=600).raise_for_status()
            httpx.get(base + "/vendor/vega-bundle.js", timeout=600).raise_for_status()
            print(f"start-up: every year designated after {time.perf_counter() - started:.1f} s")
            print(f"{args.concurrency} concurrent clients, {args.workers} server worker(s)")
            header = f"{'endpoint':<24}{'pass':<8}{'requests':>9}"
            print(header + f"{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
            for name, make_url in endpoints(base):
                rng = random.Random(42)
                urls = [make_url(rng) for _ in range(args.requests)]
                for label in ("first", "repeat"):  # repeat: the same URLs, now cached
                    times = measure(base, urls, args.concurrency)
                    print(
                        f"{name:<24}{label:<8}{len(times):>9}{statistics.median(times):>9.1f}"
                        f"{_percentile(times, 0.95):>9.1f}{max(times):>9.1f}"
                    )
        finally:
            stop_server(process)


if __name__ == "__main__":
    main()
