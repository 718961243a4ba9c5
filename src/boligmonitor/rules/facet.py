"""The statutory designations facet: area statistics, rule sets, designations and explanations.

Almenboligloven § 61 a, § 61 b and § 51 b: every list year is evaluated under the regime in force
that year (or the rule sets a user names), from the validated area statistics in the store.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from boligmonitor.errors import InputError
from boligmonitor.record.facet import RecordFacet
from boligmonitor.rules.evaluate import AreaDesignation
from boligmonitor.rules.evaluation import Evaluation
from boligmonitor.rules.model import RuleSet
from boligmonitor.rules.registry import load_rules_dir, resolve_rule_set, shipped_rule_sets
from boligmonitor.schema.area_statistics import read_area_statistics
from boligmonitor.store import RuleSetRef, Store, Table, file_sha256

__all__ = ["DesignationFacet", "StoredRecord"]

#: A stored designation in its JSON shape (see the README's ``designate --out`` format).
StoredRecord = dict[str, object]

_INDEX_COLUMNS = ["area_id", "area_name", "municipality", "first_year", "last_year", "residents"]


class DesignationFacet:
    """Area statistics, rule sets and the statutory designations of one workspace.

    Parameters
    ----------
    store
        The workspace database.
    record
        The published record: list history that decides earlier years of the consecutive-year
        designations (hårdt ghettoområde, omdannelsesområde) when it is stored.
    """

    def __init__(self, store: Store, record: RecordFacet) -> None:
        self.store = store
        self.record = record
        self._user_rule_sets: list[RuleSet] = []

    # -- rule sets ---------------------------------------------------------------------------

    def rule_sets(self) -> list[RuleSet]:
        """Rule sets available: the user's loaded ones first, then the shipped ones."""
        return [*self._user_rule_sets, *shipped_rule_sets()]

    def rule_set(self, id_or_path: str) -> RuleSet:
        """A rule set by id, or loaded from a YAML file (then remembered in this session)."""
        rule_set = resolve_rule_set(id_or_path, tuple(self._user_rule_sets))
        if rule_set not in self.rule_sets():
            self._user_rule_sets.append(rule_set)
        return rule_set

    def add_rules_dir(self, folder: str | Path) -> list[RuleSet]:
        """Add a user's folder of regimes; a new regime is the default from its first list date.

        Raises
        ------
        InputError
            When a file is invalid or two regimes of a family overlap or leave a gap.
        """
        shipped = shipped_rule_sets()
        added = [s for s in load_rules_dir(folder) if s not in shipped]
        self._user_rule_sets = [*added, *self._user_rule_sets]
        return added

    # -- area statistics ---------------------------------------------------------------------

    def load_area_statistics(self, path: str | Path, replace: bool = False) -> pd.DataFrame:
        """Validate an area statistics file and store it.

        Rows replace stored rows with the same ``(area_id, year)``; with ``replace`` the whole
        table is replaced. Nothing is written when the file has any problem.

        Raises
        ------
        InputError
            Listing every problem (file, row, column).
        """
        file = Path(path)
        frame = read_area_statistics(file).drop(columns=["source_row"])
        frame["source_file"] = file.name
        frame["source_sha256"] = file_sha256(file)
        with self.store.run("load_area_statistics", inputs=[file]):
            if replace:
                self.store.write(Table.AREA_STATISTICS, frame)
                return frame
            return self.store.merge(Table.AREA_STATISTICS, frame, ["area_id", "year"])

    def has_statistics(self) -> bool:
        """Whether area statistics are stored."""
        return self.store.has(Table.AREA_STATISTICS)

    def _statistics_table(self) -> Any:  # an Ibis table
        if not self.has_statistics():
            raise InputError.single("workspace", "no area statistics loaded")
        return self.store.table(Table.AREA_STATISTICS)

    def area_statistics(self, year: int | None = None) -> pd.DataFrame:
        """Stored area statistics: all years, or every year up to and including ``year``.

        Earlier years are included because consecutive-year designations look back.
        """
        table = self._statistics_table()
        if year is not None:
            table = table.filter(table.year <= year)
        frame: pd.DataFrame = table.to_pandas()
        return frame

    def statistics_years(self) -> list[int]:
        """The list years present in the stored area statistics, ascending."""
        if not self.has_statistics():
            return []
        table = self.store.table(Table.AREA_STATISTICS)
        return sorted(int(y) for y in table.select("year").distinct().to_pandas()["year"])

    def statistics_rows(self, area_id: str | None = None, year: int | None = None) -> pd.DataFrame:
        """Stored area statistics rows for one area and/or one exact year (both optional)."""
        table = self._statistics_table()
        if area_id is not None:
            table = table.filter(table.area_id == area_id)
        if year is not None:
            table = table.filter(table.year == year)
        frame: pd.DataFrame = table.order_by(["area_id", "year"]).to_pandas()
        return frame

    def area_index(self) -> pd.DataFrame:
        """One row per stored area: id, latest name and municipality, first and last year.

        Columns: ``area_id, area_name, municipality, first_year, last_year, residents`` (the
        residents of the last year), ordered by ``area_id``; empty without statistics.
        """
        if not self.has_statistics():
            return pd.DataFrame(columns=_INDEX_COLUMNS)
        table = self.store.table(Table.AREA_STATISTICS)
        span = table.group_by("area_id").aggregate(
            first_year=table.year.min(), last_year=table.year.max()
        )
        latest = table.join(span, [table.area_id == span.area_id, table.year == span.last_year])
        frame: pd.DataFrame = latest.select(*_INDEX_COLUMNS).order_by("area_id").to_pandas()
        frame["residents"] = frame["residents"].astype("Int64")
        return frame

    def area_geometry(self) -> pd.DataFrame | None:
        """Outlines of the statutory areas (``area_id, geometry_wkt``, EPSG:25832), if stored."""
        if not self.store.has(Table.AREA_GEOMETRY):
            return None
        frame: pd.DataFrame = (
            self.store.table(Table.AREA_GEOMETRY).select("area_id", "geometry_wkt").to_pandas()
        )
        return frame

    def load_area_outlines(
        self, path: str | Path, id_column: str = "area_id", name_column: str | None = None
    ) -> pd.DataFrame:
        """Store the areas' own outlines from a GeoPackage, shapefile or GeoJSON file (any
        declared CRS, reprojected to EPSG:25832), replacing stored or derived ones.

        Returns the stored ``area_id, geometry_wkt`` rows. See
        :func:`boligmonitor.geo.outlines.read_outlines` for the checks (InputError).
        """
        from boligmonitor.geo.outlines import read_outlines

        read = read_outlines(path, id_column, name_column)
        outlines = pd.DataFrame({"area_id": read["id"], "geometry_wkt": read["geometry_wkt"]})
        with self.store.run("load_area_outlines", inputs=[Path(path)]):
            self.store.write(Table.AREA_GEOMETRY, outlines)
        return outlines

    # -- designations ------------------------------------------------------------------------

    def evaluate(
        self,
        statistics: pd.DataFrame,
        year: int | None = None,
        rules: Sequence[str] | None = None,
    ) -> Evaluation:
        """Designate the given statistics rows (nothing is read or stored).

        Stored list history (:meth:`RecordFacet.load_history`) decides earlier years. The web
        app reads the statistics under its lock and evaluates outside it.
        """
        chosen = [self.rule_set(r) for r in rules] if rules else None
        return self.record.designate(statistics, year, chosen, tuple(self.rule_sets()))

    def designate(
        self, year: int | None = None, rules: Sequence[str] | None = None, store: bool = True
    ) -> Evaluation:
        """Designate the stored areas for a list year (or every year stored).

        Parameters
        ----------
        year
            List year; ``None`` for every year in the statistics.
        rules
            Rule-set ids or YAML paths; ``None`` applies the regimes in force each year
            (§ 61 a/§ 61 b and § 51 b).
        store
            Store the results in the ``designations`` table with a run record.
        """
        results = self.evaluate(self.area_statistics(year), year, rules)
        if store and results:
            used = sorted({(r.rule_set, r.rule_set_version) for r in results})
            with self.store.run(
                "designate",
                inputs=self._statistics_sources(),
                rule_sets=[RuleSetRef(i, v) for i, v in used],
                parameters={"year": year, "rules": rules, "history": self.record.history_record()},
            ) as run_id:
                self.store.merge(
                    Table.DESIGNATIONS,
                    _designation_rows(results, run_id),
                    ["area_id", "year", "rule_set"],
                )
        return results

    def _statistics_sources(self) -> list[dict[str, str]]:
        """The files (name and hash) the stored area statistics came from."""
        table = self.store.table(Table.AREA_STATISTICS)
        if "source_sha256" not in table.columns:
            return []
        pairs = table.select("source_file", "source_sha256").distinct().to_pandas()
        ordered = pairs.sort_values("source_file").itertuples(index=False)
        return [{"path": str(name), "sha256": str(digest)} for name, digest in ordered]

    def stored_designations(self, year: int | None = None) -> list[StoredRecord]:
        """Stored designation records (the JSON shape), optionally for one year."""
        if not self.store.has(Table.DESIGNATIONS):
            return []
        table = self.store.table(Table.DESIGNATIONS)
        if year is not None:
            table = table.filter(table.year == year)
        return [json.loads(text) for text in table.record.to_pandas()]

    def explain(self, area_id: str, year: int, rules: Sequence[str] | None = None) -> Evaluation:
        """The designations of one area and year, with every criterion's reasoning.

        Raises
        ------
        InputError
            When the area has no statistics for that year.
        """
        statistics = self.area_statistics(year)
        results = self.evaluate(statistics[statistics["area_id"] == area_id], year, rules)
        if not results:
            raise InputError.single(
                "workspace",
                "no statistics for area '{area_id}' in {year}",
                area_id=area_id,
                year=year,
            )
        return results

    def area_designations(self, area_id: str, rules: Sequence[str] | None = None) -> Evaluation:
        """One area's designations in every stored year, with reasons (nothing is stored).

        Only the area's own rows are read: earlier years of the same area are all the
        consecutive-year designations need, so the result equals :meth:`designate`'s.
        """
        return self.evaluate(self.statistics_rows(area_id=area_id), None, rules)


def _designation_rows(results: Sequence[AreaDesignation], run_id: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_id": [r.area_id for r in results],
            "area_name": [r.area_name for r in results],
            "year": [r.year for r in results],
            "rule_set": [r.rule_set for r in results],
            "rule_set_version": [r.rule_set_version for r in results],
            "residents": pd.array([r.residents for r in results], dtype="Int64"),
            "designations": [";".join(r.designations) for r in results],
            "record": [json.dumps(r.as_record(), ensure_ascii=False) for r in results],
            "run_id": run_id,
        }
    )
