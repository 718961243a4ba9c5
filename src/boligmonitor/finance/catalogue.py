"""Loading and checking a plan file: references, overlaps, periods and co-financing.

Field validation (types, negative amounts) is pydantic's; this module adds the checks that
span records, and reports every problem with file, line and dotted field path, e.g.
``plans.1.departments.0.department``. Nothing is stored when any problem is found.

A department may belong to one plan at a time. An extension (``extends``) belongs to the same
programme as the plan it extends, so its departments are not double-counted against it.
Reference: LBF, *Regulativ om tilskud til boligsociale indsatser*, § 4 (at least 25 % local
co-financing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pandas as pd

from boligmonitor.data import data_path
from boligmonitor.errors import InputError, Number
from boligmonitor.finance.changes import line_period, member_period
from boligmonitor.finance.model import MINIMUM_LOCAL_SHARE, Plan, PlanCatalogue
from boligmonitor.finance.workbook import read_plan_workbook
from boligmonitor.schema.yamlfile import Finding, load_checked_yaml

__all__ = [
    "SHIPPED_PLANS",
    "catalogue_frame",
    "catalogue_from_frame",
    "catalogue_problems",
    "find_plan",
    "load_plan_catalogue",
    "programme_of",
    "shipped_catalogue",
]

#: The packaged example plans (seeds 000 and 001).
SHIPPED_PLANS = ("plans", "copenhagen.yaml")


def load_plan_catalogue(path: str | Path) -> PlanCatalogue:
    """Validate a plan file (YAML, or an Excel workbook: see :mod:`.workbook`) completely.

    Raises
    ------
    InputError
        Listing every problem with file, line (or sheet and row) and field.
    """
    file = Path(path)
    if file.suffix.lower() == ".xlsx":
        return _load_workbook(file)
    catalogue = load_checked_yaml(file, PlanCatalogue, catalogue_problems)
    return catalogue.model_copy(update={"source": file.name})


def _load_workbook(file: Path) -> PlanCatalogue:
    catalogue = read_plan_workbook(file).validated(PlanCatalogue, catalogue_problems)
    return catalogue.model_copy(update={"source": file.name})


@cache
def shipped_catalogue() -> PlanCatalogue:
    """The example plans shipped with Boligmonitor."""
    return load_plan_catalogue(data_path(*SHIPPED_PLANS))


def find_plan(catalogue: PlanCatalogue, plan_id: str) -> Plan:
    """The plan with an id.

    Raises
    ------
    InputError
        When there is none; the message lists the known ids.
    """
    plan = catalogue.plan(plan_id)
    if plan is None:
        known = ", ".join(p.id for p in catalogue.plans) or "none"
        raise InputError.single(
            catalogue.source,
            "unknown plan '{plan_id}'; known: {known}",
            plan_id=plan_id,
            known=known,
        )
    return plan


def catalogue_frame(catalogue: PlanCatalogue) -> pd.DataFrame:
    """The catalogue as a one-row table (JSON text) for storing in a workspace."""
    return pd.DataFrame({"source": [catalogue.source], "catalogue": [catalogue.model_dump_json()]})


def catalogue_from_frame(frame: pd.DataFrame) -> PlanCatalogue:
    """The catalogue stored by :func:`catalogue_frame`."""
    return PlanCatalogue.model_validate_json(str(frame["catalogue"].iloc[0]))


def programme_of(catalogue: PlanCatalogue, plan: Plan) -> str:
    """The id of the plan an extension (chain) belongs to; a plan's own id otherwise."""
    seen = {plan.id}
    while plan.extends is not None:
        parent = catalogue.plan(plan.extends)
        if parent is None or parent.id in seen:
            break
        seen.add(parent.id)
        plan = parent
    return plan.id


def catalogue_problems(catalogue: PlanCatalogue) -> list[Finding]:
    """Every cross-record problem of a catalogue, each at its field path."""
    return [
        *_duplicate_ids(catalogue),
        *_reference_problems(catalogue),
        *_period_problems(catalogue),
        *_cofinancing_problems(catalogue),
        *_overlap_problems(catalogue),
    ]


def _duplicate_ids(catalogue: PlanCatalogue) -> Iterator[Finding]:
    for field, ids in (
        ("organisations", [o.id for o in catalogue.organisations]),
        ("departments", [d.id for d in catalogue.departments]),
        ("plans", [p.id for p in catalogue.plans]),
        ("budget_notes", [n.id for n in catalogue.budget_notes]),
    ):
        first: dict[str, int] = {}
        for index, record_id in enumerate(ids):
            if record_id in first:
                yield Finding(
                    (field, index, "id"),
                    "duplicate id '{id}'; first at {first}",
                    {"id": record_id, "first": first[record_id]},
                )
            first.setdefault(record_id, index)


def _reference_problems(catalogue: PlanCatalogue) -> Iterator[Finding]:
    organisations = {o.id for o in catalogue.organisations}
    departments = {d.id for d in catalogue.departments}
    plans = {p.id for p in catalogue.plans}
    for index, department in enumerate(catalogue.departments):
        if department.organisation is not None and department.organisation not in organisations:
            yield _unknown_organisation(
                ("departments", index, "organisation"), department.organisation
            )
    for index, plan in enumerate(catalogue.plans):
        where = ("plans", index)
        if plan.administrator is not None and plan.administrator not in organisations:
            yield _unknown_organisation((*where, "administrator"), plan.administrator)
        if plan.extends is not None and plan.extends not in plans - {plan.id}:
            yield _unknown_plan((*where, "extends"), plan.extends)
        if not plan.departments:
            yield Finding((*where, "departments"), "a plan needs at least one department")
        for position, member in enumerate(plan.departments):
            if member.department not in departments:
                yield Finding(
                    (*where, "departments", position, "department"),
                    "unknown department '{department}'",
                    {"department": member.department},
                )
    for index, note in enumerate(catalogue.budget_notes):
        for position, plan_id in enumerate(note.plans):
            if plan_id not in plans:
                yield _unknown_plan(("budget_notes", index, "plans", position), plan_id)


def _unknown_organisation(loc: tuple[str | int, ...], organisation: str) -> Finding:
    return Finding(loc, "unknown organisation '{organisation}'", {"organisation": organisation})


def _unknown_plan(loc: tuple[str | int, ...], plan_id: str) -> Finding:
    return Finding(loc, "unknown plan '{plan_id}'", {"plan_id": plan_id})


def _period_problems(catalogue: PlanCatalogue) -> Iterator[Finding]:
    for index, plan in enumerate(catalogue.plans):
        where = ("plans", index)
        if plan.end < plan.start:
            yield Finding(
                (*where, "end"),
                "the plan ends ({end}) before it starts ({start})",
                {"end": plan.end.isoformat(), "start": plan.start.isoformat()},
            )
            continue
        if plan.extended_to is not None and plan.extended_to < plan.end:
            yield Finding(
                (*where, "extended_to"),
                "an extension must end after {end}",
                {"end": plan.end.isoformat()},
            )
        for position, member in enumerate(plan.departments):
            first, last = member_period(plan, member)
            if not plan.start <= first <= last <= plan.last_day:
                yield _outside((*where, "departments", position), first, last, plan)
        for position, line in enumerate(plan.budget):
            first, last = line_period(plan, line)
            if not plan.start <= first <= last <= plan.last_day:
                yield _outside((*where, "budget", position), first, last, plan)
        parent = catalogue.plan(plan.extends) if plan.extends else None
        if parent is not None and not parent.start <= plan.start <= plan.end <= parent.last_day:
            yield Finding(
                (*where, "start"),
                "the extension {start}–{end} lies outside '{parent}' ({parent_start}–{parent_end})",
                {
                    "start": plan.start.isoformat(),
                    "end": plan.end.isoformat(),
                    "parent": parent.id,
                    "parent_start": parent.start.isoformat(),
                    "parent_end": parent.last_day.isoformat(),
                },
            )


def _outside(loc: tuple[str | int, ...], first: dt.date, last: dt.date, plan: Plan) -> Finding:
    return Finding(
        loc,
        "period {first}–{last} is empty or outside the plan's {start}–{end}",
        {
            "first": first.isoformat(),
            "last": last.isoformat(),
            "start": plan.start.isoformat(),
            "end": plan.last_day.isoformat(),
        },
    )


def _cofinancing_problems(catalogue: PlanCatalogue) -> Iterator[Finding]:
    for index, plan in enumerate(catalogue.plans):
        local = 1 - plan.financing.lbf_share
        if local < MINIMUM_LOCAL_SHARE:
            yield Finding(
                ("plans", index, "financing", "lbf_share"),
                "local co-financing is {local} (lbf_share {lbf_share}); at least {minimum} is "
                "required",
                {
                    "local": Number(local, 0, percent=True),
                    "lbf_share": Number(plan.financing.lbf_share),
                    "minimum": Number(MINIMUM_LOCAL_SHARE, 0, percent=True),
                },
            )


def _overlap_problems(catalogue: PlanCatalogue) -> Iterator[Finding]:
    """A department in two programmes (or twice in one) for overlapping periods."""
    seen: dict[str, list[tuple[str, str, dt.date, dt.date]]] = {}
    for index, plan in enumerate(catalogue.plans):
        programme = programme_of(catalogue, plan)
        for position, member in enumerate(plan.departments):
            first, last = member_period(plan, member)
            if last < first:
                continue
            for other_programme, other_plan, start, end in seen.get(member.department, []):
                clash = other_programme != programme or other_plan == plan.id
                if clash and first <= end and start <= last:
                    yield Finding(
                        ("plans", index, "departments", position, "department"),
                        "department '{department}' is already in plan '{plan}' from {start} to "
                        "{end}; periods overlap ({first}–{last})",
                        {
                            "department": member.department,
                            "plan": other_plan,
                            "start": start.isoformat(),
                            "end": end.isoformat(),
                            "first": first.isoformat(),
                            "last": last.isoformat(),
                        },
                    )
            seen.setdefault(member.department, []).append((programme, plan.id, first, last))
