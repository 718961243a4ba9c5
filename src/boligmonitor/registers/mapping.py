"""The register mapping: which register, variable and code translation fills each column.

A mapping is YAML validated by pydantic (``data/registers/<name>.yaml``). A user file may
name a shipped layout as ``base`` and override single entries: a register's fields, or one
column's whole translation. See ``docs/registers.md``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError

from boligmonitor.data import data_path, shipped_ids
from boligmonitor.errors import InputError, Problem
from boligmonitor.schema.microdata_tables import EDUCATION_VALUES, TENURE_VALUES
from boligmonitor.schema.yamlfile import StrictModel, is_tag, line_of, read_yaml, validation_problem

__all__ = [
    "AgeColumn",
    "AnyRowColumn",
    "CodesColumn",
    "Mapping",
    "NumberColumn",
    "OriginColumn",
    "PresentColumn",
    "RulesColumn",
    "WeeksColumn",
    "load_mapping",
]

Code = str


class Register(StrictModel):
    """One register: its file stem per year and its unique key (if any)."""

    file: str
    unique: list[str] = Field(default_factory=list)
    optional: bool = False
    about: str = ""


class AddressKey(StrictModel):
    """The unit address key variables and how they combine into ``address_id``."""

    reg: str = Field(alias="register")
    variables: list[str] = Field(min_length=1, max_length=2)
    multiplier: int = Field(gt=0)


class _Column(StrictModel):
    reg: str = Field(alias="register")


class NumberColumn(_Column):
    """A numeric variable copied as it is (empty when the person has no row)."""

    kind: Literal["number"]
    variable: str


class AgeColumn(_Column):
    """Age in whole years at 1 January of the year, from a birth date."""

    kind: Literal["age"]
    variable: str


class PresentColumn(_Column):
    """True when the variable holds a value for the person."""

    kind: Literal["present"]
    variable: str


class Override(StrictModel):
    """A second variable whose codes replace the first translation."""

    variable: str
    codes: dict[Code, str | bool]


class CodesColumn(_Column):
    """Codes (exact, then longest prefix) translated to values; unknown codes are errors."""

    kind: Literal["codes"]
    variable: str
    codes: dict[Code, str | bool] = Field(default_factory=dict)
    prefixes: dict[Code, str | bool] = Field(default_factory=dict)
    override: Override | None = None
    missing: str | bool | None = None
    otherwise: str | bool | None = None


class OriginColumn(_Column):
    """Origin from the immigrant type and the country of origin's group."""

    kind: Literal["origin"]
    type_variable: str
    types: dict[Code, Literal["danish", "immigrant", "descendant"]]
    country_variable: str
    western: dict[Code, str]
    otherwise: Literal["nonwestern"] | None = None


class WeeksColumn(_Column):
    """Fraction of the year's weeks whose code is in ``codes``."""

    kind: Literal["weeks"]
    week_prefix: str
    codes: list[Code]
    missing: float = 0.0


class AnyRowColumn(_Column):
    """True when any of the person's rows has a code starting with one of ``prefixes``."""

    kind: Literal["any_row"]
    variable: str
    prefixes: list[Code]


class Rule(StrictModel):
    """Variables' codes that must all match, and the value then."""

    when: dict[str, list[Code]]
    value: str


class RulesColumn(_Column):
    """The first rule whose codes all match gives the value; none matching is an error."""

    kind: Literal["rules"]
    rules: list[Rule] = Field(min_length=1)


AnyColumn = Annotated[
    NumberColumn
    | AgeColumn
    | PresentColumn
    | CodesColumn
    | OriginColumn
    | WeeksColumn
    | AnyRowColumn
    | RulesColumn,
    Field(discriminator="kind"),
]


class Columns(StrictModel):
    """One translation per schema column that does not come from the geography tables."""

    age: AnyColumn
    origin: AnyColumn
    education: AnyColumn
    in_education: AnyColumn
    permanently_outside_labour_force: AnyColumn
    no_attachment_fraction: AnyColumn
    gross_income: AnyColumn
    disposable_income: AnyColumn
    taxpayer: AnyColumn
    convicted: AnyColumn
    living_area_m2: AnyColumn
    tenure: AnyColumn


class Mapping(StrictModel):
    """A register layout: registers, keys and the translation of every column."""

    layout: str
    description: str = ""
    registers: dict[str, Register]
    person: str
    address: AddressKey
    columns: Columns

    def check(self, origin: Path) -> None:
        """Cross-field checks: registers exist, values are schema values."""
        problems: list[Problem] = []
        used = [self.address.reg] + [getattr(self.columns, n).reg for n in Columns.model_fields]
        for name in used:
            if name not in self.registers:
                problems.append(
                    Problem(
                        str(origin), "unknown register '{name}'", None, name, params={"name": name}
                    )
                )
        allowed = {"education": EDUCATION_VALUES, "tenure": TENURE_VALUES}
        for column, values in allowed.items():
            for value in _values(getattr(self.columns, column)):
                if value not in values:
                    problems.append(
                        Problem(
                            str(origin),
                            "'{value}' is not one of: {values}",
                            None,
                            f"columns.{column}",
                            {"value": value, "values": ", ".join(values)},
                        )
                    )
        if problems:
            raise InputError(problems)


def _values(column: object) -> list[object]:
    if isinstance(column, CodesColumn):
        found = [*column.codes.values(), *column.prefixes.values(), column.missing]
        if column.override is not None:
            found.extend(column.override.codes.values())
        return [v for v in found if v is not None]
    if isinstance(column, RulesColumn):
        return [rule.value for rule in column.rules]
    return []


def _layout_path(name: str) -> Path:
    path = data_path("registers", f"{name}.yaml")
    if name not in shipped_ids("registers"):
        known = ", ".join(shipped_ids("registers"))
        raise InputError.single(
            "--mapping", "unknown layout '{name}' (known: {known})", name=name, known=known
        )
    return path


def load_mapping(name_or_path: str | Path) -> Mapping:
    """A shipped layout by name (``dst``) or a user file that overrides single entries.

    A user file holds ``base: <layout>`` and any of ``registers: {NAME: {field: value}}``
    (fields merged into that register) and ``columns: {column: {...}}`` (the column's whole
    translation replaced).

    Raises
    ------
    InputError
        Naming file, line and field of every problem.
    """
    text = str(name_or_path)
    if not text.endswith((".yaml", ".yml")):
        path = _layout_path(text)
        data, node = read_yaml(path)
        return _validated(data, {path: node}, path)
    user_path = Path(text)
    user, user_node = read_yaml(user_path)
    if not isinstance(user, dict) or not isinstance(user.get("base"), str):
        raise InputError.single(user_path, "a mapping file needs 'base: <layout>', e.g. dst")
    base_path = _layout_path(user["base"])
    base, base_node = read_yaml(base_path)
    assert isinstance(base, dict)
    merged = dict(base)
    registers = {k: dict(v) for k, v in base.get("registers", {}).items()}
    for name, fields in (user.get("registers") or {}).items():
        registers[name] = {**registers.get(name, {}), **(fields or {})}
    merged["registers"] = registers
    merged["columns"] = {**base.get("columns", {}), **(user.get("columns") or {})}
    for key in ("person", "address", "description"):
        if key in user:
            merged[key] = user[key]
    extra = set(user) - {"base", "registers", "columns", "person", "address", "description"}
    if extra:
        raise InputError(
            Problem(str(user_path), "unknown field", line_of(user_node, [key]), str(key))
            for key in sorted(extra, key=str)
        )
    return _validated(merged, {user_path: user_node, base_path: base_node}, user_path)


def _validated(data: object, nodes: dict[Path, object], origin: Path) -> Mapping:
    try:
        mapping = Mapping.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = [part for part in error["loc"] if not is_tag(part)]
            field = ".".join(str(part) for part in loc) or None
            line = None
            for path, node in nodes.items():
                line = line_of(node, loc)  # type: ignore[arg-type]
                if line is not None:
                    problems.append(validation_problem(str(path), error, line, field))
                    break
            if line is None:
                problems.append(validation_problem(str(origin), error, None, field))
        raise InputError(problems) from exc
    mapping.check(origin)
    return mapping
