"""Screenshots of every dashboard page for review: ``make screenshots``.

``python -m tests.screenshots --workspace DIR OUT`` serves the workspace itself (read-only, on
a free local port); ``python -m tests.screenshots URL OUT`` uses a running dashboard.

Each page is taken at 1 400 px and 390 px wide, in Danish and English, full length, with
Debian's Chromium, after its charts are drawn.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: Paths of every page family (one example each where a page needs an id).
PAGES = {
    "oversigt": "/",
    "oversigt-2020": "/?year=2020",
    "oversigt-51b": "/?rules=dk-51b",
    "omraade-vibo-108": "/areas/VIBO%20108?year=2020",
    "lister": "/lists",
    "udviklingsplaner": "/udviklingsplaner",
    "byomraader": "/city",
    "maal": "/goals",
    "planer": "/plans",
    "puljer": "/pools",
    "overvaagning": "/outlook",
    "simulering": "/simulation",
}
WIDTHS = (1400, 390)
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]


def wait_for_charts(page: Any) -> None:
    """Wait until every chart on the page has been drawn (or failed visibly)."""
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('[data-chart]'))"
        ".filter(e => !e.closest('details:not([open])'))"
        ".every(e => e.dataset.rendered)",
        timeout=60_000,
    )


def take(base: str, out: Path, pages: dict[str, str] | None = None) -> list[Path]:
    """Write ``<name>-<lang>-<width>.png`` for every page; return the files."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    files = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            for name, path in (pages or PAGES).items():
                for lang in ("da", "en"):
                    joiner = "&" if "?" in path else "?"
                    page.goto(f"{base}{path}{joiner}lang={lang}")
                    wait_for_charts(page)
                    file = out / f"{name}-{lang}-{width}.png"
                    page.screenshot(path=str(file), full_page=True)
                    files.append(file)
            context.close()
        browser.close()
    return files


@contextmanager
def serving(workspace: Path) -> Iterator[str]:
    """The dashboard over ``workspace`` on a free port, for as long as the block runs."""
    import socket
    import threading
    import time

    import httpx
    import uvicorn

    from boligmonitor.web import open_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(open_app(workspace), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    httpx.get(base + "/vendor/vega-bundle.js", timeout=300).raise_for_status()
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def main(args: list[str]) -> None:
    """``--workspace DIR OUT`` or ``URL OUT``."""
    if args[0] == "--workspace":
        with serving(Path(args[1])) as base:
            files = take(base, Path(args[2]))
    else:
        files = take(args[0].rstrip("/"), Path(args[1]))
    for written in files:
        print(written)


if __name__ == "__main__":
    main(sys.argv[1:])
