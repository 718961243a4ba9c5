"""Files of indicators computed from microdata, always after disclosure control."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from boligmonitor.disclosure import DEFAULT_MIN_PERSONS, disclose_area_statistics, marked
from boligmonitor.indicators.statutory import area_statistics
from boligmonitor.io.export import write_output
from boligmonitor.schema.microdata import Microdata

__all__ = ["disclosed_area_statistics", "write_disclosed"]


def disclosed_area_statistics(
    microdata: Microdata,
    years: Sequence[int] | None = None,
    min_persons: int = DEFAULT_MIN_PERSONS,
) -> pd.DataFrame:
    """Area statistics from microdata with suppressed figures marked ``diskretioneret``.

    The result is what a file export holds: the canonical columns, ready for
    :meth:`boligmonitor.Workspace.load_area_statistics` once written.
    """
    return marked(disclose_area_statistics(area_statistics(microdata, years), min_persons))


def write_disclosed(frame: pd.DataFrame, destination: str | Path) -> Path:
    """Write a marked frame (CSV, Excel, Parquet or JSON records), atomically."""
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return write_output(destination, records, frame)
