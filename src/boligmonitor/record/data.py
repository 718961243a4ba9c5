"""Reading and validating the packaged record of the official lists (``data/record/``).

Every row keeps its ``evidence`` level and ``source_url``; derived memberships (``derived_…``,
``by_definition``) are marked so they are never presented as published. Empty cells mean "not
published in any source read", never zero.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd

from boligmonitor.errors import InputError, Problem

__all__ = [
    "DESIGNATIONS",
    "VALUE_COLUMNS",
    "KnownValue",
    "is_published",
    "left_lists",
    "national_crime_average",
    "official_lists",
    "record_path",
    "stated_counts",
    "thresholds",
]

#: The designation ids the record uses (the product's).
DESIGNATIONS = (
    "ghettoomraade",
    "udsat_boligomraade",
    "haardt_ghettoomraade",
    "parallelsamfund",
    "omdannelsesomraade",
    "forebyggelsesomraade",
    "kombineret_udlejning",
)
VALUE_COLUMNS = (
    "residents",
    "labour_pct",
    "crime_pct",
    "education_pct",
    "income_pct_of_region",
    "nonwestern_pct",
)
_LIST_COLUMNS = (
    "list_year",
    "list_date",
    "area",
    "municipality",
    "designation",
    *VALUE_COLUMNS,
    "evidence",
    "source_url",
    "note",
)


def record_path(name: str) -> Path:
    """The path of a packaged record file."""
    return Path(str(resources.files("boligmonitor.data") / "record" / name))


def is_published(evidence: str) -> bool:
    """Whether an evidence level says the membership was published (not derived)."""
    return not (evidence.startswith("derived") or evidence in ("by_definition",)) and (
        "expectation" not in evidence and "prior_notes" not in evidence
    )


def _normal_date(text: str) -> str:
    """``2010-10`` and ``2011`` become full dates (the first of the month or 1 October)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return f"{text}-01"
    if re.fullmatch(r"\d{4}", text):
        # The 2011 list date is not stated; the lists under the 2010 rules came in October.
        return f"{text}-10-01"
    raise ValueError(f"'{text}' is not a list date")


def _read_lists(name: str, designations: tuple[str, ...]) -> pd.DataFrame:
    path = record_path(name)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    problems: list[Problem] = []
    missing = [c for c in _LIST_COLUMNS if c not in raw.columns]
    if missing:
        raise InputError.single(path, "missing columns: {value}", value=", ".join(missing))
    for index, row in raw.iterrows():
        line = int(str(index)) + 2
        if row["designation"] not in designations:
            problems.append(Problem(str(path), "unknown designation", line, "designation"))
        for column in ("evidence", "source_url", "area", "municipality"):
            if not row[column].strip():
                problems.append(Problem(str(path), "value is required", line, column))
        try:
            _normal_date(row["list_date"])
        except ValueError:
            problems.append(
                Problem(
                    str(path),
                    "'{value}' is not a list date",
                    line,
                    "list_date",
                    {"value": row["list_date"]},
                )
            )
    if problems:
        raise InputError(problems)
    frame = raw.copy()
    frame["list_year"] = frame["list_year"].astype(int)
    frame["list_date"] = frame["list_date"].map(_normal_date)
    for column in VALUE_COLUMNS:
        frame[column] = pd.to_numeric(frame[column].replace("", None)).astype("Float64")
    frame["residents"] = frame["residents"].round().astype("Int64")
    frame["published"] = frame["evidence"].map(is_published)
    frame["source_line"] = range(2, len(frame) + 2)
    return frame


@cache
def _lists_cached() -> pd.DataFrame:
    return _read_lists("official-lists.csv", DESIGNATIONS)


def official_lists() -> pd.DataFrame:
    """The official lists 2010-2024: one row per list date, area and designation.

    Raises
    ------
    InputError
        When the packaged file is damaged (naming row and column).
    """
    return _lists_cached().copy()


@cache
def _left_cached() -> pd.DataFrame:
    return _read_lists("official-lists-left.csv", ("left_list",))


def left_lists() -> pd.DataFrame:
    """Areas a source says left a list in a given year, with that year's values if known."""
    return _left_cached().copy()


@cache
def _thresholds_cached() -> pd.DataFrame:
    frame = pd.read_csv(record_path("official-thresholds.csv"), dtype=str, keep_default_na=False)
    frame["list_year"] = frame["list_year"].astype(int)
    return frame


def thresholds() -> pd.DataFrame:
    """Per list date: the crime threshold, the national average and the stated counts."""
    return _thresholds_cached().copy()


def stated_counts() -> dict[tuple[str, str], int]:
    """``(list_date, designation) -> number of areas`` as the sources state it."""
    counts: dict[tuple[str, str], int] = {}
    for _, row in _thresholds_cached().iterrows():
        for part in row["count_by_designation"].split(";"):
            if "=" in part:
                designation, number = part.strip().split("=")
                counts[(str(row["list_date"]), designation.strip())] = int(number)
    return counts


@dataclass(frozen=True)
class KnownValue:
    """A published or derived number with how it is known and its source."""

    value: float
    how: str
    source: str


def _leading_number(text: str) -> float | None:
    match = re.match(r"\s*(\d+(?:\.\d+)?)", text)
    return float(match.group(1)) if match else None


def national_crime_average(year: int) -> KnownValue | None:
    """The national average share of convicted residents behind the list of ``year``.

    Only lists with a relative crime threshold (from 2018) have one; ``None`` where the record
    has none (2021, 2024).
    """
    rows = _thresholds_cached()
    for _, row in rows[rows["list_year"] == year].iterrows():
        value = _leading_number(row["crime_national_avg_pct"])
        if value is not None:
            how = "derived" if "derived" in row["crime_national_avg_pct"] else "published"
            return KnownValue(value, f"{how}: {row['crime_national_avg_pct']}", row["source_url"])
    return None
