"""The overview page: counts per designation, a map and a sortable list for a year."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from boligmonitor.web.deps import cached_response, web_state
from boligmonitor.web.maps import map_spec
from boligmonitor.web.state import WebState
from boligmonitor.web.templating import render
from boligmonitor.web.text import request_language
from boligmonitor.web.views import designation_counts, overview_rows

__all__ = ["router"]

router = APIRouter()

YearQuery = Annotated[int | None, Query(ge=1900, le=2100, description="List year.")]
RulesQuery = Annotated[
    str | None, Query(max_length=100, description="Rule-set id; default: the one in force.")
]


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def overview(
    request: Request,
    state: Annotated[WebState, Depends(web_state)],
    year: YearQuery = None,
    rules: RulesQuery = None,
) -> Response:
    """Counts per designation, a map when geometry exists, and every area in a sortable list."""
    return cached_response(request, lambda: _overview(request, state, year, rules))


def _overview(request: Request, state: WebState, year: int | None, rules: str | None) -> Response:
    lang = request_language(request)
    if not state.years():
        return render(request, "overview.html", {"empty": True})
    chosen_year = state.year(year)
    rule_set = state.rule_set(rules or None, chosen_year)
    results = state.designations(chosen_year, rule_set)
    rows = overview_rows(results, rule_set, lang)
    query = {"year": chosen_year, "rules": rule_set.id}
    return render(
        request,
        "overview.html",
        {
            "empty": False,
            "years": state.years(),
            "year": chosen_year,
            "rule_sets": state.rule_sets(),
            "rule_set": rule_set,
            "explicit_rules": bool(rules),
            "counts": designation_counts(results, rule_set, lang),
            "rows": rows,
            "designated_any": sum(bool(r["designations"]) for r in rows),
            "map_spec": map_spec(results, rule_set, state.area_geometry(), lang),
            "download_query": query,
        },
    )
