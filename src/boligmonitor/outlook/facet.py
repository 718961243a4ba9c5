"""The outlook facet: next list's designation probabilities and the watch list, per workspace.

Reads the stored area statistics (table ``area_statistics``), or computes them from the
registered microdata, forecasts the list of a year (:func:`boligmonitor.outlook.simulate.
outlook`) and stores it (table ``outlook``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pandas as pd

from boligmonitor.errors import InputError
from boligmonitor.outlook.simulate import DEFAULT_DRAWS, outlook
from boligmonitor.schema.microdata import Microdata
from boligmonitor.store import Store, Table

__all__ = ["WATCH_BAND", "OutlookFacet"]

#: A designation is watched when its probability lies in this band, or moved this much.
WATCH_BAND = (0.05, 0.95)
_WATCH_CHANGE = 0.5


class OutlookFacet:
    """Which areas are close to getting on or off a list on the next 1 December.

    Parameters
    ----------
    store
        The workspace database (area statistics stored, or microdata registered).
    draws, seed
        Monte Carlo draws and seed (the same seed gives the same probabilities).
    """

    def __init__(self, store: Store, draws: int = DEFAULT_DRAWS, seed: int = 0) -> None:
        self.store = store
        self.draws = draws
        self.seed = seed

    def statistics(self) -> pd.DataFrame:
        """Area statistics of every year: stored ones, else computed from microdata and
        disclosure controlled exactly as an export (hidden values unknown), since the forecast
        publishes last year's residents and flips per area.

        Raises
        ------
        InputError
            When the workspace has neither.
        """
        stored = self.store.read_or_none(Table.AREA_STATISTICS)
        if stored is not None and not stored.empty:
            return stored
        if self.store.has_microdata():
            return _disclosed(self.store.microdata())
        raise InputError.single(
            "workspace", "no area statistics and no microdata (load one of them first)"
        )

    def outlook(self, year: int, draws: int | None = None) -> pd.DataFrame:
        """Probabilities of every area and designation on the list of ``year``.

        Raises
        ------
        InputError
            When there are no statistics for ``year − 1``.
        """
        statistics = self.statistics()
        years = sorted(int(y) for y in statistics["year"].unique())
        if year - 1 not in years:
            raise InputError.single(
                "--year",
                "no area statistics for {value} to forecast {year} from ({years})",
                value=year - 1,
                year=year,
                years=years,
            )
        return outlook(statistics, year, draws=draws or self.draws, seed=self.seed)

    def compute(self, year: int, draws: int | None = None) -> pd.DataFrame:
        """Forecast ``year`` and store it (replacing an earlier forecast of that year)."""
        frame = self.outlook(year, draws)
        used = draws or self.draws
        parameters: dict[str, object] = {"year": year, "draws": used, "seed": self.seed}
        with self.store.run("outlook", parameters=parameters):
            self.store.merge(Table.OUTLOOK, frame, ["year"])
        return frame

    def stored(self, year: int | None = None) -> pd.DataFrame | None:
        """Stored forecasts (all years or one)."""
        frame = self.store.read_or_none(Table.OUTLOOK)
        if frame is None or year is None:
            return frame
        return frame[frame["year"] == year].reset_index(drop=True)

    def watch_list(
        self, year: int, by: Literal["probability", "change"] = "probability"
    ) -> pd.DataFrame:
        """Designations that could go either way, or moved most since the last list.

        A row is watched when its probability lies in :data:`WATCH_BAND` or differs from last
        year's status by at least one half; sorted by probability or by the size of the change.
        """
        frame = self.stored(year)
        if frame is None or frame.empty:
            frame = self.outlook(year)
        return watch_list(frame, by)


def watch_list(
    frame: pd.DataFrame, by: Literal["probability", "change"] = "probability"
) -> pd.DataFrame:
    """The watched rows of an outlook frame, sorted (see :meth:`OutlookFacet.watch_list`)."""
    low, high = WATCH_BAND
    uncertain = frame["probability"].between(low, high)
    moved = frame["change"].abs().fillna(0.0) >= _WATCH_CHANGE
    watched = frame[uncertain | moved].copy()
    if by == "change":
        key = watched["change"].abs().fillna(0.0)
        watched = watched.assign(_k=key).sort_values(["_k", "probability"], ascending=False)
        watched = watched.drop(columns="_k")
    else:
        watched = watched.sort_values(["probability", "area_id"], ascending=[False, True])
    return watched.reset_index(drop=True)


def _disclosed(microdata: Microdata) -> pd.DataFrame:
    """Area statistics from microdata read back as the file an export writes."""
    import tempfile

    from boligmonitor.indicators.exports import disclosed_area_statistics, write_disclosed
    from boligmonitor.schema.area_statistics import read_area_statistics

    frame = disclosed_area_statistics(microdata)
    with tempfile.TemporaryDirectory() as folder:
        return read_area_statistics(write_disclosed(frame, Path(folder) / "statistics.csv"))
