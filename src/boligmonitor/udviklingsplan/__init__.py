"""Udviklingsplaner (Almenboligloven § 168 a): dwelling stock, plans, the 40 % calculator, the
link to the lists, and outputs. See ``docs/udviklingsplaner.md``."""

from boligmonitor.udviklingsplan.calculate import (
    AdditionalMeasure,
    PlanResult,
    YearStatus,
    calculate,
    family_gap,
    minimal_amount,
)
from boligmonitor.udviklingsplan.counting import CountingRules, default_rules, load_rules
from boligmonitor.udviklingsplan.obligations import (
    memberships_from_designations,
    obligations,
    published_memberships,
)
from boligmonitor.udviklingsplan.plan import AreaPlan, Measure, PlanDocument, read_plans
from boligmonitor.udviklingsplan.stock import Stock

__all__ = [
    "AdditionalMeasure",
    "AreaPlan",
    "CountingRules",
    "Measure",
    "PlanDocument",
    "PlanResult",
    "Stock",
    "YearStatus",
    "calculate",
    "default_rules",
    "family_gap",
    "load_rules",
    "memberships_from_designations",
    "minimal_amount",
    "obligations",
    "published_memberships",
    "read_plans",
]
