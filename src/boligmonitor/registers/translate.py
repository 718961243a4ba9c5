"""Code translations as DuckDB SQL expressions over one register file's view.

Each translation gives the value expression, the checks whose failing rows are errors
(unknown codes, invalid numbers and dates) and the codes accepted by an ``otherwise`` rule,
which the import counts and reports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from boligmonitor.registers.files import RegisterFile
from boligmonitor.registers.mapping import (
    AgeColumn,
    AnyRowColumn,
    CodesColumn,
    NumberColumn,
    OriginColumn,
    PresentColumn,
    RulesColumn,
    WeeksColumn,
)
from boligmonitor.registers.sql import in_list, literal, number_in, one_of

__all__ = [
    "INTEGER_TYPES",
    "Check",
    "Translation",
    "code_sql",
    "literal",
    "translate",
    "variables_of",
]

_NUMERIC = ("DOUBLE", "FLOAT", "DECIMAL", "REAL")
INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
            "UINTEGER", "UBIGINT", "UHUGEINT")  # fmt: skip


@dataclass(frozen=True)
class Check:
    """Rows where ``failing`` holds are errors about ``variable``; ``shown`` is the value shown."""

    variable: str
    message: str
    failing: str
    shown: str


@dataclass
class Translation:
    """The SQL of one column over one register view."""

    value: str
    checks: list[Check] = field(default_factory=list)
    #: (variable, code expression, condition): codes taken by an ``otherwise`` rule.
    fallbacks: list[tuple[str, str, str]] = field(default_factory=list)
    #: The variables whose codes alone decide value, checks and fallbacks (none: per row).
    codes: list[str] = field(default_factory=list)


def code_sql(file: RegisterFile, variable: str) -> str:
    """The variable as a trimmed code text (5104.0 read from SAS becomes '5104')."""
    column = file.column(variable)
    kind = file.types[variable.upper()].upper()
    if kind.startswith(_NUMERIC):
        return f"CAST(TRY_CAST({column} AS BIGINT) AS VARCHAR)"
    if kind == "VARCHAR":
        return f"NULLIF(trim({column}), '')"
    return f"CAST({column} AS VARCHAR)"


#: Integer types whose every value is a BIGINT, compared as integers by :func:`is_code`.
_WHOLE_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER")


def _numeric(file: RegisterFile, variable: str) -> bool:
    """The variable is stored as a number whose codes are compared as integers."""
    kind = file.types[variable.upper()].upper()
    return kind in _WHOLE_TYPES or kind.startswith(_NUMERIC)


def _integer_sql(file: RegisterFile, variable: str) -> str:
    """A numeric variable as a whole number: the value :func:`code_sql` writes as text."""
    column = file.column(variable)
    if file.types[variable.upper()].upper().startswith(_NUMERIC):
        return f"TRY_CAST({column} AS BIGINT)"
    return column


def empty_sql(file: RegisterFile, variable: str) -> str:
    """The variable has no code (:func:`code_sql` is NULL), without writing it as text."""
    if _numeric(file, variable):
        return f"({_integer_sql(file, variable)} IS NULL)"
    return f"({code_sql(file, variable)} IS NULL)"


def is_code(file: RegisterFile, variable: str, codes: Iterable[str]) -> str:
    """The variable's code (as :func:`code_sql` writes it) is one of ``codes``; never NULL.

    Numeric variables are compared as integers with the codes that are whole numbers
    written as :func:`code_sql` writes them (``"05"`` can never match, as before); text
    codes from Parquet are tested once per distinct code, from CSV by one hash lookup.
    """
    listed = [str(c) for c in codes]
    if _numeric(file, variable):
        numbers = [int(c) for c in listed if _whole(c)]
        return number_in(_integer_sql(file, variable), numbers)
    code = code_sql(file, variable)
    return in_list(code, listed) if file.dictionary else one_of(code, listed)


def _whole(code: str) -> bool:
    """``code`` is a BIGINT written as DuckDB writes an integer as text."""
    try:
        number = int(code)
    except ValueError:
        return False
    return str(number) == code and -(2**63) <= number < 2**63


def _test(file: RegisterFile) -> Callable[[str, list[str]], str]:
    """The membership test for text codes of ``file`` (see :func:`is_code`)."""
    return in_list if file.dictionary else one_of


def _starts(file: RegisterFile, code: str, prefixes: Iterable[str]) -> str:
    """``code`` starts with one of ``prefixes``: one lookup per prefix length."""
    lengths: dict[int, list[str]] = {}
    for prefix in prefixes:
        lengths.setdefault(len(prefix), []).append(prefix)
    test = _test(file)
    parts = [f"{test(f'left({code}, {n})', listed)}" for n, listed in lengths.items()]
    return "(" + " OR ".join(parts) + ")" if parts else "FALSE"


def _by_prefix(file: RegisterFile, code: str, prefixes: dict[str, str | bool]) -> list[str]:
    """``WHEN`` clauses for prefixes, longest first, one per length and value."""
    groups: dict[tuple[int, str], list[str]] = {}
    for prefix in sorted(prefixes, key=len, reverse=True):
        groups.setdefault((len(prefix), literal(prefixes[prefix])), []).append(prefix)
    test = _test(file)
    return [
        f"WHEN {test(f'left({code}, {n})', listed)} THEN {value}"
        for (n, value), listed in groups.items()
    ]


def variables_of(column: object) -> list[str]:
    """The register variables a translation reads."""
    if isinstance(column, OriginColumn):
        return [column.type_variable, column.country_variable]
    if isinstance(column, CodesColumn):
        extra = [column.override.variable] if column.override is not None else []
        return [column.variable, *extra]
    if isinstance(column, RulesColumn):
        return sorted({v for rule in column.rules for v in rule.when})
    if isinstance(column, WeeksColumn):
        return []
    return [column.variable]  # type: ignore[attr-defined]


def translate(column: object, file: RegisterFile, year: int) -> Translation:
    """The SQL translation of one mapping column over ``file``."""
    if isinstance(column, NumberColumn):
        return _number(file, column.variable)
    if isinstance(column, AgeColumn):
        return _age(file, column.variable, year)
    if isinstance(column, PresentColumn):
        return Translation(f"(NOT {empty_sql(file, column.variable)})")
    if isinstance(column, CodesColumn):
        return _by_codes(_codes(file, column), column)
    if isinstance(column, OriginColumn):
        return _by_codes(_origin(file, column), column)
    if isinstance(column, RulesColumn):
        return _by_codes(_rules(file, column), column)
    if isinstance(column, AnyRowColumn):
        code = code_sql(file, column.variable)
        return Translation(f"coalesce({_starts(file, code, column.prefixes)}, FALSE)")
    if isinstance(column, WeeksColumn):
        return _weeks(file, column, year)
    raise TypeError(f"unknown translation {column!r}")


def _by_codes(translation: Translation, column: object) -> Translation:
    """Mark a translation decided by its variables' codes alone (computed per combination)."""
    translation.codes = variables_of(column)
    return translation


def _number(file: RegisterFile, variable: str) -> Translation:
    column = file.column(variable)
    value = f"TRY_CAST({column} AS DOUBLE)"
    if file.types[variable.upper()].upper().startswith(_NUMERIC + INTEGER_TYPES):
        return Translation(value)  # a number already: nothing can fail
    text = f"NULLIF(trim(CAST({column} AS VARCHAR)), '')"
    failing = f"({text} IS NOT NULL AND {value} IS NULL)"
    return Translation(value, [Check(variable, "not a number", failing, column)])


def _age(file: RegisterFile, variable: str, year: int) -> Translation:
    column = file.column(variable)
    dated = file.types[variable.upper()].upper() == "DATE"
    born = column if dated else f"TRY_CAST({column} AS DATE)"
    new_year = f"month({born}) = 1 AND day({born}) = 1"
    value = f"({year} - year({born}) - CASE WHEN {new_year} THEN 0 ELSE 1 END)"
    checks = [
        Check(variable, "empty birth date", f"({column} IS NULL)", column),
        Check(variable, "not a date", f"({column} IS NOT NULL AND {born} IS NULL)", column),
        Check(variable, f"born after 1 January {year}", f"({value} < 0)", column),
    ]
    return Translation(value, checks)


def _by_value(file: RegisterFile, variable: str, codes: dict[str, str | bool]) -> list[str]:
    """``WHEN`` clauses for exact codes, one per value (exact codes never overlap)."""
    groups: dict[str, list[str]] = {}
    for listed, value in codes.items():
        groups.setdefault(literal(value), []).append(listed)
    return [
        f"WHEN {is_code(file, variable, listed)} THEN {value}" for value, listed in groups.items()
    ]


def _codes(file: RegisterFile, column: CodesColumn) -> Translation:
    code = code_sql(file, column.variable)
    empty = empty_sql(file, column.variable)
    cases = _by_value(file, column.variable, column.codes)
    cases += _by_prefix(file, code, column.prefixes)
    exact = is_code(file, column.variable, column.codes)
    known = f"({exact} OR {_starts(file, code, column.prefixes)})"
    fallback = literal(column.otherwise)
    when = " ".join(cases)
    value = f"CASE WHEN {empty} THEN {literal(column.missing)} {when} ELSE {fallback} END"
    translation = Translation(value)
    if column.otherwise is None:
        failing = f"(NOT {empty} AND NOT {known})"
        if column.override is None:
            # only an unlisted code leaves the value NULL: the scan computes the value once
            failing = f"(({value}) IS NULL AND NOT {empty})"
        translation.checks.append(Check(column.variable, "code not in the mapping", failing, code))
    else:
        translation.fallbacks.append((column.variable, code, f"NOT coalesce({known}, FALSE)"))
    if column.missing is None:
        translation.checks.append(Check(column.variable, "empty value", empty, code))
    if column.override is not None:
        overrides = " ".join(_by_value(file, column.override.variable, column.override.codes))
        translation.value = f"CASE {overrides} ELSE {value} END"
    return translation


def _origin(file: RegisterFile, column: OriginColumn) -> Translation:
    kind = code_sql(file, column.type_variable)
    country = code_sql(file, column.country_variable)
    western = is_code(file, column.country_variable, column.western)
    group = f"CASE WHEN {western} THEN {literal('western_')} ELSE {literal('nonwestern_')} END"
    cases = []
    for code, meaning in column.types.items():
        result = literal("danish") if meaning == "danish" else f"{group} || {literal(meaning)}"
        cases.append(f"WHEN {is_code(file, column.type_variable, [code])} THEN {result}")
    value = f"CASE {' '.join(cases)} END"
    # every listed type gives a value: NULL means an unlisted type (computed once by the scan)
    checks = [Check(column.type_variable, "code not in the mapping", f"({value} IS NULL)", kind)]
    # a foreign type outside the western list, read off the value the scan computes anyway
    outside = f"coalesce(starts_with({value}, {literal('nonwestern_')}), FALSE)"
    translation = Translation(value, checks)
    if column.otherwise is None:
        checks.append(Check(column.country_variable, "code not in the mapping", outside, country))
    else:
        translation.fallbacks.append(
            (column.country_variable, f"coalesce({country}, '(empty)')", outside)
        )
    return translation


def _rules(file: RegisterFile, column: RulesColumn) -> Translation:
    cases = []
    for rule in column.rules:
        parts = [is_code(file, v, codes) for v, codes in rule.when.items()]
        cases.append(f"WHEN {' AND '.join(parts)} THEN {literal(rule.value)}")
    value = f"CASE {' '.join(cases)} END"
    variables = sorted({v for rule in column.rules for v in rule.when})
    shown = " || ' / ' || ".join(f"coalesce({code_sql(file, v)}, '(empty)')" for v in variables)
    check = Check(
        " + ".join(variables), "combination of codes no rule matches", f"({value} IS NULL)", shown
    )
    return Translation(value, [check])


def week_columns(file: RegisterFile, column: WeeksColumn, year: int) -> list[str]:
    """The variables of ``year``'s weeks, e.g. ``y_1901`` ... ``y_1952``."""
    stem = f"{column.week_prefix}{year % 100:02d}".upper()
    return [
        name
        for name in file.names
        if name.startswith(stem) and name[len(stem) :].isdigit() and len(name) == len(stem) + 2
    ]


def _week_code(file: RegisterFile, variable: str, codes: list[str]) -> str:
    """A week's code; a text without ``NULLIF`` when no listed code is empty (52 per row)."""
    if file.types[variable.upper()].upper() == "VARCHAR" and "" not in codes:
        return f"trim({file.column(variable)})"
    return code_sql(file, variable)


def _week(file: RegisterFile, variable: str, codes: list[str]) -> str:
    """The week's code is one of ``codes``, as 1 or 0."""
    if _numeric(file, variable):
        return f"CAST({is_code(file, variable, codes)} AS INTEGER)"
    if file.dictionary and file.types[variable.upper()].upper() == "VARCHAR" and "" not in codes:
        # an empty week as '' (never listed): no coalesce over the 52 weeks of every row
        code = f"trim(concat({file.column(variable)}, ''))"
        return f"CAST({in_list(code, codes, nulls=False)} AS INTEGER)"
    test = _test(file)
    return f"CAST({test(_week_code(file, variable, codes), codes)} AS INTEGER)"


def _weeks(file: RegisterFile, column: WeeksColumn, year: int) -> Translation:
    weeks = week_columns(file, column, year)
    if not weeks:
        return Translation(literal(column.missing))
    counted = " + ".join(_week(file, w, column.codes) for w in weeks)
    return Translation(f"(({counted}) / {len(weeks)}.0)")
