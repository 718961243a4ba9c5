"""The plans facet: boligsociale helhedsplaner, their budgets and co-financing.

Financing follows Landsbyggefonden's rules for helhedsplaner (75 % LBF, the rest split between the
municipality and the housing organisations by leases); see ``docs/finance.md``.
"""

from __future__ import annotations

from pathlib import Path

from boligmonitor.finance.budget_note import BudgetNoteSummary, summarise_budget_note
from boligmonitor.finance.catalogue import (
    catalogue_frame,
    catalogue_from_frame,
    find_plan,
    load_plan_catalogue,
    shipped_catalogue,
)
from boligmonitor.finance.designations import PlanDesignations, plan_designations
from boligmonitor.finance.financing import PlanFinance, Rounding, plan_finance
from boligmonitor.finance.frame import FrameCheck, check_catalogue_frame
from boligmonitor.finance.model import Plan, PlanCatalogue
from boligmonitor.rules.facet import DesignationFacet
from boligmonitor.store import Store, Table

__all__ = ["PlansFacet"]


class PlansFacet:
    """Helhedsplaner of one workspace (or the shipped examples when none are stored).

    Parameters
    ----------
    store
        The workspace database.
    designations
        The stored statutory designations of the plans' areas.
    """

    def __init__(self, store: Store, designations: DesignationFacet) -> None:
        self.store = store
        self.designations = designations

    def load(self, path: str | Path) -> PlanCatalogue:
        """Validate a plan file (YAML) and store it, replacing the plans stored before.

        Raises
        ------
        InputError
            Listing every problem (file, line, field); nothing is stored.
        """
        file = Path(path)
        catalogue = load_plan_catalogue(file)
        with self.store.run("load_plans", inputs=[file]):
            self.store.write(Table.PLAN_CATALOGUE, catalogue_frame(catalogue))
        return catalogue

    def catalogue(self) -> PlanCatalogue:
        """The stored plans, or the shipped example plans (seeds 000 and 001) when none are."""
        stored = self.store.read_or_none(Table.PLAN_CATALOGUE)
        return shipped_catalogue() if stored is None else catalogue_from_frame(stored)

    def all(self) -> list[Plan]:
        """The helhedsplaner (and extensions) available."""
        return list(self.catalogue().plans)

    def plan(self, plan_id: str) -> Plan:
        """One plan by id; :class:`InputError` when unknown."""
        return find_plan(self.catalogue(), plan_id)

    def finance(
        self, plan_id: str, rounding: Rounding = "largest-remainder", decimals: int = 0
    ) -> PlanFinance:
        """A plan's co-financing by payer and year, computed in øre.

        ``rounding`` is ``"largest-remainder"`` or ``"whole-percent"``; ``decimals`` is the
        shown precision in thousand kr. (0-5).
        """
        return plan_finance(self.catalogue(), plan_id, rounding, decimals)

    def budget_note(self, note_id: str) -> BudgetNoteSummary:
        """A budget note's recomputed totals and the inconsistencies of its source."""
        return summarise_budget_note(self.catalogue(), note_id)

    def lbf_frame_check(self) -> list[FrameCheck]:
        """Landsbyggefonden's part of the plans per year against the national frame."""
        return check_catalogue_frame(self.catalogue())

    def designations_of(self, plan_id: str) -> PlanDesignations:
        """The stored statutory (and, when screened, municipal) designations of a plan's areas."""
        catalogue = self.catalogue()
        return plan_designations(
            catalogue,
            find_plan(catalogue, plan_id),
            self.designations.stored_designations(),
            self.store.read_or_none(Table.SCREENING_AREAS),
        )
