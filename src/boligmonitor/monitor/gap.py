"""The gap (efterslæb) between designated areas and the rest of the city, with milestones.

Københavns Kommune, *Politik for Udsatte Byområder* (2017), and its mid-term status 2021 (seed
``003_534e4863dd0b7c41.txt``, Tabel 2):

- gap per criterion = designated areas − rest of the city when higher is worse, rest − designated
  when lower is worse (living area per resident), so a positive gap always means "behind";
- milestone = ``milestone_fraction`` (½) × the baseline gap;
- progress = (baseline gap − gap) / baseline gap, in percent (negative when the gap grew);
- the vision is met in a year when the gap is at or below the milestone on at least
  ``criteria_share`` (half) of the criteria.

The baseline is either published gaps (:func:`reference_gap` uses Tabel 2's 2017 column) or the
gap computed from unit statistics in a baseline year (:func:`compute_gap`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any, Literal

import pandas as pd

from boligmonitor.disclosure import DEFAULT_MIN_PERSONS
from boligmonitor.errors import InputError
from boligmonitor.monitor.reference import (
    CityCriterion,
    ReferenceDataset,
    VisionRule,
    WorseIs,
    load_reference,
)

__all__ = [
    "GapRecord",
    "GapReport",
    "GapSummary",
    "Tracking",
    "compute_gap",
    "designated_in",
    "efterslaeb",
    "group_levels",
    "pooled_value",
    "progress_bounds",
    "reference_gap",
    "vision_met",
]

Tracking = Literal["fixed", "updated"]
_DIGITS = 10  # drop floating-point noise such as 42.0 - 36.2 = 5.8000000000000043


@dataclass(frozen=True)
class GapRecord:
    """One criterion's gap in one year against its baseline and milestone."""

    criterion: str
    baseline_year: int
    baseline_gap: float
    milestone: float
    year: int
    gap: float
    progress_pct: float | None
    worse_is: WorseIs
    milestone_met: bool
    label_da: str
    label_en: str
    unit: str
    designated: float | None
    rest: float | None


@dataclass(frozen=True)
class GapSummary:
    """The vision test for one year."""

    year: int
    criteria_met: int
    criteria_total: int
    vision_met: bool


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
        return pd.DataFrame([asdict(r) for r in self.records], columns=columns)


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
    return round(raw, _DIGITS)


def vision_met(criteria_met: int, criteria_total: int, share: float = 0.5) -> bool:
    """Whether ``criteria_met`` is at least ``share`` of ``criteria_total`` (exact arithmetic).

    Examples
    --------
    >>> vision_met(2, 4), vision_met(2, 5), vision_met(3, 5)
    (True, False, True)
    """
    return Fraction(criteria_met) >= Fraction(str(share)) * criteria_total


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
    if baseline_gap == 0:
        return None
    return round((baseline_gap - gap) / baseline_gap * 100, _DIGITS)


def _record(
    criterion: CityCriterion,
    baseline_year: int,
    baseline_gap: float,
    year: int,
    levels: tuple[float | None, float | None],
    fraction: float,
) -> GapRecord | None:
    designated, rest = levels
    if designated is None or rest is None:
        return None
    gap = efterslaeb(designated, rest, criterion.worse_is)
    milestone = round(baseline_gap * fraction, _DIGITS)
    return GapRecord(
        criterion=criterion.id,
        baseline_year=baseline_year,
        baseline_gap=baseline_gap,
        milestone=milestone,
        year=year,
        gap=gap,
        progress_pct=_progress(baseline_gap, gap),
        worse_is=criterion.worse_is,
        milestone_met=gap <= milestone,
        label_da=criterion.label_da,
        label_en=criterion.label_en,
        unit=criterion.unit,
        designated=designated,
        rest=rest,
    )


def _report(
    source: str,
    records: list[GapRecord],
    vision: VisionRule,
    parameters: dict[str, Any],
) -> GapReport:
    if not records:
        raise InputError.single(source, "no year has values for both the areas and the rest")
    by_year = []
    for year in sorted({r.year for r in records}):
        of_year = [r for r in records if r.year == year]
        met = sum(r.milestone_met for r in of_year)
        by_year.append(
            GapSummary(
                year, met, len(of_year), vision_met(met, len(of_year), vision.criteria_share)
            )
        )
    return GapReport(source, records, by_year[-1], by_year, parameters)


def reference_gap(name: str = "kk-2021", years: Sequence[int] | None = None) -> GapReport:
    """The gap from a published reference dataset (Tabel 2 recomputed from Tabel 1).

    The baseline gaps are Tabel 2's column 1 (2017); each year's gap is Tabel 1's designated
    areas against the rest of the city; milestone and progress follow (columns 2–4).

    Parameters
    ----------
    name
        Reference dataset id (``"kk-2021"``) or YAML path.
    years
        Years of Tabel 1 to compute; default Tabel 2's status year (2021).

    Returns
    -------
    GapReport
        One record per criterion and year; the summary is the vision test of the latest year.

    Examples
    --------
    >>> report = reference_gap("kk-2021")
    >>> [round(r.gap, 1) for r in report.records]
    [5.8, 6.2, 9.2, 20.8, 10.3]
    >>> report.summary.vision_met
    False
    """
    ref = load_reference(name)
    chosen = list(years) if years is not None else [ref.tabel_2.year]
    unknown = [y for y in chosen if y not in ref.tabel_1.years()]
    if unknown:
        raise InputError.single(name, f"Tabel 1 has no year {unknown}", column="years")
    baseline = ref.tabel_2.baseline_gaps()
    records = [
        record
        for year in chosen
        for criterion in ref.criteria
        if (record := _reference_record(ref, criterion, year, baseline[criterion.id]))
    ]
    parameters = {"reference": ref.id, "years": chosen, "baseline": "published"}
    return _report(ref.id, records, ref.vision, parameters)


def _reference_record(
    ref: ReferenceDataset, criterion: CityCriterion, year: int, baseline_gap: float
) -> GapRecord | None:
    levels = (
        ref.tabel_1.value("udsatte_byomraader", year, criterion.id),
        ref.tabel_1.value("resten_af_byen", year, criterion.id),
    )
    return _record(
        criterion,
        ref.tabel_2.baseline_year,
        baseline_gap,
        year,
        levels,
        ref.vision.milestone_fraction,
    )


def designated_in(
    rounds: Mapping[int, Collection[str]], year: int, tracking: Tracking, fixed_round: int | None
) -> set[str]:
    """The units counted as designated in a year.

    ``fixed``: the units of ``fixed_round`` (default the first round) in every year, so the same
    areas are followed over time. ``updated``: the units of the latest round at or before the
    year, so the areas change with each re-designation.

    Raises
    ------
    InputError
        When no round applies.
    """
    if not rounds:
        raise InputError.single("designation rounds", "no designation rounds given")
    if tracking == "fixed":
        chosen = fixed_round if fixed_round is not None else min(rounds)
        if chosen not in rounds:
            raise InputError.single("designation rounds", f"no round {chosen}", column="round_year")
        return set(rounds[chosen])
    earlier = [r for r in rounds if r <= year]
    if not earlier:
        raise InputError.single(
            "designation rounds", f"no designation round at or before {year}", column="round_year"
        )
    return set(rounds[max(earlier)])


def group_levels(
    units: pd.DataFrame,
    year: int,
    members: Collection[str],
    criterion: CityCriterion,
    min_persons: int = 0,
) -> tuple[float | None, float | None]:
    """Pooled value of the designated units and of the rest of the city in one year."""
    of_year = units[units["year"] == year]
    inside = of_year["unit_id"].isin(list(members))
    return (
        pooled_value(of_year[inside], criterion, min_persons),
        pooled_value(of_year[~inside], criterion, min_persons),
    )


def pooled_value(
    units: pd.DataFrame, criterion: CityCriterion, min_persons: int = 0
) -> float | None:
    """Σ numerator / Σ denominator × scale over units (those lacking either are left out).

    ``None`` when no unit has a positive denominator, or (disclosure control, see
    :mod:`boligmonitor.disclosure`) when the denominators count fewer than ``min_persons``.
    """
    num, den = units[f"{criterion.id}_num"], units[f"{criterion.id}_den"]
    usable = num.notna() & den.notna()
    total = float(den[usable].sum())
    if total <= 0 or total < min_persons:
        return None
    return round(float(num[usable].sum()) / total * criterion.scale, _DIGITS)


def _computed_baseline(
    units: pd.DataFrame,
    members: set[str],
    year: int,
    criteria: list[CityCriterion],
    min_persons: int,
) -> dict[str, float]:
    baseline = {}
    for criterion in criteria:
        designated, rest = group_levels(units, year, members, criterion, min_persons)
        if designated is not None and rest is not None:
            baseline[criterion.id] = efterslaeb(designated, rest, criterion.worse_is)
    return baseline


def compute_gap(
    units: pd.DataFrame,
    rounds: Mapping[int, Collection[str]],
    *,
    baseline_year: int,
    baseline_gaps: Mapping[str, float] | None = None,
    tracking: Tracking = "fixed",
    fixed_round: int | None = None,
    years: Sequence[int] | None = None,
    reference: str = "kk-2021",
    min_persons: int = DEFAULT_MIN_PERSONS,
) -> GapReport:
    """The gap from unit-level numerators and denominators, designated areas against the rest.

    Parameters
    ----------
    units
        Unit statistics: ``unit_id``, ``year`` and ``<criterion>_num`` / ``<criterion>_den`` for
        each criterion (the unit-statistics format, see :mod:`boligmonitor.screening.units`).
    rounds
        Designated units by round year, e.g. ``{2017: {...}, 2021: {...}}``.
    baseline_year
        The year of the baseline gap (2017 for Copenhagen's policy).
    baseline_gaps
        Published baseline gaps by criterion; default: computed from ``units`` in
        ``baseline_year`` with the areas that ``tracking`` designates in that year.
    tracking
        ``"fixed"`` follows the areas of ``fixed_round`` over time; ``"updated"`` uses the
        areas of the latest round in each year.
    fixed_round
        The round followed when ``tracking="fixed"`` (default the first round).
    years
        Years to report; default every year in ``units`` from the baseline on.
    reference
        Reference dataset giving the criteria (labels, orientation, scale) and the vision rule.
    min_persons
        Disclosure control: a group (designated or rest) whose denominator counts fewer persons
        gives no value, so that criterion and year are left out of the report.

    Returns
    -------
    GapReport
    """
    ref = load_reference(reference)
    available = sorted(int(y) for y in units["year"].unique())
    chosen = list(years) if years is not None else [y for y in available if y >= baseline_year]
    if baseline_gaps is None and baseline_year not in available:
        raise InputError.single("unit statistics", f"no data for baseline year {baseline_year}")
    if baseline_gaps is not None:
        baseline = dict(baseline_gaps)
    else:
        members = designated_in(rounds, baseline_year, tracking, fixed_round)
        baseline = _computed_baseline(units, members, baseline_year, ref.criteria, min_persons)
    records = []
    for year in chosen:
        members = designated_in(rounds, year, tracking, fixed_round)
        for criterion in (c for c in ref.criteria if c.id in baseline):
            levels = group_levels(units, year, members, criterion, min_persons)
            fraction = ref.vision.milestone_fraction
            gap = _record(criterion, baseline_year, baseline[criterion.id], year, levels, fraction)
            records.extend([gap] if gap is not None else [])
    parameters = {
        "baseline_year": baseline_year,
        "baseline": "published" if baseline_gaps is not None else "computed",
        "tracking": tracking,
        "fixed_round": fixed_round,
        "rounds": sorted(rounds),
        "years": chosen,
        "min_persons": min_persons,
    }
    return _report("unit statistics", records, ref.vision, parameters)
