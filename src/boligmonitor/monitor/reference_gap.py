"""The gap from the published reference dataset: Tabel 2 recomputed from Tabel 1.

Københavns Kommune, *Politik for Udsatte Byområder*, status 2021 (seed
``003_534e4863dd0b7c41.txt``): Tabel 1 gives the designated areas' and the rest of the city's
values per year, Tabel 2 the 2017 baseline gaps, milestones and progress
(:mod:`boligmonitor.monitor.gap`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from boligmonitor.errors import InputError
from boligmonitor.monitor.gap import GapReport, gap_records, gap_report
from boligmonitor.monitor.reference import CityCriterion, ReferenceDataset, load_reference

__all__ = ["reference_gap"]


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
    records = gap_records(ref, (ref.tabel_2.baseline_year, baseline), chosen, levels)
    parameters = {"reference": ref.id, "years": chosen, "baseline": "published"}
    return gap_report(ref.id, records, ref.vision, parameters)


def _reference_levels(
    ref: ReferenceDataset, year: int, criterion: CityCriterion
) -> tuple[float | None, float | None]:
    return (
        ref.tabel_1.value("udsatte_byomraader", year, criterion.id),
        ref.tabel_1.value("resten_af_byen", year, criterion.id),
    )
