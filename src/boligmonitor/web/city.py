"""Copenhagen's udsatte byområder: the screened areas on a map, the gap and the vision test.

The gap comes from :meth:`Workspace.gap` (computed from the stored screening rounds, or the
published 2021 status when the workspace has none) and the map from
:meth:`Workspace.screening_map` (unit polygons in EPSG:25832, sent to the browser as
longitude/latitude).
"""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from boligmonitor.charts.gap import gap_lines
from boligmonitor.errors import InputError
from boligmonitor.i18n import N_, Language, localized, translate
from boligmonitor.monitor.gap import GapReport
from boligmonitor.screening.gap_text import gap_unit
from boligmonitor.web.deps import cached_response, web_state
from boligmonitor.web.errors import choices
from boligmonitor.web.maps import clockwise, geojson_from_wkt
from boligmonitor.web.state import BadParameter, WebState
from boligmonitor.web.templating import render
from boligmonitor.web.text import request_language

__all__ = ["gap_chart", "gap_report", "router", "screening_features", "screening_round"]

router = APIRouter()
REFERENCE = "kk-2021"
SOURCES = ("workspace", "reference")
_STATUS_COLOURS = {"designated": "#b03a2e", "below_minimum": "#e6a23c", "other": "#d5dbe3"}
_STATUS_LABELS = {
    "designated": N_("Designated"),
    "below_minimum": N_("Below the minimum"),
    "other": N_("Not designated"),
}


def gap_report(state: WebState, source: str | None) -> tuple[GapReport, str]:
    """The gap and where it comes from: the workspace's rounds or the published figures.

    Raises
    ------
    BadParameter
        For an unknown source, or ``workspace`` when the workspace has no screening.
    """
    if source is not None and source not in SOURCES:
        raise BadParameter(
            "source",
            "unknown source '{source}'; use {sources}",
            source=source,
            sources=choices(SOURCES),
        )
    if source in (None, "workspace"):
        try:
            return state.call(
                "gap_workspace", lambda: state.workspace.screening.gap(store=False)
            ), "workspace"
        except InputError as error:
            if source == "workspace":
                raise BadParameter("source", error.problems[0]) from None
    report = state.call(
        "gap_reference", lambda: state.workspace.screening.gap(reference=REFERENCE, store=False)
    )
    return report, "reference"


def screening_round(state: WebState, round_year: int | None) -> int | None:
    """A requested designation round, or the latest stored (``None`` when there is none).

    Raises
    ------
    BadParameter
        When the round is not stored.
    """
    rounds = state.call("screening_rounds", state.workspace.screening.round_years)
    if round_year is None:
        return rounds[-1] if rounds else None
    if not rounds:
        raise BadParameter("round", "the workspace holds no screening rounds")
    if round_year not in rounds:
        raise BadParameter(
            "round",
            "no screening round {round}; choose {rounds}",
            round=round_year,
            rounds=choices(rounds),
        )
    return round_year


def screening_frame(state: WebState, round_year: int | None) -> pd.DataFrame | None:
    """Units with their status in a round, geometry as WKT in EPSG:25832."""
    return state.call(
        ("screening_map", round_year), lambda: state.workspace.screening.screening_map(round_year)
    )


def screening_features(state: WebState, round_year: int | None) -> list[dict[str, Any]]:
    """GeoJSON features of the units in longitude/latitude (RFC 7946), with their status."""

    def compute() -> list[dict[str, Any]]:
        frame = screening_frame(state, round_year)
        if frame is None or frame.empty:
            return []
        shapes = geojson_from_wkt(frame["geometry_wkt"])
        return [
            {
                "type": "Feature",
                "geometry": shape,
                "properties": {
                    "unit_id": str(row.unit_id),
                    "name": str(row.name),
                    "area_id": _text(row.area_id),
                    "status": _text(row.status) or "other",
                    "round_year": round_year,
                },
            }
            for row, shape in zip(frame.itertuples(), shapes, strict=True)
        ]

    return state.call(("screening_features", round_year), compute)


def _text(value: object) -> str | None:
    missing = value is None or value is pd.NA or value != value  # NaN is unequal to itself
    return None if missing else str(value)


def screening_map_spec(features: list[dict[str, Any]], lang: Language) -> dict[str, Any]:
    """Units coloured by status in the round (designated, below the minimum, other)."""
    labels = {key: translate(msgid, lang) for key, msgid in _STATUS_LABELS.items()}
    shown = [
        {
            **f,
            "geometry": clockwise(f["geometry"]),
            "properties": {**f["properties"], "label": labels[f["properties"]["status"]]},
        }
        for f in features
    ]
    return {
        "width": "container",
        "height": 420,
        "data": {"values": shown, "format": {"type": "json"}},
        "projection": {"type": "mercator"},
        "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.3},
        "encoding": {
            "color": {
                "field": "properties.label",
                "type": "nominal",
                "title": None,
                "scale": {
                    "domain": [labels[k] for k in _STATUS_COLOURS],
                    "range": list(_STATUS_COLOURS.values()),
                },
                "legend": {"orient": "bottom"},
            },
            "tooltip": [
                {"field": "properties.unit_id", "title": translate("Unit", lang)},
                {"field": "properties.area_id", "title": translate("Area", lang)},
                {"field": "properties.label", "title": translate("Status", lang)},
            ],
        },
    }


def gap_chart(report: GapReport, lang: Language) -> dict[str, Any]:
    """Each criterion's gap over the years, the milestone dashed.

    Long rows (``measure`` is ``gap`` or ``milestone``); unknown values (``None``: no data, no
    baseline, no milestone) are left out rather than sent to Vega as nulls, so a line only
    joins known years.
    """
    rows = [
        {
            "criterion": localized(r.label_da, r.label_en, lang),
            "year": str(r.year),
            "measure": measure,
            "value": value,
            "unit": gap_unit(r.unit, lang),
        }
        for r in report.records
        for measure, value in (("gap", r.gap), ("milestone", r.milestone))
        if value is not None
    ]
    return gap_lines(rows, lang)


@router.get("/city", response_class=HTMLResponse, include_in_schema=False)
def city_page(
    request: Request,
    state: Annotated[WebState, Depends(web_state)],
    source: Annotated[str | None, Query(max_length=20)] = None,
    round: Annotated[int | None, Query(ge=1900, le=2100)] = None,
) -> Response:
    """The designated urban areas on a map, the gap against the milestone, the vision test."""

    def build() -> Response:
        lang = request_language(request)
        report, used = gap_report(state, source)
        chosen = screening_round(state, round)
        features = screening_features(state, chosen)
        latest = max(r.year for r in report.records)
        return render(
            request,
            "city.html",
            {
                "report": report,
                "source": used,
                "latest": [r for r in report.records if r.year == latest],
                "gap_spec": gap_chart(report, lang),
                "round": chosen,
                "rounds": state.call("screening_rounds", state.workspace.screening.round_years),
                "map_spec": screening_map_spec(features, lang) if features else None,
                "designated_units": sum(
                    f["properties"]["status"] == "designated" for f in features
                ),
                "download_query": {"source": used},
                "map_query": {"round": chosen} if chosen else {},
            },
        )

    return cached_response(request, build)
