"""Re-designation rounds: what changed between two rounds, and the old and new areas compared.

Copenhagen re-designates its udsatte byområder every four years (2017, 2021, 2025). The seed's
Tabel 22 (``003_534e4863dd0b7c41.txt``) compares the 2017-2021 areas with the 2021-2025 areas on
the five criteria, both measured on the same (2021) data; Figur 3 names areas added and dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from boligmonitor.disclosure import DEFAULT_MIN_PERSONS
from boligmonitor.errors import InputError
from boligmonitor.monitor.groups import pooled_value
from boligmonitor.monitor.reference import load_reference

__all__ = ["RoundComparison", "compare_rounds", "round_in_force"]


@dataclass(frozen=True)
class RoundComparison:
    """Two designation rounds side by side.

    Attributes
    ----------
    units_added, units_dropped, units_kept
        Unit ids designated only in the new round, only in the old one, in both.
    areas
        ``area_id, round_year, change, overlaps``: ``kept`` (same units as an area of the
        other round), ``changed`` (shares units), ``added`` (new round, no old units),
        ``dropped`` (old round, no unit still designated).
    criteria
        Tabel 22: rows ``old_areas``, ``new_areas``, ``difference`` (new − old), and the units
        ``added`` and ``dropped`` on their own; one column per criterion; all in ``year``; a
        group whose denominator counts fewer than 3 persons is suppressed (empty).
    reference
        The reference dataset whose criteria (ids, labels) the columns are.
    """

    old_round: int
    new_round: int
    year: int
    units_added: list[str]
    units_dropped: list[str]
    units_kept: list[str]
    areas: pd.DataFrame
    criteria: pd.DataFrame
    reference: str = "kk-2021"

    def as_json(self) -> dict[str, Any]:
        """The comparison as JSON-ready data."""
        criteria = self.criteria.astype(object).where(self.criteria.notna(), None)
        return {
            "old_round": self.old_round,
            "new_round": self.new_round,
            "year": self.year,
            "units_added": self.units_added,
            "units_dropped": self.units_dropped,
            "units_kept": self.units_kept,
            "areas": self.areas.to_dict(orient="records"),
            "criteria": criteria.reset_index(names="group").to_dict(orient="records"),
        }


def round_in_force(round_years: list[int], year: int) -> int:
    """The latest round at or before a year (areas apply until the next round).

    Examples
    --------
    >>> round_in_force([2017, 2021, 2025], 2023)
    2021
    """
    earlier = [r for r in round_years if r <= year]
    if not earlier:
        raise InputError.single("rounds", "no designation round at or before {year}", year=year)
    return max(earlier)


def _units_by_area(membership: pd.DataFrame) -> dict[str, set[str]]:
    return {str(a): set(g["unit_id"]) for a, g in membership.groupby("area_id", sort=True)}


def _area_changes(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    old_areas, new_areas = _units_by_area(old), _units_by_area(new)
    rows = []
    for mine, theirs, round_year, alone in (
        (old_areas, new_areas, int(old["round_year"].iloc[0]), "dropped"),
        (new_areas, old_areas, int(new["round_year"].iloc[0]), "added"),
    ):
        for area_id, units in mine.items():
            overlaps = sorted(a for a, other in theirs.items() if units & other)
            same = any(units == theirs[a] for a in overlaps)
            change = "kept" if same else ("changed" if overlaps else alone)
            rows.append(
                {
                    "area_id": area_id,
                    "round_year": round_year,
                    "change": change,
                    "overlaps": ";".join(overlaps),
                }
            )
    return pd.DataFrame(rows, columns=["area_id", "round_year", "change", "overlaps"])


def _data_year(stats: pd.DataFrame, new_round: int, year: int | None) -> int:
    """The chosen data year, or the latest in ``stats`` at or before the new round."""
    if year is not None:
        return year
    years = sorted(int(y) for y in stats["year"].unique() if int(y) <= new_round)
    return years[-1] if years else new_round


def _criteria_table(
    of_year: pd.DataFrame, groups: dict[str, set[str]], reference: str
) -> pd.DataFrame:
    """Tabel 22: each group's pooled criteria, with the difference new − old after the rounds."""
    criteria = load_reference(reference).criteria
    table = pd.DataFrame(
        {
            c.id: [
                pooled_value(of_year[of_year["unit_id"].isin(u)], c, DEFAULT_MIN_PERSONS)
                for u in groups.values()
            ]
            for c in criteria
        },
        index=list(groups),
        dtype="Float64",
    )
    difference = pd.DataFrame(
        [table.loc["new_areas"] - table.loc["old_areas"]], index=["difference"]
    )
    return pd.concat([table.iloc[:2], difference, table.iloc[2:]])


def compare_rounds(
    old: pd.DataFrame,
    new: pd.DataFrame,
    stats: pd.DataFrame,
    year: int | None = None,
    reference: str = "kk-2021",
) -> RoundComparison:
    """Compare the designated areas of two rounds (Tabel 22).

    Parameters
    ----------
    old, new
        Area membership of each round: ``area_id, round_year, unit_id`` (designated areas).
    stats
        Unit statistics with numerators and denominators.
    year
        The data year both sets of areas are measured in; default the latest year in ``stats``
        at or before the new round (Tabel 22 uses 2021 data for both).
    reference
        Reference dataset giving the criteria.

    Raises
    ------
    InputError
        When a round has no areas or ``stats`` has no data for the year.
    """
    for label, frame in (("old round", old), ("new round", new)):
        if frame.empty:
            raise InputError.single(label, "no designated areas")
    new_round, old_round = int(new["round_year"].iloc[0]), int(old["round_year"].iloc[0])
    year = _data_year(stats, new_round, year)
    of_year = stats[stats["year"] == year]
    if of_year.empty:
        raise InputError.single("unit statistics", "no data for {year}", column="year", year=year)
    old_units, new_units = set(old["unit_id"]), set(new["unit_id"])
    groups = {
        "old_areas": old_units,
        "new_areas": new_units,
        "added": new_units - old_units,
        "dropped": old_units - new_units,
    }
    return RoundComparison(
        old_round=old_round,
        new_round=new_round,
        year=year,
        units_added=sorted(groups["added"]),
        units_dropped=sorted(groups["dropped"]),
        units_kept=sorted(old_units & new_units),
        areas=_area_changes(old, new),
        criteria=_criteria_table(of_year, groups, reference),
        reference=reference,
    )
