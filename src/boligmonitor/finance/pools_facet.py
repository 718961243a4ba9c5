"""The pools facet: state pools, initiative agreements and goals counted from the lists.

Reads and writes the workspace store only; the arithmetic lives in :mod:`.pools`, validation in
:mod:`.pools_catalogue` and the list counts in :mod:`boligmonitor.monitor.goals.lists`.
Reference: seed ``002_9dd1058f2c68d0c3`` (Copenhagen's initiative agreements 2011).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from boligmonitor.data import data_path
from boligmonitor.errors import InputError
from boligmonitor.finance.pools import (
    AgreementFinance,
    AreaFunding,
    PoolShare,
    agreement_finance,
    area_funding,
    pool_allocation,
)
from boligmonitor.finance.pools_catalogue import (
    find_pool,
    load_pool_catalogue,
    pool_catalogue_frame,
    pool_catalogue_from_frame,
    shipped_pools,
)
from boligmonitor.finance.pools_model import PoolCatalogue
from boligmonitor.monitor.goals.catalogue import load_catalogue
from boligmonitor.monitor.goals.evaluate import Evaluation, evaluate_catalogue
from boligmonitor.monitor.goals.lists import (
    ListCountRow,
    count_on_lists,
    fill_catalogue,
    published_memberships,
    workspace_memberships,
)
from boligmonitor.store import Store, Table

__all__ = ["LIST_GOAL", "ListGoal", "MembershipSource", "PoolsFacet"]

MembershipSource = Literal["published", "workspace"]

#: Seed 002's goal: Copenhagen's 10 areas of 2010 at least halved by 2020.
LIST_GOAL = ("goals", "lists", "kk-2011-halvering.yaml")


@dataclass(frozen=True)
class ListGoal:
    """A goal catalogue counted from the lists: its evaluation and the count on every list."""

    evaluation: Evaluation
    counts: dict[str, list[ListCountRow]]


class PoolsFacet:
    """Pools, agreements and list-counted goals of one workspace.

    Parameters
    ----------
    store
        The workspace database; the pool file is kept in table ``pool_catalogue``.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    def catalogue(self) -> PoolCatalogue:
        """The stored pools and agreements, or the shipped example (seed 002)."""
        frame = self.store.read_or_none(Table.POOL_CATALOGUE)
        if frame is None or frame.empty:
            return shipped_pools()
        return pool_catalogue_from_frame(frame)

    def load(self, path: str | Path) -> PoolCatalogue:
        """Validate a pool file (YAML or Excel) and store it; nothing is stored on any problem.

        Raises
        ------
        InputError
            Every problem with file, line (or sheet and row) and field.
        """
        catalogue = load_pool_catalogue(path)
        with self.store.run("load_pools", inputs=[Path(path)]):
            self.store.write(Table.POOL_CATALOGUE, pool_catalogue_frame(catalogue))
        return catalogue

    def memberships(self, source: MembershipSource = "published") -> pd.DataFrame:
        """List memberships: the published record, or the workspace's designations.

        Raises
        ------
        InputError
            When the workspace has no designations.
        """
        if source == "published":
            return published_memberships()
        designations = self.store.read_or_none(Table.DESIGNATIONS)
        if designations is None or designations.empty:
            raise InputError.single("workspace", "no designations stored; designate first")
        return workspace_memberships(designations)

    def allocation(self, pool_id: str, source: MembershipSource = "published") -> list[PoolShare]:
        """Each municipality's share of a pool (øre), adding up exactly to the pool."""
        pool = find_pool(self.catalogue(), pool_id)
        return pool_allocation(pool, self.memberships(source))

    def agreement_finance(
        self, agreement_id: str, source: MembershipSource = "published"
    ) -> AgreementFinance:
        """An agreement's money by initiative and year, and the check against each pool."""
        return agreement_finance(self.catalogue(), agreement_id, self.memberships(source))

    def area_funding(self, area: str) -> list[AreaFunding]:
        """The agreements, initiatives and pools that fund an area (by name)."""
        return area_funding(self.catalogue(), area)

    def list_goal(
        self,
        path: str | Path | None = None,
        year: int | None = None,
        source: MembershipSource = "published",
    ) -> ListGoal:
        """A goal catalogue with list-counted indicators, evaluated (default: seed 002's goal).

        Parameters
        ----------
        path
            A goal-catalogue YAML file; default the shipped halving goal of 2011.
        year
            The status year; default the catalogue's target year.
        source
            Count from the published record or from the workspace's designations.
        """
        catalogue = load_catalogue(path or data_path(*LIST_GOAL))
        memberships = self.memberships(source)
        filled = fill_catalogue(catalogue, memberships)
        counts = {
            indicator.id: count_on_lists(indicator.lists, memberships)
            for goal in catalogue.goals
            for indicator in goal.indicators
            if indicator.lists is not None
        }
        return ListGoal(evaluate_catalogue(filled, year or catalogue.target_year), counts)
