"""The 18 goals of Copenhagen's policy by approach: verdicts, charts and data-break notes.

Everything shown comes from :meth:`Workspace.goal_catalogue` and
:meth:`Workspace.evaluate_goals` (the same evaluation as the status report).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from boligmonitor.charts.report import goal_chart as report_goal_chart
from boligmonitor.i18n import Language, localized, translate
from boligmonitor.monitor.goals.evaluate import Evaluation
from boligmonitor.monitor.goals.explain import verdict_label
from boligmonitor.monitor.goals.model import Catalogue, Goal, Verdict
from boligmonitor.monitor.goals.records import evaluation_records
from boligmonitor.web.deps import cached_response, web_state
from boligmonitor.web.errors import choices
from boligmonitor.web.state import BadParameter, WebState
from boligmonitor.web.templating import render
from boligmonitor.web.text import request_language

__all__ = ["evaluation", "goal_chart", "router", "status_year", "status_years"]

router = APIRouter()
SOURCES = ("auto", "published", "microdata")


def catalogue(state: WebState) -> Catalogue:
    """The workspace's goal catalogue (default ``kk-2017-2025``)."""
    return state.call("goal_catalogue", state.workspace.goals.catalogue)


def status_years(state: WebState) -> list[int]:
    """The status years with values after the catalogue's baseline
    (:meth:`Catalogue.status_years`)."""
    return catalogue(state).status_years()


def status_year(state: WebState, year: int | None) -> int:
    """A requested status year, or the latest.

    Raises
    ------
    BadParameter
        When the catalogue has no status values that year.
    """
    years = status_years(state)
    if year is None and years:
        return years[-1]
    if not years:
        raise BadParameter("year", "the goal catalogue holds no status values")
    if year not in years:
        raise BadParameter(
            "year", "no goal status for {year}; choose {years}", year=year, years=choices(years)
        )
    return year


def evaluation(state: WebState, year: int, source: str) -> Evaluation:
    """The verdicts on every goal at a status year (``source``: auto, published, microdata)."""
    if source not in SOURCES:
        raise BadParameter(
            "source",
            "unknown source '{source}'; use {sources}",
            source=source,
            sources=choices(SOURCES),
        )
    return state.call(
        ("goals", year, source), lambda: state.workspace.goals.evaluate(year, None, source)
    )


def goal_chart(goal: Goal, lang: Language) -> dict[str, Any] | None:
    """Each indicator of a goal over the years, the designated areas against the city: the
    status report's chart (:func:`boligmonitor.charts.report.goal_chart`), ``None`` when no
    indicator has two years."""
    return report_goal_chart(list(goal.indicators), lang=lang)


def _goal_rows(result: Evaluation, lang: Language) -> list[dict[str, Any]]:
    records = evaluation_records(result, lang)
    cat = result.catalogue
    rows = []
    for goal in result.goals:
        spec = cat.goal(goal.number)
        rows.append(
            {
                "number": goal.number,
                "approach": goal.approach,
                "title": localized(spec.title_da, spec.title_en, lang),
                "owners": [_owner(cat, o, lang) for o in spec.owners],
                "verdict": goal.verdict.value,
                "verdict_label": verdict_label(goal.verdict, lang),
                "published_label": verdict_label(goal.published, lang) if goal.published else None,
                "agrees": goal.agrees,
                "indicators": [
                    {**r, "label": _indicator_label(spec, str(r["indicator"]), lang)}
                    for r in records
                    if r["goal"] == goal.number
                ],
                "notes": _notes(spec, lang),
                "chart": goal_chart(spec, lang),
            }
        )
    return rows


def _indicator_label(goal: Goal, indicator_id: str, lang: Language) -> str:
    indicator = goal.indicator(indicator_id)
    return localized(indicator.label_da, indicator.label_en, lang)


def _owner(cat: Catalogue, owner: str, lang: Language) -> str:
    administration = cat.administrations[owner]
    return localized(administration.name_da, administration.name_en, lang)


def _notes(goal: Goal, lang: Language) -> list[dict[str, Any]]:
    return [
        {
            "indicator": localized(indicator.label_da, indicator.label_en, lang),
            "years": note.years,
            "breaks": note.breaks_series,
            "text": localized(note.text_da, note.text_en or note.text_da, lang),
        }
        for indicator in goal.indicators
        for note in indicator.notes
    ]


def summary_chart(result: Evaluation, lang: Language) -> dict[str, Any]:
    """Goals per verdict within each approach (stacked bars)."""
    cat = result.catalogue
    rows = [
        {
            "approach": localized(a.title_da, a.title_en, lang),
            "verdict": verdict_label(g.verdict, lang),
        }
        for a in cat.approaches
        for g in result.goals
        if g.approach == a.id
    ]
    return {
        "data": {"values": rows},
        "mark": "bar",
        "width": "container",
        "height": 120,
        "encoding": {
            "y": {
                "field": "approach",
                "type": "nominal",
                "title": None,
                "sort": [localized(a.title_da, a.title_en, lang) for a in cat.approaches],
                "axis": {"labelLimit": 300},
            },
            "x": {
                "aggregate": "count",
                "type": "quantitative",
                "title": translate("Goals", lang, msgctxt="count"),
                "axis": {"tickMinStep": 1, "format": "d"},
            },
            "color": {
                "field": "verdict",
                "type": "nominal",
                "title": None,
                "scale": {
                    "domain": [verdict_label(v, lang) for v in _VERDICT_COLOURS],
                    "range": list(_VERDICT_COLOURS.values()),
                },
            },
        },
    }


#: Progress green, regress red, no clear change grey and uncertain amber: uncertainty is not harm.
_VERDICT_COLOURS = {
    Verdict.PROGRESS: "#2e7d32",
    Verdict.NO_CLEAR_CHANGE: "#8d8d8d",
    Verdict.REGRESS: "#c62828",
    Verdict.UNCERTAIN: "#e0a526",
}


@router.get("/goals", response_class=HTMLResponse, include_in_schema=False)
def goals_page(
    request: Request,
    state: Annotated[WebState, Depends(web_state)],
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    source: Annotated[str, Query(max_length=20)] = "auto",
) -> Response:
    """The goals by approach with verdicts, charts and data-break notes."""

    def build() -> Response:
        lang = request_language(request)
        chosen = status_year(state, year)
        result = evaluation(state, chosen, source)
        cat = result.catalogue
        return render(
            request,
            "goals.html",
            {
                "catalogue": cat,
                "year": chosen,
                "years": status_years(state),
                "approaches": [
                    (a, next(s for s in result.approaches if s.approach == a.id))
                    for a in cat.approaches
                ],
                "goals": _goal_rows(result, lang),
                "summary_spec": summary_chart(result, lang),
                "download_query": {"year": chosen, "source": source},
                "verdict_label": lambda v: verdict_label(Verdict(v), lang),
            },
        )

    return cached_response(request, build)
