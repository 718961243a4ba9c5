"""The dashboard's watch list and the outlook/flows API, over the stored outlook and movers.

Reads what ``boligmonitor outlook`` and the movers facet stored in the workspace (the dashboard
opens it read-only, so nothing is computed here).
"""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from boligmonitor.i18n import translate
from boligmonitor.outlook.facet import watch_list
from boligmonitor.outlook.views import watch_table
from boligmonitor.web.deps import cached_json, cached_response, web_state
from boligmonitor.web.state import NotFound, WebState
from boligmonitor.web.templating import render
from boligmonitor.web.text import request_language

__all__ = ["router"]

router = APIRouter()
StateDep = Annotated[WebState, Depends(web_state)]


def stored_outlook(state: WebState) -> pd.DataFrame | None:
    """Every stored forecast (read once, under the database lock)."""
    return state.call("outlook_stored", state.workspace.outlook.stored)


def _outlook(state: WebState, year: int | None) -> Any:
    stored = stored_outlook(state)
    if stored is None or stored.empty:
        raise NotFound(
            "No outlook is stored in this workspace: run boligmonitor outlook --year Y -w DIR."
        )
    chosen = int(stored["year"].max()) if year is None else year
    frame = stored[stored["year"] == chosen]
    if frame.empty:
        raise NotFound("no outlook stored for the list year {year}", year=chosen)
    return chosen, frame


@router.get("/outlook", response_class=HTMLResponse)
def watch_page(
    request: Request,
    state: StateDep,
    year: int | None = Query(None),
    by: str = Query("probability", pattern="^(probability|change)$"),
) -> Response:
    """The watch list: designations that could go either way on the next list."""
    return cached_response(request, lambda: _watch_page(request, state, year, by))


def _watch_page(request: Request, state: WebState, year: int | None, by: str) -> Response:
    lang = request_language(request)
    stored = stored_outlook(state)
    if year is None and (stored is None or stored.empty):
        message = translate(
            "No outlook is stored in this workspace: run boligmonitor outlook --year Y -w DIR.",
            lang,
        )
        return render(request, "outlook.html", {"year": None, "message": message, "by": by})
    chosen, frame = _outlook(state, year)
    table = watch_table(watch_list(frame, "change" if by == "change" else "probability"), lang)
    return render(request, "outlook.html", {"year": chosen, "table": table, "by": by})


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    cleaned = frame.astype(object).where(frame.notna(), None)
    return [{str(k): v for k, v in row.items()} for row in cleaned.to_dict("records")]


@router.get("/api/outlook")
def outlook_api(request: Request, state: StateDep, year: int | None = Query(None)) -> Response:
    """Every area's probability of each designation on the list of ``year`` (default: latest)."""
    return cached_json(request, lambda: _records(_outlook(state, year)[1]))


@router.get("/api/areas/{area_id}/flows")
def flows_api(request: Request, area_id: str, state: StateDep) -> Response:
    """The area's stored (disclosure-controlled) decomposition and flows."""
    return cached_json(request, lambda: _flows(state, area_id))


def _flows(state: WebState, area_id: str) -> dict[str, list[dict[str, Any]]]:
    facet = state.workspace.movers
    tables = {
        "decomposition": state.call("decomposition", facet.stored_decomposition),
        "flows": state.call("flows", facet.stored_flows),
    }
    parts = {
        k: None if t is None else t[t["area_id"] == area_id].reset_index(drop=True)
        for k, t in tables.items()
    }
    if all(p is None or p.empty for p in parts.values()):
        raise NotFound("no decomposition stored for the area '{area_id}'", area_id=area_id)
    return {k: [] if p is None else _records(p) for k, p in parts.items()}
