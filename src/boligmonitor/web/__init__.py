"""The web dashboard and JSON API (FastAPI + Jinja2), served offline over a workspace."""

from __future__ import annotations

from boligmonitor.web.app import create_app, open_app

__all__ = ["create_app", "open_app"]
