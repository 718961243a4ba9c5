"""Local JavaScript assets: the Vega, Vega-Lite and vega-embed bundle from vl-convert.

vl-convert ships the libraries inside its Python wheel and builds one self-contained script from
them, so the dashboard draws charts with no CDN. Building takes a few seconds and holds the
interpreter lock, so it runs in a child process (keeping the server responsive and uvicorn's
worker health checks answered), once per server process; the result is served from memory with
a long cache lifetime.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from functools import cache

from fastapi import APIRouter, Request
from fastapi.responses import Response

__all__ = ["VEGA_BUNDLE_PATH", "router", "vega_bundle"]

VEGA_BUNDLE_PATH = "/vendor/vega-bundle.js"
router = APIRouter()
# The bundle exposes the libraries as globals for /static/app.js.
_GLOBALS = "window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite;"


@cache
def vega_bundle() -> tuple[bytes, str]:
    """The bundle's bytes and their ETag."""
    script = (
        "import sys, vl_convert; "
        f"sys.stdout.buffer.write(vl_convert.javascript_bundle({_GLOBALS!r}).encode('utf-8'))"
    )
    # A fixed command line with no user input: this interpreter and a constant script.
    body = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], check=True, capture_output=True, timeout=300
    ).stdout
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


@router.get(VEGA_BUNDLE_PATH, include_in_schema=False)
def vega_bundle_script(request: Request) -> Response:
    """Serve the bundle (``304`` when the browser already has it)."""
    body, etag = vega_bundle()
    headers = {"ETag": etag, "Cache-Control": "public, max-age=86400"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="text/javascript; charset=utf-8", headers=headers)
