"""Helhedsplaner as data: organisations, departments, plans, budgets and budget notes.

The pydantic models a plan file (YAML) is validated against. Amounts are in thousand kr. with at
most five decimals (one øre = 0.00001 thousand kr.), never negative. Cross-references (departments
of a plan, a department in two plans at once, local co-financing under 25 %) are checked by
:mod:`boligmonitor.finance.catalogue`, which also gives every problem its line and field.

References: Landsbyggefonden, *Regulativ om tilskud til boligsociale indsatser* (financing
75 % LBF / at least 25 % local); seeds ``000_c5cb5aa8f1cc18d8`` (Mimerskvarter) and
``001_de2ba99353aea5a3`` (budget note 2026).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from boligmonitor.i18n import N_, as_language, translate
from boligmonitor.schema.yamlfile import StrictModel

__all__ = [
    "FOCUS_AREAS",
    "MINIMUM_LOCAL_SHARE",
    "BudgetLine",
    "BudgetNote",
    "BudgetNoteLine",
    "BudgetType",
    "Department",
    "Financing",
    "FrameYear",
    "Member",
    "Organisation",
    "Plan",
    "PlanCatalogue",
    "PublishedTotal",
    "Staff",
]

#: Landsbyggefonden requires local co-financing of at least 25 % of a plan's budget.
MINIMUM_LOCAL_SHARE = Decimal("0.25")

#: The four focus areas of a helhedsplan (LBF regulativ 2021-2026).
FOCUS_AREAS = (
    "uddannelse_og_livschancer",
    "beskaeftigelse",
    "kriminalitetsforebyggelse",
    "sammenhaengskraft_og_medborgerskab",
)

#: The names of the focus areas (msgids of the catalogue).
FOCUS_AREA_LABELS = {
    "uddannelse_og_livschancer": N_("Education and life chances"),
    "beskaeftigelse": N_("Employment"),
    "kriminalitetsforebyggelse": N_("Crime prevention"),
    "sammenhaengskraft_og_medborgerskab": N_("Cohesion and citizenship"),
}


def focus_area_label(focus_area: str, lang: str = "da") -> str:
    """The human name of a focus area id, e.g. ``Sammenhængskraft og medborgerskab``."""
    msgid = FOCUS_AREA_LABELS.get(focus_area)
    return focus_area if msgid is None else translate(msgid, as_language(lang))


FocusArea = Literal[
    "uddannelse_og_livschancer",
    "beskaeftigelse",
    "kriminalitetsforebyggelse",
    "sammenhaengskraft_og_medborgerskab",
]
BudgetType = Literal["anlæg", "service"]

#: Thousand kr., non-negative, to the øre.
Money = Annotated[Decimal, Field(ge=0, decimal_places=5)]
Share = Annotated[Decimal, Field(ge=0, le=1)]
Text = Annotated[str, Field(min_length=1)]


class Organisation(StrictModel):
    """A housing organisation (boligorganisation) or an administrator such as KAB."""

    id: Text
    name: Text
    kind: Literal["boligorganisation", "administrationsorganisation"] = "boligorganisation"
    administered_by: str | None = None


class Department(StrictModel):
    """A housing department (afdeling): the unit of leases and co-financing.

    ``boligomraade`` is the statutory area id it belongs to (as in area statistics);
    ``byomraade`` the municipal (screening) area, when known.
    """

    id: Text
    name: Text
    organisation: str | None = None
    streets: list[str] = Field(default_factory=list)
    leases: Annotated[int, Field(ge=0)] | None = None
    residents: Annotated[int, Field(ge=0)] | None = None
    boligomraade: str | None = None
    byomraade: str | None = None
    note: str | None = None


class Member(StrictModel):
    """A department's membership of a plan; dates default to the plan's period."""

    department: Text
    entry: dt.date | None = None
    exit: dt.date | None = None


class Staff(StrictModel):
    """A staff position of a plan."""

    title: Text
    fte: Annotated[Decimal, Field(ge=0)] | None = None


class BudgetLine(StrictModel):
    """A budget line for a period (default: the plan's period), in thousand kr."""

    label: Text
    amount: Money
    start: dt.date | None = None
    end: dt.date | None = None


class Financing(StrictModel):
    """How a plan is financed.

    Landsbyggefonden pays ``lbf_share`` (default 75 %); the rest is local and split between the
    municipality (``municipality_share_of_local``, default half) and the housing side, which is
    split between organisations by their departments' leases.
    """

    lbf_share: Share = Decimal("0.75")
    municipality_share_of_local: Share = Decimal("0.5")
    municipality: Text = "Københavns Kommune"


class Plan(StrictModel):
    """A boligsocial helhedsplan, or an extension of one (``extends``).

    An extension adds departments and budget to an existing plan from a date (Mimerskvarter into
    NørreBrobyggerne from 1 March 2022); ``extended_to`` lengthens a plan's period.
    """

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    name: Text
    administrator: str | None = None
    municipality: Text = "København"
    start: dt.date
    end: dt.date
    extended_to: dt.date | None = None
    extends: str | None = None
    bases: list[str] = Field(default_factory=list)
    staff: list[Staff] = Field(default_factory=list)
    focus_areas: list[FocusArea] = Field(default_factory=list)
    departments: list[Member] = Field(default_factory=list)
    budget: list[BudgetLine] = Field(default_factory=list)
    financing: Financing = Field(default_factory=Financing)
    source: str | None = None
    note: str | None = None

    @property
    def last_day(self) -> dt.date:
        """The plan's last day, after any extension."""
        return self.extended_to or self.end


class BudgetNoteLine(StrictModel):
    """One line of a municipal budget note: a budget type and yearly amounts (thousand kr.)."""

    label: Text
    budget_type: BudgetType
    committee: str | None = None
    appropriation: str | None = None
    includes_risk_margin: bool = False
    amounts: dict[int, Money]


class PublishedTotal(StrictModel):
    """A total row as printed in the source, kept to check it (``budget_type`` None: all)."""

    label: Text
    budget_type: BudgetType | None = None
    amounts: dict[int, Money]
    total: Money | None = None


class BudgetNote(StrictModel):
    """A municipal budget note (budgetnotat) financing helhedsplaner, by budget type and year."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    title: Text
    price_level: str | None = None
    plans: list[str] = Field(default_factory=list)
    risk_margin: Share = Decimal("0")
    lines: Annotated[list[BudgetNoteLine], Field(min_length=1)]
    published_totals: list[PublishedTotal] = Field(default_factory=list)
    source: str | None = None


class FrameYear(StrictModel):
    """Landsbyggefonden's national frame for helhedsplaner in one year (million kr.)."""

    year: int
    amount_mio: Annotated[Decimal, Field(ge=0)]
    note: str | None = None


class PlanCatalogue(StrictModel):
    """Everything a plan file holds."""

    organisations: list[Organisation] = Field(default_factory=list)
    departments: list[Department] = Field(default_factory=list)
    plans: list[Plan] = Field(default_factory=list)
    budget_notes: list[BudgetNote] = Field(default_factory=list)
    lbf_frame: list[FrameYear] = Field(default_factory=list)
    source: str = "plans"

    def plan(self, plan_id: str) -> Plan | None:
        """The plan with an id, or ``None``."""
        return next((p for p in self.plans if p.id == plan_id), None)

    def department(self, department_id: str) -> Department | None:
        """The department with an id, or ``None``."""
        return next((d for d in self.departments if d.id == department_id), None)

    def organisation(self, organisation_id: str) -> Organisation | None:
        """The organisation with an id, or ``None``."""
        return next((o for o in self.organisations if o.id == organisation_id), None)
