"""Latency of every dashboard page and API endpoint under 20 concurrent clients on loopback.

``boligmonitor serve`` is started in its own process (so the clients do not share its
interpreter) and, once started (Vega bundle built and the server's start-up warm-up finished:
it designates every year and renders every page and endpoint in the background, progress at
``/api/v1/warm-up``; ``--warm-up-limit 0`` measures right after start-up instead), each
endpoint is measured twice: the **cold** pass sends requests for URLs drawn at random with a
fixed seed (areas and years no client requested before) from N concurrent clients (threads
with keep-alive connections); the **warm** pass sends the same URLs again. p50/p95/max latency
per pass; a pass whose answers are not all 200 (e.g. 404 where nothing is stored) says which
statuses it got. The first row, the tiny list of years, is the floor: what uvicorn and the
clients cost here.

The workspace is the national one: the designations of every list year computed from the
synthetic nation (``--microdata``, default ``$BOLIGMONITOR_BENCH_DATA`` or
``~/.cache/boligmonitor/nation-10y``; built once with ``boligmonitor designate --microdata``
and kept beside it). Without that folder, or with ``--synthetic``, a workspace of synthetic
area statistics (2 000 areas × 14 list years) is used instead.

Usage::

    python benchmarks/web.py [--microdata DIR | --workspace DIR | --synthetic]
                             [--requests 100] [--concurrency 20] [--workers 1] [--json out.json]
                             [--only NAME] [--warm-up-limit SECONDS]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
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
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from boligmonitor.workspace import Workspace
from synthetic import area_statistics_frame

Endpoint = tuple[str, Callable[[random.Random], str]]
NATION = Path(
    os.environ.get(
        "BOLIGMONITOR_BENCH_DATA", str(Path.home() / ".cache" / "boligmonitor" / "nation-10y")
    )
)


def generate_workspace(folder: Path, areas: int, years: range) -> Path:
    """A workspace of synthetic area statistics: ``areas`` areas over ``years``."""
    csv = folder / "area_statistics.csv"
    area_statistics_frame(areas, years).to_csv(csv, index=False)
    with Workspace.create(folder / "ws") as ws:
        ws.load_area_statistics(csv)
    return folder / "ws"


def national_workspace(microdata: Path) -> Path:
    """The workspace of every list year's statistics from the microdata (built once)."""
    folder = microdata.with_name(microdata.name + "-workspace")
    if not (folder / "ready").is_file():
        started = time.perf_counter()
        command = [sys.executable, "-m", "boligmonitor.cli", "designate", "--microdata"]
        subprocess.run(
            [*command, str(microdata), "--workspace", str(folder)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        (folder / "ready").write_text("")
        print(f"built the national workspace in {time.perf_counter() - started:.0f} s")
    return folder


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
    """Every page and endpoint that shows the workspace, each with a random-URL maker."""
    with httpx.Client(base_url=base, timeout=600) as client:
        years = client.get("/api/v1/years").json()
        first = client.get("/api/v1/areas", params={"per_page": 500})
        ids = [quote(a["area_id"], safe="") for a in first.json()["items"]]
        pages = first.json()["total"] // 50 + 1
    return [
        ("API years (floor)", lambda r: "/api/v1/years"),
        ("overview page", lambda r: f"/?year={r.choice(years)}"),
        ("area page", lambda r: f"/areas/{r.choice(ids)}?year={r.choice(years)}"),
        ("lists page", lambda r: f"/lists?year={r.randint(2010, 2024)}"),
        ("city page", lambda r: "/city"),
        ("goals page", lambda r: "/goals"),
        ("plans page", lambda r: "/plans"),
        ("pools page", lambda r: "/pools"),
        ("udviklingsplaner page", lambda r: "/udviklingsplaner"),
        ("outlook page", lambda r: "/outlook"),
        ("simulation page", lambda r: "/simulation"),
        ("API docs page", lambda r: "/api/v1/docs"),
        ("download overview CSV", lambda r: f"/download/overview.csv?year={r.choice(years)}"),
        ("download area CSV", lambda r: f"/download/area.csv?area_id={r.choice(ids)}"),
        ("API areas", lambda r: f"/api/v1/areas?page={r.randint(1, pages)}"),
        ("API area", lambda r: f"/api/v1/areas/{r.choice(ids)}"),
        ("API area designations", lambda r: f"/api/v1/areas/{r.choice(ids)}/designations"),
        ("API designations", lambda r: f"/api/v1/designations?year={r.choice(years)}"),
        ("API indicators", lambda r: f"/api/v1/indicators?year={r.choice(years)}"),
        ("API rule sets", lambda r: "/api/v1/rule-sets"),
        ("API lists", lambda r: f"/api/lists?year={r.randint(2010, 2024)}"),
        ("API gaps", lambda r: "/api/v1/gaps"),
        ("API goals", lambda r: "/api/v1/goals"),
        ("API plans", lambda r: "/api/v1/plans"),
        ("API outlook", lambda r: "/api/outlook"),
    ]


def measure(base: str, urls: list[str], c: int) -> tuple[list[float], dict[int, int]]:
    """Latencies (ms) of requests for ``urls`` from ``c`` concurrent clients, and how many
    answered each status.

    Each client is a thread with its own keep-alive ``http.client`` connection: the lightest
    client at hand, so the numbers are mostly the server's (an asyncio httpx client spends
    several milliseconds of this machine's two cores per request itself). Like a browser, it
    accepts gzip (the body is read, not decompressed). A 4xx answer is
    measured (it is the honest answer of an endpoint with nothing stored, e.g. no outlook);
    server errors fail the pass.
    """
    split = urlsplit(base)
    latencies: list[float] = []
    failures: list[str] = []
    statuses: dict[int, int] = {}

    def client(mine: list[str]) -> None:
        connection = http.client.HTTPConnection(split.hostname or "", split.port, timeout=120)
        for url in mine:
            started = time.perf_counter()
            connection.request("GET", url, headers={"Accept-Encoding": "gzip"})
            response = connection.getresponse()
            response.read()
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[response.status] = statuses.get(response.status, 0) + 1
            if response.status >= 500:
                failures.append(f"{url}: {response.status}")
        connection.close()

    threads = [threading.Thread(target=client, args=(urls[i::c],)) for i in range(c)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{len(failures)} failed requests, e.g. {failures[0]}")
    return latencies, statuses


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _status(base: str, url: str) -> int:
    return httpx.get(base + url, timeout=600).status_code


def server_cpu_seconds(session: int) -> float:
    """CPU seconds (user + system) used so far by the server's processes (its session)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session:  # fields after the name: state, ppid, pgrp, session, ...
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def run_endpoint(
    base: str, name: str, make_url: Callable[[random.Random], str], args: Any, session: int
) -> dict[str, Any]:
    """Cold then warm pass for one endpoint: URLs not requested before, then the same again;
    latencies and the server's CPU milliseconds per request (independent of the machine's
    load, unlike the latencies)."""
    rng = random.Random(42)
    urls = [make_url(rng) for _ in range(args.requests)]
    row: dict[str, Any] = {"endpoint": name}
    for label in ("cold", "warm"):  # warm: the same URLs again, now cached
        try:
            cpu = server_cpu_seconds(session)
            times, statuses = measure(base, urls, args.concurrency)
            cpu = server_cpu_seconds(session) - cpu
        except (RuntimeError, OSError) as error:
            row["skipped"] = str(error)
            break
        if set(statuses) != {200}:
            row["statuses"] = {str(k): v for k, v in sorted(statuses.items())}
        row[label] = {
            "p50": statistics.median(times),
            "p95": _percentile(times, 0.95),
            "max": max(times),
            "cpu_ms": 1000 * cpu / len(urls),
        }
    return row


def warm_up(base: str, chosen: list[Endpoint], limit: float) -> float:
    """Wait until the server has started: the Vega bundle built and the start-up warm-up
    finished (``/api/v1/warm-up``; at most ``limit`` seconds). A server without that endpoint
    gets one page of each kind (URLs the passes do not use) and two seconds instead."""
    started = time.perf_counter()
    httpx.get(base + "/vendor/vega-bundle.js", timeout=600)
    progress = httpx.get(base + "/api/v1/warm-up", timeout=600)
    if progress.status_code == 404:
        for _, make_url in chosen:
            httpx.get(base + make_url(random.Random(7)), timeout=600)
        httpx.get(base + "/api/v1/designations?per_page=1", timeout=600)
        time.sleep(2)  # the background designation of every year (a second or so)
        return time.perf_counter() - started
    while not progress.json()["finished"] and time.perf_counter() - started < limit:
        time.sleep(1)
        progress = httpx.get(base + "/api/v1/warm-up", timeout=600)
    state = progress.json()
    print(f"warm-up: {state['done']} of {state['total']} URLs, finished: {state['finished']}")
    return time.perf_counter() - started


def _print_row(row: dict[str, Any]) -> None:
    if "skipped" in row:
        print(f"{row['endpoint']:<26}not measured: {row['skipped'][:60]}", flush=True)
        return
    cells = "".join(
        f"{row[p]['p50']:>9.1f}{row[p]['p95']:>9.1f}{row[p]['max']:>9.1f}{row[p]['cpu_ms']:>6.1f}"
        for p in ("cold", "warm")
    )
    note = f"   status {row['statuses']}" if "statuses" in row else ""
    print(f"{row['endpoint']:<26}{cells}{note}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--workspace", type=Path, help="a workspace folder to serve")
    parser.add_argument("--microdata", type=Path, default=NATION)
    parser.add_argument("--synthetic", action="store_true", help="2 000 synthetic areas")
    parser.add_argument("--areas", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=100, help="requests per endpoint")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--only", help="only endpoints whose name contains this")
    parser.add_argument("--json", type=Path, help="write the numbers here")
    parser.add_argument(
        "--warm-up-limit",
        type=float,
        default=900,
        help="seconds to wait for the start-up warm-up (0: measure right after start-up)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        workspace = args.workspace
        if workspace is None and not args.synthetic and args.microdata.is_dir():
            workspace = national_workspace(args.microdata)
        if workspace is None:
            workspace = generate_workspace(Path(scratch), args.areas, range(2010, 2024))
            print(f"synthetic workspace: {args.areas} areas × 14 years")
        process, base = start_server(workspace, args.workers)
        try:
            chosen = [e for e in endpoints(base) if args.only is None or args.only in e[0]]
            print(f"server ready after {warm_up(base, chosen, args.warm_up_limit):.0f} s")
            print(
                f"{args.concurrency} concurrent clients, {args.workers} server worker(s), "
                f"{args.requests} requests per pass, load average {os.getloadavg()[0]:.1f}"
            )
            print(
                f"{'endpoint':<26}{'cold p50':>9}{'p95':>9}{'max':>9}{'cpu':>6}{'warm p50':>9}"
                f"{'p95':>9}{'max':>9}{'cpu':>6}   (ms; cpu: server CPU ms per request)"
            )
            rows = []
            for name, make_url in chosen:
                rows.append(run_endpoint(base, name, make_url, args, process.pid))
                _print_row(rows[-1])
        finally:
            stop_server(process)
        if args.json:
            result = {
                "workspace": str(workspace),
                "warm_up_limit": args.warm_up_limit,
                "workers": args.workers,
                "rows": rows,
                "load": os.getloadavg()[0],
            }
            args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
