"""Request-scoped helpers shared by the page and API routes: the state and response caching."""

from __future__ import annotations

import json
from collections.abc import Callable

from fastapi import Request
from fastapi._compat import ModelField
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import request_params_to_args
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response
from pydantic import BaseModel

from boligmonitor.web.state import WebState
from boligmonitor.web.templating import remember_language
from boligmonitor.web.text import request_language

__all__ = ["cached_json", "cached_response", "validated_query", "web_state"]

_UNCACHED_HEADERS = {b"date", b"server", b"set-cookie"}


def web_state(request: Request) -> WebState:
    """The app's :class:`WebState` (set by :func:`~boligmonitor.web.app.create_app`)."""
    state: WebState = request.app.state.web
    return state


def cached_response(
    request: Request, build: Callable[[], Response], also: tuple[str, ...] = ()
) -> Response:
    """Serve a successful response once built from the cache (the workspace is read-only).

    The key is the path, the query parameters the route declares as validated (so ``?year=
    02021`` and ``?year=2021&junk=1`` share the entry of ``?year=2021``), the raw values of the
    parameters named in ``also`` (read by the build but not declared) and the page language
    (which may come from a cookie).
    """
    state = web_state(request)
    raw = tuple((name, request.query_params.get(name)) for name in also)
    key = (
        "response",
        request.url.path,
        validated_query(request),
        raw,
        request_language(request),
    )
    hit = state.cached_response(key)
    if hit is not None:
        body, status, headers = hit.for_client(_accepts_gzip(request))
        response = Response(body, status_code=status)
        response.raw_headers = [*headers, (b"content-length", str(len(body)).encode())]
        if hit.page:
            remember_language(request, response)
        return response
    # identical requests in flight: one build, holding the database lock (pages call facets)
    response = state.coalesce(key, build, database=True)
    if response.status_code == 200:
        page = any(k == b"set-cookie" for k, _ in response.raw_headers) or _is_html(response)
        headers = [(k, v) for k, v in response.raw_headers if k not in _UNCACHED_HEADERS]
        state.store_response(key, (bytes(response.body), response.status_code, headers), page)
    return response


def _is_html(response: Response) -> bool:
    return any(k == b"content-type" and v.startswith(b"text/html") for k, v in response.raw_headers)


def _accepts_gzip(request: Request) -> bool:
    """Whether ``Accept-Encoding`` allows gzip (``gzip;q=0`` refuses it)."""
    for part in request.headers.get("accept-encoding", "").lower().split(","):
        name, _, params = part.partition(";")
        if name.strip() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def validated_query(request: Request) -> tuple[tuple[str, str], ...]:
    """The query parameters the request's route declares, validated and in a fixed order.

    Undeclared parameters are left out, and each declared one appears as the value the route
    receives (its default when absent), so junk in the query string cannot add cache entries.
    """
    dependant = getattr(request.scope.get("route"), "dependant", None)
    if dependant is None:
        return ()
    values, _ = request_params_to_args(_query_fields(dependant), request.query_params)
    return tuple(sorted((name, repr(value)) for name, value in values.items()))


def _query_fields(dependant: Dependant) -> list[ModelField]:
    """The query parameters of a route and of the dependencies it declares."""
    fields = list(dependant.query_params)
    for sub in dependant.dependencies:
        fields.extend(f for f in _query_fields(sub) if f not in fields)
    return fields


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
