"""Udviklingsplaner (§ 168 a): an overview of every obliged or planned area, a page per area
(the share over time against 40 %, the measures as a time line) and the JSON API.

The pages ask the workspace's :class:`~boligmonitor.udviklingsplan.facet.UdviklingsplanFacet`;
which areas must have a plan comes from the published lists and the workspace's designations.
"""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from boligmonitor.errors import InputError
from boligmonitor.i18n import Language, translate
from boligmonitor.store import Table
from boligmonitor.udviklingsplan.calculate import PlanResult
from boligmonitor.udviklingsplan.charts import measures_chart, share_chart
from boligmonitor.udviklingsplan.facet import UdviklingsplanFacet
from boligmonitor.udviklingsplan.obligations import (
    memberships_from_designations,
    published_memberships,
)
from boligmonitor.udviklingsplan.tables import additional_text, result_record, years_frame
from boligmonitor.web.api import API_PREFIX
from boligmonitor.web.deps import cached_response, web_state
from boligmonitor.web.state import NotFound, WebState
from boligmonitor.web.templating import render
from boligmonitor.web.text import request_language

__all__ = ["facet_of", "memberships_of", "router"]

router = APIRouter()
AreaId = Annotated[str, Path(max_length=200)]


def facet_of(state: WebState) -> UdviklingsplanFacet:
    """The workspace's udviklingsplan facet."""
    return state.workspace.udviklingsplaner


def memberships_of(facet: UdviklingsplanFacet) -> pd.DataFrame:
    """The published lists plus the workspace's own stored designations."""
    frames = [published_memberships()]
    stored = facet.store.read_or_none(Table.DESIGNATIONS)
    if stored is not None:
        frames.append(memberships_from_designations(stored))
    return pd.concat(frames, ignore_index=True).drop_duplicates(ignore_index=True)


def _overview_rows(state: WebState) -> list[dict[str, Any]]:
    return state.call("udviklingsplan_overview", lambda: _overview_records(state))


def _overview_records(state: WebState) -> list[dict[str, Any]]:
    facet = facet_of(state)
    frame = facet.overview(memberships_of(facet)).astype(object)
    records: list[dict[str, Any]] = frame.where(frame.notna(), None).to_dict("records")  # type: ignore[assignment]
    return records


def _result(state: WebState, area_id: str) -> PlanResult:
    """One area's computed plan, once, under the database lock."""
    try:
        return state.call(("udviklingsplan", area_id), lambda: facet_of(state).result(area_id))
    except InputError as error:
        problem = error.problems[0]
        raise NotFound(problem.message, **problem.params) from None


def _area_context(state: WebState, area_id: str, lang: Language) -> dict[str, Any]:
    facet = facet_of(state)
    result = _result(state, area_id)
    return {
        "result": result,
        "years": years_frame(result, facet.rules).to_dict("records"),
        "measures": [(m, facet.rules.kind(m.kind).label(lang)) for m in result.measures],
        "additional": [additional_text(a, lang) for a in result.additional],
        "share_spec": share_chart(result, facet.rules, lang),
        "measures_spec": measures_chart(result, facet.rules, lang),
        "rules": facet.rules,
    }


def _tx(lang: Language) -> Any:
    return lambda msgid, **params: translate(msgid, lang, **params)


@router.get("/udviklingsplaner", response_class=HTMLResponse, include_in_schema=False)
def overview_page(request: Request, state: Annotated[WebState, Depends(web_state)]) -> Any:
    """Every area that must have a plan or has one, with the plan's outcome."""
    lang = request_language(request)

    def build() -> Response:
        context = {"rows": _overview_rows(state), "tx": _tx(lang)}
        return render(request, "udviklingsplaner.html", context)

    return cached_response(request, build)


@router.get(
    "/udviklingsplaner/{area_id:path}", response_class=HTMLResponse, include_in_schema=False
)
def area_page(
    request: Request, area_id: AreaId, state: Annotated[WebState, Depends(web_state)]
) -> Any:
    """One area's plan: the share at each 1 January against 40 %, the measures, re-housing."""
    lang = request_language(request)

    def build() -> Response:
        context = {**_area_context(state, area_id, lang), "tx": _tx(lang)}
        return render(request, "udviklingsplan.html", context)

    return cached_response(request, build)


@router.get(
    f"{API_PREFIX}/udviklingsplaner", tags=["v1"], summary="Udviklingsplaner: status of every area"
)
def overview_api(state: Annotated[WebState, Depends(web_state)]) -> JSONResponse:
    """Areas that must have a plan (also after leaving the list), stray plans, outcomes."""
    return JSONResponse(_overview_rows(state))


@router.get(
    f"{API_PREFIX}/udviklingsplaner/{{area_id:path}}",
    tags=["v1"],
    summary="One area's udviklingsplan",
)
def area_api(
    request: Request, area_id: AreaId, state: Annotated[WebState, Depends(web_state)]
) -> JSONResponse:
    """The plan computed per year (exact shares as ``"a/b"``) and the additional measures."""
    result = _result(state, area_id)
    return JSONResponse(result_record(result, facet_of(state).rules, request_language(request)))
