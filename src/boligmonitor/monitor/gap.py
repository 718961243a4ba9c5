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

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import asdict, dataclass
from fractions import Fraction
from functools import partial
from typing import Any, Literal

import pandas as pd

from boligmonitor.disclosure import DEFAULT_MIN_PERSONS
from boligmonitor.errors import InputError
from boligmonitor.i18n import N_
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
    "rounds_from_membership",
    "vision_met",
    "vision_test",
]

Tracking = Literal["fixed", "updated"]
_DIGITS = 10  # drop floating-point noise such as 42.0 - 36.2 = 5.8000000000000043


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
    return round(raw, _DIGITS)


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
    return round((baseline_gap - gap) / baseline_gap * 100, _DIGITS)


def _note(baseline_gap: float | None, gap: float | None) -> str | None:
    if baseline_gap is None:
        return "no_baseline"
    if baseline_gap <= 0:
        return "no_baseline_gap"
    return "no_data" if gap is None else None


def _gap_of(levels: tuple[float | None, float | None], worse_is: WorseIs) -> float | None:
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
    gap = _gap_of(levels, criterion.worse_is)
    positive = baseline_gap if baseline_gap is not None and baseline_gap > 0 else None
    milestone = None if positive is None else round(positive * fraction, _DIGITS)
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


def _records(
    ref: ReferenceDataset,
    baseline: tuple[int, Mapping[str, float | None]],
    years: Sequence[int],
    levels: Callable[[int, CityCriterion], tuple[float | None, float | None]],
) -> list[GapRecord]:
    """One record per year and criterion of ``ref``, from the groups' ``levels``."""
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


def _report(
    source: str,
    records: list[GapRecord],
    vision: VisionRule,
    parameters: dict[str, Any],
) -> GapReport:
    if all(r.gap is None for r in records):
        raise InputError.single(source, "no year has values for both the areas and the rest")
    years = sorted({r.year for r in records})
    by_year = [_summary(y, [r for r in records if r.year == y], vision) for y in years]
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
        raise InputError.single(
            name, "Tabel 1 has no year {unknown}", column="years", unknown=unknown
        )
    baseline = dict.fromkeys((c.id for c in ref.criteria), None) | ref.tabel_2.baseline_gaps()
    levels = partial(_reference_levels, ref)
    records = _records(ref, (ref.tabel_2.baseline_year, baseline), chosen, levels)
    parameters = {"reference": ref.id, "years": chosen, "baseline": "published"}
    return _report(ref.id, records, ref.vision, parameters)


def _reference_levels(
    ref: ReferenceDataset, year: int, criterion: CityCriterion
) -> tuple[float | None, float | None]:
    return (
        ref.tabel_1.value("udsatte_byomraader", year, criterion.id),
        ref.tabel_1.value("resten_af_byen", year, criterion.id),
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
            raise InputError.single(
                "designation rounds", "no round {chosen}", column="round_year", chosen=chosen
            )
        return set(rounds[chosen])
    earlier = [r for r in rounds if r <= year]
    if not earlier:
        raise InputError.single(
            "designation rounds",
            "no designation round at or before {year}",
            column="round_year",
            year=year,
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


def _published_baseline(
    gaps: Mapping[str, float], criteria: list[CityCriterion]
) -> dict[str, float | None]:
    ids = [c.id for c in criteria]
    unknown = sorted(set(gaps) - set(ids))
    if unknown:
        raise InputError.single(
            "baseline gaps",
            "unknown criteria {unknown}; known: {value}",
            unknown=unknown,
            value=", ".join(ids),
        )
    return {c: (float(gaps[c]) if c in gaps else None) for c in ids}


def _chosen_years(
    units: pd.DataFrame, baseline_year: int, years: Sequence[int] | None
) -> list[int]:
    if years is not None:
        return list(years)
    return sorted(int(y) for y in units["year"].unique() if int(y) >= baseline_year)


def _baseline_of(
    units: pd.DataFrame,
    baseline_year: int,
    published: Mapping[str, float] | None,
    ref: ReferenceDataset,
    levels: Callable[[int, CityCriterion], tuple[float | None, float | None]],
) -> dict[str, float | None]:
    """The published baseline gaps, or those computed in the baseline year."""
    if published is not None:
        return _published_baseline(published, ref.criteria)
    if baseline_year not in {int(y) for y in units["year"].unique()}:
        raise InputError.single(
            "unit statistics",
            "no data for baseline year {baseline_year}",
            baseline_year=baseline_year,
        )
    return {c.id: _gap_of(levels(baseline_year, c), c.worse_is) for c in ref.criteria}


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
        Unit statistics: ``unit_id``, ``year``, ``<criterion>_num`` and ``<criterion>_den``.
    rounds
        Designated units by round year, e.g. ``{2017: {...}, 2021: {...}}``.
    baseline_year
        The year of the baseline gap (2017 for Copenhagen's policy).
    baseline_gaps
        Published baseline gaps by criterion (one left out has none); default: computed.
    tracking, fixed_round
        ``"fixed"`` follows the areas of ``fixed_round`` (default the first round) over time;
        ``"updated"`` uses the areas of the latest round at or before each year.
    years
        Years to report; default every year in ``units`` from the baseline on.
    reference
        Reference dataset giving the criteria and the vision rule.
    min_persons
        Disclosure control: a group counting fewer persons gives no value (``no_data``).

    Returns
    -------
    GapReport
        One record per criterion of ``reference`` and year (see :func:`vision_test`).
    """
    ref = load_reference(reference)
    areas = partial(designated_in, rounds, tracking=tracking, fixed_round=fixed_round)
    levels = partial(_unit_levels, units, areas, min_persons)
    baseline = _baseline_of(units, baseline_year, baseline_gaps, ref, levels)
    chosen = _chosen_years(units, baseline_year, years)
    records = _records(ref, (baseline_year, baseline), chosen, levels)
    parameters = {
        "baseline_year": baseline_year,
        "baseline": "computed" if baseline_gaps is None else "published",
        "tracking": tracking,
        "fixed_round": fixed_round,
        "rounds": sorted(rounds),
        "years": chosen,
        "min_persons": min_persons,
    }
    return _report(N_("unit statistics"), records, ref.vision, parameters)


def _unit_levels(
    units: pd.DataFrame,
    areas: Callable[[int], Collection[str]],
    min_persons: int,
    year: int,
    criterion: CityCriterion,
) -> tuple[float | None, float | None]:
    """The pooled value of the units designated in ``year`` and of the rest of the city."""
    return group_levels(units, year, areas(year), criterion, min_persons)


def rounds_from_membership(membership: pd.DataFrame) -> dict[int, set[str]]:
    """Designated units by round year from a ``screening_areas`` table."""
    designated = membership[membership["status"] == "designated"]
    return {
        int(str(year)): {str(u) for u in group["unit_id"]}
        for year, group in designated.groupby("round_year")
    }
