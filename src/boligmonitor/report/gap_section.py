"""The screening-criteria part of the status report: levels, the gap (efterslæb) and milestones.

Built on :func:`boligmonitor.monitor.gap.reference_gap` (published Tabel 1/2) or a gap computed
from a workspace; progress is (gap₂₀₁₇ − gapₜ) / gap₂₀₁₇ as in Tabel 2 of the 2021 status.
"""

from __future__ import annotations

from typing import Any

from boligmonitor.i18n import Language, fmt_number, fmt_pct
from boligmonitor.monitor.gap import GapRecord, GapReport, GapSummary
from boligmonitor.monitor.reference import ReferenceDataset, Tabel2Row
from boligmonitor.screening.gap_text import fmt_gap, met_text, note_text

__all__ = ["definition_rows", "gap_chart_rows", "gap_section"]


#: Footnote 3 of the 2021 status, shown under the published Tabel 1.
_EDUCATION_BREAK = {
    "da": "Faldet i andelen uden uddannelse fra 2017 til 2018 er et databrud: Danmarks Statistik "
    "medregner fra 2018 indvandreres medbragte uddannelse (Rockwool Fondens Forskningsenheds "
    "dataindsamling).",
    "en": "The drop in the share without education from 2017 to 2018 is a data break: from 2018 "
    "Statistics Denmark counts immigrants' education from abroad.",
}


def _level(value: float | None, record: GapRecord, lang: Language) -> str:
    """A criterion's level in a group: "36,2 m²", "18,7 %" or "–"."""
    if value is None:
        return "–"
    return fmt_number(value, 1, lang) + (" m²" if record.unit == "m2" else " %")


def _printed(reference: ReferenceDataset | None, record: GapRecord) -> Tabel2Row | None:
    """Tabel 2's printed row of the record's criterion, when the record is that table's year."""
    if reference is None or reference.tabel_2.year != record.year:
        return None
    return next((r for r in reference.tabel_2.rows if r.criterion == record.criterion), None)


def _row(record: GapRecord, reference: ReferenceDataset | None, lang: Language) -> dict[str, str]:
    printed = _printed(reference, record)
    return {
        "criterion": record.label_da if lang == "da" else record.label_en,
        "designated": _level(record.designated, record, lang),
        "rest": _level(record.rest, record, lang),
        "baseline_gap": fmt_gap(record.baseline_gap, record, lang),
        "milestone": fmt_gap(record.milestone, record, lang),
        "gap": fmt_gap(record.gap, record, lang),
        "progress": fmt_pct(record.progress_pct, 2, lang),
        "published_milestone": "" if printed is None else fmt_gap(printed.milestone, record, lang),
        "published_progress": ""
        if printed is None
        else fmt_pct(printed.signed_progress_pct, 2, lang),
        "milestone_met": met_text(record.milestone_met, lang).capitalize(),
        "worse": "worse" if (record.progress_pct or 0) < 0 else "better",
    }


def _exact(value: float, lang: Language) -> str:
    """A milestone with the decimals it has (at most two): 3,4 and 5,85."""
    return fmt_number(value, 1 if round(value, 1) == round(value, 2) else 2, lang)


#: How the milestones are computed, and (for the published gap) the printed ones beside them.
_MILESTONE_NOTE = {
    "da": (
        "Milepælen er beregnet som halvdelen af efterslæbet i basisåret og vist med én decimal, "
        "afrundet op ved 5; de præcise værdier er: {exact}.",
        " Statusrapportens egne milepæle (Tabel 2) står ved siden af; statusrapporten regnede "
        "med uafrundede data, så de kan afvige med 0,1.",
    ),
    "en": (
        "The milestone is half the baseline gap, shown with one decimal rounded half up; the "
        "exact values are: {exact}.",
        " The status report's own milestones (Tabel 2) are shown beside them; computed from "
        "unrounded data, they can differ by 0.1.",
    ),
}


def _milestone_note(records: list[GapRecord], published: bool, lang: Language) -> str:
    """How the milestones are computed, with their exact values (and the printed ones)."""
    exact = "; ".join(
        f"{r.label_da if lang == 'da' else r.label_en} {_exact(r.milestone, lang)}"
        for r in records
        if r.milestone is not None
    )
    text, printed = _MILESTONE_NOTE[lang]
    return text.format(exact=exact) + (printed if published else "")


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
                cells.append(_level(level, record, lang))
            rows.append({"criterion": label, "group": group, "first": designated, "cells": cells})
    return {"years": years, "rows": rows}


def _sentence(gap: GapReport, summary: GapSummary, lang: Language) -> str:
    """The vision test in one sentence; undecided when unknown criteria could tip it."""
    met, total = summary.criteria_met, summary.criteria_total
    unknown = len(gap.unknown(summary.year))
    if lang == "da":
        verdict = {True: "er opfyldt", False: "er ikke opfyldt", None: "kan ikke afgøres"}
        known = f" ({unknown} er ukendte)" if unknown else ""
        return (
            f"Efterslæbet er på eller under milepælen for 2025 på {met} af {total} kriterier"
            f"{known}; visionen om halvt så udsatte byområder {verdict[summary.vision_met]}."
        )
    verdict_en = {True: "is met", False: "is not met", None: "cannot be decided"}
    known = f" ({unknown} unknown)" if unknown else ""
    return (
        f"The gap is at or below the 2025 milestone on {met} of {total} criteria{known}; the "
        f"vision {verdict_en[summary.vision_met]}."
    )


def gap_section(
    gap: GapReport, year: int, reference: ReferenceDataset | None, lang: Language = "da"
) -> dict[str, Any]:
    """The gap table of one year, the levels by year, the vision test and a summary sentence."""
    records = _of_year(gap, year)
    summary = next((s for s in gap.by_year if s.year == records[0].year), gap.summary)
    if reference is not None and gap.source != reference.id:
        reference = None  # printed figures belong to the published gap only
    rows = [_row(r, reference, lang) for r in records]
    published = any(r["published_progress"] for r in rows)
    return {
        "year": records[0].year,
        "baseline_year": records[0].baseline_year,
        "rows": rows,
        "sentence": _sentence(gap, summary, lang),
        "source": gap.source,
        "has_published": published,
        "milestone_note": _milestone_note(records, published, lang),
        "notes": [
            f"{row['criterion']}: {note_text(r, lang)}"
            for r, row in zip(records, rows, strict=True)
            if r.note
        ],
        "levels": _levels(gap, year, lang),
        "levels_note": _EDUCATION_BREAK[lang] if reference is not None else "",
    }


def gap_chart_rows(gap: GapReport, year: int, lang: Language = "da") -> list[dict[str, Any]]:
    """Rows for :func:`boligmonitor.report.charts.gap_chart` (unknown values left out)."""
    da = lang == "da"
    rows = []
    for r in _of_year(gap, year):
        label = r.label_da if da else r.label_en
        measures = (
            (f"{'Efterslæb' if da else 'Gap'} {r.baseline_year}", r.baseline_gap),
            (f"{'Milepæl' if da else 'Milestone'} 2025", r.milestone),
            (f"{'Efterslæb' if da else 'Gap'} {r.year}", r.gap),
        )
        rows += [
            {"criterion": label, "measure": measure, "value": value}
            for measure, value in measures
            if value is not None
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
