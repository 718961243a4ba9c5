"""The simulation page: two stored policies side by side (trajectories with bands, refused
households' flows, segregation over time). Results come from ``boligmonitor simulate -w DIR``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from boligmonitor.i18n import Language, translate
from boligmonitor.simulation.charts import flow_chart, segregation_chart, trajectory_chart
from boligmonitor.simulation.criteria import CRITERIA
from boligmonitor.simulation.montecarlo import HOUSING_MEASURES
from boligmonitor.store import Table
from boligmonitor.web.deps import cached_response, web_state
from boligmonitor.web.state import WebState
from boligmonitor.web.templating import render
from boligmonitor.web.text import request_language

__all__ = ["router"]

router = APIRouter()


def _stored(state: WebState, table: Table) -> pd.DataFrame | None:
    return state.call(("simulation", str(table)), lambda: state.workspace.simulation.stored(table))


def _words(lang: Language) -> Callable[[str], str]:
    """The template's ``tr``: a msgid in the request's language."""
    return lambda text: translate(text, lang)


def _chosen(summary: pd.DataFrame, a: str | None, b: str | None) -> list[str]:
    policies = sorted(summary["policy_id"].unique())
    picked = [p for p in (a, b) if p in policies] or policies[:2]
    return list(dict.fromkeys(picked))


@router.get("/simulation", response_class=HTMLResponse, include_in_schema=False)
def simulation_page(
    request: Request,
    state: Annotated[WebState, Depends(web_state)],
    a: Annotated[str | None, Query(max_length=80)] = None,
    b: Annotated[str | None, Query(max_length=80)] = None,
    area: Annotated[str | None, Query(max_length=80)] = None,
    measure: Annotated[str, Query(max_length=40)] = "labour_pct",
) -> Response:
    """Compare two simulated policies."""
    return cached_response(request, lambda: _page(request, state, a, b, area, measure))


def _page(
    request: Request, state: WebState, a: str | None, b: str | None, area: str | None, measure: str
) -> Response:
    lang = request_language(request)
    summary = _stored(state, Table.SIMULATION_AREAS)
    if summary is None or summary.empty:
        message = translate(
            "No simulation is stored in this workspace: run boligmonitor simulate -w DIR.", lang
        )
        return render(request, "simulation.html", {"message": message, "tr": _words(lang)})
    chosen = _chosen(summary, a, b)
    summary = summary[summary["policy_id"].isin(chosen)]
    areas = summary[["area_id", "area_name"]].drop_duplicates().sort_values("area_id")
    area_id = (
        area
        if area is not None and area in set(areas["area_id"])
        else str(areas["area_id"].iloc[0])
    )
    stored = set(summary["measure"])
    measures = (*CRITERIA, *(m for m in HOUSING_MEASURES[:2] if m in stored))
    measure = measure if measure in measures else "labour_pct"
    names = dict(zip(range(len(areas)), areas["area_name"], strict=True))
    segregation = _stored(state, Table.SIMULATION_SEGREGATION)
    flows = _stored(state, Table.SIMULATION_FLOWS)
    context: dict[str, Any] = {
        "policies": sorted(_stored(state, Table.SIMULATION_AREAS)["policy_id"].unique()),  # type: ignore[index]
        "chosen": chosen,
        "areas": areas.to_dict("records"),
        "area_id": area_id,
        "measures": measures,
        "measure": measure,
        "trajectory": trajectory_chart(summary, area_id, measure, lang),
        "message": None,
        "tr": _words(lang),
    }
    if segregation is not None and not segregation.empty:
        context["segregation"] = segregation_chart(
            segregation[segregation["policy_id"].isin(chosen)], lang
        )
    if flows is not None and not flows.empty:
        context["flows"] = flow_chart(flows[flows["policy_id"].isin(chosen)], names, lang)
    return render(request, "simulation.html", context)
