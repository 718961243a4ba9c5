"""Downloads of what a page shows: CSV, Excel and GeoJSON.

``/download/<view>.<format>`` takes the same query parameters as the page it mirrors. GeoJSON
features carry the area's geometry when the workspace has it, otherwise ``null`` geometry (valid
GeoJSON, RFC 7946 § 3.2), so the file still opens in QGIS as a table.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from boligmonitor.i18n import Language
from boligmonitor.io.danish import excel_csv, xlsx_bytes
from boligmonitor.io.spreadsheet import csv_text
from boligmonitor.monitor.goals.records import evaluation_frame
from boligmonitor.rules.tables import designations_frame
from boligmonitor.web import city, goals
from boligmonitor.web.deps import cached_response, web_state
from boligmonitor.web.maps import AreaGeometry
from boligmonitor.web.plans import plan_designations_record, plan_finance, plan_or_404
from boligmonitor.web.state import BadParameter, NotFound, WebState
from boligmonitor.web.text import request_language

__all__ = ["DOWNLOADS", "PARAMETERS", "geojson_bytes", "router", "table_bytes"]

router = APIRouter()

_MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
}


def _overview_frame(request: Request, state: WebState) -> pd.DataFrame:
    year = state.year(_int_param(request, "year"))
    rule_set = state.rule_set(request.query_params.get("rules") or None, year)
    return designations_frame(state.designations(year, rule_set))


def _area_frame(request: Request, state: WebState) -> pd.DataFrame:
    area_id = request.query_params.get("area_id")
    if not area_id:
        raise BadParameter("area_id", "value is required")
    return designations_frame(state.area_history(area_id))


def _plan_id(request: Request) -> str:
    plan_id = request.query_params.get("plan_id")
    if not plan_id:
        raise BadParameter("plan_id", "value is required")
    return plan_id


def _plan_finance_frame(request: Request, state: WebState) -> pd.DataFrame:
    plan_id = _plan_id(request)
    plan_or_404(state, plan_id)
    finance = plan_finance(state, plan_id)
    if finance is None:
        raise NotFound("plan '{plan_id}' has no budget lines", plan_id=plan_id)
    return finance.frame()


def _plan_designations_frame(request: Request, state: WebState) -> pd.DataFrame:
    plan_id = _plan_id(request)
    plan_or_404(state, plan_id)
    rows = plan_designations_record(state, plan_id)["rows"]
    frame = pd.DataFrame(rows, columns=["department", "area_id", "source", "year", "rule_set"])
    frame["designations"] = [";".join(r["designations"]) for r in rows]
    return frame


def _goals_frame(request: Request, state: WebState) -> pd.DataFrame:
    year = goals.status_year(state, _int_param(request, "year"))
    source = request.query_params.get("source") or "auto"
    return evaluation_frame(goals.evaluation(state, year, source), request_language(request))


def _gap_frame(request: Request, state: WebState) -> pd.DataFrame:
    report, _ = city.gap_report(state, request.query_params.get("source") or None)
    return report.frame()


def _screening_round(request: Request, state: WebState) -> int | None:
    return city.screening_round(state, _int_param(request, "round"))


def _screening_frame(request: Request, state: WebState) -> pd.DataFrame:
    frame = city.screening_frame(state, _screening_round(request, state))
    if frame is None:
        raise NotFound("the workspace has no unit outlines")
    return frame


def _screening_features(request: Request, state: WebState) -> list[dict[str, Any]]:
    return city.screening_features(state, _screening_round(request, state))


#: Download views by name: each builds the table its page shows from the page's parameters.
DOWNLOADS: dict[str, Callable[[Request, WebState], pd.DataFrame]] = {
    "overview": _overview_frame,
    "area": _area_frame,
    "plan_finance": _plan_finance_frame,
    "plan_designations": _plan_designations_frame,
    "goals": _goals_frame,
    "gap": _gap_frame,
    "screening": _screening_frame,
}

#: The query parameters each view reads (beside ``lang`` and ``dialect``): its cache key.
PARAMETERS: dict[str, tuple[str, ...]] = {
    "overview": ("year", "rules"),
    "area": ("area_id",),
    "plan_finance": ("plan_id",),
    "plan_designations": ("plan_id",),
    "goals": ("year", "source"),
    "gap": ("source",),
    "screening": ("round",),
}

#: Views whose GeoJSON carries their own geometry (longitude/latitude) instead of area ids.
GEOJSON_FEATURES: dict[str, Callable[[Request, WebState], list[dict[str, Any]]]] = {
    "screening": _screening_features,
}


def _int_param(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise BadParameter(name, "'{text}' is not a whole number", text=raw) from None


def table_bytes(
    frame: pd.DataFrame, fmt: str, lang: Language = "da", dialect: str = "machine"
) -> bytes:
    """A table as CSV or Excel bytes.

    CSV in the ``excel`` dialect is for a Danish Excel (``;``, decimal comma, headings in
    ``lang``); the ``machine`` dialect keeps ``,``, ``.`` and the column names. Workbooks have
    headings in ``lang``, real numbers, formats, widths and a frozen header.
    """
    if fmt == "csv" and dialect == "excel":
        return excel_csv(frame, lang)
    if fmt == "csv":
        return csv_text(frame).encode("utf-8-sig")
    return xlsx_bytes(frame, lang)


def geojson_bytes(frame: pd.DataFrame, geometry: AreaGeometry | None) -> bytes:
    """Rows as GeoJSON features; geometry from ``area_id`` when known, else ``null``."""
    shapes = geometry.shapes if geometry is not None else {}
    records: list[dict[str, Any]] = json.loads(frame.to_json(orient="records"))
    features = [
        {
            "type": "Feature",
            "geometry": shapes.get(str(record.get("area_id"))),
            "properties": record,
        }
        for record in records
    ]
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False).encode("utf-8")


@router.get("/download/{view}.{fmt}", include_in_schema=False)
def download(
    request: Request,
    state: Annotated[WebState, Depends(web_state)],
    view: Annotated[str, Path(pattern=r"^[a-z_]+$")],
    fmt: Annotated[str, Path(pattern=r"^(csv|xlsx|geojson)$")],
    lang: Annotated[str | None, Query(pattern=r"^(da|en)$")] = None,
    dialect: Annotated[str, Query(pattern=r"^(excel|machine)$")] = "machine",
) -> Response:
    """The table behind a page as a file (built once per view, format and parameters)."""
    if view not in DOWNLOADS:
        raise NotFound("no download called '{view}'", view=view)
    return cached_response(
        request, lambda: _download(request, state, view, fmt, dialect), PARAMETERS.get(view, ())
    )


def _download(request: Request, state: WebState, view: str, fmt: str, dialect: str) -> Response:
    frame = DOWNLOADS[view](request, state)
    if fmt == "geojson" and view in GEOJSON_FEATURES:
        features = GEOJSON_FEATURES[view](request, state)
        body = json.dumps({"type": "FeatureCollection", "features": features}).encode("utf-8")
    elif fmt == "geojson":
        body = geojson_bytes(frame, state.area_geometry())
    else:
        body = table_bytes(frame, fmt, request_language(request), dialect)
    suffix = "-excel" if fmt == "csv" and dialect == "excel" else ""
    name = f"boligmonitor-{view}{suffix}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=_MEDIA[fmt], headers=headers)
