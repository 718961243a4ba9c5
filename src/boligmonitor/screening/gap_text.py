"""How gap records read, shared by the ``gap`` command and the status report.

Levels, gaps and milestones are shown with one decimal rounded half up, as the published tables
round (:func:`boligmonitor.i18n.fmt_number`: a milestone of 11,85 reads 11,9), with their unit;
the exact values are in the JSON. Unknown values read "–" and a record's ``note`` (see
:mod:`boligmonitor.monitor.gap`) is explained in words.
"""

from __future__ import annotations

from boligmonitor.i18n import Language, fmt_number
from boligmonitor.monitor.gap import GapRecord, GapSummary

__all__ = ["fmt_gap", "gap_unit", "met_text", "note_text", "vision_verdict"]

_NOTES = {
    "no_data": (
        "ukendt: tallet for området eller resten af byen mangler eller er diskretioneret",
        "unknown: the figure of the areas or of the rest of the city is missing or suppressed",
    ),
    "no_baseline": (
        "ukendt: intet efterslæb i basisåret at måle mod",
        "unknown: no baseline gap to measure against",
    ),
    "no_baseline_gap": (
        "intet efterslæb i basisåret (0 eller derunder): ingen milepæl og ingen udvikling",
        "no gap at baseline (0 or below): no milestone and no progress",
    ),
}


def gap_unit(unit: str, lang: Language) -> str:
    """The unit of a gap: ``m²`` for living area, percentage points for the shares."""
    if unit == "m2":
        return "m²"
    return "procentpoint" if lang == "da" else "pp"


def fmt_gap(value: float | None, record: GapRecord, lang: Language) -> str:
    """A gap, baseline gap or milestone with one decimal and its unit ("5,9 procentpoint").

    Examples
    --------
    >>> from boligmonitor.monitor.gap import reference_gap
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
        return "ukendt" if lang == "da" else "unknown"
    if lang == "da":
        return "ja" if met else "nej"
    return "yes" if met else "no"


def note_text(record: GapRecord, lang: Language) -> str:
    """Why part of a record is unknown, in words (empty when nothing is)."""
    if record.note is None:
        return ""
    da, en = _NOTES.get(record.note, (record.note, record.note))
    return da if lang == "da" else en


def vision_verdict(summary: GapSummary, unknown: int, lang: Language) -> str:
    """The vision test in words: met, not met, or undecided because of unknown criteria."""
    if summary.vision_met is None:
        if lang == "da":
            return f"kan ikke afgøres, fordi {unknown} kriterier er ukendte"
        return f"cannot be decided, {unknown} criteria being unknown"
    if lang == "da":
        return "nået" if summary.vision_met else "ikke nået"
    return "met" if summary.vision_met else "not met"
