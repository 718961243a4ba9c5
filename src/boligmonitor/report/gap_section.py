"""The screening-criteria part of the status report: levels, the gap (efterslæb) and milestones.

Built on :func:`boligmonitor.monitor.reference_gap.reference_gap` (published Tabel 1/2) or a gap
computed from a workspace; progress is (gap₂₀₁₇ − gapₜ) / gap₂₀₁₇ as in Tabel 2 of the 2021 status.
"""

from __future__ import annotations

from typing import Any

from boligmonitor.i18n import N_, Language, fmt_number, fmt_pct, localized, translate
from boligmonitor.monitor.gap import GapRecord, GapReport, GapSummary
from boligmonitor.monitor.reference import ReferenceDataset, Tabel2Row
from boligmonitor.screening.gap_text import fmt_gap, gap_unit, met_text, note_text

__all__ = ["definition_rows", "gap_chart_rows", "gap_section"]


#: Footnote 3 of the 2021 status, shown under the published Tabel 1.
_EDUCATION_BREAK = N_(
    "The drop in the share without education from 2017 to 2018 is a data break: from 2018 "
    "Statistics Denmark counts immigrants' education from abroad."
)


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
        "criterion": localized(record.label_da, record.label_en, lang),
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


def _milestone_note(records: list[GapRecord], published: bool, lang: Language) -> str:
    """How the milestones are computed, with their exact values (and the printed ones)."""
    exact = "; ".join(
        f"{localized(r.label_da, r.label_en, lang)} {_exact(r.milestone, lang)}"
        for r in records
        if r.milestone is not None
    )
    text = translate(
        "The milestone is half the baseline gap, shown with one decimal rounded half up; the "
        "exact values are: {exact}.",
        lang,
        exact=exact,
    )
    printed = translate(
        " The status report's own milestones (Tabel 2) are shown beside them; computed from "
        "unrounded data, they can differ by 0.1.",
        lang,
    )
    return text + (printed if published else "")


def _of_year(gap: GapReport, year: int) -> list[GapRecord]:
    """The records of the report year, or of the latest year the gap report has."""
    latest = max((r.year for r in gap.records if r.year <= year), default=gap.summary.year)
    return [r for r in gap.records if r.year == latest]


def _levels(gap: GapReport, year: int, lang: Language) -> dict[str, Any]:
    """Tabel 1: the criteria in the areas and the rest of the city, by year."""
    years = sorted({r.year for r in gap.records if r.year <= year})
    by_key = {(r.criterion, r.year): r for r in gap.records}
    groups = (translate("Vulnerable areas", lang), translate("Rest of Copenhagen", lang))
    rows = []
    for record in _of_year(gap, year):
        label = localized(record.label_da, record.label_en, lang)
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
    verdict = {True: N_("is met"), False: N_("is not met"), None: N_("cannot be decided")}
    known = translate(" ({unknown} unknown)", lang, unknown=unknown) if unknown else ""
    return translate(
        "The gap is at or below the 2025 milestone on {met} of {total} criteria{known}; the "
        "vision {verdict}.",
        lang,
        met=met,
        total=total,
        known=known,
        verdict=translate(verdict[summary.vision_met], lang),
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
        "source": translate(gap.source, lang),
        "has_published": published,
        "milestone_note": _milestone_note(records, published, lang),
        "notes": [
            f"{row['criterion']}: {note_text(r, lang)}"
            for r, row in zip(records, rows, strict=True)
            if r.note
        ],
        "levels": _levels(gap, year, lang),
        "levels_note": translate(_EDUCATION_BREAK, lang) if reference is not None else "",
    }


def gap_chart_rows(gap: GapReport, year: int, lang: Language = "da") -> list[dict[str, Any]]:
    """Rows for :func:`boligmonitor.charts.report.gap_chart` (unknown values left out)."""
    gap_word, milestone_word = translate("Gap", lang), translate("Milestone", lang)
    rows = []
    for r in _of_year(gap, year):
        label = localized(r.label_da, r.label_en, lang)
        measures = (
            (f"{gap_word} {r.baseline_year}", r.baseline_gap),
            (f"{milestone_word} 2025", r.milestone),
            (f"{gap_word} {r.year}", r.gap),
        )
        rows += [
            {
                "criterion": label,
                "measure": measure,
                "value": value,
                "unit": gap_unit(r.unit, lang),
            }
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
            "title": localized(c.label_da, c.label_en, lang),
            "text": localized(c.definition_da, c.definition_en, lang),
        }
        for c in reference.criteria
    ]
