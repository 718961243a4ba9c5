"""The screening-criteria part of the status report: levels, the gap (efterslæb) and milestones.

Built on :func:`boligmonitor.monitor.gap.reference_gap` (published Tabel 1/2) or a gap computed
from a workspace; progress is (gap₂₀₁₇ − gapₜ) / gap₂₀₁₇ as in Tabel 2 of the 2021 status.
"""

from __future__ import annotations

from typing import Any

from boligmonitor.i18n import Language, fmt_number, fmt_pct
from boligmonitor.monitor.gap import GapRecord, GapReport
from boligmonitor.monitor.reference import ReferenceDataset

__all__ = ["definition_rows", "gap_chart_rows", "gap_section"]


#: Footnote 3 of the 2021 status, shown under the published Tabel 1.
_EDUCATION_BREAK = {
    "da": "Faldet i andelen uden uddannelse fra 2017 til 2018 er et databrud: Danmarks Statistik "
    "medregner fra 2018 indvandreres medbragte uddannelse (Rockwool Fondens Forskningsenheds "
    "dataindsamling).",
    "en": "The drop in the share without education from 2017 to 2018 is a data break: from 2018 "
    "Statistics Denmark counts immigrants' education from abroad.",
}


def _unit(record: GapRecord, lang: Language) -> str:
    if record.unit == "m2":
        return "m²"
    return "procentpoint" if lang == "da" else "pp"


def _level_unit(record: GapRecord) -> str:
    return " m²" if record.unit == "m2" else " %"


def _published(reference: ReferenceDataset | None, record: GapRecord, lang: Language) -> str:
    """The progress as printed in Tabel 2, when the record is that table's year."""
    if reference is None or reference.tabel_2.year != record.year:
        return ""
    for row in reference.tabel_2.rows:
        if row.criterion == record.criterion:
            return fmt_pct(row.signed_progress_pct, 2, lang)
    return ""


def _row(record: GapRecord, reference: ReferenceDataset | None, lang: Language) -> dict[str, str]:
    unit = _unit(record, lang)
    level_unit = _level_unit(record)
    yes, no = ("Ja", "Nej") if lang == "da" else ("Yes", "No")
    return {
        "criterion": record.label_da if lang == "da" else record.label_en,
        "designated": fmt_number(record.designated, 1, lang) + level_unit,
        "rest": fmt_number(record.rest, 1, lang) + level_unit,
        "baseline_gap": f"{fmt_number(record.baseline_gap, 1, lang)} {unit}",
        "milestone": f"{fmt_number(record.milestone, 1, lang)} {unit}",
        "gap": f"{fmt_number(record.gap, 1, lang)} {unit}",
        "progress": fmt_pct(record.progress_pct, 2, lang),
        "published_progress": _published(reference, record, lang),
        "milestone_met": yes if record.milestone_met else no,
        "worse": "worse" if (record.progress_pct or 0) < 0 else "better",
    }


def _of_year(gap: GapReport, year: int) -> list[GapRecord]:
    """The records of the report year, or of the latest year the gap report has."""
    latest = max((r.year for r in gap.records if r.year <= year), default=gap.summary.year)
    return [r for r in gap.records if r.year == latest]


def _levels(gap: GapReport, year: int, lang: Language) -> dict[str, Any]:
    """Tabel 1: the criteria in the areas and the rest of the city, by year."""
    years = sorted({r.year for r in gap.records if r.year <= year})
    by_key = {(r.criterion, r.year): r for r in gap.records}
    groups = (
        ("Udsatte byområder", "Resten af København")
        if lang == "da"
        else (
            "Vulnerable areas",
            "Rest of Copenhagen",
        )
    )
    rows = []
    for record in _of_year(gap, year):
        label = record.label_da if lang == "da" else record.label_en
        for group, designated in zip(groups, (True, False), strict=True):
            cells = []
            for y in years:
                found = by_key.get((record.criterion, y))
                level = None if found is None else found.designated if designated else found.rest
                cells.append(fmt_number(level, 1, lang) + _level_unit(record) if level else "–")
            rows.append({"criterion": label, "group": group, "first": designated, "cells": cells})
    return {"years": years, "rows": rows}


def gap_section(
    gap: GapReport, year: int, reference: ReferenceDataset | None, lang: Language = "da"
) -> dict[str, Any]:
    """The gap table of one year, the levels by year, the vision test and a summary sentence."""
    records = _of_year(gap, year)
    summary = next((s for s in gap.by_year if s.year == records[0].year), gap.summary)
    if reference is not None and gap.source != reference.id:
        reference = None  # printed progress belongs to the published gap only
    da = lang == "da"
    verdict = (
        ("er opfyldt" if summary.vision_met else "er ikke opfyldt")
        if da
        else ("is met" if summary.vision_met else "is not met")
    )
    sentence = (
        f"Efterslæbet er på eller under milepælen for 2025 på {summary.criteria_met} af "
        f"{summary.criteria_total} kriterier; visionen om halvt så udsatte byområder {verdict}."
        if da
        else f"The gap is at or below the 2025 milestone on {summary.criteria_met} of "
        f"{summary.criteria_total} criteria; the vision {verdict}."
    )
    return {
        "year": records[0].year,
        "baseline_year": records[0].baseline_year,
        "rows": [_row(r, reference, lang) for r in records],
        "sentence": sentence,
        "source": gap.source,
        "has_published": any(_published(reference, r, lang) for r in records),
        "levels": _levels(gap, year, lang),
        "levels_note": _EDUCATION_BREAK[lang] if reference is not None else "",
    }


def gap_chart_rows(gap: GapReport, year: int, lang: Language = "da") -> list[dict[str, Any]]:
    """Rows for :func:`boligmonitor.report.charts.gap_chart`."""
    records = _of_year(gap, year)
    da = lang == "da"
    rows = []
    for r in records:
        label = r.label_da if da else r.label_en
        rows += [
            {
                "criterion": label,
                "measure": f"{'Efterslæb' if da else 'Gap'} {r.baseline_year}",
                "value": r.baseline_gap,
            },
            {
                "criterion": label,
                "measure": f"{'Milepæl' if da else 'Milestone'} 2025",
                "value": r.milestone,
            },
            {
                "criterion": label,
                "measure": f"{'Efterslæb' if da else 'Gap'} {r.year}",
                "value": r.gap,
            },
        ]
    return rows


def definition_rows(
    reference: ReferenceDataset | None, lang: Language = "da"
) -> list[dict[str, str]]:
    """The data definitions of the screening criteria (Bilag 1)."""
    if reference is None:
        return []
    return [
        {
            "title": c.label_da if lang == "da" else c.label_en,
            "text": c.definition_da if lang == "da" else c.definition_en,
        }
        for c in reference.criteria
    ]
