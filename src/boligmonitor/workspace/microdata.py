"""Workspace methods for register-style microdata and the indicators computed from it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from boligmonitor.errors import InputError
from boligmonitor.workspace.base import WorkspaceBase


class MicrodataMethods(WorkspaceBase):
    """Workspace methods for register-style microdata and the indicators computed from it."""

    def load_microdata(self, folder: str | Path, validate: bool = True) -> Any:
        """Validate a microdata folder and keep it for the indicator methods below.

        Raises
        ------
        InputError
            Listing every problem (file, row, column); nothing is kept then.
        """
        from boligmonitor.schema.microdata import load_microdata

        self._microdata = load_microdata(folder, validate=validate)
        return self._microdata

    def microdata(self) -> Any:
        """The microdata loaded with :meth:`load_microdata`."""
        microdata = getattr(self, "_microdata", None)
        if microdata is None:
            raise InputError.single("workspace", "no microdata loaded (use --microdata DIR)")
        return microdata

    def area_statistics_from_microdata(
        self, years: Sequence[int] | None = None, min_persons: int = 3
    ) -> pd.DataFrame:
        """Compute area statistics from the loaded microdata and store them as area statistics.

        The statistics pass disclosure control and then the same file route as an export
        (written, read and validated), so designating them equals designating the export.
        """
        import tempfile

        from boligmonitor.indicators.exports import disclosed_area_statistics, write_disclosed

        frame = disclosed_area_statistics(self.microdata(), years, min_persons)
        with tempfile.TemporaryDirectory() as folder:
            path = write_disclosed(frame, Path(folder) / "area_statistics_from_microdata.csv")
            return self.load_area_statistics(path)

    def unit_indicators(
        self, year: int | Sequence[int] | None = None, unit: str = "screening_unit"
    ) -> pd.DataFrame:
        """Copenhagen's five criteria per unit and year from the loaded microdata (undisclosed:
        for computation; exports go through :mod:`boligmonitor.disclosure`)."""
        from boligmonitor.indicators.copenhagen import unit_indicators

        return unit_indicators(self.microdata(), year, unit)  # type: ignore[arg-type]
