"""The record facet: the published lists, area identity, list history and reconciliation.

Reads and writes the workspace store only through :class:`~boligmonitor.store.Store`; the
domain logic lives in :mod:`.data`, :mod:`.identity`, :mod:`.history` and :mod:`.reconcile`.
References: Almenboligloven §§ 51 b, 61 a, 61 b; the ministry's lists 2010-2024 as compiled in
``data/record/SOURCES.md``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from boligmonitor.errors import InputError
from boligmonitor.record import OFFICIAL
from boligmonitor.record.data import official_lists, stated_counts
from boligmonitor.record.history import (
    area_history,
    official_history,
    read_history_file,
    record_rows,
    record_with_ids,
)
from boligmonitor.record.identity import AreaCatalogue, AreaEntry, Catalogue
from boligmonitor.record.reconcile import (
    Disagreement,
    published_members,
    reconcile,
    record_statistics,
)
from boligmonitor.rules.evaluate import AreaDesignation, evaluate
from boligmonitor.rules.evaluation import Evaluation
from boligmonitor.rules.history import ListHistory, Membership
from boligmonitor.rules.model import RuleSet
from boligmonitor.rules.registry import regime_for_date, shipped_rule_sets
from boligmonitor.schema.yamlfile import load_yaml_model
from boligmonitor.store import Store, Table

__all__ = ["OFFICIAL", "RecordFacet"]


class RecordFacet:
    """The published record of the statutory lists 2010-2024 in a workspace.

    Parameters
    ----------
    store
        The workspace database (history and the user's area names are stored there).
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._catalogue: AreaCatalogue | None = None
        self._rows: pd.DataFrame | None = None  # record_rows of the catalogue

    # -- area identity -----------------------------------------------------------------------

    def catalogue(self) -> AreaCatalogue:
        """Every area of the record and the user's additions, findable by any name."""
        if self._catalogue is None:
            catalogue = AreaCatalogue.packaged()
            stored = self.store.read_or_none(Table.AREA_IDENTITY)
            if stored is not None:
                catalogue.extend(AreaEntry.model_validate_json(t) for t in stored["entry"])
            self._catalogue = catalogue
        return self._catalogue

    def load_areas(self, path: str | Path) -> list[str]:
        """Extend area identity with a user's YAML file (same shape as ``areas.yaml``).

        Raises
        ------
        InputError
            When the file is invalid (file, line, field); nothing is stored then.
        """
        areas = load_yaml_model(Path(path), Catalogue).areas
        frame = pd.DataFrame(
            {"area_id": [a.id for a in areas], "entry": [a.model_dump_json() for a in areas]}
        )
        with self.store.run("load_areas", inputs=[Path(path)]):
            self.store.merge(Table.AREA_IDENTITY, frame, ["area_id"])
        self._catalogue = None
        self._rows = None
        return [a.id for a in areas]

    def resolve(self, name: str) -> str:
        """The stable id of an area given by id or any published name.

        Raises
        ------
        InputError
            When no area has that name.
        """
        found = self.catalogue().find(name)
        if found is None:
            raise InputError.single("area", "no area named '{name}' in the record", name=name)
        return found

    # -- the lists ---------------------------------------------------------------------------

    def lists(
        self,
        year: int | None = None,
        designation: str | None = None,
        municipality: str | None = None,
    ) -> pd.DataFrame:
        """The official lists with area ids, evidence and sources, filtered as asked."""
        frame = record_with_ids(self.catalogue())
        if year is not None:
            frame = frame[frame["list_year"] == year]
        if designation is not None:
            frame = frame[frame["designation"] == designation]
        if municipality is not None:
            frame = frame[frame["municipality"].str.lower() == municipality.lower()]
        return frame.drop(columns=["source_line"]).reset_index(drop=True)

    def completeness(self, year: int | None = None) -> pd.DataFrame:
        """Per list and designation: members in the record against the stated count."""
        frame = official_lists()
        if year is not None:
            frame = frame[frame["list_year"] == year]
        counts = stated_counts()
        rows = [
            {
                "list_year": int(g["list_year"].iloc[0]),
                "list_date": str(date),
                "designation": str(designation),
                "found": len(g),
                "published": int(g["published"].sum()),
                "stated": counts.get((str(date), str(designation))),
            }
            for (date, designation), g in frame.groupby(["list_date", "designation"])
        ]
        return pd.DataFrame(rows)

    def area_history(self, name: str) -> tuple[str, pd.DataFrame]:
        """Every list an area was on, found by any of its names (renames followed)."""
        area_id = self.resolve(name)
        if self._rows is None:
            self._rows = record_rows(self.catalogue())
        return area_id, area_history(area_id, self.catalogue(), self._rows)

    # -- history as input --------------------------------------------------------------------

    def load_history(self, source: str | Path) -> int:
        """Store list history for designations: ``official`` or a CSV/Excel file.

        Raises
        ------
        InputError
            When the file has any problem (file, row, column); nothing is stored then.
        """
        if str(source) == OFFICIAL:
            frame = pd.DataFrame(
                [
                    {
                        "source": OFFICIAL,
                        "area_id": None,
                        "year": None,
                        "designation": None,
                        "held": None,
                    }
                ]
            )
            inputs: list[Path | dict[str, str]] = [{"path": OFFICIAL, "sha256": ""}]
        else:
            path = Path(source)
            history, _ = read_history_file(path, self.catalogue())
            frame = pd.DataFrame(
                [
                    {
                        "source": path.name,
                        "area_id": m.area_id,
                        "year": m.year,
                        "designation": m.designation,
                        "held": m.held,
                    }
                    for m in history.memberships
                ]
            )
            inputs = [path]
        for column in ("source", "area_id", "designation"):
            frame[column] = frame[column].astype("string")
        frame["year"] = frame["year"].astype("Int64")
        frame["held"] = frame["held"].astype("boolean")
        with self.store.run("load_history", inputs=inputs):
            self.store.write(Table.LIST_HISTORY, frame)
        return len(frame)

    def history(self) -> ListHistory | None:
        """The stored list history, or ``None`` when none was loaded."""
        stored = self.store.read_or_none(Table.LIST_HISTORY)
        if stored is None or stored.empty:
            return None
        if (stored["source"] == OFFICIAL).any():
            return official_history(self.catalogue())
        return ListHistory(
            Membership(
                str(r.area_id),
                int(str(r.year)),
                str(r.designation),
                bool(r.held),
                "file",
                str(r.source),
            )
            for r in stored.itertuples(index=False)
        )

    def designate(
        self,
        statistics: pd.DataFrame,
        year: int | None = None,
        rule_sets: Sequence[RuleSet] | None = None,
        known: Sequence[RuleSet] | None = None,
    ) -> Evaluation:
        """Designate with the stored list history deciding earlier years.

        The statistics' area ids are matched to the record's areas by id or name, so a user's
        ``Ringparken, Slagelse`` meets the record's Ringparken.
        """
        return evaluate(statistics, year, rule_sets, known, self.history_for(statistics))

    def history_for(self, statistics: pd.DataFrame) -> ListHistory | None:
        """The stored list history keyed by the statistics' area ids (``None`` when none is
        stored): what :meth:`designate` reads, for callers that evaluate elsewhere."""
        history = self.history()
        return None if history is None else self._rekey(history, statistics)

    def _rekey(self, history: ListHistory, statistics: pd.DataFrame) -> ListHistory:
        catalogue = self.catalogue()
        to_user: dict[str, list[str]] = {}
        for area_id, name in zip(statistics["area_id"], statistics["area_name"], strict=True):
            canonical = catalogue.find(str(area_id)) or catalogue.find(str(name)) or str(area_id)
            to_user.setdefault(canonical, [])
            if str(area_id) not in to_user[canonical]:
                to_user[canonical].append(str(area_id))
        memberships = [
            Membership(user, m.year, m.designation, m.held, m.origin, m.source)
            for m in history.memberships
            for user in to_user.get(m.area_id, [m.area_id])
        ]
        return ListHistory(memberships, history.complete)

    # -- reconciliation ----------------------------------------------------------------------

    def record_statistics(self, year: int, list_date: str | None = None) -> pd.DataFrame:
        """Area statistics from the record's published values for one list."""
        return record_statistics(self.catalogue(), year, list_date)

    def published_statistics(self) -> pd.DataFrame:
        """Area statistics from every published list with values, one row per area and list
        year (the later list of a year when two share it)."""
        frames = [
            self.record_statistics(year) for year in sorted(official_lists()["list_year"].unique())
        ]
        frame = pd.concat([f for f in frames if not f.empty], ignore_index=True)
        frame = frame.sort_values(["area_id", "year", "list_date"], kind="stable")
        return frame.drop_duplicates(["area_id", "year"], keep="last").drop(columns="list_date")

    def reconcile(
        self,
        computed: Sequence[AreaDesignation],
        year: int,
        published: str | Path = OFFICIAL,
        rule_sets: Sequence[RuleSet] = (),
    ) -> list[Disagreement]:
        """Compare computed designations with the official list of ``year`` or a user's list.

        Raises
        ------
        InputError
            When the list file has any problem.
        """
        catalogue = self.catalogue()
        if str(published) == OFFICIAL:
            members, _ = published_members(catalogue, year)
        else:
            history, _ = read_history_file(published, catalogue)
            members = {}
            for m in history.memberships:
                if m.year == year and m.held:
                    members.setdefault(m.area_id, set()).add(m.designation)
        user_ids = {
            catalogue.find(r.area_id) or catalogue.find(r.area_name): r.area_id for r in computed
        }
        members = {user_ids.get(k, k): v for k, v in members.items()}
        by_id = {r.id: r for r in (*rule_sets, *shipped_rule_sets())}
        used = {r.rule_set for r in computed}
        designations = sorted(
            {d for v in members.values() for d in v} | {d for r in computed for d in r.designations}
        )
        designations = [
            d for d in designations if any(d in {x.id for x in by_id[u].designations} for u in used)
        ]
        names = {a: catalogue.display_name(a) for a in members if a in catalogue.entries}
        return reconcile(computed, members, designations, by_id, names)

    def regime(self, list_date: dt.date, family: str = "almenboligloven-61a") -> RuleSet | None:
        """The shipped regime governing a list date."""
        return regime_for_date(list_date, family)

    def history_record(self) -> str:
        """The stored history source, as JSON (for run records and the dashboard)."""
        stored = self.store.read_or_none(Table.LIST_HISTORY)
        return json.dumps(sorted(set(stored["source"])) if stored is not None else [])
