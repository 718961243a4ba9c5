"""The movers facet: decompositions and flows of every area, from the workspace's microdata.

Reads the registered microdata (:meth:`Store.microdata`), decomposes each statutory criterion's
change between two years (:mod:`boligmonitor.movers.decompose`), counts the flows
(:mod:`boligmonitor.movers.flows`) and publishes both through disclosure control
(:mod:`boligmonitor.movers.disclose`). Stored tables: ``mover_decomposition`` and
``mover_flows``.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import pandas as pd

from boligmonitor.disclosure import DEFAULT_MIN_PERSONS
from boligmonitor.errors import InputError
from boligmonitor.indicators.statutory import area_statistics
from boligmonitor.movers.decompose import Decomposition, decompose
from boligmonitor.movers.disclose import disclose_decomposition, disclose_flows
from boligmonitor.movers.flows import flows
from boligmonitor.movers.persons import CRITERIA, criterion_frame, person_measures, region_means
from boligmonitor.rules.evaluate import evaluate
from boligmonitor.store import Store, Table

__all__ = ["MoversFacet"]


class MoversFacet:
    """Why areas change: stayers, movers, entries and exits, and where movers go.

    Parameters
    ----------
    store
        The workspace database; its microdata must be registered.
    min_persons
        Smallest number of persons a published figure may rest on (Danmarks Statistik: 3).
    """

    def __init__(self, store: Store, min_persons: int = DEFAULT_MIN_PERSONS) -> None:
        self.store = store
        self.min_persons = min_persons

    def _persons(self, years: tuple[int, int], area_ids: Sequence[str] | None) -> pd.DataFrame:
        microdata = self.store.microdata()
        missing = sorted(set(years) - set(microdata.years()))
        if missing:
            raise InputError.single(
                "--years",
                "no persons in {missing}; the microdata has {value}",
                missing=missing,
                value=microdata.years(),
            )
        return person_measures(microdata, years, area_ids)

    def listed_areas(self, year: int) -> set[str]:
        """Areas on any list in ``year``: stored designations, else designated from microdata."""
        stored = self.store.read_or_none(Table.DESIGNATIONS)
        if stored is not None and (stored["year"] == year).any():
            rows = stored[(stored["year"] == year) & (stored["designations"].fillna("") != "")]
            return set(rows["area_id"].astype(str))
        statistics = area_statistics(self.store.microdata(), [year])
        table = evaluate(statistics, year).table()
        return set(table.loc[table["designations"] != "", "area_id"].astype(str))

    def decompositions(
        self,
        year_from: int,
        year_to: int,
        area_ids: Sequence[str] | None = None,
        criteria: Sequence[str] | None = None,
    ) -> list[Decomposition]:
        """Exact decompositions (unpublished: not disclosure controlled) of the given areas.

        Raises
        ------
        InputError
            When a year has no persons or a criterion is unknown.
        """
        chosen = list(criteria or CRITERIA)
        unknown = [c for c in chosen if c not in CRITERIA]
        if unknown:
            raise InputError.single(
                "criterion",
                "unknown {unknown}; known: {value}",
                unknown=unknown,
                value=list(CRITERIA),
            )
        persons = self._persons((year_from, year_to), area_ids)
        regional = region_means(self.store.microdata(), [year_from, year_to])
        areas = area_ids or sorted(persons["area_id"].dropna().astype(str).unique())
        found = []
        for area in areas:
            region = _region_of(persons, area)
            for criterion in chosen:
                means = _means(regional, region, year_from, year_to)
                if criterion == "income" and means is None:
                    continue
                frame = criterion_frame(persons, criterion)
                result = decompose(
                    frame,
                    area,
                    criterion,
                    year_from,
                    year_to,
                    region_means=means if criterion == "income" else None,
                )
                if result is not None:
                    found.append(result)
        return found

    def decomposition(
        self, year_from: int, year_to: int, area_ids: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """Published decomposition rows (suppressed cells empty, listed in ``diskretioneret``)."""
        rows = [row for d in self.decompositions(year_from, year_to, area_ids) for row in d.rows()]
        return disclose_decomposition(pd.DataFrame(rows), self.min_persons)

    def flows(
        self, year_from: int, year_to: int, area_ids: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """Published flow tables: where out-movers went, where in-movers came from."""
        persons = self._persons((year_from, year_to), area_ids)
        frame = criterion_frame(persons, "labour")
        listed = self.listed_areas(year_from)
        areas = area_ids or sorted(persons["area_id"].dropna().astype(str).unique())
        tables = [flows(frame, a, year_from, year_to, listed - {a}) for a in areas]
        return disclose_flows(pd.concat(tables, ignore_index=True), self.min_persons)

    def compute(self, year_from: int, year_to: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Decompose and count flows for every area and store both (published form)."""
        decomposition = self.decomposition(year_from, year_to)
        flow_table = self.flows(year_from, year_to)
        parameters: dict[str, object] = {
            "year_from": year_from,
            "year_to": year_to,
            "min_persons": self.min_persons,
        }
        with self.store.run("movers", parameters=parameters):
            self.store.merge(Table.MOVER_DECOMPOSITION, decomposition, ["year_from", "year_to"])
            self.store.merge(Table.MOVER_FLOWS, flow_table, ["year_from", "year_to"])
        return decomposition, flow_table

    def stored_decomposition(self, area_id: str | None = None) -> pd.DataFrame | None:
        """Stored decomposition rows (all areas or one)."""
        return _of_area(self.store.read_or_none(Table.MOVER_DECOMPOSITION), area_id)

    def stored_flows(self, area_id: str | None = None) -> pd.DataFrame | None:
        """Stored flow rows (all areas or one)."""
        return _of_area(self.store.read_or_none(Table.MOVER_FLOWS), area_id)


def _of_area(frame: pd.DataFrame | None, area_id: str | None) -> pd.DataFrame | None:
    if frame is None or area_id is None:
        return frame
    return frame[frame["area_id"] == area_id].reset_index(drop=True)


def _region_of(persons: pd.DataFrame, area_id: str) -> int | None:
    codes = persons.loc[persons["area_id"] == area_id, "region_code"]
    return int(codes.mode().iloc[0]) if not codes.empty else None


def _means(
    regional: dict[tuple[int, int], Fraction], region: int | None, year_from: int, year_to: int
) -> tuple[Fraction, Fraction] | None:
    if region is None or (region, year_from) not in regional or (region, year_to) not in regional:
        return None
    return regional[(region, year_from)], regional[(region, year_to)]
