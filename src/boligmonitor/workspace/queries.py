"""Read-only queries over stored results, for the web dashboard and the API."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from boligmonitor.errors import InputError
from boligmonitor.rules.evaluate import AreaDesignation, evaluate
from boligmonitor.workspace.base import AREA_STATISTICS_TABLE, WorkspaceBase


class QueryMethods(WorkspaceBase):
    """Read-only queries over stored results, for the web dashboard and the API."""

    def statistics_years(self) -> list[int]:
        """The list years present in the stored area statistics, ascending."""
        if not self.has_table(AREA_STATISTICS_TABLE):
            return []
        table = self.table(AREA_STATISTICS_TABLE)
        return sorted(int(y) for y in table.select("year").distinct().to_pandas()["year"])

    def area_index(self) -> pd.DataFrame:
        """One row per stored area: id, latest name and municipality, first and last year.

        Columns: ``area_id, area_name, municipality, first_year, last_year, residents`` (the
        residents of the last year), ordered by ``area_id``.
        """
        if not self.has_table(AREA_STATISTICS_TABLE):
            raise InputError.single("workspace", "no area statistics loaded")
        table = self.table(AREA_STATISTICS_TABLE)
        span = table.group_by("area_id").aggregate(
            first_year=table.year.min(), last_year=table.year.max()
        )
        latest = table.join(span, [table.area_id == span.area_id, table.year == span.last_year])
        frame: pd.DataFrame = (
            latest.select(
                "area_id", "area_name", "municipality", "first_year", "last_year", "residents"
            )
            .order_by("area_id")
            .to_pandas()
        )
        frame["residents"] = frame["residents"].astype("Int64")
        return frame

    def statistics_rows(self, area_id: str | None = None, year: int | None = None) -> pd.DataFrame:
        """Stored area statistics rows for one area and/or one exact year (both optional)."""
        if not self.has_table(AREA_STATISTICS_TABLE):
            raise InputError.single("workspace", "no area statistics loaded")
        table = self.table(AREA_STATISTICS_TABLE)
        if area_id is not None:
            table = table.filter(table.area_id == area_id)
        if year is not None:
            table = table.filter(table.year == year)
        frame: pd.DataFrame = table.order_by(["area_id", "year"]).to_pandas()
        return frame

    def area_designations(
        self, area_id: str, rules: Sequence[str] | None = None
    ) -> list[AreaDesignation]:
        """One area's designations in every stored year, with reasons (nothing is stored).

        Only the area's own rows are read: earlier years of the same area are all the
        consecutive-year designations need, so the result equals :meth:`designate`'s.
        """
        chosen = [self.rule_set(r) for r in rules] if rules else None
        rows = self.statistics_rows(area_id=area_id)
        return evaluate(rows, None, chosen, tuple(self.rule_sets()))

    def screening_map(self, round_year: int | None = None) -> pd.DataFrame | None:
        """Screening units with geometry and their status in a designation round.

        Columns ``unit_id, name, geometry_wkt`` (EPSG:25832), ``area_id`` and ``status``
        (``designated``, ``below_minimum`` or empty when not in an area) for ``round_year``
        (default: the latest stored round). ``None`` when no unit geometry is stored.
        """
        if not self.has_table("units"):
            return None
        units = self.read_table("units")[["unit_id", "name", "geometry_wkt"]]
        rounds = self.screening_rounds()
        chosen = round_year if round_year is not None else (rounds[-1] if rounds else None)
        if chosen is None:
            return units.assign(area_id=None, status=None, round_year=None)
        table = self.table("screening_areas")
        members = table.filter(table.round_year == chosen).select("unit_id", "area_id", "status")
        return units.merge(members.to_pandas(), on="unit_id", how="left").assign(round_year=chosen)

    def screening_rounds(self) -> list[int]:
        """The designation rounds stored by :meth:`screen`, ascending."""
        if not self.has_table("screening_areas"):
            return []
        table = self.table("screening_areas")
        years = table.select("round_year").distinct().to_pandas()["round_year"]
        return sorted(int(y) for y in years.dropna())

    def area_geometry(self) -> pd.DataFrame | None:
        """Outlines of the statutory areas, when the workspace has them (the overview map).

        Reads the table ``area_geometry`` (``area_id, geometry_wkt``, polygons in EPSG:25832,
        e.g. the union of a synthetic area's units); ``None`` when there is no such table —
        area statistics themselves carry no geometry.
        """
        if not self.has_table("area_geometry"):
            return None
        frame: pd.DataFrame = (
            self.table("area_geometry").select("area_id", "geometry_wkt").to_pandas()
        )
        return frame
