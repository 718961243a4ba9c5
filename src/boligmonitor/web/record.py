"""The official lists page: the published record by year, distances to thresholds, history."""

from __future__ import annotations

import datetime as dt
import math
from functools import cache
from typing import Annotated

import pandas as pd
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from boligmonitor.i18n import Language, fmt_number, localized, translate
from boligmonitor.record.data import VALUE_COLUMNS, official_lists
from boligmonitor.record.history import area_history, record_rows
from boligmonitor.record.identity import AreaCatalogue
from boligmonitor.record.reconcile import record_statistics
from boligmonitor.rules.evaluate import evaluate
from boligmonitor.rules.registry import regime_for_date, shipped_rule_sets
from boligmonitor.web.deps import cached_json, cached_response, web_state
from boligmonitor.web.templating import render
from boligmonitor.web.text import request_language

__all__ = ["list_rows", "record_years", "router"]

router = APIRouter()


@cache
def _catalogue() -> AreaCatalogue:
    return AreaCatalogue.packaged()


@cache
def _rows() -> pd.DataFrame:
    return record_rows(_catalogue())


@cache
def record_years() -> list[int]:
    """The list years of the published record."""
    return sorted({int(y) for y in official_lists()["list_year"]})


@cache
def _history(area_id: str) -> tuple[list[int], list[str]]:
    """An area's list years and designations in the record (``left_list`` included)."""
    history = area_history(area_id, _catalogue(), _rows())
    return list(map(int, history["list_year"])), list(map(str, history["designation"]))


def _distances(year: int) -> dict[str, dict[str, int | None]]:
    """Per area: persons to each criterion's threshold (positive: beyond it), from the values."""
    frame = record_statistics(_catalogue(), year)
    if frame.empty:
        return {}
    regime = regime_for_date(
        dt.date.fromisoformat(str(frame["list_date"].max())), "almenboligloven-61a"
    )
    if regime is None:
        return {}
    out: dict[str, dict[str, int | None]] = {}
    for result in evaluate(frame, year, [regime]):
        out[result.area_id] = {
            c.id: None
            if c.flip_persons is None or c.met is None
            else (c.flip_persons if c.met else -c.flip_persons)
            for c in result.criteria.values()
        }
    return out


@cache
def _designation_labels() -> dict[str, tuple[str, str]]:
    """Danish and English labels of every designation id of the shipped rule sets."""
    return {d.id: (d.label_da, d.label_en) for r in shipped_rule_sets() for d in r.designations}


@cache
def _criterion_labels() -> dict[str, tuple[str, str]]:
    """Danish and English labels of every criterion id (the latest rule set's wording)."""
    return {c.id: (c.label_da, c.label_en) for r in shipped_rule_sets() for c in r.criteria}


def _label(labels: dict[str, tuple[str, str]], key: str, lang: Language) -> str:
    pair = labels.get(key)
    return key if pair is None else localized(pair[0], pair[1], lang)


def history_runs(years: list[int], designations: list[str], lang: Language) -> list[str]:
    """A list history as runs of years per designation: "ghettoområde 2010–2017"."""
    by: dict[str, list[int]] = {}
    for year, designation in zip(years, designations, strict=True):
        if designation != "left_list":
            by.setdefault(designation, []).append(int(year))
    runs = []
    for designation, found in by.items():
        spans: list[tuple[int, int]] = []
        for year in sorted(set(found)):
            if spans and year == spans[-1][1] + 1:
                spans[-1] = (spans[-1][0], year)
            else:
                spans.append((year, year))
        text = ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)
        runs.append(f"{_label(_designation_labels(), designation, lang).lower()} {text}")
    return runs


def _number(value: object) -> float | None:
    if value is None or value is pd.NA:
        return None
    number = float(str(value))
    return None if math.isnan(number) else number


def list_rows(year: int, lang: Language) -> list[dict[str, object]]:
    """The official lists of ``year``: values as published, distances, evidence and history."""
    frame = official_lists()
    frame = frame[frame["list_year"] == year]
    catalogue = _catalogue()
    distances = _distances(year)
    rows = []
    for r in frame.to_dict("records"):
        area_id = catalogue.find(str(r["area"]), str(r["municipality"])) or ""
        years, designations = _history(area_id) if area_id else ([], [])
        rows.append(
            {
                "area_id": area_id,
                "area": str(r["area"]),
                "municipality": str(r["municipality"]),
                "list_date": str(r["list_date"]),
                "designation": str(r["designation"]),
                "designation_label": _label(_designation_labels(), str(r["designation"]), lang),
                "residents": fmt_number(_number(r["residents"]), 0, lang),
                "values": {c: _number(r[c]) for c in VALUE_COLUMNS if c != "residents"},
                "distance_persons": distances.get(area_id, {}),
                "distances": [
                    (_label(_criterion_labels(), c, lang), d)
                    for c, d in distances.get(area_id, {}).items()
                    if d is not None
                ],
                "evidence": str(r["evidence"]),
                "published": bool(r["published"]),
                "evidence_label": translate("published" if r["published"] else "derived", lang),
                "source": str(r["source_url"]).split("|")[0].strip(),
                "history_runs": history_runs(years, designations, lang),
                "history": [
                    f"{y} {d}" for y, d in zip(years, designations, strict=True) if d != "left_list"
                ],
            }
        )
    return rows


@router.get("/lists", response_class=HTMLResponse, include_in_schema=False)
def lists_page(
    request: Request, year: Annotated[int | None, Query(ge=2010, le=2100)] = None
) -> Response:
    """The official lists of one year (the latest by default)."""
    return cached_response(request, lambda: _page(request, year))


def _page(request: Request, year: int | None) -> Response:
    lang = request_language(request)
    years = record_years()
    chosen = year if year in years else years[-1]
    return render(
        request,
        "record.html",
        {
            "year": chosen,
            "years": years,
            "rows": _cached_rows(request, chosen, lang),
            "title": translate("Official lists {year}", lang, year=chosen),
            "headings": {
                k: translate(k, lang)
                for k in (
                    "Area",
                    "Municipality",
                    "Designation",
                    "Residents",
                    "Distance to threshold (persons)",
                    "Evidence",
                    "History",
                    "Source",
                    "List year",
                )
            },
            "intro": translate(
                "Values as published; empty where no source published them. Derived "
                "memberships are marked as derived.",
                lang,
            ),
        },
    )


@router.get("/api/lists")
def lists_api(
    request: Request, year: Annotated[int | None, Query(ge=2010, le=2100)] = None
) -> Response:
    """The official lists as JSON (every year, or one), with evidence and sources."""
    years = [year] if year is not None else record_years()
    lang = request_language(request)
    return cached_json(
        request, lambda: [row for y in years for row in _cached_rows(request, y, lang)]
    )


def _cached_rows(request: Request, year: int, lang: Language) -> list[dict[str, object]]:
    """:func:`list_rows`, computed once per year and language."""
    return web_state(request).memo(("list_rows", year, lang), lambda: list_rows(year, lang))
