"""The JSON API for the municipal monitor: gaps (efterslæb), goals and helhedsplaner.

Same conventions as :mod:`boligmonitor.web.api`: read-only, paginated lists, 422 for invalid
parameters, 404 for unknown ids. The shapes are the documented JSON of the underlying results
(:meth:`GapReport.as_json`, the goal evaluation records, :meth:`PlanFinance.as_record`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from boligmonitor.i18n import Language, as_language
from boligmonitor.monitor.goals.records import evaluation_records
from boligmonitor.web import city, goals, plans
from boligmonitor.web.api import (
    API_PREFIX,
    LangQuery,
    PageQuery,
    PerPageQuery,
    YearQuery,
    paginate,
)
from boligmonitor.web.deps import cached_json, web_state
from boligmonitor.web.state import NotFound, WebState

__all__ = ["router"]

router = APIRouter(prefix=API_PREFIX, tags=["v1"])
State = Annotated[WebState, Depends(web_state)]
GoalSourceQuery = Annotated[
    str, Query(pattern=r"^(auto|published|microdata)$", description="Where goal values come from.")
]


def _language(lang: str) -> Language:
    return as_language(lang)


_UNKNOWN = "`null` when it cannot be known; `note` says why."


class GapRecordOut(BaseModel):
    """One criterion's gap in one year (:class:`~boligmonitor.monitor.gap.GapRecord`)."""

    criterion: str
    baseline_year: int
    baseline_gap: float | None = Field(description=f"Gap in the baseline year. {_UNKNOWN}")
    milestone: float | None = Field(
        description=f"The baseline gap × the milestone fraction (½). {_UNKNOWN}"
    )
    year: int
    gap: float | None = Field(description=f"Positive: the areas are behind. {_UNKNOWN}")
    progress_pct: float | None = Field(description=f"Gap closed since baseline (%). {_UNKNOWN}")
    worse_is: Literal["higher", "lower"]
    milestone_met: bool | None = Field(
        description="Gap at or below the milestone; `null`: unknown (not false), see `note`."
    )
    label_da: str
    label_en: str
    unit: str
    designated: float | None = Field(description="Value of the designated areas (`null`: none).")
    rest: float | None = Field(description="Value of the rest of the city (`null`: none).")
    note: str | None = Field(
        description="Why the milestone test is unknown: `no_data` (a group's value is missing "
        "or suppressed), `no_baseline` (no baseline gap), `no_baseline_gap` (the areas were not "
        "behind at baseline, so there is no milestone); `null` when known."
    )


class GapSummaryOut(BaseModel):
    """The vision test of one year (:class:`~boligmonitor.monitor.gap.GapSummary`)."""

    year: int
    criteria_met: int
    criteria_total: int = Field(description="Every criterion, including the unknown ones.")
    vision_met: bool | None = Field(
        description="`true`: enough criteria met whatever the unknown ones are; `false`: not "
        "even if every unknown one were met; `null`: undecided (the unknown ones decide it)."
    )


class GapsOut(BaseModel):
    """The gap report: records per criterion and year, the vision test per year."""

    source: str
    source_kind: Literal["workspace", "reference"]
    parameters: dict[str, Any]
    records: list[GapRecordOut]
    summary: GapSummaryOut = Field(description="The vision test of the latest year.")
    by_year: list[GapSummaryOut]


@router.get("/gaps", summary="Gap (efterslæb), milestones and vision test", response_model=GapsOut)
def gaps(
    request: Request,
    state: State,
    source: Annotated[
        str | None,
        Query(
            pattern=r"^(workspace|reference)$",
            description="workspace: from the stored screening rounds; reference: the published "
            "2021 status. Default: workspace when screened, else reference.",
        ),
    ] = None,
) -> Response:
    """Each criterion's gap per year against its milestone, and the vision test per year.

    Unknown figures are `null`, never `false` or 0: `milestone_met` is `null` with a `note`
    when a criterion cannot be judged, and `vision_met` is `null` when that decides the test.
    """
    report, used = city.gap_report(state, source)
    return cached_json(
        request, lambda: GapsOut.model_validate({**report.as_json(), "source_kind": used})
    )


@router.get("/goals", summary="Goal verdicts at a status year")
def goal_list(
    request: Request,
    state: State,
    year: YearQuery = None,
    source: GoalSourceQuery = "auto",
    lang: LangQuery = "da",
    page: PageQuery = 1,
    per_page: PerPageQuery = 50,
) -> Response:
    """One record per goal and indicator: values, verdicts, reasons and data breaks."""
    chosen = goals.status_year(state, year)
    result = goals.evaluation(state, chosen, source)
    return cached_json(
        request, lambda: paginate(evaluation_records(result, _language(lang)), page, per_page)
    )


@router.get("/goals/{number}", summary="One goal's verdict")
def goal(
    request: Request,
    state: State,
    number: Annotated[int, Path(ge=1, le=1000)],
    year: YearQuery = None,
    source: GoalSourceQuery = "auto",
    lang: LangQuery = "da",
) -> Response:
    """A goal's verdict, the status report's own verdict, and its indicators' records."""
    chosen = goals.status_year(state, year)
    result = goals.evaluation(state, chosen, source)
    found = next((g for g in result.goals if g.number == number), None)
    if found is None:
        raise NotFound("no goal number {number}", number=number)

    def build() -> dict[str, Any]:
        records = evaluation_records(result, _language(lang))
        return {
            "goal": number,
            "year": chosen,
            "approach": found.approach,
            "verdict": found.verdict.value,
            "published_verdict": found.published.value if found.published else None,
            "indicators": [r for r in records if r["goal"] == number],
        }

    return cached_json(request, build)


@router.get("/plans", summary="Helhedsplaner")
def plan_list(
    request: Request, state: State, page: PageQuery = 1, per_page: PerPageQuery = 50
) -> Response:
    """Every plan with its period, departments and budget total (thousand kr.)."""

    def build() -> object:
        items = []
        for plan in plans.catalogue(state).plans:
            finance = plans.plan_finance(state, plan.id)
            items.append(
                {
                    "id": plan.id,
                    "name": plan.name,
                    "extends": plan.extends,
                    "start": plan.start.isoformat(),
                    "end": plan.last_day.isoformat(),
                    "departments": [m.department for m in plan.departments],
                    "total": finance.as_record()["total"] if finance else None,
                }
            )
        return paginate(items, page, per_page)

    return cached_json(request, build)


@router.get("/plans/{plan_id}", summary="One plan: financing and designations")
def plan_detail(
    request: Request, state: State, plan_id: Annotated[str, Path(max_length=100)]
) -> Response:
    """The plan, its financing per payer and year (``null`` without budget lines) and the
    designations of its areas."""
    plan = plans.plan_or_404(state, plan_id)

    def build() -> dict[str, Any]:
        finance = plans.plan_finance(state, plan_id)
        return {
            "plan": plan.model_dump(mode="json"),
            "finance": finance.as_record() if finance else None,
            "designations": plans.plan_designations_record(state, plan_id),
        }

    return cached_json(request, build)
