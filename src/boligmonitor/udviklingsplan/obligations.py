"""Which areas must have an udviklingsplan: omdannelsesområder (hårde ghettoområder 2018-2020)
since 2018, including those that have left the list, and which plans concern areas that need
none.

Memberships are a frame ``area_id, year, designation`` so that the workspace's own designations
and the published record (``data/record/official-lists.csv``) can both be used.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from boligmonitor.record.data import official_lists
from boligmonitor.udviklingsplan.counting import CountingRules

__all__ = [
    "MEMBERSHIP_COLUMNS",
    "memberships_from_designations",
    "obligations",
    "published_memberships",
]

MEMBERSHIP_COLUMNS = ["area_id", "year", "designation"]
#: Statuses of an area in :func:`obligations`.
STATUSES = ("on_list", "left_list", "not_required")


def published_memberships() -> pd.DataFrame:
    """The published lists 2010-2024 as memberships; the area id is the published area name."""
    record = official_lists()
    frame = pd.DataFrame(
        {
            "area_id": record["area"].str.strip(),
            "year": record["list_year"].astype("int64"),
            "designation": record["designation"],
        }
    )
    return frame.drop_duplicates(ignore_index=True)


def memberships_from_designations(stored: pd.DataFrame) -> pd.DataFrame:
    """Memberships from a workspace's stored designations (``designations`` joined by ``;``)."""
    if stored.empty:
        return pd.DataFrame(columns=MEMBERSHIP_COLUMNS)
    split = stored.assign(designation=stored["designations"].fillna("").str.split(";"))
    exploded = split.explode("designation")
    exploded = exploded[exploded["designation"].astype(bool)]
    frame = exploded[MEMBERSHIP_COLUMNS].astype({"year": "int64"})
    return frame.drop_duplicates(ignore_index=True)


def obligations(
    memberships: pd.DataFrame, rules: CountingRules, planned: Iterable[str] = ()
) -> pd.DataFrame:
    """Areas that must have a plan, and plans for areas that need none.

    Parameters
    ----------
    memberships
        ``area_id, year, designation`` (list year).
    rules
        Which designations oblige a plan and from which list year (``obligation``).
    planned
        Areas that have a plan.

    Returns
    -------
    pandas.DataFrame
        ``area_id, first_year, last_year, designations, status, has_plan, flag``: ``status`` is
        ``on_list`` (on the latest list), ``left_list`` (left, still bound by its plan) or
        ``not_required``; ``flag`` is ``missing_plan`` or ``plan_not_required`` or empty.
    """
    obligation = rules.obligation
    binding = memberships[
        memberships["designation"].isin(obligation.designations)
        & (memberships["year"] >= obligation.from_list_year)
    ]
    # the latest list that names obliged areas (a record may lack a later year's list)
    latest = int(binding["year"].max()) if not binding.empty else 0
    grouped = binding.groupby("area_id").agg(
        first_year=("year", "min"),
        last_year=("year", "max"),
        designations=("designation", lambda d: ";".join(sorted(set(d)))),
    )
    planned_set = set(planned)
    rows = grouped.reset_index()
    rows["status"] = ["on_list" if year == latest else "left_list" for year in rows["last_year"]]
    if not obligation.remains_after_leaving:
        rows = rows[rows["status"] == "on_list"]
    extra = sorted(planned_set - set(rows["area_id"]))
    rows = pd.concat(
        [rows, pd.DataFrame({"area_id": extra, "status": "not_required"})], ignore_index=True
    )
    rows["has_plan"] = rows["area_id"].isin(planned_set)
    rows["flag"] = [
        "plan_not_required" if s == "not_required" else ("" if p else "missing_plan")
        for s, p in zip(rows["status"], rows["has_plan"], strict=True)
    ]
    rows[["first_year", "last_year"]] = rows[["first_year", "last_year"]].astype("Int64")
    return rows.sort_values("area_id", ignore_index=True)
