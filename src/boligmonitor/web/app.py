"""The FastAPI application: pages, downloads and the JSON API over one workspace.

The web layer is thin: it asks a :class:`~boligmonitor.web.state.WebState` (which calls the
:class:`~boligmonitor.Workspace`) and renders. Every asset is local and a Content Security
Policy forbids the browser from contacting any other host.
"""

from __future__ import annotations

import os
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from boligmonitor.errors import InputError
from boligmonitor.i18n import N_, translate
from boligmonitor.web import (
    api,
    api_monitor,
    apidocs,
    area,
    assets,
    city,
    downloads,
    goals,
    outlook,
    overview,
    plans,
    pools,
    simulation,
    udviklingsplan,
)
from boligmonitor.web import record as record_page
from boligmonitor.web.basemap import basemap_host
from boligmonitor.web.errors import (
    BadParameter,
    NotFound,
    api_language,
    parameter_message,
    parameter_name,
    validation_message,
)
from boligmonitor.web.state import WebState
from boligmonitor.web.templating import render
from boligmonitor.web.text import request_language
from boligmonitor.web.warmup import RequestGauge, WarmUp
from boligmonitor.workspace import Workspace

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "WORKSPACE_ENV",
    "app_from_environment",
    "create_app",
    "open_app",
]

#: The workspace folder worker processes open (set by ``boligmonitor serve --workers``).
WORKSPACE_ENV = "BOLIGMONITOR_WORKSPACE"

#: Scripts, styles, data and images only from this server; Vega compiles expressions (eval).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
_STATIC = Path(__file__).parent / "static"

#: The modules whose routers serve the pages, downloads and API, in the order they are added.
_ROUTERS = (
    assets,
    apidocs,
    api,
    api_monitor,
    overview,
    area,
    city,
    goals,
    plans,
    pools,
    udviklingsplan,
    record_page,
    outlook,
    simulation,
    downloads,
)

#: What FastAPI calls at start-up and shutdown.
_Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def create_app(workspace: Workspace, warm: bool = True) -> FastAPI:
    """Build the dashboard and API over an open workspace.

    Parameters
    ----------
    workspace
        Preferably opened read-only (see :func:`open_app`).
    warm
        At start-up, build the Vega bundle, designate every year and render every page and
        endpoint in the background (:mod:`boligmonitor.web.warmup`), so first requests are
        quick.

    Examples
    --------
    >>> app = create_app(Workspace.open("demo-output", read_only=True))  # doctest: +SKIP
    """

    state = WebState(workspace)
    progress = WarmUp()
    app = _bare_app(_warm_up_lifespan(state, progress, warm))
    app.state.web = state
    app.state.warm_up = progress
    _add_pages_and_api(app)
    _add_error_handlers(app)
    app.add_middleware(_SecurityHeaders)
    app.add_middleware(RequestGauge, progress=progress)
    return app


def _warm_up_lifespan(state: WebState, progress: WarmUp, warm: bool) -> _Lifespan:
    """Start warming up in the background when the app starts; stop it when the app stops."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            threading.Thread(target=assets.vega_bundle, daemon=True).start()
            thread = threading.Thread(target=progress.run, args=(app, state), daemon=True)
            thread.start()
        yield
        progress.stop()

    return lifespan


def _bare_app(lifespan: _Lifespan) -> FastAPI:
    """The API's title and description; its documentation served by :mod:`.apidocs`."""
    return FastAPI(
        title="Boligmonitor API",
        version="1",
        description="Read-only access to areas, designations with explanations and indicators.",
        docs_url=None,
        redoc_url=None,
        openapi_url=apidocs.OPENAPI_URL,
        lifespan=lifespan,
    )


def _add_pages_and_api(app: FastAPI) -> None:
    """The static files, then every page, download and API router."""
    app.mount("/static", StaticFiles(directory=_STATIC), name="static")
    for module in _ROUTERS:
        app.include_router(module.router)


def app_from_environment() -> FastAPI:
    """App factory for uvicorn worker processes: the workspace named by ``WORKSPACE_ENV``.

    Raises
    ------
    InputError
        When the variable is unset or names no workspace.
    """
    folder = os.environ.get(WORKSPACE_ENV)
    if not folder:
        raise InputError.single(WORKSPACE_ENV, "environment variable not set")
    return open_app(folder)


def open_app(folder: str | Path) -> FastAPI:
    """The app over a workspace folder opened read-only.

    Raises
    ------
    InputError
        When the folder holds no workspace.
    """
    return create_app(Workspace.open(folder, read_only=True))


_SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


class _SecurityHeaders:
    """Adds the security headers to every HTTP response (plain ASGI: no per-request tasks)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        host = basemap_host()  # a configured basemap opens images to its host, and only it
        self.headers = [
            (name, value.replace(b"img-src 'self'", b"img-src 'self' " + host.encode()))
            if host and name == b"content-security-policy"
            else (name, value)
            for name, value in _SECURITY_HEADERS
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _is_api(request: Request) -> bool:
    """JSON endpoints: the API (``/api/v1``) and the pages' own data (``/api/outlook``, ...)."""
    return request.url.path.startswith("/api/")


def _add_error_handlers(app: FastAPI) -> None:
    """Refusals in the reader's language: pages by :func:`request_language`, the JSON API by
    its ``lang`` parameter (:func:`api_language`), in FastAPI's ``{"detail": ...}`` shapes."""
    app.add_exception_handler(HTTPException, _no_page)
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(InputError, _missing_input)
    app.add_exception_handler(BadParameter, _bad_parameter)
    app.add_exception_handler(RequestValidationError, _invalid_request)


async def _not_found(request: Request, error: Exception) -> Response:
    """An id that names nothing: 404, as a page or as ``{"detail": message}``."""
    assert isinstance(error, NotFound)
    if _is_api(request):
        return JSONResponse({"detail": error.render(api_language(request))}, status_code=404)
    return _error_page(request, 404, "Not found", [error.render(request_language(request))])


async def _bad_parameter(request: Request, error: Exception) -> Response:
    """A query parameter the workspace cannot serve: 422, naming the parameter."""
    assert isinstance(error, BadParameter)
    if _is_api(request):
        message = error.render(api_language(request))
        detail = [{"loc": ["query", error.parameter], "msg": message, "type": "value"}]
        return JSONResponse({"detail": detail}, status_code=422)
    lang = request_language(request)
    message = parameter_message(error.parameter, error.render(lang), lang)
    return _error_page(request, 422, "Invalid parameter", [message])


async def _invalid_request(request: Request, error: Exception) -> Response:
    """Query parameters pydantic refuses: 422, one sentence per parameter."""
    assert isinstance(error, RequestValidationError)
    errors: list[dict[str, object]] = jsonable_encoder(error.errors())
    if _is_api(request):
        lang = api_language(request)
        detail = [{**e, "msg": validation_message(e, lang)} for e in errors]
        return JSONResponse({"detail": detail}, status_code=422)
    lang = request_language(request)
    messages = [
        parameter_message(parameter_name(e), validation_message(e, lang), lang) for e in errors
    ]
    return _error_page(request, 422, "Invalid parameter", messages)


async def _missing_input(request: Request, error: Exception) -> Response:
    """The workspace lacks what the page needs: 422 with the input problems."""
    assert isinstance(error, InputError)
    if _is_api(request):
        message = "; ".join(error.render(api_language(request)))
        detail = [{"loc": ["workspace"], "msg": message, "type": "input"}]
        return JSONResponse({"detail": detail}, status_code=422)
    return _error_page(request, 422, "Invalid parameter", error.render(request_language(request)))


async def _no_page(request: Request, error: Exception) -> Response:
    """An address with no page: the 404 page in the reader's language (the API and other
    statuses as FastAPI answers them)."""
    assert isinstance(error, HTTPException)
    if error.status_code != 404 or _is_api(request):
        return await http_exception_handler(request, error)
    lang = request_language(request)
    message = translate(N_("there is no page at '{path}'"), lang, path=request.url.path)
    return _error_page(request, 404, "Not found", [message])


def _error_page(request: Request, status: int, title: str, messages: list[str]) -> Response:
    """The error page: a title and one paragraph per message, in the request's language."""
    title = translate(title, request_language(request))
    return render(request, "error.html", {"title": title, "messages": messages}, status)
