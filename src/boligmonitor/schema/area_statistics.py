"""Area statistics: one row per statutory area and list year, as published.

Values are those the rules compare, already averaged over the years each rule asks for
(Almenboligloven § 61 a: two-year averages). Percentages are 0–100. ``crime_national_pct`` is the
national average share of convicted residents; a file may instead give the published threshold
``crime_threshold_pct`` (3 × the national average, § 61 a, stk. 1, nr. 2 — the multiplier is rule
data), from which the average is derived. A file with neither column gets the published record's
national average for its list years, with a warning naming the year and source.
``outside_labour_pct`` is § 51 b's own measure (the previous calendar year); when a file lacks
it, ``labour_pct`` is used with a warning. ``residents_min`` is a lower bound for residents when
the source says only "at least 1 000"; the population condition is then decided from it.

Optional population columns (``pop_18_64`` …) give the size of each criterion's population; they
make ``flip_persons`` exact. Without them, the rule set's documented population shares are used.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from boligmonitor.errors import InputWarning, Problem
from boligmonitor.io.tables import RawTable, read_raw_table
from boligmonitor.schema.columns import Column, Kind, validate_table
from boligmonitor.schema.indicators import statutory_indicators

__all__ = [
    "AREA_STATISTICS",
    "INPUT_ONLY",
    "PERCENT_COLUMNS",
    "POPULATION_COLUMNS",
    "read_area_statistics",
    "validate_area_statistics",
]


def _indicator_columns() -> tuple[Column, ...]:
    """The statutory indicators' columns, from the indicator catalogue."""
    return tuple(
        Column(
            entry.column,
            Kind.NUMBER,
            required=entry.required,
            minimum=entry.minimum,
            maximum=entry.maximum,
            aliases=entry.aliases,
            description=entry.description,
        )
        for entry in statutory_indicators().indicators
    )


def _population_columns() -> tuple[Column, ...]:
    """The population columns (``residents`` first), from the indicator catalogue."""
    return tuple(
        Column(
            entry.column,
            Kind.INTEGER,
            required=entry.required,
            minimum=0,
            aliases=entry.aliases,
            description=entry.description,
        )
        for entry in statutory_indicators().populations
    )


AREA_STATISTICS: tuple[Column, ...] = (
    Column(
        "area_id",
        Kind.TEXT,
        nullable=False,
        aliases=("områdeid", "område id", "boligområde id", "afdeling nr", "afdelingsnr", "id"),
        description="Stable id of the area (e.g. a ministry area code or 'VIBO 108').",
    ),
    Column(
        "area_name",
        Kind.TEXT,
        required=False,
        aliases=("boligområde", "områdenavn", "navn", "område"),
        description="Name of the area.",
    ),
    Column(
        "municipality", Kind.TEXT, required=False, aliases=("kommune",), description="Municipality."
    ),
    Column(
        "year",
        Kind.INTEGER,
        nullable=False,
        minimum=1990,
        maximum=2100,
        aliases=("år", "listeår", "liste år"),
        description="List year (list of 1 December).",
    ),
    _population_columns()[0],
    *_indicator_columns(),
    *_population_columns()[1:],
)

#: Input-only columns: accepted in files, not produced from microdata.
INPUT_ONLY: tuple[Column, ...] = (
    Column(
        "residents_min",
        Kind.INTEGER,
        required=False,
        minimum=0,
        aliases=("mindst beboere", "beboere mindst", "antal beboere mindst"),
        description="A lower bound for residents when only 'at least 1 000' is known.",
    ),
)

PERCENT_COLUMNS = tuple(c.name for c in AREA_STATISTICS if c.maximum == 100)
#: The populations of the indicators other than all residents, from the indicator catalogue.
POPULATION_COLUMNS = statutory_indicators().population_columns()[1:]


def crime_threshold_factor(year: int) -> float | None:
    """The multiple of the national average that the published crime threshold is in ``year``.

    Read from the rule data (the § 61 a regime in force: 3 × from 2018); ``None`` while the
    threshold was a fixed share (2010-2017).
    """
    from boligmonitor.rules.registry import regime_in_force

    regime = regime_in_force(year, "almenboligloven-61a")
    if regime is None:
        return None
    for criterion in regime.criteria:
        relative = criterion.threshold_relative
        if relative is not None and relative.published is not None:
            return relative.published.factor
    return None


def _crime_columns_agree(frame: pd.DataFrame, raw: RawTable) -> list[Problem]:
    """Where a row gives both the national average and the threshold, they must agree."""
    both = frame["crime_national_pct"].notna() & frame["crime_threshold_pct"].notna()
    problems = []
    for _, row in frame[both].iterrows():
        factor = crime_threshold_factor(int(row["year"]))
        if factor is None:
            continue
        implied = row["crime_threshold_pct"] / factor
        if abs(implied - row["crime_national_pct"]) > 0.005:
            problems.append(
                Problem(
                    str(raw.path),
                    "crime_threshold_pct {crime_threshold_pct:g} is not {factor:g} × "
                    "crime_national_pct {crime_national_pct:g}",
                    int(row["source_row"]),
                    "crime_threshold_pct",
                    params={
                        "crime_threshold_pct": row["crime_threshold_pct"],
                        "factor": factor,
                        "crime_national_pct": row["crime_national_pct"],
                    },
                )
            )
    return problems


def _has_column(raw: RawTable, name: str) -> bool:
    return any(c.accepts(h) for h in raw.frame.columns for c in AREA_STATISTICS if c.name == name)


def _fill_crime_from_record(frame: pd.DataFrame, raw: RawTable) -> None:
    """Use the published record's national crime average where the file gives neither column."""
    from boligmonitor.record.data import national_crime_average

    for year in sorted(set(frame["year"].dropna().astype(int))):
        if crime_threshold_factor(year) is None:
            continue
        known = national_crime_average(year)
        if known is None:
            continue
        frame.loc[frame["year"] == year, "crime_national_pct"] = known.value
        message = (
            "no crime_national_pct or crime_threshold_pct column; the published record's "
            "national crime average for the {year} list is used: {value:g} % ({how}; "
            "source: {source})"
        )
        params = {"year": year, "value": known.value, "how": known.how, "source": known.source}
        warnings.warn(InputWarning(Problem(str(raw.path), message, params=params)), stacklevel=3)


def validate_area_statistics(raw: RawTable) -> pd.DataFrame:
    """Validate raw area statistics and complete the derived columns.

    ``crime_national_pct`` is derived from ``crime_threshold_pct`` where only the latter is
    given; ``outside_labour_pct`` falls back to ``labour_pct`` (with a :class:`UserWarning`) when
    the file has no such column; ``area_name`` falls back to ``area_id``.

    Raises
    ------
    InputError
        Listing every problem (file, row, column).
    """
    frame = validate_table(
        raw,
        (*AREA_STATISTICS, *INPUT_ONLY),
        key=("area_id", "year"),
        checks=(_crime_columns_agree,),
    )
    by_year = {y: crime_threshold_factor(int(y)) or float("nan") for y in frame["year"].unique()}
    derived = frame["crime_threshold_pct"] / frame["year"].map(by_year).astype("Float64")
    frame["crime_national_pct"] = frame["crime_national_pct"].fillna(derived)
    if not _has_column(raw, "crime_national_pct") and not _has_column(raw, "crime_threshold_pct"):
        _fill_crime_from_record(frame, raw)
    frame["area_name"] = frame["area_name"].fillna(frame["area_id"])
    if not _has_column(raw, "outside_labour_pct"):
        problem = Problem(
            str(raw.path),
            "no column outside_labour_pct; kombineret udlejning (§ 51 b) uses labour_pct instead",
        )
        warnings.warn(InputWarning(problem), stacklevel=2)
        frame["outside_labour_pct"] = frame["labour_pct"]
    return frame


def read_area_statistics(path: str | Path) -> pd.DataFrame:
    """Read and validate an area statistics file (CSV, Parquet or Excel).

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    pandas.DataFrame
        One row per (area_id, year) with canonical columns and ``source_row``.

    Raises
    ------
    InputError
        When the file cannot be read or has any problem.

    Examples
    --------
    >>> from boligmonitor.data import example_path
    >>> frame = read_area_statistics(example_path("mimerskvarter_2020.csv"))  # doctest: +SKIP
    """
    return validate_area_statistics(read_raw_table(path))
