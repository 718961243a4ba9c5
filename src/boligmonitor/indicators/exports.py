"""Files of indicators computed from microdata, always after disclosure control."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from boligmonitor.disclosure import (
    DEFAULT_MIN_PERSONS,
    check_min_persons,
    disclose_area_statistics,
    disclose_city,
    marked,
)
from boligmonitor.errors import InputError
from boligmonitor.indicators.base import UNIT_KINDS, UnitKind
from boligmonitor.indicators.statutory import area_statistics_with_bases, windows
from boligmonitor.io.export import write_output
from boligmonitor.schema.microdata import Microdata

__all__ = ["disclosed_area_statistics", "disclosed_unit_indicators", "write_disclosed"]


def disclosed_area_statistics(
    microdata: Microdata,
    years: Sequence[int] | None = None,
    min_persons: int = DEFAULT_MIN_PERSONS,
) -> pd.DataFrame:
    """Area statistics from microdata with suppressed figures marked ``diskretioneret``.

    A value is suppressed when any year it is built from rests on too few persons
    (:mod:`boligmonitor.disclosure.years`). The result is what a file export holds, and what
    the workspace stores and serves: the canonical columns, ready for
    :meth:`boligmonitor.Workspace.load_area_statistics` once written.
    """
    check_min_persons(min_persons)
    statistics, bases = area_statistics_with_bases(microdata, years)
    list_years = sorted(int(y) for y in statistics["year"].unique())
    disclosed = disclose_area_statistics(statistics, min_persons, bases, windows(list_years))
    return marked(disclosed)


def disclosed_unit_indicators(
    microdata: Microdata,
    years: Sequence[int] | None = None,
    unit: UnitKind = "screening_unit",
    min_persons: int = DEFAULT_MIN_PERSONS,
) -> pd.DataFrame:
    """Unit indicators of one geography with a city total, marked ``diskretioneret``.

    The suppression pattern is chosen over every city geography at once
    (:func:`~boligmonitor.disclosure.disclose_city`), so exports of different geographies
    cannot be subtracted from each other.
    """
    if unit not in UNIT_KINDS:
        raise InputError.single(
            "--unit",
            "unknown unit '{unit}'; use one of {UNIT_KINDS}",
            unit=unit,
            UNIT_KINDS=UNIT_KINDS,
        )
    return marked(disclose_city(microdata, years, min_persons, kinds=(unit,))[unit])


def write_disclosed(frame: pd.DataFrame, destination: str | Path) -> Path:
    """Write a marked frame (CSV, Excel, Parquet or JSON records), atomically."""
    records = None
    if Path(destination).suffix.lower() == ".json":  # the records only a JSON file holds
        records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return write_output(destination, records, frame)
