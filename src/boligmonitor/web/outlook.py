"""The dashboard's watch list and the outlook/flows API, over the stored outlook and movers.

Reads what ``boligmonitor outlook`` and the movers facet stored in the workspace (the dashboard
opens it read-only, so nothing is computed here).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse

from boligmonitor.i18n import translate
from boligmonitor.outlook.facet import watch_list
from boligmonitor.outlook.views import watch_table
from boligmonitor.web.deps import web_state
from boligmonitor.web.state import NotFound, WebState
from boligmonitor.web.templating import render
from boligmonitor.web.text import request_language

__all__ = ["router"]

router = APIRouter()
StateDep = Annotated[WebState, Depends(web_state)]


def _outlook(state: WebState, year: int | None) -> Any:
    facet = state.workspace.outlook
    stored = facet.stored()
    if stored is None or stored.empty:
        raise NotFound("no outlook stored (run: boligmonitor outlook --year Y --workspace DIR)")
    chosen = int(stored["year"].max()) if year is None else year
    frame = stored[stored["year"] == chosen]
    if frame.empty:
        raise NotFound(f"no outlook for {chosen}")
    return chosen, frame


@router.get("/outlook", response_class=HTMLResponse)
def watch_page(
    request: Request,
    state: StateDep,
    year: int | None = Query(None),
    by: str = Query("probability", pattern="^(probability|change)$"),
) -> HTMLResponse:
    """The watch list: designations that could go either way on the next list."""
    lang = request_language(request)
    stored = state.workspace.outlook.stored()
    if year is None and (stored is None or stored.empty):
        message = translate(
            "No outlook is stored in this workspace: run boligmonitor outlook --year Y -w DIR.",
            lang,
        )
        return render(request, "outlook.html", {"year": None, "message": message, "by": by})
    chosen, frame = _outlook(state, year)
    table = watch_table(watch_list(frame, "change" if by == "change" else "probability"), lang)
    return render(request, "outlook.html", {"year": chosen, "table": table, "by": by})


@router.get("/api/outlook")
def outlook_api(state: StateDep, year: int | None = Query(None)) -> JSONResponse:
    """Every area's probability of each designation on the list of ``year`` (default: latest)."""
    _, frame = _outlook(state, year)
    return JSONResponse(
        jsonable_encoder(frame.astype(object).where(frame.notna(), None).to_dict("records"))
    )


@router.get("/api/areas/{area_id}/flows")
def flows_api(area_id: str, state: StateDep) -> JSONResponse:
    """The area's stored (disclosure-controlled) decomposition and flows."""
    facet = state.workspace.movers
    parts = {
        "decomposition": facet.stored_decomposition(area_id),
        "flows": facet.stored_flows(area_id),
    }
    if all(p is None or p.empty for p in parts.values()):
        raise NotFound(f"no decomposition stored for {area_id}")
    return JSONResponse(
        jsonable_encoder(
            {
                k: [] if p is None else p.astype(object).where(p.notna(), None).to_dict("records")
                for k, p in parts.items()
            }
        )
    )
