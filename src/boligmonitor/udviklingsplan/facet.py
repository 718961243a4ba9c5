"""The udviklingsplan facet: dwelling stock, plans and their computation over one store.

Reference: Almenboligloven § 168 a (LBK nr. 1171 af 11/11/2024); lovforslag L 38 (2018-19).
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path

import pandas as pd

from boligmonitor.errors import InputError
from boligmonitor.store import Store, Table
from boligmonitor.udviklingsplan.calculate import PlanResult, calculate
from boligmonitor.udviklingsplan.counting import CountingRules, default_rules
from boligmonitor.udviklingsplan.obligations import obligations
from boligmonitor.udviklingsplan.plan import AreaPlan, Measure, check_plans, read_plans
from boligmonitor.udviklingsplan.stock import (
    Stock,
    read_stock_table,
    stock_from_microdata,
    stocks_from_frame,
)

__all__ = ["DEMO_EXAMPLE", "UdviklingsplanFacet", "example_plan_path"]

#: The worked example for the synthetic city's omdannelsesområde BO0005 (stock year 2022).
DEMO_EXAMPLE = "demo-folehavekvarteret"


def example_plan_path(name: str) -> Path:
    """A shipped example plan: ``demo-folehavekvarteret`` or ``mjoelnerparken``."""
    resource = files("boligmonitor") / "data" / "udviklingsplan" / "examples" / f"{name}.yaml"
    return Path(str(resource))


class UdviklingsplanFacet:
    """Udviklingsplaner (§ 168 a) of a workspace.

    Parameters
    ----------
    store
        The workspace database (tables ``udviklingsplan_stock`` and ``udviklingsplaner``).
    rules
        Counting rules; default the shipped ``dk-168a``.

    Examples
    --------
    >>> facet = UdviklingsplanFacet(Store.memory())  # doctest: +SKIP
    >>> facet.load_plans("udviklingsplan.yaml")  # doctest: +SKIP
    >>> facet.result("BO0005").first_met_year  # doctest: +SKIP
    """

    def __init__(self, store: Store, rules: CountingRules | None = None) -> None:
        self.store = store
        self.rules = rules if rules is not None else default_rules()

    # -- stock -------------------------------------------------------------------------------

    def load_stock(self, path: str | Path) -> pd.DataFrame:
        """Validate a user's stock table and store it (rows with the same area and year replaced).

        Raises
        ------
        InputError
            Naming file, row and column of every problem; nothing is stored then.
        """
        frame = read_stock_table(path)
        with self.store.run("udviklingsplan_stock", inputs=[Path(path)]):
            return self.store.merge(Table.UDVIKLINGSPLAN_STOCK, frame, ["area_id", "year"])

    def stock_from_microdata(self, year: int) -> pd.DataFrame:
        """Count the stock per area from the registered microdata, store it labelled ``year``."""
        frame = stock_from_microdata(self.store.microdata(), year, self.rules)
        with self.store.run("udviklingsplan_stock", parameters={"year": year}):
            return self.store.merge(Table.UDVIKLINGSPLAN_STOCK, frame, ["area_id", "year"])

    def stock(self, area_id: str | None = None) -> pd.DataFrame:
        """The stored stock table (optionally one area)."""
        frame = self.store.read_or_none(Table.UDVIKLINGSPLAN_STOCK)
        if frame is None:
            return pd.DataFrame(columns=["area_id", "year"])
        return frame if area_id is None else frame[frame["area_id"] == area_id]

    def _stored_stocks(self) -> dict[str, tuple[int, Stock]]:
        """Per area the earliest stored stock (the baseline a plan starts from)."""
        result: dict[str, tuple[int, Stock]] = {}
        for (area, year), stock in sorted(stocks_from_frame(self.stock(), self.rules).items()):
            result.setdefault(area, (year, stock))
        return result

    # -- plans -------------------------------------------------------------------------------

    def read_plans(self, path: str | Path) -> list[AreaPlan]:
        """Read and check a plan file without storing it.

        Raises
        ------
        InputError
            Every problem with file, line/row and field.
        """
        document = read_plans(path)
        check_plans(document, self.rules, self._stored_stocks())
        return list(document.plans)

    def load_plans(self, path: str | Path) -> list[AreaPlan]:
        """Read, check and store a plan file (plans for the same areas are replaced)."""
        plans = self.read_plans(path)
        frame = pd.DataFrame(
            {
                "area_id": [p.area_id for p in plans],
                "plan": [p.model_dump_json() for p in plans],
                "file": str(path),
            }
        )
        with self.store.run("udviklingsplan_load", inputs=[Path(path)]):
            self.store.merge(Table.UDVIKLINGSPLANER, frame, ["area_id"])
        return plans

    def plans(self) -> list[AreaPlan]:
        """The stored plans, by area id."""
        frame = self.store.read_or_none(Table.UDVIKLINGSPLANER)
        if frame is None:
            return []
        plans = [AreaPlan.model_validate_json(text) for text in frame["plan"]]
        return sorted(plans, key=lambda p: p.area_id)

    def plan(self, area_id: str) -> AreaPlan:
        """The stored plan of an area.

        Raises
        ------
        InputError
            When the area has no plan.
        """
        for plan in self.plans():
            if plan.area_id == area_id:
                return plan
        raise InputError.single("udviklingsplaner", "no plan for area '{area_id}'", area_id=area_id)

    def load_example(self, name: str = DEMO_EXAMPLE, stock_year: int = 2022) -> list[AreaPlan]:
        """Load a shipped example plan; the demo example counts its stock from the microdata.

        Raises
        ------
        InputError
            When the demo example is loaded without registered microdata.
        """
        if name == DEMO_EXAMPLE and stock_year not in set(self.stock()["year"]):
            self.stock_from_microdata(stock_year)
        return self.load_plans(example_plan_path(name))

    # -- computation -------------------------------------------------------------------------

    def result(self, area_id: str, plan: AreaPlan | None = None) -> PlanResult:
        """The plan of an area computed year by year to the deadline.

        Raises
        ------
        InputError
            When the area has no plan or no stock.
        """
        chosen = plan if plan is not None else self.plan(area_id)
        if chosen.baseline is not None:
            year, stock = chosen.baseline.year, chosen.baseline.stock()
        else:
            found = self._stored_stocks().get(area_id)
            if found is None:
                raise InputError.single(
                    "udviklingsplan_stock", "no stock for area '{area_id}'", area_id=area_id
                )
            year, stock = found
        return calculate(chosen, year, stock, self.rules)

    def what_if(self, area_id: str, extra: Sequence[Measure]) -> PlanResult:
        """The area's plan (or an empty one) with further measures added."""
        try:
            base = self.plan(area_id)
        except InputError:
            base = AreaPlan(area_id=area_id)
        measures = (*base.measures, *extra)
        return self.result(area_id, base.model_copy(update={"measures": measures}))

    def results(self) -> list[PlanResult]:
        """Every stored plan computed."""
        return [self.result(p.area_id, p) for p in self.plans()]

    def obligations(self, memberships: pd.DataFrame) -> pd.DataFrame:
        """Which areas must have a plan (also after leaving the list) and stray plans.

        Parameters
        ----------
        memberships
            ``area_id, year, designation``: the workspace's designations or the published record
            (:func:`~boligmonitor.udviklingsplan.obligations.published_memberships`).
        """
        return obligations(memberships, self.rules, [p.area_id for p in self.plans()])

    def overview(self, memberships: pd.DataFrame) -> pd.DataFrame:
        """One row per area with an obligation or a plan: status and the plan's outcome."""
        frame = self.obligations(memberships)
        results = {r.area_id: r for r in self.results()}
        frame["share_2030"] = [
            float(results[a].at_deadline.share) if a in results else None for a in frame["area_id"]
        ]
        frame["met_2030"] = [
            results[a].met_at_deadline if a in results else None for a in frame["area_id"]
        ]
        frame["first_met_year"] = [
            results[a].first_met_year if a in results else None for a in frame["area_id"]
        ]
        frame["gap_2030"] = [
            results[a].at_deadline.gap if a in results else None for a in frame["area_id"]
        ]
        return frame
