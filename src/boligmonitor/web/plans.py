"""Helhedsplaner: the list of plans and one plan's budget, financing and areas' designations.

Amounts come from :meth:`Workspace.plan_finance` (computed in øre, shown in thousand kr. so that
they add up exactly) and designations from :meth:`Workspace.plan_designations`.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, Response

from boligmonitor.errors import InputError
from boligmonitor.finance.designations import NOTE_TEXTS, SOURCE_LABELS
from boligmonitor.finance.financing import PlanFinance
from boligmonitor.finance.model import Plan, PlanCatalogue, focus_area_label
from boligmonitor.i18n import Language, translate
from boligmonitor.web.deps import cached_response, web_state
from boligmonitor.web.state import NotFound, WebState
from boligmonitor.web.templating import render
from boligmonitor.web.text import request_language
from boligmonitor.web.views import area_url

__all__ = [
    "area_plans",
    "finance_chart",
    "plan_designations_record",
    "plan_finance",
    "plan_or_404",
    "router",
]

router = APIRouter()
PlanId = Annotated[str, Path(max_length=100)]


def catalogue(state: WebState) -> PlanCatalogue:
    """The workspace's plans (stored, or the shipped examples)."""
    return state.call("plan_catalogue", state.workspace.plans.catalogue)


def plan_or_404(state: WebState, plan_id: str) -> Plan:
    """A plan by id.

    Raises
    ------
    NotFound
        When no plan has that id.
    """
    found = catalogue(state).plan(plan_id)
    if found is None:
        raise NotFound("no plan with id '{plan_id}'", plan_id=plan_id)
    return found


def plan_finance(state: WebState, plan_id: str) -> PlanFinance | None:
    """The plan's financing, or ``None`` when the plan has no budget lines."""

    def compute() -> PlanFinance | None:
        try:
            return state.workspace.plans.finance(plan_id)
        except InputError:
            return None

    return state.call(("plan_finance", plan_id), compute)


def plan_designations_record(state: WebState, plan_id: str) -> dict[str, Any]:
    """The designations of a plan's areas (JSON shape of :class:`PlanDesignations`)."""
    return state.call(
        ("plan_designations", plan_id),
        lambda: state.workspace.plans.designations_of(plan_id).as_record(),
    )


def _microdata_departments(state: WebState, area_id: str) -> list[dict[str, Any]]:
    """The area's departments as the workspace's microdata link them (none without it)."""
    microdata = state.workspace.microdata

    def compute() -> pd.DataFrame | None:
        if not microdata.available():
            return None
        table = microdata.tables().departments
        columns = ("department_id", "organisation", "name", "leases", "area_id")
        frame: pd.DataFrame = table.select(*columns).to_pandas()
        return frame

    frame = state.call("microdata_departments", compute)
    if frame is None:
        return []
    rows = frame[frame["area_id"] == area_id].sort_values("department_id")
    return [
        {
            "department": SimpleNamespace(
                id=str(r["department_id"]),
                name=r["name"] if isinstance(r["name"], str) else str(r["department_id"]),
                organisation=r["organisation"] if isinstance(r["organisation"], str) else None,
                leases=None if pd.isna(r["leases"]) else int(str(r["leases"])),
            ),
            "plans": [],
        }
        for r in rows.to_dict("records")
    ]


def area_plans(state: WebState, area_id: str) -> list[dict[str, Any]]:
    """The departments of a statutory area and the plans their memberships belong to; from
    the microdata's departments when no plan catalogue names the area's departments."""
    plans = catalogue(state)
    departments = [d for d in plans.departments if d.boligomraade == area_id]
    if not departments:
        return _microdata_departments(state, area_id)
    return [
        {
            "department": d,
            "plans": [p for p in plans.plans if any(m.department == d.id for m in p.departments)],
        }
        for d in departments
    ]


def finance_chart(finance: PlanFinance, lang: Language) -> dict[str, Any]:
    """Stacked bars: each payer's part of the budget per calendar year (thousand kr.)."""
    rows = [
        {"year": str(year["year"]), "payer": payer["payer"], "amount": float(payer["amount"])}
        for year in finance.as_record()["by_year"]  # type: ignore[attr-defined]
        for payer in year["payers"]
    ]
    title = translate("DKK 1,000", lang)
    return {
        "data": {"values": rows},
        "mark": "bar",
        "width": "container",
        "height": 220,
        "encoding": {
            "x": {"field": "year", "type": "ordinal", "title": None},
            "y": {"field": "amount", "type": "quantitative", "aggregate": "sum", "title": title},
            "color": {"field": "payer", "type": "nominal", "title": None},
            "tooltip": [
                {"field": "year"},
                {"field": "payer"},
                {"field": "amount", "format": ",.0f", "title": title},
            ],
        },
    }


def _department_rows(state: WebState, plan: Plan) -> list[dict[str, Any]]:
    plans = catalogue(state)
    known = set(state.area_index()["area_id"])
    rows = []
    for member in plan.departments:
        department = plans.department(member.department)
        area = department.boligomraade if department else None
        rows.append(
            {
                "member": member,
                "department": department,
                "area_url": area_url(area) if area is not None and area in known else None,
            }
        )
    return rows


@router.get("/plans", response_class=HTMLResponse, include_in_schema=False)
def plans_page(request: Request, state: Annotated[WebState, Depends(web_state)]) -> Response:
    """Every plan with its period, departments and budget."""

    def build() -> Response:
        listed = [(p, plan_finance(state, p.id)) for p in catalogue(state).plans]
        return render(request, "plans.html", {"plans": listed})

    return cached_response(request, build)


@router.get("/plans/{plan_id}", response_class=HTMLResponse, include_in_schema=False)
def plan_page(
    request: Request, plan_id: PlanId, state: Annotated[WebState, Depends(web_state)]
) -> Response:
    """One plan: departments, budget lines, financing per payer and year, designations."""

    def build() -> Response:
        lang = request_language(request)
        plan = plan_or_404(state, plan_id)
        finance = plan_finance(state, plan_id)
        designations = plan_designations_record(state, plan_id)
        return render(
            request,
            "plan.html",
            {
                "plan": plan,
                "focus_areas": [focus_area_label(f, lang) for f in plan.focus_areas],
                "finance": finance.as_record() if finance else None,
                "chart_spec": finance_chart(finance, lang) if finance else None,
                "departments": _department_rows(state, plan),
                "designations": designations,
                "sources": {k: translate(v, lang) for k, v in SOURCE_LABELS.items()},
                "notes": [translate(NOTE_TEXTS.get(n, n), lang) for n in designations["notes"]],
                "download_query": {"plan_id": plan_id},
            },
        )

    return cached_response(request, build)
