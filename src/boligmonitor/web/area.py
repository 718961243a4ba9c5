"""The area page: criteria over time with thresholds, the explanation and the history."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from boligmonitor.charts.palette import designation_colour
from boligmonitor.i18n import Language
from boligmonitor.rules.evaluate import AreaDesignation
from boligmonitor.web.area_extras import (
    changes_since_last_year,
    funding_rows,
    headline,
    outlook_section,
    published_history,
    udviklingsplan_status,
)
from boligmonitor.web.charts import YearMeans, comparison_values, criteria_charts
from boligmonitor.web.deps import cached_response, web_state
from boligmonitor.web.errors import choices
from boligmonitor.web.plans import area_plans
from boligmonitor.web.state import BadParameter, WebState
from boligmonitor.web.templating import json_script_text, render
from boligmonitor.web.text import request_language
from boligmonitor.web.views import criterion_rows, designation_labels, history_rows

__all__ = ["area_year", "router"]

router = APIRouter()


def area_year(history: list[AreaDesignation], year: int | None) -> int:
    """The requested year of an area's history, or its latest.

    Raises
    ------
    BadParameter
        When the area has no statistics that year.
    """
    years = sorted({r.year for r in history})
    if year is None:
        return years[-1]
    if year not in years:
        raise BadParameter(
            "year",
            "the area has no statistics for the list year {year}; choose {years}",
            year=year,
            years=choices(years),
        )
    return year


def _current(state: WebState, results: list[AreaDesignation], lang: Language) -> list[Any]:
    rule_sets = state.rule_set_by_id()
    return [
        {
            "result": r,
            "rule_set": rule_sets[r.rule_set],
            "labels": designation_labels(r, rule_sets[r.rule_set], lang),
            "criteria": criterion_rows(r, rule_sets[r.rule_set], lang),
            "explanation": state.explanation(r, lang),
            "headline": headline(r, rule_sets[r.rule_set], lang),
            "colours": [designation_colour(d) for d in r.designations],
        }
        for r in results
    ]


@router.get("/areas/{area_id:path}", response_class=HTMLResponse, include_in_schema=False)
def area_page(
    request: Request,
    area_id: str,
    state: Annotated[WebState, Depends(web_state)],
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
) -> Response:
    """One area: its criteria over time, this year's reasoning, and every year's lists."""
    return cached_response(request, lambda: _area_page(request, state, area_id, year))


def _every_year(state: WebState, area_id: str, lang: Language) -> dict[str, Any]:
    """What the area's page shows the same in every year: the charts (as JSON text), the
    history, the published lists, outlook, funding, udviklingsplan and plans."""
    history = state.area_history(area_id)
    rule_sets = state.rule_set_by_id()
    name = str(state.area(area_id)["area_name"])

    def year_means(year: int, rule_set_id: str) -> YearMeans:
        return state.year_means(year, rule_sets[rule_set_id])

    comparisons = comparison_values(history, year_means, lang)
    charts = criteria_charts(history, rule_sets, comparisons, lang)
    return {
        "chart_specs": [json_script_text(spec) for spec in charts],
        "history": history_rows(history, rule_sets, lang),
        "published": published_history(state, name),
        "outlook": outlook_section(state, area_id, lang),
        "funding": funding_rows(state, name),
        "udviklingsplan": udviklingsplan_status(state, area_id),
        "area_plans": area_plans(state, area_id),
    }


def _area_page(request: Request, state: WebState, area_id: str, year: int | None) -> Response:
    lang = request_language(request)
    area = state.area(area_id)
    history = state.area_history(area_id)
    chosen = area_year(history, year)
    rule_sets = state.rule_set_by_id()
    current = [r for r in history if r.year == chosen]
    return render(
        request,
        "area.html",
        {
            "area": area,
            "year": chosen,
            "years": sorted({r.year for r in history}),
            "current": _current(state, current, lang),
            "changes": [
                c
                for r in current
                if (c := changes_since_last_year(history, chosen, rule_sets[r.rule_set], lang))
            ],
            **state.memo(("area_page", area_id, lang), lambda: _every_year(state, area_id, lang)),
            "download_query": {"area_id": area_id, "year": chosen},
        },
    )
