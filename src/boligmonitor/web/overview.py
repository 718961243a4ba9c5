"""The overview page: counts per designation, a map and a sortable list for a year."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from boligmonitor.i18n import Language
from boligmonitor.rules.evaluate import AreaDesignation
from boligmonitor.rules.model import RuleSet
from boligmonitor.web.basemap import basemap_host
from boligmonitor.web.changes import list_changes
from boligmonitor.web.deps import cached_response, web_state
from boligmonitor.web.maps import map_spec, missing_outlines, rule_set_legend
from boligmonitor.web.state import WebState
from boligmonitor.web.templating import render
from boligmonitor.web.text import request_language
from boligmonitor.web.views import area_url, designation_counts, overview_rows

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
    geometry = state.area_geometry()
    spec = map_spec(results, rule_set, geometry, lang)
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
            "map_spec": spec,
            "legend": rule_set_legend(rule_set, lang),
            "basemap_host": basemap_host() if spec else None,
            "missing": [
                {
                    "name": r.area_name,
                    "url": area_url(r.area_id, r.year),
                    "designated": bool(r.designations),
                }
                for r in (missing_outlines(results, geometry) if spec else [])
            ],
            "other_lists": _other_lists(state, chosen_year, rule_set, lang),
            **_changes(state, chosen_year, rule_set, results, lang),
            "download_query": query,
        },
    )


def _other_lists(
    state: WebState, year: int, shown: RuleSet, lang: Language
) -> list[dict[str, object]]:
    """Counts of the other lists in force in ``year`` (e.g. § 51 b beside § 61 a)."""
    others = [s for s in state.rule_sets() if s.id != shown.id and s.in_force(year)]
    others = [s for s in others if s.family != shown.family]
    return [
        {"rule_set": s, "counts": designation_counts(state.designations(year, s), s, lang)}
        for s in others
    ]


def _changes(
    state: WebState, year: int, rule_set: RuleSet, results: list[AreaDesignation], lang: Language
) -> dict[str, object]:
    """The change view against the previous list year of the same list family."""
    earlier = [y for y in state.years() if y < year]
    if not earlier:
        return {"changes": [], "previous_year": None}
    previous_year = max(earlier)
    previous_rule_set = state.rule_set(None, previous_year)
    if rule_set.family != previous_rule_set.family:
        sets = [s for s in state.rule_sets() if s.family == rule_set.family]
        in_force = [s for s in sets if s.in_force(previous_year)]
        if not in_force:
            return {"changes": [], "previous_year": None}
        previous_rule_set = in_force[0]
    previous = state.designations(previous_year, previous_rule_set)
    return {
        "changes": list_changes(results, previous, rule_set, previous_rule_set, lang),
        "previous_year": previous_year,
    }
