"""Screening and gap on a workspace: the functions behind the ``Workspace`` methods of issue 4.

Each validates its inputs completely before writing, records a run, and stores its results in
the tables described in :mod:`boligmonitor.screening.store`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from boligmonitor.errors import InputError
from boligmonitor.monitor.gap import GapReport, Tracking, compute_gap, reference_gap
from boligmonitor.monitor.reference import load_reference
from boligmonitor.screening.compare import MethodComparison, compare_methods
from boligmonitor.screening.method import load_method
from boligmonitor.screening.rounds import RoundComparison, compare_rounds
from boligmonitor.screening.screen import ScreeningResult, screen_units
from boligmonitor.screening.store import (
    SCREENING_AREAS_TABLE,
    UNIT_STATISTICS_TABLE,
    UNITS_TABLE,
    gap_frames,
    merge_rows,
    read_units,
    require,
    rounds_from_membership,
    screening_frames,
)
from boligmonitor.screening.units import read_unit_statistics, unit_statistics_from_frame

__all__ = [
    "load_unit_statistics",
    "load_units",
    "unit_statistics_from_microdata",
    "workspace_compare_methods",
    "workspace_compare_rounds",
    "workspace_gap",
    "workspace_screen",
]


def _stored(ws: Any, name: str) -> pd.DataFrame | None:
    return ws.read_table(name) if ws.has_table(name) else None


def _store_statistics(ws: Any, frame: pd.DataFrame, inputs: list[Path], replace: bool) -> None:
    kept = None if replace else _stored(ws, UNIT_STATISTICS_TABLE)
    merged = merge_rows(kept, frame, ["unit_id", "year"])
    with ws.run("load_unit_statistics", inputs=inputs):
        ws.write_table(UNIT_STATISTICS_TABLE, merged)


def load_unit_statistics(ws: Any, path: str | Path, replace: bool = False) -> pd.DataFrame:
    """Validate a unit statistics file and store it (rows replace the same unit and year)."""
    frame = read_unit_statistics(path)
    _store_statistics(ws, frame, [Path(path)], replace)
    return frame


def unit_statistics_from_microdata(
    ws: Any, years: Sequence[int] | None = None, unit: str = "screening_unit"
) -> pd.DataFrame:
    """Compute unit statistics from the workspace's microdata and store them."""
    frame = unit_statistics_from_frame(ws.unit_indicators(years, unit), "microdata")
    _store_statistics(ws, frame, [], replace=False)
    return frame


def load_units(ws: Any, path: str | Path) -> pd.DataFrame:
    """Validate unit geometry (``unit_id, name, geometry_wkt``) and store it as ``units``."""
    frame = read_units(path)
    with ws.run("load_units", inputs=[Path(path)]):
        ws.write_table(UNITS_TABLE, frame)
    return frame


def _screen(ws: Any, year: int, method: str, round_year: int | None) -> ScreeningResult:
    stats = require(_stored(ws, UNIT_STATISTICS_TABLE), "unit statistics (load them first)")
    return screen_units(stats, year, load_method(method), _stored(ws, UNITS_TABLE), round_year)


def workspace_screen(
    ws: Any,
    year: int,
    method: str = "kk-default",
    round_year: int | None = None,
    store: bool = True,
) -> ScreeningResult:
    """Screen the stored unit statistics of a year; store the areas of its round.

    A new screening of a round replaces the stored one (areas, units and summary).
    """
    result = _screen(ws, year, method, round_year)
    if store:
        parameters = {"year": year, "method": result.method.id, "round_year": result.round_year}
        with ws.run("screen", parameters=parameters) as run_id:
            for name, rows in screening_frames(result, run_id).items():
                ws.write_table(name, merge_rows(_stored(ws, name), rows, ["round_year"]))
    return result


def workspace_compare_methods(ws: Any, year: int, methods: Sequence[str]) -> MethodComparison:
    """Screen one year under several methods (nothing stored) and compare who is designated."""
    if len(methods) < 2:
        raise InputError.single("--compare", "give at least two methods to compare")
    return compare_methods([_screen(ws, year, m, None) for m in methods])


def _round(membership: pd.DataFrame, round_year: int) -> pd.DataFrame:
    rows = membership[
        (membership["round_year"] == round_year) & (membership["status"] == "designated")
    ]
    if rows.empty:
        raise InputError.single("workspace", f"no designated areas stored for round {round_year}")
    return rows


def workspace_compare_rounds(
    ws: Any, old: int, new: int, year: int | None = None
) -> RoundComparison:
    """Compare two stored designation rounds (Tabel 22)."""
    membership = require(_stored(ws, SCREENING_AREAS_TABLE), "screening (run screen first)")
    stats = require(_stored(ws, UNIT_STATISTICS_TABLE), "unit statistics")
    return compare_rounds(_round(membership, old), _round(membership, new), stats, year)


def _computed_gap(
    ws: Any,
    tracking: Tracking,
    baseline_year: int | None,
    published_baseline: str | None,
    years: Sequence[int] | None,
) -> GapReport:
    membership = require(_stored(ws, SCREENING_AREAS_TABLE), "screening (run screen first)")
    stats = require(_stored(ws, UNIT_STATISTICS_TABLE), "unit statistics")
    rounds = rounds_from_membership(membership)
    if not rounds:
        raise InputError.single("workspace", "no designated areas stored")
    baseline_gaps = None
    if published_baseline is not None:
        table = load_reference(published_baseline).tabel_2
        baseline_gaps, baseline_year = table.baseline_gaps(), baseline_year or table.baseline_year
    return compute_gap(
        stats,
        rounds,
        baseline_year=baseline_year or min(rounds),
        baseline_gaps=baseline_gaps,
        tracking=tracking,
        years=years,
    )


def _tracking(text: str) -> Tracking:
    if text == "fixed":
        return "fixed"
    if text == "updated":
        return "updated"
    raise InputError.single("--tracking", f"unknown tracking '{text}'; use fixed or updated")


def workspace_gap(
    ws: Any,
    reference: str | None = None,
    tracking: str = "fixed",
    baseline_year: int | None = None,
    published_baseline: str | None = None,
    years: Sequence[int] | None = None,
    store: bool = True,
) -> GapReport:
    """The gap: from a reference dataset, or from the stored unit statistics and rounds.

    Parameters
    ----------
    reference
        A reference dataset (``kk-2021``): Tabel 2 recomputed from Tabel 1.
    tracking, baseline_year, years
        For the computed gap (see :func:`~boligmonitor.monitor.gap.compute_gap`); the baseline
        year defaults to the first stored round.
    published_baseline
        Take the baseline gaps from this reference dataset's Tabel 2 instead of computing them.
    store
        Store the records and the vision test in ``gap_records`` / ``gap_summary``.
    """
    if reference is not None:
        report = reference_gap(reference, years)
        source = f"reference:{report.source}"
    else:
        report = _computed_gap(ws, _tracking(tracking), baseline_year, published_baseline, years)
        source = f"workspace:{tracking}"
    if store:
        with ws.run("gap", parameters={**report.parameters, "source": source}) as run_id:
            for name, rows in gap_frames(report, source, run_id).items():
                ws.write_table(name, merge_rows(_stored(ws, name), rows, ["source"]))
    return report
