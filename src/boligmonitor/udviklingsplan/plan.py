"""Udviklingsplan files: per area the measures with dates and counts, re-housing, the approved
target and optionally the baseline stock; YAML or Excel, validated with file, row and field.

A YAML file holds ``plans:``, a list of area plans (see ``docs/udviklingsplaner.md``). An Excel
file holds a sheet ``plans`` (one row per area) and a sheet ``measures`` (one row per measure).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import Field, ValidationError

from boligmonitor.errors import InputError, Number, Problem
from boligmonitor.schema.yamlfile import (
    Finding,
    StrictModel,
    is_tag,
    line_of,
    read_yaml,
    validation_problem,
)
from boligmonitor.udviklingsplan.counting import COMMERCIAL, CountingRules
from boligmonitor.udviklingsplan.stock import Stock

__all__ = [
    "AreaPlan",
    "Baseline",
    "Measure",
    "PlanDocument",
    "PlanFile",
    "PlanTarget",
    "check_plans",
    "read_plans",
]


class Measure(StrictModel):
    """One measure: a kind (see the counting rules), its completion date and its size."""

    kind: str
    date: dt.date
    dwellings: int | None = Field(default=None, gt=0)
    m2: int | None = Field(default=None, gt=0)
    rehoused: int | None = Field(default=None, ge=0)
    note: str | None = None
    source: str | None = None

    @property
    def amount(self) -> int:
        """Dwellings, or m² for commercial floor space."""
        return self.m2 if self.m2 is not None else (self.dwellings or 0)


class Baseline(StrictModel):
    """The stock at 1 January of ``year`` when it is not taken from a stock table."""

    year: int = Field(ge=1990, le=2100)
    dwellings: dict[str, int] = Field(default_factory=dict)
    commercial_m2: int = Field(default=0, ge=0)
    demolished_not_replaced: int = Field(default=0, ge=0)
    source: str | None = None

    def stock(self) -> Stock:
        """As a :class:`Stock`."""
        return Stock(dict(self.dwellings), self.commercial_m2, self.demolished_not_replaced)


class PlanTarget(StrictModel):
    """The plan's approved target (a dispensation may set another share or date)."""

    share_pct: Decimal = Field(default=Decimal(40), ge=0, le=100)
    by: dt.date = dt.date(2030, 1, 1)
    source: str | None = None


class AreaPlan(StrictModel):
    """The udviklingsplan of one area."""

    area_id: str = Field(min_length=1)
    area_name: str | None = None
    approved: dt.date | None = None
    target: PlanTarget = PlanTarget()
    baseline: Baseline | None = None
    measures: tuple[Measure, ...] = ()
    sources: tuple[str, ...] = ()
    notes: str | None = None


class PlanFile(StrictModel):
    """A plan file: a list of area plans."""

    plans: tuple[AreaPlan, ...]


@dataclass(frozen=True)
class PlanDocument:
    """Validated plans and how to point at their places in the file.

    Attributes
    ----------
    file
        The file as the user named it.
    plans
        The area plans.
    locate
        ``(path) -> (row, field)`` for a field path such as ``("plans", 0, "measures", 2,
        "dwellings")``: the line (YAML) or sheet row (Excel) and the field's name there.
    """

    file: str
    plans: tuple[AreaPlan, ...]
    locate: Callable[[tuple[str | int, ...]], tuple[int | None, str]]

    def problem(self, finding: Finding) -> Problem:
        """A finding as a problem at its line (or row) and field."""
        row, name = self.locate(finding.loc)
        return finding.problem(self.file, row, name)


def read_plans(path: str | Path) -> PlanDocument:
    """Read and validate a plan file (``.yaml``/``.yml`` or ``.xlsx``) against the plan model.

    Raises
    ------
    InputError
        Naming the file, line or row, and field of every problem.
    """
    file = Path(path)
    if file.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_excel(file)
    data, node = read_yaml(file)

    def locate(loc: tuple[str | int, ...]) -> tuple[int | None, str]:
        return line_of(node, list(loc), nearest=True), ".".join(str(p) for p in loc)

    return _validated(str(file), data, locate)


def _validated(
    file: str, data: object, locate: Callable[[tuple[str | int, ...]], tuple[int | None, str]]
) -> PlanDocument:
    try:
        parsed = PlanFile.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(p for p in error["loc"] if not is_tag(p))
            row, name = locate(loc)
            problems.append(validation_problem(file, error, row, name or None))
        raise InputError(problems) from exc
    return PlanDocument(file, parsed.plans, locate)


_PLAN_FIELDS = ("area_id", "area_name", "approved", "notes")
_MEASURE_FIELDS = ("kind", "date", "dwellings", "m2", "rehoused", "note", "source")


def _read_excel(file: Path) -> PlanDocument:
    """Excel: sheet ``plans`` (area_id, area_name, approved, target_share_pct, target_by,
    baseline_year, baseline columns as in the stock table, notes) and sheet ``measures``."""
    if not file.is_file():
        raise InputError.single(file, "file not found")
    try:
        sheets = pd.read_excel(file, sheet_name=None, dtype=object)
    except Exception as exc:  # openpyxl raises many kinds of errors on broken files
        raise InputError.single(file, "cannot read the workbook: {exc}", exc=exc) from None
    for name in ("plans", "measures"):
        if name not in sheets:
            raise InputError.single(file, "the workbook has no sheet '{name}'", name=name)
    plans_sheet, measures_sheet = sheets["plans"], sheets["measures"]
    rows: dict[tuple[str | int, ...], tuple[int, str]] = {}
    plans = [_excel_plan(r, i, rows) for i, r in enumerate(_records(plans_sheet))]
    index = {str(p["area_id"]): i for i, p in enumerate(plans)}
    for position, record in enumerate(_records(measures_sheet)):
        plan = index.get(str(record.get("area_id")))
        if plan is None:
            raise InputError.single(
                f"{file} [measures]", "area not in sheet 'plans'", position + 2, "area_id"
            )
        measures = plans[plan]["measures"]
        rows[("plans", plan, "measures", len(measures))] = (position + 2, "measures")
        measures.append({k: record[k] for k in _MEASURE_FIELDS if record.get(k) is not None})

    def locate(loc: tuple[str | int, ...]) -> tuple[int | None, str]:
        for depth in range(len(loc), 0, -1):
            if loc[:depth] in rows:
                row, sheet = rows[loc[:depth]]
                return row, f"{sheet}: {loc[-1]}"
        return None, ".".join(str(p) for p in loc)

    return _validated(str(file), {"plans": plans}, locate)


def _records(sheet: pd.DataFrame) -> list[dict[str, Any]]:
    sheet = sheet.astype(object).where(sheet.notna(), None)
    records = sheet.to_dict("records")
    for record in records:
        for key, value in record.items():
            if isinstance(value, pd.Timestamp | dt.datetime):
                record[key] = value.date()
            elif isinstance(value, float) and value.is_integer():
                record[key] = int(value)
    return [{str(k): v for k, v in r.items()} for r in records]


def _excel_plan(
    record: dict[str, Any], index: int, rows: dict[tuple[str | int, ...], tuple[int, str]]
) -> dict[str, Any]:
    rows[("plans", index)] = (index + 2, "plans")
    plan: dict[str, Any] = {k: record[k] for k in _PLAN_FIELDS if record.get(k) is not None}
    target = {"share_pct": record.get("target_share_pct"), "by": record.get("target_by")}
    plan["target"] = {k: v for k, v in target.items() if v is not None}
    if record.get("baseline_year") is not None:
        reserved = {*_PLAN_FIELDS, "target_share_pct", "target_by", "baseline_year"}
        extra = {"commercial_m2", "demolished_not_replaced", "baseline_source"}
        dwellings = {k: v for k, v in record.items() if k not in reserved | extra and v is not None}
        plan["baseline"] = {
            "year": record["baseline_year"],
            "dwellings": dwellings,
            "commercial_m2": record.get("commercial_m2") or 0,
            "demolished_not_replaced": record.get("demolished_not_replaced") or 0,
        }
    plan["measures"] = []
    return plan


def check_plans(
    document: PlanDocument,
    rules: CountingRules,
    stocks: dict[str, tuple[int, Stock]],
) -> None:
    """Check plans against the counting rules and the stock.

    Parameters
    ----------
    document
        The plans as read.
    rules
        The counting rules (known kinds, the deadline).
    stocks
        Area id -> ``(year, stock)`` from the stock table; a plan's own baseline wins.

    Raises
    ------
    InputError
        Unknown kinds or categories, a wrong unit, measures dated on or after the deadline or
        before the baseline, removing more dwellings than the area holds at that date, a missing
        stock, or the same area twice.
    """
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, plan in enumerate(document.plans):
        where = ("plans", index)
        if plan.area_id in seen:
            problems.append(
                document.problem(Finding((*where, "area_id"), "area has more than one plan"))
            )
        seen.add(plan.area_id)
        problems.extend(_check_plan(document, rules, plan, index, stocks.get(plan.area_id)))
    if problems:
        raise InputError(problems)


def _check_plan(
    document: PlanDocument,
    rules: CountingRules,
    plan: AreaPlan,
    index: int,
    stored: tuple[int, Stock] | None,
) -> list[Problem]:
    where: tuple[str | int, ...] = ("plans", index)
    problems = _check_baseline(document, rules, plan, where)
    base = (plan.baseline.year, plan.baseline.stock()) if plan.baseline else stored
    if base is None:
        missing = Finding(
            (*where, "area_id"),
            "no dwelling stock for this area (give a baseline or load a stock table)",
        )
        return [*problems, document.problem(missing)]
    year, stock = base
    order = sorted(range(len(plan.measures)), key=lambda j: plan.measures[j].date)
    for j in order:
        measure, at = plan.measures[j], (*where, "measures", j)
        found = _check_measure(document, rules, measure, at, year)
        if found:
            problems.extend(found)
            continue
        kind = rules.kind(measure.kind)
        try:
            stock = stock.moved(kind.from_category, kind.to_category, measure.amount, rules)
        except ValueError:
            available = stock.count(kind.from_category or "")
            too_many = Finding(
                (*at, "dwellings"),
                "{kind} of {amount} dwellings on {date}, but the area then has only "
                "{available} in {category}",
                {
                    "kind": kind.id,
                    "amount": Number(measure.amount),
                    "date": measure.date.isoformat(),
                    "available": Number(available),
                    "category": kind.from_category,
                },
            )
            problems.append(document.problem(too_many))
    return problems


def _check_baseline(
    document: PlanDocument, rules: CountingRules, plan: AreaPlan, where: tuple[str | int, ...]
) -> list[Problem]:
    if plan.baseline is None:
        return []
    problems = []
    for category, count in plan.baseline.dwellings.items():
        at = (*where, "baseline", "dwellings", category)
        if category not in rules.category_ids:
            unknown = Finding(at, "unknown dwelling category '{category}'", {"category": category})
            problems.append(document.problem(unknown))
        elif count < 0:
            problems.append(document.problem(Finding(at, "must not be negative")))
    return problems


def _check_measure(
    document: PlanDocument,
    rules: CountingRules,
    measure: Measure,
    at: tuple[str | int, ...],
    base_year: int,
) -> list[Problem]:
    if measure.kind not in rules.kind_ids:
        known = ", ".join(rules.kind_ids)
        unknown = Finding(
            (*at, "kind"),
            "unknown measure kind '{kind}'; known: {known}",
            {"kind": measure.kind, "known": known},
        )
        return [document.problem(unknown)]
    problems = []
    deadline = rules.target.deadline
    if measure.date >= deadline:
        late = Finding(
            (*at, "date"),
            "measure dated after the deadline ({deadline} is too late)",
            {"deadline": deadline.isoformat()},
        )
        problems.append(document.problem(late))
    if measure.date < dt.date(base_year, 1, 1):
        early = Finding(
            (*at, "date"),
            "measure dated before the baseline (1 January {year})",
            {"year": base_year},
        )
        problems.append(document.problem(early))
    commercial = rules.kind(measure.kind).to_category == COMMERCIAL
    unit, other = ("m2", "dwellings") if commercial else ("dwellings", "m2")
    if getattr(measure, unit) is None or getattr(measure, other) is not None:
        counted = Finding(
            (*at, unit),
            "{kind} is counted in the field '{unit}' only",
            {"kind": measure.kind, "unit": unit},
        )
        problems.append(document.problem(counted))
    return problems
