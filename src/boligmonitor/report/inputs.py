"""Gathering a status report's inputs from a workspace (published figures or microdata)."""

from __future__ import annotations

from typing import Any

from boligmonitor.errors import InputError
from boligmonitor.i18n import Language
from boligmonitor.monitor.gap import GapReport, reference_gap
from boligmonitor.monitor.goals.evaluate import evaluate_catalogue
from boligmonitor.monitor.goals.sources import (
    Source,
    designated_rounds,
    has_microdata,
    parse_source,
    unit_geometry,
    workspace_catalogue,
)
from boligmonitor.monitor.reference import load_reference
from boligmonitor.report.status import ReportInput, render

__all__ = [
    "REFERENCE",
    "workspace_report_input",
    "workspace_status_report",
]

#: The published reference dataset used for the gap of the shipped catalogue.
REFERENCE = "kk-2021"

_ORIGIN = {
    ("published", "da"): "Målenes tal, kriteriernes niveauer (Tabel 1) og efterslæbet i 2017 "
    "(Tabel 2) er de offentliggjorte fra statusrapporten; efterslæb, milepæle og udvikling er "
    "genberegnet af dem, og statusrapportens egne tal står ved siden af.",
    ("published", "en"): "The goals' figures, the criteria's levels (Tabel 1) and the 2017 gap "
    "(Tabel 2) are as published in the status report; gaps, milestones and progress are "
    "recomputed from them, beside the report's own figures.",
    ("microdata", "da"): "Tallene er afledt af mikrodata i arbejdsområdet for de udpegede "
    "enheder i første udpegningsrunde; indikatorer uden grundlag i mikrodata er markeret ikke "
    "tilgængelige, og små tal er diskretioneret.",
    ("microdata", "en"): "Figures derived from the workspace's microdata for the units designated "
    "in the first round; indicators the microdata do not support are marked not available, and "
    "small numbers are suppressed.",
}


def _published_gap(year: int) -> GapReport:
    reference = load_reference(REFERENCE)
    years = [y for y in reference.tabel_1.years() if y <= year]
    return reference_gap(REFERENCE, years or None)


def _computed_gap(ws: Any) -> GapReport | None:
    """The gap from the workspace's unit statistics and screening rounds (fixed tracking)."""
    try:
        report: GapReport = ws.gap(store=False)
    except InputError:
        return None  # no unit statistics or no screening stored
    return report


def workspace_report_input(
    ws: Any,
    year: int,
    catalogue: str | None = None,
    source: Source = "auto",
    lang: Language = "da",
) -> ReportInput:
    """The inputs of a workspace's status report for a status year.

    With ``source="published"`` (or ``auto`` and no microdata) the shipped catalogue's values
    and the published gap are used; otherwise the microdata-derived values and, when the
    workspace has unit statistics, the gap computed from them.
    """
    derived = source == "microdata" or (source == "auto" and has_microdata(ws))
    cat = workspace_catalogue(ws, catalogue, "microdata" if derived else "published")
    evaluation = evaluate_catalogue(cat, year)
    reference = load_reference(REFERENCE)
    if not derived:
        return ReportInput(
            evaluation,
            _published_gap(year),
            reference,
            origin=_ORIGIN[("published", lang)],
            lang=lang,
        )
    rounds = designated_rounds(ws)
    baseline_units = rounds[min(rounds)] if rounds else set()
    return ReportInput(
        evaluation,
        _computed_gap(ws),
        reference,
        geometry=unit_geometry(ws, baseline_units),
        origin=_ORIGIN[("microdata", lang)],
        lang=lang,
    )


def workspace_status_report(
    ws: Any,
    year: int,
    format: str = "html",
    catalogue: str | None = None,
    source: str = "auto",
    lang: str = "da",
) -> bytes:
    """A workspace's status report as HTML (UTF-8) or PDF bytes.

    Raises
    ------
    InputError
        For an unknown format, language or source (before anything is computed).
    """
    if format not in ("html", "pdf"):
        raise InputError.single("--format", f"unknown format '{format}'; use html or pdf")
    if lang not in ("da", "en"):
        raise InputError.single("--lang", f"unknown language '{lang}'; use da or en")
    chosen: Language = "en" if lang == "en" else "da"
    data = workspace_report_input(ws, year, catalogue, parse_source(source), chosen)
    return render(data, "pdf" if format == "pdf" else "html")
