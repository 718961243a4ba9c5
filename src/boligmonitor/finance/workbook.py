"""Reading plans from an Excel workbook, with sheet, row and column in every problem.

One sheet per record type, a heading row and one record per row (Danish sheet names accepted):

- ``organisations`` (``organisationer``): id, name, kind, administered_by
- ``departments`` (``afdelinger``): id, name, organisation, streets, leases, residents,
  boligomraade, byomraade, note
- ``plans`` (``planer``): id, name, administrator, municipality, start, end, extended_to,
  extends, bases, focus_areas, lbf_share, municipality_share_of_local, municipality_payer,
  source, note
- ``members`` (``medlemmer``): plan, department, entry, exit
- ``budget``: plan, label, amount, start, end

Lists (streets, bases, focus_areas) are separated by ``;``. Budget notes and Landsbyggefonden's
frame are given in YAML only. The workbook becomes the same structure as a YAML plan file and is
validated by the same models and checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel, ValidationError

from boligmonitor.errors import InputError, Problem
from boligmonitor.schema.yamlfile import Finding, is_tag, validation_problem

__all__ = ["PlanWorkbook", "Sheet", "read_plan_workbook"]

SHEETS = {
    "organisations": ("organisations", "organisationer"),
    "departments": ("departments", "afdelinger"),
    "plans": ("plans", "planer"),
    "members": ("members", "medlemmer"),
    "budget": ("budget",),
}
LIST_FIELDS = frozenset({"streets", "bases", "focus_areas"})
FINANCING_FIELDS = {
    "lbf_share": "lbf_share",
    "municipality_share_of_local": "municipality_share_of_local",
    "municipality_payer": "municipality",
}

Loc = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


class Sheet(NamedTuple):
    """A sheet's title as the user named it and its records with their row numbers."""

    title: str
    records: list[tuple[int, dict[str, Any]]]


@dataclass
class PlanWorkbook:
    """A plan workbook as plan-file data, remembering the sheet and row of every record."""

    file: Path
    data: dict[str, Any] = field(default_factory=dict)
    places: dict[Loc, tuple[str, int]] = field(default_factory=dict)

    def place(self, loc: Loc) -> tuple[str, int | None, str | None]:
        """Where a field path lies: the file with its sheet, the row and the column."""
        for end in range(len(loc), 0, -1):
            place = self.places.get(loc[:end])
            if place is not None:
                sheet, row = place
                return f"{self.file} [{sheet}]", row, _column_of([str(p) for p in loc[end:]])
        return str(self.file), None, ".".join(map(str, loc)) or None

    def problem(self, finding: Finding) -> Problem:
        """A finding as a problem placed at its sheet, row and column."""
        return finding.problem(*self.place(finding.loc))

    def validated(self, model: type[M], checks: Callable[[M], list[Finding]]) -> M:
        """The workbook's data validated by ``model`` and then by ``checks`` across records.

        Raises
        ------
        InputError
            Every problem of the first stage that finds any, at its sheet, row and column,
            worded as for a YAML file.
        """
        try:
            parsed = model.model_validate(self.data)
        except ValidationError as exc:
            problems = []
            for error in exc.errors():
                file, row, column = self.place(tuple(p for p in error["loc"] if not is_tag(p)))
                problems.append(validation_problem(file, error, row, column))
            raise InputError(problems) from exc
        findings = checks(parsed)
        if findings:
            raise InputError(self.problem(finding) for finding in findings)
        return parsed


def _column_of(rest: list[str]) -> str | None:
    if rest[:1] == ["financing"] and len(rest) > 1:
        return next((k for k, v in FINANCING_FIELDS.items() if v == rest[1]), rest[1])
    return rest[0] if rest else None


def read_plan_workbook(path: Path) -> PlanWorkbook:
    """Read a plan workbook into plan-file data.

    Raises
    ------
    InputError
        When the file cannot be read, a sheet is unknown, or a member or budget row names a
        plan that the plans sheet does not have.
    """
    sheets = read_sheets(path, SHEETS)
    result = PlanWorkbook(path)
    problems = _build(result, sheets)
    if problems:
        raise InputError(problems)
    return result


def read_sheets(path: Path, kinds: Mapping[str, tuple[str, ...]]) -> dict[str, Sheet]:
    """The sheets of a workbook by record kind (each kind's accepted sheet names in ``kinds``).

    Raises
    ------
    InputError
        When the file cannot be read or a sheet has a name of no kind.
    """
    from openpyxl import load_workbook  # imported here: only workbook inputs need it

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on broken files
        raise InputError.single(path, "cannot read workbook: {exc}", exc=exc) from exc
    sheets: dict[str, Sheet] = {}
    problems = []
    for sheet in workbook.worksheets:
        kind = next((k for k, names in kinds.items() if sheet.title.lower() in names), None)
        if kind is None:
            known = ", ".join(n for names in kinds.values() for n in names)
            problems.append(
                Problem(
                    str(path),
                    "unknown sheet '{title}'; use {known}",
                    params={"title": sheet.title, "known": known},
                )
            )
            continue
        sheets[kind] = Sheet(sheet.title, list(_records(sheet.iter_rows(values_only=True))))
    workbook.close()
    if problems:
        raise InputError(problems)
    return sheets


def _records(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[int, dict[str, Any]]]:
    headings = [str(h).strip().lower() if h is not None else "" for h in next(rows, ())]
    for number, values in enumerate(rows, start=2):
        record = {h: _cell(h, v) for h, v in zip(headings, values, strict=False) if h}
        record = {k: v for k, v in record.items() if v is not None}
        if record:
            yield number, record


def _cell(heading: str, value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, str):
        value = value.strip() or None
        if value is not None and heading in LIST_FIELDS:
            return [part.strip() for part in value.split(";") if part.strip()]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _build(result: PlanWorkbook, sheets: dict[str, Sheet]) -> list[Problem]:
    for kind in ("organisations", "departments"):
        sheet = sheets.get(kind, Sheet(kind, []))
        result.data[kind] = [record for _, record in sheet.records]
        for index, (row, _) in enumerate(sheet.records):
            result.places[(kind, index)] = (sheet.title, row)
    result.data["plans"] = []
    by_id: dict[str, int] = {}
    plans = sheets.get("plans", Sheet("plans", []))
    for index, (row, record) in enumerate(plans.records):
        financing = {
            FINANCING_FIELDS[k]: record.pop(k) for k in list(record) if k in FINANCING_FIELDS
        }
        plan = {**record, "departments": [], "budget": []}
        if financing:
            plan["financing"] = financing
        result.data["plans"].append(plan)
        result.places[("plans", index)] = (plans.title, row)
        by_id.setdefault(str(record.get("id")), index)
    problems = []
    for kind, target in (("members", "departments"), ("budget", "budget")):
        sheet = sheets.get(kind, Sheet(kind, []))
        for row, record in sheet.records:
            plan_id = str(record.pop("plan", ""))
            if plan_id not in by_id:
                where = f"{result.file} [{sheet.title}]"
                problems.append(
                    Problem(
                        where, "unknown plan '{plan_id}'", row, "plan", params={"plan_id": plan_id}
                    )
                )
                continue
            entries = result.data["plans"][by_id[plan_id]][target]
            result.places[("plans", by_id[plan_id], target, len(entries))] = (sheet.title, row)
            entries.append(record)
    return problems
