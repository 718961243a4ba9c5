"""The gap (efterslæb) between designated areas and the rest of the city, with milestones.

Københavns Kommune, *Politik for Udsatte Byområder* (2017), and its mid-term status 2021 (seed
``003_534e4863dd0b7c41.txt``, Tabel 2):

- gap per criterion = designated areas − rest of the city when higher is worse, rest − designated
  when lower is worse (living area per resident), so a positive gap always means "behind";
- milestone = ``milestone_fraction`` (½) × the baseline gap;
- progress = (baseline gap − gap) / baseline gap, in percent (negative when the gap grew);
- the vision is met in a year when the gap is at or below the milestone on at least
  ``criteria_share`` (half) of the criteria.

The baseline is either published gaps (:func:`~boligmonitor.monitor.reference_gap.reference_gap`
uses Tabel 2's 2017 column) or the gap computed from unit statistics in a baseline year
(:func:`~boligmonitor.monitor.unit_gap.compute_gap`, comparing the groups of
:mod:`boligmonitor.monitor.groups`).

Every year has one record per criterion of the reference dataset, so the vision test always
counts all criteria (5 for Copenhagen). A record that cannot be judged has ``milestone_met =
None`` and a ``note``: ``no_data`` (a group's value is missing or suppressed by disclosure
control, so the gap is unknown), ``no_baseline`` (no baseline gap) or ``no_baseline_gap`` (the
areas were not behind at baseline, gap ≤ 0, so there is nothing to halve: no milestone and no
progress). The vision test (:func:`vision_test`) is then ``True`` when enough criteria are met
whatever the unknown ones are, ``False`` when even all unknown ones met could not reach the
share, and ``None`` (undecided) otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any

import pandas as pd

from boligmonitor.errors import InputError
from boligmonitor.monitor.reference import CityCriterion, ReferenceDataset, VisionRule, WorseIs

__all__ = [
    "DIGITS",
    "GapRecord",
    "GapReport",
    "GapSummary",
    "efterslaeb",
    "gap_of",
    "gap_records",
    "gap_report",
    "progress_bounds",
    "vision_met",
    "vision_test",
]

#: Decimals kept in gaps, milestones, progress and pooled values: drops floating-point noise
#: such as 42.0 - 36.2 = 5.8000000000000043.
DIGITS = 10


@dataclass(frozen=True)
class GapRecord:
    """One criterion's gap in one year against its baseline and milestone.

    ``None`` marks what cannot be known; ``note`` says why (``no_data``, ``no_baseline``,
    ``no_baseline_gap``, see the module docstring), and ``milestone_met`` is then ``None``.
    """

    criterion: str
    baseline_year: int
    baseline_gap: float | None
    milestone: float | None
    year: int
    gap: float | None
    progress_pct: float | None
    worse_is: WorseIs
    milestone_met: bool | None
    label_da: str
    label_en: str
    unit: str
    designated: float | None
    rest: float | None
    note: str | None = None


@dataclass(frozen=True)
class GapSummary:
    """The vision test for one year.

    ``criteria_total`` is every criterion of the reference dataset, including those whose
    milestone test is unknown; ``vision_met`` is ``None`` when the unknown ones decide it.
    """

    year: int
    criteria_met: int
    criteria_total: int
    vision_met: bool | None


@dataclass(frozen=True)
class GapReport:
    """Gap records for one or more years, and the vision test of the latest year."""

    source: str
    records: list[GapRecord]
    summary: GapSummary
    by_year: list[GapSummary]
    parameters: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        """The documented JSON: ``records``, ``summary`` (latest year), ``by_year``, ``source``."""
        return {
            "source": self.source,
            "parameters": self.parameters,
            "records": [asdict(r) for r in self.records],
            "summary": asdict(self.summary),
            "by_year": [asdict(s) for s in self.by_year],
        }

    def frame(self) -> pd.DataFrame:
        """The records as a flat table (for CSV/Excel and workspace storage)."""
        columns = list(GapRecord.__dataclass_fields__)
        frame = pd.DataFrame([asdict(r) for r in self.records], columns=columns)
        return frame.astype({"milestone_met": "boolean", "note": "string"})

    def unknown(self, year: int) -> list[GapRecord]:
        """The records of a year whose milestone test cannot be decided."""
        return [r for r in self.records if r.year == year and r.milestone_met is None]


def efterslaeb(designated: float, rest: float, worse_is: WorseIs) -> float:
    """The gap of designated areas behind the rest of the city (positive = behind).

    Examples
    --------
    >>> round(efterslaeb(36.2, 42.0, "lower"), 1)  # living area, Tabel 1, 2021
    5.8
    >>> round(efterslaeb(18.7, 12.5, "higher"), 1)
    6.2
    """
    raw = designated - rest if worse_is == "higher" else rest - designated
    return round(raw, DIGITS)


def vision_met(criteria_met: int, criteria_total: int, share: float = 0.5) -> bool:
    """Whether ``criteria_met`` is at least ``share`` of ``criteria_total`` (exact arithmetic).

    Examples
    --------
    >>> vision_met(2, 4), vision_met(2, 5), vision_met(3, 5)
    (True, False, True)
    """
    return Fraction(criteria_met) >= Fraction(str(share)) * criteria_total


def vision_test(
    criteria_met: int, criteria_unknown: int, criteria_total: int, share: float = 0.5
) -> bool | None:
    """The vision test when some criteria cannot be judged (Politik for Udsatte Byområder).

    ``True`` when the criteria met already reach ``share`` of all criteria, ``False`` when even
    every unknown criterion met could not, ``None`` when the unknown ones decide it.

    Examples
    --------
    >>> vision_test(3, 2, 5), vision_test(1, 3, 5), vision_test(1, 1, 5)
    (True, None, False)
    """
    if vision_met(criteria_met, criteria_total, share):
        return True
    if not vision_met(criteria_met + criteria_unknown, criteria_total, share):
        return False
    return None


def progress_bounds(baseline_gap: float, gap: float, half_width: float) -> tuple[float, float]:
    """The range of progress (%) consistent with inputs rounded to ± ``half_width``.

    Published progress was computed from unrounded gaps while the tables print them to one
    decimal; any unrounded baseline in ``baseline_gap ± half_width`` and gap in
    ``gap ± half_width`` is possible, so the progress can lie anywhere in this interval.
    """
    low_base, high_base = baseline_gap - half_width, baseline_gap + half_width
    if low_base <= 0:
        raise ValueError("the baseline gap is too close to zero for a bounded progress")
    candidates = [
        _progress(base, g)
        for base in (low_base, high_base)
        for g in (gap - half_width, gap + half_width)
    ]
    values = [c for c in candidates if c is not None]
    return min(values), max(values)


def _progress(baseline_gap: float, gap: float) -> float | None:
    if baseline_gap <= 0:
        return None
    return round((baseline_gap - gap) / baseline_gap * 100, DIGITS)


def _note(baseline_gap: float | None, gap: float | None) -> str | None:
    if baseline_gap is None:
        return "no_baseline"
    if baseline_gap <= 0:
        return "no_baseline_gap"
    return "no_data" if gap is None else None


def gap_of(levels: tuple[float | None, float | None], worse_is: WorseIs) -> float | None:
    """The gap of the (designated, rest) levels, ``None`` when either is unknown."""
    designated, rest = levels
    if designated is None or rest is None:
        return None
    return efterslaeb(designated, rest, worse_is)


def _record(
    criterion: CityCriterion,
    baseline: tuple[int, float | None],
    year: int,
    levels: tuple[float | None, float | None],
    fraction: float,
) -> GapRecord:
    """One criterion and year; unknown parts are ``None`` and the ``note`` says why."""
    baseline_year, baseline_gap = baseline
    gap = gap_of(levels, criterion.worse_is)
    positive = baseline_gap if baseline_gap is not None and baseline_gap > 0 else None
    milestone = None if positive is None else round(positive * fraction, DIGITS)
    progress, met = None, None
    if positive is not None and milestone is not None and gap is not None:
        progress, met = _progress(positive, gap), gap <= milestone
    return GapRecord(
        criterion=criterion.id,
        baseline_year=baseline_year,
        baseline_gap=baseline_gap,
        milestone=milestone,
        year=year,
        gap=gap,
        progress_pct=progress,
        worse_is=criterion.worse_is,
        milestone_met=met,
        label_da=criterion.label_da,
        label_en=criterion.label_en,
        unit=criterion.unit,
        designated=levels[0],
        rest=levels[1],
        note=_note(baseline_gap, gap),
    )


def gap_records(
    ref: ReferenceDataset,
    baseline: tuple[int, Mapping[str, float | None]],
    years: Sequence[int],
    levels: Callable[[int, CityCriterion], tuple[float | None, float | None]],
) -> list[GapRecord]:
    """One record per year and criterion of ``ref``, from the groups' ``levels``.

    ``baseline`` is the baseline year and each criterion's baseline gap; the milestone is
    ``ref.vision.milestone_fraction`` of a positive baseline gap (Politik for Udsatte
    Byområder, 2017).
    """
    baseline_year, gaps = baseline
    fraction = ref.vision.milestone_fraction
    return [
        _record(c, (baseline_year, gaps[c.id]), year, levels(year, c), fraction)
        for year in years
        for c in ref.criteria
    ]


def _summary(year: int, of_year: list[GapRecord], vision: VisionRule) -> GapSummary:
    met = sum(r.milestone_met is True for r in of_year)
    unknown = sum(r.milestone_met is None for r in of_year)
    total = len(of_year)
    return GapSummary(year, met, total, vision_test(met, unknown, total, vision.criteria_share))


def gap_report(
    source: str,
    records: list[GapRecord],
    vision: VisionRule,
    parameters: dict[str, Any],
) -> GapReport:
    """The records with the vision test of every year (:func:`vision_test`).

    Raises
    ------
    InputError
        Naming ``source`` when no year has values for both the areas and the rest.
    """
    if all(r.gap is None for r in records):
        raise InputError.single(source, "no year has values for both the areas and the rest")
    years = sorted({r.year for r in records})
    by_year = [_summary(y, [r for r in records if r.year == y], vision) for y in years]
    return GapReport(source, records, by_year[-1], by_year, parameters)
