"""What the money is aimed at: the designations of a plan's areas over the years.

For each department of a plan, its statutory boligområde (``boligomraade``) is looked up in the
stored statutory designations (Almenboligloven § 61 a/§ 61 b and § 51 b), and its municipal area
(``byomraade``) in the municipal screening, when a workspace holds one (table
``screening_areas``: a row per area and round whose ``area_id``, ``unit_id``, ``area_name`` or
``name`` equals ``byomraade``, best a screening unit id, which stays the same across rounds;
the year is ``round_year`` or ``year``; status ``designated`` (or no status) means
``udsat_byomraade``, ``below_minimum`` that it would be one with enough residents). Either source
may be absent: the result then says so. Per area the trend tells whether it is moving off the
lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from boligmonitor.finance.model import Plan, PlanCatalogue
from boligmonitor.i18n import N_

__all__ = [
    "MUNICIPAL_DESIGNATION",
    "MUNICIPAL_LABEL",
    "NOTE_TEXTS",
    "SOURCE_LABELS",
    "AreaYear",
    "PlanDesignations",
    "plan_designations",
]

#: What a note code in :attr:`PlanDesignations.notes` means (msgids of the catalogue).
NOTE_TEXTS: dict[str, str] = {
    "no_statutory": N_("no statutory designations stored in the workspace"),
    "no_screening": N_("no municipal screening (table screening_areas) in the workspace"),
    "screening_unlinked": N_("table screening_areas has no area id or year column; not linked"),
}

Source = Literal["statutory", "municipal"]
#: Who designated, in words (msgids of the catalogue).
SOURCE_LABELS: dict[str, str] = {"statutory": N_("statutory"), "municipal": N_("municipal")}
_ID_COLUMNS = ("area_id", "unit_id", "area_name", "name")
_YEAR_COLUMNS = ("round_year", "year")
#: The designation of an area found by the municipal screening (status ``designated``; an area
#: with status ``below_minimum`` would be one with enough residents).
MUNICIPAL_DESIGNATION = "udsat_byomraade"
#: Its label, a msgid (the statutory designations' labels are in their rule sets).
MUNICIPAL_LABEL = N_("Vulnerable city area")


@dataclass(frozen=True)
class AreaYear:
    """The designations of one department's area in one year under one rule set or screening."""

    department: str
    area_id: str
    source: Source
    year: int
    rule_set: str | None
    designations: tuple[str, ...]
    if_population_met: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    """Designations that could not be decided (missing statistics)."""

    def as_record(self) -> dict[str, object]:
        """JSON shape."""
        return {
            "department": self.department,
            "area_id": self.area_id,
            "source": self.source,
            "year": self.year,
            "rule_set": self.rule_set,
            "designations": list(self.designations),
            "designations_if_population_met": list(self.if_population_met),
            "designations_unknown": list(self.unknown),
        }


@dataclass(frozen=True)
class PlanDesignations:
    """A plan's departments with their areas' designations by year, and notes on gaps."""

    plan: Plan
    rows: list[AreaYear]
    notes: list[str]
    """Note codes (see :data:`NOTE_TEXTS`)."""

    def trend(self) -> list[dict[str, object]]:
        """Per department and source: years on a list, the latest year and whether it is off."""
        groups: dict[tuple[str, str, Source], list[AreaYear]] = {}
        for row in self.rows:
            groups.setdefault((row.department, row.area_id, row.source), []).append(row)
        result = []
        for (department, area_id, source), rows in groups.items():
            listed = sorted({r.year for r in rows if r.designations})
            latest = max(r.year for r in rows)
            latest_designations = sorted(
                {d for r in rows if r.year == latest for d in r.designations}
            )
            result.append(
                {
                    "department": department,
                    "area_id": area_id,
                    "source": source,
                    "years_listed": listed,
                    "latest_year": latest,
                    "latest_designations": latest_designations,
                    "moved_off": bool(listed) and not latest_designations,
                }
            )
        return result

    def as_record(self) -> dict[str, object]:
        """JSON shape: rows, trend and notes."""
        return {
            "plan": self.plan.id,
            "rows": [r.as_record() for r in self.rows],
            "trend": self.trend(),
            "notes": self.notes,
        }

    def frame(self) -> pd.DataFrame:
        """One row per department, area, source, year and rule set."""
        columns = [
            "department",
            "area_id",
            "source",
            "year",
            "rule_set",
            "designations",
            "designations_unknown",
        ]
        records = [
            {
                **r.as_record(),
                "designations": ";".join(r.designations),
                "designations_unknown": ";".join(r.unknown),
            }
            for r in self.rows
        ]
        return pd.DataFrame(records, columns=columns)


def plan_designations(
    catalogue: PlanCatalogue,
    plan: Plan,
    statutory: Iterable[Mapping[str, Any]],
    screening: pd.DataFrame | None,
) -> PlanDesignations:
    """Link a plan's departments to the designations of their areas.

    Parameters
    ----------
    catalogue
        Where the plan's departments are described.
    plan
        The plan.
    statutory
        Stored statutory designation records (``area_id``, ``year``, ``rule_set``,
        ``designations``), e.g. ``Workspace.stored_designations()``.
    screening
        The municipal screening table (``screening_areas``), or ``None`` when absent.
    """
    by_area: dict[str, list[Mapping[str, Any]]] = {}
    for record in statutory:
        by_area.setdefault(str(record["area_id"]), []).append(record)
    rows: list[AreaYear] = []
    notes: list[str] = []
    if not by_area:
        notes.append("no_statutory")
    if screening is None:
        notes.append("no_screening")
    elif not set(_YEAR_COLUMNS) & set(screening.columns) or not set(_ID_COLUMNS) & set(
        screening.columns
    ):
        notes.append("screening_unlinked")
    for member in plan.departments:
        department = catalogue.department(member.department)
        if department is None:
            continue
        if department.boligomraade is not None:
            rows.extend(_statutory_rows(department.id, department.boligomraade, by_area))
        if department.byomraade is not None and screening is not None:
            rows.extend(_municipal_rows(department.id, department.byomraade, screening))
    rows.sort(key=lambda r: (r.department, r.source, r.year, r.rule_set or ""))
    return PlanDesignations(plan, rows, notes)


def _statutory_rows(
    department: str, area_id: str, by_area: Mapping[str, list[Mapping[str, Any]]]
) -> list[AreaYear]:
    return [
        AreaYear(
            department,
            area_id,
            "statutory",
            int(record["year"]),
            str(record["rule_set"]),
            tuple(record.get("designations") or ()),
            tuple(record.get("designations_if_population_met") or ()),
            tuple(record.get("designations_unknown") or ()),
        )
        for record in by_area.get(area_id, [])
    ]


def _municipal_rows(department: str, area: str, screening: pd.DataFrame) -> list[AreaYear]:
    """One row per screening round once the area is found in any round.

    A round whose membership does not hold the area is a round it was not designated in
    (the table lists every area found, designated or below the resident minimum).
    """
    year_column = next((c for c in _YEAR_COLUMNS if c in screening.columns), None)
    id_columns = [c for c in _ID_COLUMNS if c in screening.columns]
    if year_column is None or not id_columns:
        return []
    match = pd.Series(False, index=screening.index)
    for column in id_columns:
        match |= screening[column].astype("string").eq(area).fillna(False).astype(bool)
    if not match.any():
        return []
    listed: dict[int, set[str]] = {}
    below: dict[int, set[str]] = {}
    for record in screening[match].to_dict("records"):
        status = record.get("status")
        designated = status is None or pd.isna(status) or status == "designated"
        target = listed if designated else below
        target.setdefault(int(record[year_column]), set()).add(MUNICIPAL_DESIGNATION)
    rounds = sorted({int(y) for y in screening[year_column].dropna()})
    return [
        AreaYear(
            department,
            area,
            "municipal",
            year,
            None,
            tuple(sorted(listed.get(year, ()))),
            tuple(sorted(below.get(year, ()))),
        )
        for year in rounds
    ]
