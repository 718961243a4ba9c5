"""Offline API documentation: the OpenAPI description rendered as a plain page.

FastAPI's default ``/docs`` loads Swagger UI from a CDN, which a locked-down server cannot
reach; this page needs nothing but the app itself.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from boligmonitor.web.deps import cached_response
from boligmonitor.web.templating import render

__all__ = ["OPENAPI_URL", "router"]

OPENAPI_URL = "/api/v1/openapi.json"
router = APIRouter()


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": operation.get("parameters", []),
                    "responses": operation.get("responses", {}),
                }
            )
    return operations


@router.get("/api/v1/docs", response_class=HTMLResponse, include_in_schema=False)
def api_docs(request: Request) -> Response:
    """Every endpoint with its parameters and responses."""
    return cached_response(request, lambda: _page(request))


def _page(request: Request) -> Response:
    schema = request.app.openapi()
    return render(
        request,
        "api_docs.html",
        {"info": schema["info"], "operations": _operations(schema), "openapi_url": OPENAPI_URL},
    )
