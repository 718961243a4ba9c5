"""Warm-up at start: every page and endpoint of the workspace rendered once in the background.

A served workspace is read-only, so every response can be made before anyone asks for it. At
start-up a background thread first designates every year (:meth:`WebState.warm`), then sends
the app itself one in-process ``GET`` per URL — the pages and endpoints that exist once or once
per year first, then each area's API answers and download, then each area page for its latest
year and then for every other year — so each response lands in the response cache through the
same code, cache keys and coalescing as a visitor's request.

The warm-up never competes with visitors: before each URL it waits until no request has been
in flight for a moment (:class:`RequestGauge` counts them), and a visitor asking for a response
the warm-up is making waits for that one computation instead of starting another. It does not
lower the thread's operating-system priority: a thread holding Python's global interpreter lock
at low priority on a busy machine would keep the request threads waiting for the lock.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from boligmonitor.web.state import WebState

__all__ = ["RequestGauge", "WarmUp", "warm_urls"]

_log = logging.getLogger(__name__)

#: Scope key marking the warm-up's own requests (the gauge does not count them).
WARM_SCOPE_KEY = "boligmonitor.warm_up"
#: Requests per page of ``/api/v1/areas`` (the API's default).
_PER_PAGE = 50


class RequestGauge:
    """ASGI middleware counting visitors' HTTP requests in flight.

    Parameters
    ----------
    app
        The wrapped application.
    progress
        Where the count is kept (the warm-up reads it).
    """

    def __init__(self, app: ASGIApp, progress: WarmUp) -> None:
        self.app = app
        self.progress = progress

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get(WARM_SCOPE_KEY):
            await self.app(scope, receive, send)
            return
        self.progress.enter()
        try:
            await self.app(scope, receive, send)
        finally:
            self.progress.leave()


@dataclass
class WarmUp:
    """The warm-up's progress and the visitors' requests in flight.

    Attributes
    ----------
    done, total
        URLs warmed so far and in all (``total`` is known once the list is made).
    failed
        URLs that answered with a server error (logged).
    finished
        Whether every URL has been warmed.
    seconds
        Wall time from start to finish.
    quiet
        Seconds without a visitor's request before the next URL is warmed.
    freeze
        Move everything alive once the warm-up is done out of the garbage collector's passes
        (:func:`gc.freeze`): the server's caches live as long as it does.
    """

    quiet: float = 0.05
    freeze: bool = True
    done: int = 0
    total: int = 0
    finished: bool = False
    seconds: float = 0.0
    failed: int = 0
    _in_flight: int = 0
    _last_request: float = field(default_factory=time.monotonic)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stop: threading.Event = field(default_factory=threading.Event)

    def enter(self) -> None:
        """A visitor's request started."""
        with self._lock:
            self._in_flight += 1

    def leave(self) -> None:
        """A visitor's request finished."""
        with self._lock:
            self._in_flight -= 1
            self._last_request = time.monotonic()

    def idle(self) -> bool:
        """No visitor's request in flight, and none finished within ``quiet`` seconds."""
        with self._lock:
            return self._in_flight == 0 and time.monotonic() - self._last_request >= self.quiet

    def stop(self) -> None:
        """Ask the warm-up to stop before its next URL."""
        self._stop.set()

    def as_record(self) -> dict[str, object]:
        """Progress as JSON-ready data."""
        return {
            "done": self.done,
            "total": self.total,
            "finished": self.finished,
            "failed": self.failed,
            "seconds": round(self.seconds, 1),
        }

    def run(self, app: ASGIApp, state: WebState) -> None:
        """Designate every year, then warm every URL of :func:`warm_urls` (blocking; run it
        in a background thread)."""
        started = time.monotonic()
        state.warm()
        urls = list(warm_urls(state))
        self.total = len(urls)
        asyncio.run(self._get_all(app, urls))
        self.seconds = time.monotonic() - started
        self.finished = not self._stop.is_set()
        if self.finished and self.freeze:
            # The caches hold millions of objects that live as long as the server; keep the
            # collector's full passes from walking them (pauses of a second were measured).
            gc.collect()
            gc.freeze()

    async def _get_all(self, app: ASGIApp, urls: list[str]) -> None:
        for url in urls:
            while not self.idle():
                if self._stop.is_set():
                    return
                await asyncio.sleep(self.quiet / 2)
            if self._stop.is_set():
                return
            try:
                status = await get(app, url)
            except Exception:  # a failing page must not stop the warm-up; visitors see it
                _log.exception("warm-up: GET %s failed", url)
                status = 500
            self.failed += status >= 500
            self.done += 1


async def get(app: ASGIApp, url: str) -> int:
    """``GET url`` through the app in this process (body discarded); the status code."""
    split = urlsplit(url)
    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": split.path,
        "raw_path": split.path.encode(),
        "query_string": split.query.encode(),
        "root_path": "",
        "headers": [(b"host", b"localhost")],
        "client": None,
        "server": None,
        WARM_SCOPE_KEY: True,
    }
    status = 0

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])

    await app(scope, receive, send)
    return status


def warm_urls(state: WebState) -> Iterator[str]:
    """Every URL the warm-up requests, most visited first (Danish, the default language)."""
    from boligmonitor.web.record import record_years

    years = sorted(state.years(), reverse=True)
    index = state.area_index()
    ids = [quote(str(a), safe="") for a in index["area_id"]]
    yield from ("/", "/api/v1/years", "/lists", "/api/lists", "/api/v1/rule-sets")
    yield from ("/api/v1/designations", "/api/v1/indicators", "/download/overview.csv")
    for year in years:
        yield from (f"/?year={year}", f"/api/v1/designations?year={year}")
        yield from (f"/api/v1/indicators?year={year}", f"/download/overview.csv?year={year}")
    for year in sorted(record_years(), reverse=True):
        yield from (f"/lists?year={year}", f"/api/lists?year={year}")
    yield from ("/city", "/goals", "/plans", "/pools", "/udviklingsplaner", "/outlook")
    yield from ("/simulation", "/api/v1/docs", "/api/v1/gaps", "/api/v1/goals", "/api/v1/plans")
    yield "/api/outlook"
    for page in range(1, len(ids) // _PER_PAGE + 2):
        yield f"/api/v1/areas?page={page}"
    for area_id in ids:
        yield from (f"/api/v1/areas/{area_id}", f"/api/v1/areas/{area_id}/designations")
        yield from (f"/download/area.csv?area_id={area_id}", f"/areas/{area_id}")
    for year in years:
        for area_id in ids:
            yield f"/areas/{area_id}?year={year}"
