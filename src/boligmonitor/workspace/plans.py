"""Workspace methods for boligsociale helhedsplaner and their financing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from boligmonitor.workspace.base import PLANS_TABLE, SCREENING_AREAS_TABLE, WorkspaceBase

if TYPE_CHECKING:  # imported in the methods: they load the YAML models
    from boligmonitor.finance.budget_note import BudgetNoteSummary
    from boligmonitor.finance.designations import PlanDesignations
    from boligmonitor.finance.financing import PlanFinance, Rounding
    from boligmonitor.finance.frame import FrameCheck
    from boligmonitor.finance.model import Plan, PlanCatalogue


class PlanMethods(WorkspaceBase):
    """Workspace methods for boligsociale helhedsplaner and their financing."""

    def load_plans(self, path: str | Path) -> PlanCatalogue:
        """Validate a plan file (YAML) and store it, replacing the plans stored before.

        Raises
        ------
        InputError
            Listing every problem (file, line, field); nothing is stored.
        """
        from boligmonitor.finance.catalogue import catalogue_frame, load_plan_catalogue

        file = Path(path)
        catalogue = load_plan_catalogue(file)
        with self.run("load_plans", inputs=[file]):
            self.write_table(PLANS_TABLE, catalogue_frame(catalogue))
        return catalogue

    def plan_catalogue(self) -> PlanCatalogue:
        """The stored plans, or the shipped example plans (seeds 000 and 001) when none are."""
        from boligmonitor.finance.catalogue import catalogue_from_frame, shipped_catalogue

        if not self.has_table(PLANS_TABLE):
            return shipped_catalogue()
        return catalogue_from_frame(self.read_table(PLANS_TABLE))

    def plans(self) -> list[Plan]:
        """The helhedsplaner (and extensions) available."""
        return list(self.plan_catalogue().plans)

    def plan(self, plan_id: str) -> Plan:
        """One plan by id; :class:`InputError` when unknown."""
        from boligmonitor.finance.catalogue import find_plan

        return find_plan(self.plan_catalogue(), plan_id)

    def plan_finance(
        self, plan_id: str, rounding: Rounding = "largest-remainder", decimals: int = 0
    ) -> PlanFinance:
        """A plan's co-financing by payer and year, computed in øre (see ``docs/finance.md``).

        ``rounding`` is ``"largest-remainder"`` or ``"whole-percent"``; ``decimals`` is the
        shown precision in thousand kr. (0-5).
        """
        from boligmonitor.finance.financing import plan_finance

        return plan_finance(self.plan_catalogue(), plan_id, rounding, decimals)

    def budget_note(self, note_id: str) -> BudgetNoteSummary:
        """A budget note's recomputed totals and the inconsistencies of its source."""
        from boligmonitor.finance.budget_note import summarise_budget_note

        return summarise_budget_note(self.plan_catalogue(), note_id)

    def lbf_frame_check(self) -> list[FrameCheck]:
        """Landsbyggefonden's part of the plans per year against the national frame."""
        from boligmonitor.finance.frame import check_catalogue_frame

        return check_catalogue_frame(self.plan_catalogue())

    def plan_designations(self, plan_id: str) -> PlanDesignations:
        """The stored statutory (and, when screened, municipal) designations of a plan's areas."""
        from boligmonitor.finance.catalogue import find_plan
        from boligmonitor.finance.designations import plan_designations

        catalogue = self.plan_catalogue()
        screening = None
        if self.has_table(SCREENING_AREAS_TABLE):
            screening = self.read_table(SCREENING_AREAS_TABLE)
        return plan_designations(
            catalogue, find_plan(catalogue, plan_id), self.stored_designations(), screening
        )
