"""How gap records read, shared by the ``gap`` command and the status report.

Levels, gaps and milestones are shown with one decimal rounded half up, as the published tables
round (:func:`boligmonitor.i18n.fmt_number`: a milestone of 11,85 reads 11,9), with their unit;
the exact values are in the JSON. Unknown values read "–" and a record's ``note`` (see
:mod:`boligmonitor.monitor.gap`) is explained in words.
"""

from __future__ import annotations

from boligmonitor.i18n import N_, Language, fmt_number, translate
from boligmonitor.monitor.gap import GapRecord, GapSummary

__all__ = ["fmt_gap", "gap_unit", "met_text", "note_text", "vision_verdict"]

_NOTES = {
    "no_data": N_(
        "unknown: the figure of the areas or of the rest of the city is missing or suppressed"
    ),
    "no_baseline": N_("unknown: no baseline gap to measure against"),
    "no_baseline_gap": N_("no gap at baseline (0 or below): no milestone and no progress"),
}


def gap_unit(unit: str, lang: Language) -> str:
    """The unit of a gap: ``m²`` for living area, percentage points for the shares."""
    if unit == "m2":
        return "m²"
    return translate("pp", lang)


def fmt_gap(value: float | None, record: GapRecord, lang: Language) -> str:
    """A gap, baseline gap or milestone with one decimal and its unit ("5,9 procentpoint").

    Examples
    --------
    >>> from boligmonitor.monitor.reference_gap import reference_gap
    >>> education = reference_gap().records[4]
    >>> fmt_gap(education.milestone, education, "da")
    '5,9 procentpoint'
    """
    if value is None:
        return "–"
    return f"{fmt_number(value, 1, lang)} {gap_unit(record.unit, lang)}"


def met_text(met: bool | None, lang: Language) -> str:
    """Whether a milestone is met: yes, no, or unknown."""
    if met is None:
        return translate("unknown", lang)
    return translate("yes", lang) if met else translate("no", lang)


def note_text(record: GapRecord, lang: Language) -> str:
    """Why part of a record is unknown, in words (empty when nothing is)."""
    if record.note is None:
        return ""
    msgid = _NOTES.get(record.note)
    return record.note if msgid is None else translate(msgid, lang)


def vision_verdict(summary: GapSummary, unknown: int, lang: Language) -> str:
    """The vision test in words: met, not met, or undecided because of unknown criteria."""
    if summary.vision_met is None:
        return translate(
            "cannot be decided, {unknown} criteria being unknown",
            lang,
            unknown=unknown,
        )
    return translate("met", lang) if summary.vision_met else translate("not met", lang)
