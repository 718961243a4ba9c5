"""Workspace methods for Copenhagen's city screening, rounds and the gap (efterslæb)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from boligmonitor.workspace.base import WorkspaceBase


class ScreeningMethods(WorkspaceBase):
    """Workspace methods for Copenhagen's city screening, rounds and the gap (efterslæb)."""

    def load_unit_statistics(self, path: str | Path, replace: bool = False) -> pd.DataFrame:
        """Validate unit statistics (five city criteria per unit and year) and store them."""
        from boligmonitor.screening.service import load_unit_statistics

        return load_unit_statistics(self, path, replace)

    def unit_statistics_from_microdata(
        self, years: Sequence[int] | None = None, unit: str = "screening_unit"
    ) -> pd.DataFrame:
        """Compute unit statistics from the loaded microdata and store them."""
        from boligmonitor.screening.service import unit_statistics_from_microdata

        return unit_statistics_from_microdata(self, years, unit)

    def load_units(self, path: str | Path) -> pd.DataFrame:
        """Validate and store unit geometry (``unit_id, name, geometry_wkt``, EPSG:25832)."""
        from boligmonitor.screening.service import load_units

        return load_units(self, path)

    def screen(
        self,
        year: int,
        method: str = "kk-default",
        round_year: int | None = None,
        store: bool = True,
    ) -> Any:
        """Screen the stored units of a year into udsatte byområder (see ``docs/screening.md``);
        the areas are stored in ``screening_areas`` for the round."""
        from boligmonitor.screening.service import workspace_screen

        return workspace_screen(self, year, method, round_year, store)

    def compare_methods(self, year: int, methods: Sequence[str]) -> Any:
        """Screen a year under several methods and compare the designated units."""
        from boligmonitor.screening.service import workspace_compare_methods

        return workspace_compare_methods(self, year, methods)

    def compare_rounds(self, old: int, new: int, year: int | None = None) -> Any:
        """Compare two stored designation rounds: units and areas added, dropped, kept."""
        from boligmonitor.screening.service import workspace_compare_rounds

        return workspace_compare_rounds(self, old, new, year)

    def gap(
        self,
        reference: str | None = None,
        tracking: str = "fixed",
        baseline_year: int | None = None,
        published_baseline: str | None = None,
        years: Sequence[int] | None = None,
        store: bool = True,
    ) -> Any:
        """The gap (efterslæb), milestones and vision test; stored in ``gap_records``."""
        from boligmonitor.screening.service import workspace_gap

        return workspace_gap(
            self, reference, tracking, baseline_year, published_baseline, years, store
        )
