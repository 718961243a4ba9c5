"""Reconciliation: designations computed from the user's data against a published list.

Per area and designation the verdict is ``agree``, ``only_computed`` or ``only_published``;
each disagreement names its cause — the criteria that decide it, an unknown value, the
population condition, or the history year of a consecutive-year designation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from boligmonitor.record.data import national_crime_average, stated_counts
from boligmonitor.record.history import record_with_ids
from boligmonitor.record.identity import AreaCatalogue
from boligmonitor.rules.evaluate import AreaDesignation
from boligmonitor.rules.model import Condition, RuleSet

__all__ = [
    "Disagreement",
    "published_members",
    "reconcile",
    "record_statistics",
]

_VALUES = ("residents", "labour_pct", "crime_pct", "education_pct", "income_pct_of_region")


def record_statistics(
    catalogue: AreaCatalogue, year: int, list_date: str | None = None, left: bool = True
) -> pd.DataFrame:
    """Area statistics built from the record's published values for one list.

    Members without a published resident count get ``residents_min = 1000`` (they were on a
    list that requires at least 1 000 residents); areas that left the list come with their
    values where the source gave them. Rows without any value are left out.
    """
    frames = [record_with_ids(catalogue).assign(member=True)]
    if left:
        frames.append(record_with_ids(catalogue, left=True).assign(member=False))
    rows = pd.concat(frames, ignore_index=True)
    rows = rows[rows["list_year"] == year]
    if list_date is not None:
        rows = rows[rows["list_date"] == list_date]
    else:
        rows = rows[rows["list_date"] == rows["list_date"].max()]
    value_columns = [*_VALUES, "nonwestern_pct"]
    rows = rows[rows[value_columns].notna().any(axis=1)]
    rows = rows.sort_values("member", ascending=False).drop_duplicates("area_id")
    national = national_crime_average(year)
    frame = pd.DataFrame(
        {
            "area_id": rows["area_id"].astype(str),
            "area_name": rows["area"].astype(str),
            "municipality": rows["municipality"].astype(str),
            "year": year,
            "list_date": rows["list_date"],
            **{c: rows[c] for c in value_columns},
            "residents_min": [
                1000 if m and pd.isna(r) else None
                for m, r in zip(rows["member"], rows["residents"], strict=True)
            ],
            "crime_national_pct": national.value if national else None,
            "outside_labour_pct": None,
        }
    )
    return frame.reset_index(drop=True)


def published_members(
    catalogue: AreaCatalogue, year: int, list_date: str | None = None
) -> tuple[dict[str, set[str]], dict[str, bool]]:
    """The record's members of each list of ``year`` (its last list unless ``list_date``).

    Returns
    -------
    tuple
        ``area_id -> designations`` and ``designation -> whether the list is complete``.
    """
    rows = record_with_ids(catalogue)
    rows = rows[rows["list_year"] == year]
    date = list_date or (rows["list_date"].max() if not rows.empty else None)
    rows = rows[rows["list_date"] == date]
    members: dict[str, set[str]] = {}
    for area_id, designation in zip(rows["area_id"], rows["designation"], strict=True):
        members.setdefault(str(area_id), set()).add(str(designation))
    counts = stated_counts()
    complete = {
        str(d): counts.get((str(date), str(d))) == len(g) for d, g in rows.groupby("designation")
    }
    return members, complete


@dataclass(frozen=True)
class Disagreement:
    """One area and designation: the verdict and, for a disagreement, its causes."""

    area_id: str
    area_name: str
    designation: str
    verdict: str
    causes: tuple[str, ...]

    def as_record(self) -> dict[str, object]:
        """The JSON shape."""
        return {
            "area_id": self.area_id,
            "area_name": self.area_name,
            "designation": self.designation,
            "verdict": self.verdict,
            "causes": list(self.causes),
        }


def _criteria_of(rule_set: RuleSet, designation_id: str) -> list[str]:
    """The criteria a designation rests on, through the designations it requires."""
    for designation in rule_set.designations:
        if designation.id == designation_id:
            used = _used(designation)
            for required in designation.designations:
                used |= set(_criteria_of(rule_set, required))
            return sorted(used)
    return []


def _used(condition: Condition) -> set[str]:
    return condition.criteria_used()


def _causes(
    result: AreaDesignation | None, rule_set: RuleSet | None, designation: str
) -> tuple[str, ...]:
    if result is None or rule_set is None:
        return ("no statistics for the area",)
    causes: list[str] = []
    for criterion_id in _criteria_of(rule_set, designation):
        criterion = result.criteria[criterion_id]
        if criterion.met is None:
            causes.append(f"criterion {criterion_id}: unknown value")
        else:
            state = "met" if criterion.met else "not met"
            causes.append(
                f"criterion {criterion_id}: {state} "
                f"({criterion.value:g} vs {criterion.threshold:g}, margin {criterion.margin:+g})"
            )
    for status in result.history.get(designation, []):
        if status.held is not True:
            held = "unknown" if status.held is None else "not held"
            causes.append(f"history {status.year}: {held} ({status.origin or 'no data'})")
    if result.below_population_minimum:
        causes.append(f"population: {result.residents} residents, below the minimum")
    elif result.below_population_minimum is None:
        causes.append("population: residents unknown")
    return tuple(causes)


def reconcile(
    computed: Sequence[AreaDesignation],
    published: Mapping[str, set[str]],
    designations: Sequence[str],
    rule_sets: Mapping[str, RuleSet],
    names: Mapping[str, str] | None = None,
) -> list[Disagreement]:
    """Compare computed designations with a published list.

    Parameters
    ----------
    computed
        Results for one list year (one rule set per family).
    published
        ``area_id -> designations`` on the published list.
    designations
        The designations to compare (those the published list covers).
    rule_sets
        The rule sets of ``computed`` by id (for the criteria behind each designation).
    names
        Display names of published areas without computed results.
    """
    rows: list[Disagreement] = []
    areas = list(dict.fromkeys([*(r.area_id for r in computed), *published]))
    for area_id in areas:
        results = [r for r in computed if r.area_id == area_id]
        for designation in designations:
            result = next(
                (
                    r
                    for r in results
                    if designation in {d.id for d in rule_sets[r.rule_set].designations}
                ),
                None,
            )
            is_computed = result is not None and designation in result.designations
            is_published = designation in published.get(area_id, set())
            if not is_computed and not is_published:
                continue
            verdict = (
                "agree"
                if is_computed and is_published
                else "only_computed"
                if is_computed
                else "only_published"
            )
            rule_set = rule_sets[result.rule_set] if result is not None else None
            causes = () if verdict == "agree" else _causes(result, rule_set, designation)
            name = result.area_name if result else (names or {}).get(area_id, area_id)
            rows.append(Disagreement(area_id, name, designation, verdict, causes))
    return rows
