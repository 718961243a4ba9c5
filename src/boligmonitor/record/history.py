"""List history: every list an area was on, year by year, and history files as input.

The published record gives memberships with their evidence; a user's history file (CSV or
Excel: ``area_id``, ``year`` or ``list_date``, ``designation``, optional ``held``; Danish
headings accepted) adds or replaces them. Both become a
:class:`~boligmonitor.rules.history.ListHistory` for the consecutive-year designations of
Almenboligloven § 61 a, stk. 4-5.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from boligmonitor.errors import InputError, Problem
from boligmonitor.io.tables import RawTable, read_raw_table
from boligmonitor.record.data import DESIGNATIONS, left_lists, official_lists, stated_counts
from boligmonitor.record.identity import AreaCatalogue
from boligmonitor.rules.history import ListHistory, Membership
from boligmonitor.schema.columns import Column, Kind, validate_table

__all__ = [
    "HISTORY_COLUMNS",
    "area_history",
    "history_from_frame",
    "official_history",
    "read_history_file",
    "record_rows",
    "record_with_ids",
]

_DANISH_DESIGNATIONS = {
    "ghettoområde": "ghettoomraade",
    "udsat boligområde": "udsat_boligomraade",
    "hårdt ghettoområde": "haardt_ghettoomraade",
    "parallelsamfund": "parallelsamfund",
    "omdannelsesområde": "omdannelsesomraade",
    "forebyggelsesområde": "forebyggelsesomraade",
    "kombineret udlejning": "kombineret_udlejning",
}

HISTORY_COLUMNS: tuple[Column, ...] = (
    Column(
        "area_id",
        Kind.TEXT,
        nullable=False,
        aliases=("områdeid", "område id", "område", "boligområde", "områdenavn"),
        description="The area's id or any of its published names.",
    ),
    Column(
        "year",
        Kind.INTEGER,
        required=False,
        minimum=1990,
        maximum=2100,
        aliases=("år", "listeår", "liste år"),
        description="List year (give this or list_date).",
    ),
    Column(
        "list_date",
        Kind.TEXT,
        required=False,
        aliases=("listedato", "dato"),
        description="List date, YYYY-MM-DD (give this or year).",
    ),
    Column(
        "designation",
        Kind.TEXT,
        nullable=False,
        aliases=("udpegning", "liste", "betegnelse"),
        description="Designation id or Danish name, e.g. parallelsamfund, ghettoområde.",
    ),
    Column(
        "held",
        Kind.BOOLEAN,
        required=False,
        aliases=("på listen", "paa listen", "optaget"),
        description="Whether the area was on the list (default yes).",
    ),
)


def record_with_ids(catalogue: AreaCatalogue, left: bool = False) -> pd.DataFrame:
    """The record's lists (or exits) with each row's stable ``area_id``."""
    frame = left_lists() if left else official_lists()
    pairs = zip(frame["area"], frame["municipality"], strict=True)
    frame["area_id"] = [catalogue.find(str(n), str(m)) or "" for n, m in pairs]
    return frame


def _first_source(text: str) -> str:
    return text.split("|")[0].strip()


def official_history(catalogue: AreaCatalogue) -> ListHistory:
    """The record as list history: the last list of each year, complete lists marked.

    A list counts as complete when the record holds as many members as the sources state;
    an area missing from a complete list was not on it.
    """
    frame = record_with_ids(catalogue)
    last_dates = frame.groupby("list_year")["list_date"].max()
    frame = frame[frame["list_date"] == frame["list_year"].map(last_dates)]
    memberships = [
        Membership(
            str(r.area_id),
            int(str(r.list_year)),
            str(r.designation),
            True,
            "published" if r.published else "derived",
            _first_source(str(r.source_url)),
        )
        for r in frame.itertuples(index=False)
    ]
    complete: dict[tuple[int, str], str] = {}
    counts = stated_counts()
    for (date, designation), group in frame.groupby(["list_date", "designation"]):
        if counts.get((str(date), str(designation))) == len(group):
            year = int(group["list_year"].iloc[0])
            complete[(year, str(designation))] = _first_source(str(group["source_url"].iloc[0]))
    return ListHistory(memberships, complete)


def _designation_id(text: str) -> str | None:
    lowered = text.strip().lower()
    if lowered in DESIGNATIONS:
        return lowered
    return _DANISH_DESIGNATIONS.get(lowered)


def _year_of(row: pd.Series, file: str, problems: list[Problem]) -> int | None:
    line = int(row["source_row"])
    year = None if pd.isna(row["year"]) else int(row["year"])
    if pd.isna(row["list_date"]):
        if year is None:
            problems.append(Problem(file, "give year or list_date", line, "year"))
        return year
    try:
        date = dt.date.fromisoformat(str(row["list_date"]))
    except ValueError:
        problems.append(
            Problem(
                file,
                "'{list_date}' is not a date",
                line,
                "list_date",
                params={"list_date": row["list_date"]},
            )
        )
        return None
    if year is not None and year != date.year:
        problems.append(
            Problem(file, "year {year} is not the list date's", line, "year", params={"year": year})
        )
    return date.year


def history_from_frame(frame: pd.DataFrame, file: str, catalogue: AreaCatalogue) -> ListHistory:
    """Turn a validated history table into list history (names resolved to area ids).

    Raises
    ------
    InputError
        For unknown designations and rows without a year, naming file, row and column.
    """
    problems: list[Problem] = []
    memberships = []
    for _, row in frame.iterrows():
        line = int(row["source_row"])
        designation = _designation_id(str(row["designation"]))
        if designation is None:
            known = ", ".join(DESIGNATIONS)
            problems.append(
                Problem(
                    file,
                    "unknown designation (known: {known})",
                    line,
                    "designation",
                    params={"known": known},
                )
            )
        year = _year_of(row, file, problems)
        if designation is None or year is None:
            continue
        area = str(row["area_id"])
        held = True if pd.isna(row["held"]) else bool(row["held"])
        memberships.append(
            Membership(catalogue.find(area) or area, year, designation, held, "file", file)
        )
    if problems:
        raise InputError(problems)
    return ListHistory(memberships)


def read_history_file(
    path: str | Path, catalogue: AreaCatalogue
) -> tuple[ListHistory, pd.DataFrame]:
    """Read and validate a history file (CSV, Parquet or Excel).

    Returns
    -------
    tuple
        The list history and the validated table (for storing in the workspace).

    Raises
    ------
    InputError
        Listing every problem (file, row, column).
    """
    raw: RawTable = read_raw_table(path)
    frame = validate_table(raw, HISTORY_COLUMNS)
    return history_from_frame(frame, str(Path(path).name), catalogue), frame


def record_rows(catalogue: AreaCatalogue) -> pd.DataFrame:
    """The record's lists and exits in one table, each row with its ``area_id``."""
    frames = [record_with_ids(catalogue), record_with_ids(catalogue, left=True)]
    return pd.concat(frames, ignore_index=True)


def area_history(
    area_id: str, catalogue: AreaCatalogue, rows: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Every list the area was on, year by year, with the name used and the evidence.

    Exits (``left_list``) are included; for an area split off another, the parent's lists
    before the split are shown as ``via`` the parent. ``rows`` is :func:`record_rows` of the
    same catalogue when the caller keeps it (resolving every name takes a while).
    """
    if rows is None:
        rows = record_rows(catalogue)
    own = rows[rows["area_id"] == area_id].assign(via="")
    entry = catalogue.entry(area_id)
    if entry.split_from is not None:
        parent = rows[
            (rows["area_id"] == entry.split_from.area) & (rows["list_year"] < entry.split_from.year)
        ].assign(via=entry.split_from.area)
        own = pd.concat([parent, own], ignore_index=True)
    columns = [
        "list_year",
        "list_date",
        "designation",
        "area",
        "municipality",
        "via",
        *[c for c in ("residents", "labour_pct", "crime_pct", "education_pct")],
        "income_pct_of_region",
        "nonwestern_pct",
        "evidence",
        "published",
        "source_url",
    ]
    return own.sort_values(["list_date", "designation"], kind="stable")[columns].reset_index(
        drop=True
    )
