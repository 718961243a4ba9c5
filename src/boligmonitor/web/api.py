"""The read-only JSON API under ``/api/v1``: areas, designations with explanations, indicators.

Lists are paginated (``page``, ``per_page``); invalid parameters give HTTP 422 and unknown ids
HTTP 404, both with FastAPI's ``{"detail": [...]}`` shape. The OpenAPI description is served at
``/api/v1/openapi.json`` and rendered offline at ``/api/v1/docs``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Annotated, Any, Generic, TypeVar

import pandas as pd
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from boligmonitor.i18n import Language, as_language, localized
from boligmonitor.rules.evaluate import AreaDesignation
from boligmonitor.web.area import area_year
from boligmonitor.web.deps import cached_json, web_state
from boligmonitor.web.errors import choices
from boligmonitor.web.state import BadParameter, NotFound, WebState
from boligmonitor.web.views import designation_labels
from boligmonitor.web.warmup import WarmUp

__all__ = ["API_PREFIX", "Page", "paginate", "router"]

API_PREFIX = "/api/v1"
router = APIRouter(prefix=API_PREFIX, tags=["v1"])

T = TypeVar("T")

PageQuery = Annotated[int, Query(ge=1, le=1_000_000, description="Page number, from 1.")]
PerPageQuery = Annotated[int, Query(ge=1, le=500, description="Items per page (1-500).")]
LangQuery = Annotated[
    str, Query(pattern=r"^(da|en)$", description="Language of labels and explanations.")
]
YearQuery = Annotated[int | None, Query(ge=1900, le=2100, description="List year.")]
State = Annotated[WebState, Depends(web_state)]


class Page(BaseModel, Generic[T]):
    """One page of a list."""

    items: list[T]
    page: int
    per_page: int
    total: int
    pages: int


def paginate(items: Sequence[T], page: int, per_page: int) -> Page[T]:
    """Cut one page out of a list."""
    start = (page - 1) * per_page
    return Page[T](
        items=list(items[start : start + per_page]),
        page=page,
        per_page=per_page,
        total=len(items),
        pages=max(1, math.ceil(len(items) / per_page)),
    )


def _page(items: list[T], shown: Page[Any]) -> Page[T]:
    """``items`` with the paging figures of ``shown``."""
    return Page[T](
        items=items, page=shown.page, per_page=shown.per_page, total=shown.total, pages=shown.pages
    )


class Area(BaseModel):
    """A statutory area as stored in the workspace."""

    area_id: str
    area_name: str
    municipality: str | None
    first_year: int
    last_year: int
    residents: int | None


class RuleSetInfo(BaseModel):
    """A rule set (legal regime) the workspace knows."""

    id: str
    version: str
    family: str
    title: str
    legal_basis: str
    first_year: int
    last_year: int | None


class Criterion(BaseModel):
    """One criterion's outcome (the JSON record of :class:`CriterionResult`)."""

    value: float | None
    threshold: float | None
    comparison: str
    met: bool | None
    margin: float | None
    flip_persons: int | None
    population: int | None
    population_estimated: bool


class Designation(BaseModel):
    """An area's designations in one year under one rule set, with the reasoning."""

    area_id: str
    area_name: str
    municipality: str | None
    year: int
    rule_set: str
    rule_set_version: str
    residents: int | None
    designations: list[str]
    designation_labels: list[str]
    designations_unknown: list[str]
    below_population_minimum: bool | None
    designations_if_population_met: list[str]
    criteria: dict[str, Criterion]
    history: dict[str, list[dict[str, Any]]]
    explanation: str


def _language(lang: str) -> Language:
    return as_language(lang)


def _designation(result: AreaDesignation, state: WebState, lang: Language) -> Designation:
    rule_set = state.rule_set_by_id()[result.rule_set]
    return Designation.model_validate(
        {
            **result.as_record(),
            "designation_labels": designation_labels(result, rule_set, lang),
            "explanation": state.explanation(result, lang),
        }
    )


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready records (NaN and NA become null)."""
    records: list[dict[str, Any]] = json.loads(frame.to_json(orient="records"))
    return records


@router.get("/years", summary="List years with area statistics")
def years(state: State) -> list[int]:
    """The list years the workspace has area statistics for."""
    return state.years()


@router.get("/warm-up", summary="Progress of the start-up warm-up")
def warm_up(request: Request) -> dict[str, object]:
    """URLs rendered in advance so far (``done``) and in all (``total``), whether the warm-up
    has ``finished`` and how many ``seconds`` it took."""
    progress: WarmUp = request.app.state.warm_up
    return progress.as_record()


@router.get("/rule-sets", summary="Rule sets")
def rule_sets(state: State, lang: LangQuery = "da") -> list[RuleSetInfo]:
    """The rule sets (legal regimes) known to the workspace."""
    return [
        RuleSetInfo(
            id=s.id,
            version=s.version,
            family=s.family,
            title=localized(s.title_da, s.title_en, lang),
            legal_basis=s.legal_basis,
            first_year=s.list_years[0],
            last_year=s.list_years[1],
        )
        for s in state.rule_sets()
    ]


@router.get("/areas", summary="Areas", response_model=Page[Area])
def areas(
    request: Request,
    state: State,
    municipality: Annotated[str | None, Query(max_length=100)] = None,
    page: PageQuery = 1,
    per_page: PerPageQuery = 50,
) -> Response:
    """Every stored area with its latest name, municipality, residents and years."""

    def build() -> Page[Area]:
        index = state.area_index()
        if municipality is not None:
            index = index[index["municipality"] == municipality]
        shown = paginate(range(len(index)), page, per_page)
        rows = _records(
            index.iloc[shown.items[0] : shown.items[-1] + 1] if shown.items else index[:0]
        )
        return _page([Area.model_validate(r) for r in rows], shown)

    return cached_json(request, build)


@router.get("/areas/{area_id}", summary="One area", response_model=Area)
def area(request: Request, area_id: str, state: State) -> Response:
    """One area; 404 when the workspace has no such id."""
    return cached_json(
        request, lambda: Area.model_validate(_records(pd.DataFrame([state.area(area_id)]))[0])
    )


@router.get(
    "/areas/{area_id}/designations",
    summary="One area's designations over time",
    response_model=list[Designation],
)
def area_designations(
    request: Request, area_id: str, state: State, year: YearQuery = None, lang: LangQuery = "da"
) -> Response:
    """The area's designations in every year (or one), under the regimes in force each year."""
    history = state.area_history(area_id)
    if year is not None:
        history = [r for r in history if r.year == area_year(history, year)]
    return cached_json(request, lambda: [_designation(r, state, _language(lang)) for r in history])


@router.get(
    "/designations",
    summary="Designations of every area in a year",
    response_model=Page[Designation],
)
def designations(
    request: Request,
    state: State,
    year: YearQuery = None,
    rules: Annotated[str | None, Query(max_length=100, description="Rule-set id.")] = None,
    designation: Annotated[
        str | None, Query(max_length=100, description="Only areas holding this designation.")
    ] = None,
    lang: LangQuery = "da",
    page: PageQuery = 1,
    per_page: PerPageQuery = 50,
) -> Response:
    """Every area's designations with the reasoning; default: latest year, regime in force."""
    chosen_year = state.year(year)
    rule_set = state.rule_set(rules, chosen_year)
    results = state.designations(chosen_year, rule_set)
    if designation is not None:
        if designation not in {d.id for d in rule_set.designations}:
            raise BadParameter(
                "designation",
                "'{designation}' is not a designation of the rule set '{rule_set}'; choose {known}",
                designation=designation,
                rule_set=rule_set.id,
                known=choices(d.id for d in rule_set.designations),
            )
        results = [r for r in results if designation in r.designations]
    shown = paginate(results, page, per_page)
    return cached_json(
        request,
        lambda: _page([_designation(r, state, _language(lang)) for r in shown.items], shown),
    )


@router.get(
    "/indicators", summary="Indicators (area statistics)", response_model=Page[dict[str, Any]]
)
def indicators(
    request: Request,
    state: State,
    year: YearQuery = None,
    area_id: Annotated[str | None, Query(max_length=200)] = None,
    page: PageQuery = 1,
    per_page: PerPageQuery = 50,
) -> Response:
    """The stored indicator values per area and year (the columns the rules compare)."""
    if year is not None:
        state.year(year)
    if area_id is not None:
        try:
            state.area(area_id)
        except NotFound as missing:
            raise BadParameter("area_id", missing.text) from None

    def build() -> Page[dict[str, Any]]:
        frame = state.statistics(area_id, year)
        shown = paginate(range(len(frame)), page, per_page)
        rows = frame.iloc[shown.items[0] : shown.items[-1] + 1] if shown.items else frame[:0]
        return _page(_records(rows), shown)

    return cached_json(request, build)
