"""Helhedsplaner and their money: plans, departments, budgets, co-financing and budget notes.

Everything is computed in øre and split by the largest-remainder rule, so every split adds up
exactly; see ``docs/finance.md``.
"""

from __future__ import annotations

from boligmonitor.finance.allocation import (
    largest_remainder,
    round_for_display,
    split_table,
    whole_percent,
)
from boligmonitor.finance.budget_note import BudgetNoteSummary, summarise_budget_note
from boligmonitor.finance.catalogue import load_plan_catalogue, shipped_catalogue
from boligmonitor.finance.designations import PlanDesignations, plan_designations
from boligmonitor.finance.financing import (
    ROUNDINGS,
    PayerShare,
    PlanFinance,
    Rounding,
    budget_by_year,
    cofinancing_split,
    plan_finance,
)
from boligmonitor.finance.frame import FrameCheck, check_lbf_frame
from boligmonitor.finance.model import Department, Organisation, Plan, PlanCatalogue

__all__ = [
    "ROUNDINGS",
    "BudgetNoteSummary",
    "Department",
    "FrameCheck",
    "Organisation",
    "PayerShare",
    "Plan",
    "PlanCatalogue",
    "PlanDesignations",
    "PlanFinance",
    "Rounding",
    "budget_by_year",
    "check_lbf_frame",
    "cofinancing_split",
    "largest_remainder",
    "load_plan_catalogue",
    "plan_designations",
    "plan_finance",
    "round_for_display",
    "shipped_catalogue",
    "split_table",
    "summarise_budget_note",
    "whole_percent",
]
