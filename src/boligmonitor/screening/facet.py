"""The city screening facet: unit statistics and geometry, screening rounds and the gap.

Copenhagen's *Politik for Udsatte Byområder* (seed 003, Tabel 1, 2 and 22): small units are
screened on five criteria into udsatte byområder every fourth year, and the gap (efterslæb) to
the rest of the city is tracked against the 2025 milestone. Each method validates its inputs
completely before writing and stores its results in one transaction with a run record.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from boligmonitor.errors import InputError
from boligmonitor.indicators.facet import MicrodataFacet
from boligmonitor.monitor.gap import GapReport
from boligmonitor.monitor.groups import Tracking, rounds_from_membership
from boligmonitor.monitor.reference import load_reference
from boligmonitor.monitor.reference_gap import reference_gap
from boligmonitor.monitor.unit_gap import compute_gap
from boligmonitor.screening.compare import MethodComparison, compare_methods
from boligmonitor.screening.method import load_method
from boligmonitor.screening.rounds import RoundComparison, compare_rounds
from boligmonitor.screening.screen import ScreeningResult, screen_units
from boligmonitor.screening.tables import gap_frames, read_units, require, screening_frames
from boligmonitor.screening.units import read_unit_statistics, unit_statistics_from_frame
from boligmonitor.store import Store, Table

__all__ = ["ScreeningFacet", "tracking_of"]


def tracking_of(text: str) -> Tracking:
    """Validate a tracking name: ``fixed`` or ``updated``."""
    if text == "fixed":
        return "fixed"
    if text == "updated":
        return "updated"
    raise InputError.single(
        "--tracking", "unknown tracking '{text}'; use fixed or updated", text=text
    )


class ScreeningFacet:
    """Copenhagen's city screening, designation rounds and gap on one workspace.

    Parameters
    ----------
    store
        The workspace database.
    microdata
        Source of unit statistics computed from microdata.
    """

    def __init__(self, store: Store, microdata: MicrodataFacet) -> None:
        self.store = store
        self.microdata = microdata

    # -- inputs ------------------------------------------------------------------------------

    def _store_statistics(self, frame: pd.DataFrame, inputs: list[Path], replace: bool) -> None:
        with self.store.run("load_unit_statistics", inputs=inputs):
            if replace:
                self.store.write(Table.UNIT_STATISTICS, frame)
            else:
                self.store.merge(Table.UNIT_STATISTICS, frame, ["unit_id", "year"])

    def load_unit_statistics(self, path: str | Path, replace: bool = False) -> pd.DataFrame:
        """Validate a unit statistics file and store it (rows replace the same unit and year)."""
        frame = read_unit_statistics(path)
        self._store_statistics(frame, [Path(path)], replace)
        return frame

    def unit_statistics_from_microdata(
        self, years: Sequence[int] | None = None, unit: str = "screening_unit"
    ) -> pd.DataFrame:
        """Compute unit statistics from the workspace's microdata and store them."""
        indicators = self.microdata.unit_indicators(years, unit)
        frame = unit_statistics_from_frame(indicators, "microdata")
        self._store_statistics(frame, [], replace=False)
        return frame

    def load_units(self, path: str | Path) -> pd.DataFrame:
        """Validate unit geometry (``unit_id, name, geometry_wkt``) and store it as ``units``."""
        frame = read_units(path)
        with self.store.run("load_units", inputs=[Path(path)]):
            self.store.write(Table.UNITS, frame)
        return frame

    def load_unit_outlines(
        self, path: str | Path, id_column: str = "unit_id", name_column: str | None = None
    ) -> pd.DataFrame:
        """Store the screening units from a GeoPackage, shapefile or GeoJSON file (any
        declared CRS, reprojected to EPSG:25832) as ``units`` (``unit_id, name, geometry_wkt``).
        """
        from boligmonitor.geo.outlines import read_outlines

        read = read_outlines(path, id_column, name_column)
        frame = read.rename(columns={"id": "unit_id"})
        with self.store.run("load_units", inputs=[Path(path)]):
            self.store.write(Table.UNITS, frame)
        return frame

    # -- screening and rounds ----------------------------------------------------------------

    def _screen(self, year: int, method: str, round_year: int | None) -> ScreeningResult:
        stats = require(
            self.store.read_or_none(Table.UNIT_STATISTICS), "unit statistics (load them first)"
        )
        units = self.store.read_or_none(Table.UNITS)
        return screen_units(stats, year, load_method(method), units, round_year)

    def screen(
        self,
        year: int,
        method: str = "kk-default",
        round_year: int | None = None,
        store: bool = True,
    ) -> ScreeningResult:
        """Screen the stored unit statistics of a year; store the areas of its round.

        A new screening of a round replaces the stored one (areas, units and summary).
        """
        result = self._screen(year, method, round_year)
        if store:
            parameters = {"year": year, "method": result.method.id, "round_year": result.round_year}
            with self.store.run("screen", parameters=parameters) as run_id:
                for name, rows in screening_frames(result, run_id).items():
                    self.store.merge(name, rows, ["round_year"])
        return result

    def compare_methods(self, year: int, methods: Sequence[str]) -> MethodComparison:
        """Screen one year under several methods (nothing stored) and compare who is designated."""
        if len(methods) < 2:
            raise InputError.single("--compare", "give at least two methods to compare")
        return compare_methods([self._screen(year, m, None) for m in methods])

    def membership(self) -> pd.DataFrame:
        """Stored round membership (``screening_areas``); :class:`InputError` when none."""
        return require(
            self.store.read_or_none(Table.SCREENING_AREAS), "screening (run screen first)"
        )

    def rounds(self) -> dict[int, set[str]]:
        """Designated units by round year, or empty when nothing was screened."""
        membership = self.store.read_or_none(Table.SCREENING_AREAS)
        return {} if membership is None else rounds_from_membership(membership)

    def round_years(self) -> list[int]:
        """The designation rounds stored by :meth:`screen`, ascending."""
        if not self.store.has(Table.SCREENING_AREAS):
            return []
        table = self.store.table(Table.SCREENING_AREAS)
        years = table.select("round_year").distinct().to_pandas()["round_year"]
        return sorted(int(y) for y in years.dropna())

    def compare_rounds(self, old: int, new: int, year: int | None = None) -> RoundComparison:
        """Compare two stored designation rounds (Tabel 22)."""
        membership = self.membership()
        stats = require(self.store.read_or_none(Table.UNIT_STATISTICS), "unit statistics")
        return compare_rounds(_round(membership, old), _round(membership, new), stats, year)

    # -- geometry ----------------------------------------------------------------------------

    def units(self) -> pd.DataFrame | None:
        """Unit geometry (``unit_id, name, geometry_wkt``, EPSG:25832), if stored."""
        return self.store.read_or_none(Table.UNITS)

    def screening_map(self, round_year: int | None = None) -> pd.DataFrame | None:
        """Screening units with geometry and their status in a designation round.

        Columns ``unit_id, name, geometry_wkt`` (EPSG:25832), ``area_id`` and ``status``
        (``designated``, ``below_minimum`` or empty when not in an area) for ``round_year``
        (default: the latest stored round). ``None`` when no unit geometry is stored.
        """
        stored = self.units()
        if stored is None:
            return None
        units = stored[["unit_id", "name", "geometry_wkt"]]
        rounds = self.round_years()
        chosen = round_year if round_year is not None else (rounds[-1] if rounds else None)
        if chosen is None:
            return units.assign(area_id=None, status=None, round_year=None)
        table = self.store.table(Table.SCREENING_AREAS)
        members = table.filter(table.round_year == chosen).select("unit_id", "area_id", "status")
        return units.merge(members.to_pandas(), on="unit_id", how="left").assign(round_year=chosen)

    # -- the gap -----------------------------------------------------------------------------

    def _computed_gap(
        self,
        tracking: Tracking,
        baseline_year: int | None,
        published_baseline: str | None,
        years: Sequence[int] | None,
    ) -> GapReport:
        rounds = rounds_from_membership(self.membership())
        stats = require(self.store.read_or_none(Table.UNIT_STATISTICS), "unit statistics")
        if not rounds:
            raise InputError.single("workspace", "no designated areas stored")
        baseline_gaps = None
        if published_baseline is not None:
            table = load_reference(published_baseline).tabel_2
            baseline_gaps, baseline_year = (
                table.baseline_gaps(),
                baseline_year or table.baseline_year,
            )
        return compute_gap(
            stats,
            rounds,
            baseline_year=baseline_year or min(rounds),
            baseline_gaps=baseline_gaps,
            tracking=tracking,
            years=years,
        )

    def gap(
        self,
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
            For the computed gap (see :func:`~boligmonitor.monitor.unit_gap.compute_gap`); the
            baseline year defaults to the first stored round.
        published_baseline
            Take the baseline gaps from this reference dataset's Tabel 2 instead of computing
            them.
        store
            Store the records and the vision test in ``gap_records`` / ``gap_summary``.
        """
        if reference is not None:
            report = reference_gap(reference, years)
            source = f"reference:{report.source}"
        else:
            chosen = tracking_of(tracking)
            report = self._computed_gap(chosen, baseline_year, published_baseline, years)
            source = f"workspace:{tracking}"
        if store:
            with self.store.run("gap", parameters={**report.parameters, "source": source}) as run:
                for name, rows in gap_frames(report, source, run).items():
                    self.store.merge(name, rows, ["source"])
        return report


def _round(membership: pd.DataFrame, round_year: int) -> pd.DataFrame:
    rows = membership[
        (membership["round_year"] == round_year) & (membership["status"] == "designated")
    ]
    if rows.empty:
        raise InputError.single(
            "workspace", "no designated areas stored for round {round_year}", round_year=round_year
        )
    return rows
