"""Request-scoped helpers shared by the page and API routes: the state and response caching."""

from __future__ import annotations

import json
from collections.abc import Callable

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response
from pydantic import BaseModel

from boligmonitor.web.state import WebState
from boligmonitor.web.text import request_language

__all__ = ["cached_json", "cached_response", "web_state"]

_UNCACHED_HEADERS = {b"date", b"server"}


def web_state(request: Request) -> WebState:
    """The app's :class:`WebState` (set by :func:`~boligmonitor.web.app.create_app`)."""
    state: WebState = request.app.state.web
    return state


def cached_response(request: Request, build: Callable[[], Response]) -> Response:
    """Serve a successful response once built from the cache (the workspace is read-only).

    The key is the path, the query and the page language (which may come from a cookie).
    """
    state = web_state(request)
    key = (
        "response",
        request.url.path,
        tuple(sorted(request.query_params.multi_items())),
        request_language(request),
    )
    hit = state.cached_response(key)
    if hit is not None:
        body, status, headers = hit
        response = Response(body, status_code=status)
        response.raw_headers = list(headers)
        return response
    # identical requests in flight: one build, holding the database lock (pages call facets)
    response = state.coalesce(key, build, database=True)
    if response.status_code == 200:
        headers = [(k, v) for k, v in response.raw_headers if k not in _UNCACHED_HEADERS]
        state.store_response(key, (bytes(response.body), response.status_code, headers))
    return response


def cached_json(request: Request, build: Callable[[], object]) -> Response:
    """A JSON response (pydantic models, lists of them, or plain data), cached like
    :func:`cached_response`."""

    def respond() -> Response:
        built = build()
        if isinstance(built, BaseModel):
            body = built.model_dump_json()
        elif isinstance(built, list) and built and isinstance(built[0], BaseModel):
            body = "[" + ",".join(m.model_dump_json() for m in built) + "]"
        else:
            body = json.dumps(jsonable_encoder(built), ensure_ascii=False)
        return Response(body, media_type="application/json")

    return cached_response(request, respond)
