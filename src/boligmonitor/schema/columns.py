"""Column specifications and the generic validator every tabular input goes through.

A schema is a list of :class:`Column`; :func:`validate_table` maps headings (canonical names or
documented aliases) to columns, parses every cell, checks ranges and keys, and either returns a
typed frame or raises one :class:`~boligmonitor.errors.InputError` listing *every* problem with
its file, row and column.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import pandas as pd

from boligmonitor.errors import InputError, Problem
from boligmonitor.i18n import N_
from boligmonitor.io.tables import RawTable

__all__ = [
    "MISSING_TOKENS",
    "Column",
    "Kind",
    "normalise_heading",
    "parse_number",
    "typed_cell",
    "validate_table",
]

#: Cell texts that mean "unknown". Published Danish tables write "-" or "Diskretioneret".
MISSING_TOKENS = frozenset(
    {"", "-", "–", "—", "..", "na", "n/a", "nan", "none", "null", "diskretioneret", "ukendt"}
)


class Kind(StrEnum):
    """What a column holds."""

    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"


@dataclass(frozen=True)
class Column:
    """One column of an input schema.

    Parameters
    ----------
    name
        Canonical (English, snake_case) name.
    kind
        What the cells hold.
    required
        Whether the column must be present (its cells may still be empty unless ``nullable`` is
        false).
    nullable
        Whether an empty cell is allowed (it then means "unknown").
    minimum, maximum
        Inclusive bounds for numbers.
    aliases
        Other headings accepted for the column, e.g. the Danish ones in published tables.
    choices
        Allowed values for text columns.
    description
        One line for the documentation.
    """

    name: str
    kind: Kind
    required: bool = True
    nullable: bool = True
    minimum: float | None = None
    maximum: float | None = None
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    description: str = ""
    _alias_keys: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        keys = {normalise_heading(a) for a in (self.name, *self.aliases)}
        object.__setattr__(self, "_alias_keys", frozenset(keys))

    def accepts(self, heading: str) -> bool:
        """Whether a file heading names this column."""
        return normalise_heading(heading) in self._alias_keys


_THRESHOLD_IN_HEADING = re.compile(r"[<>≥≤]\s*[\d.,]+\s*(pct|%)?\.?")


def normalise_heading(heading: str) -> str:
    """Normalise a heading for alias matching.

    Lower-cases, drops a threshold written into the heading (published tables write
    "Dømte > 2,03 pct."), turns punctuation and hyphenation into single spaces.

    Examples
    --------
    >>> normalise_heading("Gennem-snitsind-komst ift. regionen < 55 pct.")
    'gennem snitsind komst ift regionen'
    """
    text = unicodedata.normalize("NFC", heading).lower()
    text = _THRESHOLD_IN_HEADING.sub(" ", text)
    text = re.sub(r"[^0-9a-zæøåé]+", " ", text)
    return " ".join(text.split())


_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


#: A number as written in the file once spaces, ``%`` and the Danish marks are dealt with:
#: ASCII digits only (``float`` alone would take ``4_0`` and Arabic-Indic digits as 40).
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)

#: The largest whole number a cell may hold: every integer up to it is exact in a float, and
#: it fits the 64-bit integers of the database.
LARGEST_WHOLE = 2**53


def parse_number(text: str, whole: bool = False) -> float:
    """Parse a number written the English or the Danish way.

    A decimal comma makes the text Danish: ``"69,6"`` is 69.6 and ``"1.234,5"`` is 1234.5.
    Without a comma a point is a decimal point (``"0.677"`` is 0.677), except in a whole-number
    column, where ``"1.234"`` can only be Danish thousands (1234). Only ASCII digits count;
    infinities and NaN are not numbers.

    Raises
    ------
    ValueError
        When the text is not a finite number.

    Examples
    --------
    >>> parse_number("2,03"), parse_number("0.677"), parse_number("1.234", whole=True)
    (2.03, 0.677, 1234.0)
    """
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace("%", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif whole and _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(".", "")
    if not _NUMBER.fullmatch(cleaned):
        raise ValueError(text)
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


_TRUE = frozenset({"1", "true", "ja", "yes", "sand", "x"})
_FALSE = frozenset({"0", "false", "nej", "no", "falsk"})


#: Characters no text cell may hold (C0 controls but tab, and DEL): spreadsheets cannot store
#: them and they hide what a name says.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

#: A problem found in one cell: the msgid and its parameters.
CellProblem = tuple[str, dict[str, object]]


class CellError(ValueError):
    """A cell that cannot be read: carries the msgid and parameters of the problem."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message.format(**params))
        self.problem: CellProblem = (message, params)


def _parse_cell(column: Column, text: str) -> object:
    if column.kind is Kind.TEXT:
        if _CONTROL.search(text):
            shown = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
            raise CellError("'{text}' contains a control character", text=shown)
        if column.choices and text not in column.choices:
            raise CellError(
                "'{text}' is not one of {choices}", text=text, choices=", ".join(column.choices)
            )
        return text
    if column.kind is Kind.BOOLEAN:
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise CellError("'{text}' is not yes/no (1/0, true/false, ja/nej)", text=text)
    try:
        value = parse_number(text, whole=column.kind is Kind.INTEGER)
    except ValueError:
        raise CellError("'{text}' is not a number", text=text) from None
    if column.kind is Kind.INTEGER:
        if not value.is_integer():
            raise CellError("'{text}' is not a whole number", text=text)
        if abs(value) > LARGEST_WHOLE:
            raise CellError("'{text}' is too large for a whole number", text=text)
        return int(value)
    return value


def _range_problem(column: Column, value: float) -> CellProblem | None:
    if column.minimum is not None and value < column.minimum:
        return N_("{value:g} is below the minimum {minimum:g}"), {
            "value": value,
            "minimum": column.minimum,
        }
    if column.maximum is not None and value > column.maximum:
        return N_("{value:g} is above the maximum {maximum:g}"), {
            "value": value,
            "maximum": column.maximum,
        }
    return None


def _map_headings(raw: RawTable, schema: Sequence[Column]) -> tuple[dict[str, str], list[Problem]]:
    """Map file headings to canonical names; report unknown, ambiguous and missing ones."""
    file = str(raw.path)
    mapping: dict[str, str] = {}
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for heading in raw.frame.columns:
        matches = [c for c in schema if c.accepts(heading)]
        if not matches:
            known = ", ".join(c.name for c in schema)
            problems.append(
                Problem(
                    file,
                    "unknown column; known columns: {known}",
                    None,
                    heading,
                    params={"known": known},
                )
            )
            continue
        name = matches[0].name
        if name in seen:
            problems.append(
                Problem(
                    file,
                    "column '{value}' already gives '{name}'",
                    None,
                    heading,
                    params={"value": seen[name], "name": name},
                )
            )
            continue
        seen[name] = heading
        mapping[heading] = name
    for column in schema:
        if column.required and column.name not in seen:
            problems.append(Problem(file, "required column is missing", None, column.name))
    return mapping, problems


def validate_table(
    raw: RawTable,
    schema: Sequence[Column],
    key: Sequence[str] = (),
    checks: Sequence[Callable[[pd.DataFrame, RawTable], list[Problem]]] = (),
) -> pd.DataFrame:
    """Validate a raw table against a schema and return it typed, with canonical names.

    Parameters
    ----------
    raw
        The table as read by :func:`~boligmonitor.io.tables.read_raw_table`.
    schema
        Its columns. Optional columns that are absent are added as all-missing.
    key
        Columns that together must be unique; each duplicate is reported with both rows.
    checks
        Extra whole-table checks, each returning problems.

    Returns
    -------
    pandas.DataFrame
        Canonical columns in schema order, nullable dtypes, plus ``source_row``.

    Raises
    ------
    InputError
        Listing every problem found.
    """
    from boligmonitor.schema.columnar import PANDAS_DTYPES, typed_column  # builds on this

    file = str(raw.path)
    mapping, problems = _map_headings(raw, schema)
    by_name = {c.name: c for c in schema}
    n_rows = len(raw.frame)
    typed: dict[str, pd.Series] = {}
    for heading, name in mapping.items():
        typed[name], found = typed_column(by_name[name], raw.frame[heading].tolist())
        problems.extend(
            Problem(file, message, raw.row_number(index), heading, dict(params))
            for index, (message, params) in found
        )
    absent = [None] * n_rows
    frame = pd.DataFrame(
        {
            c.name: typed[c.name]
            if c.name in typed
            else pd.Series(absent, dtype=PANDAS_DTYPES[c.kind])
            for c in schema
        }
    )
    frame["source_row"] = np.arange(n_rows, dtype=np.int64) + raw.first_row
    problems.extend(_duplicate_problems(frame, key, file))
    if not problems:
        for check in checks:
            problems.extend(check(frame, raw))
    if problems:
        raise InputError(sorted(problems, key=lambda p: (p.row is not None, p.row or 0)))
    return frame


def _cell_text(cell: object) -> str | None:
    """A cell as text, ``None`` when missing (a reader may leave NaN or a number)."""
    if cell is None or cell is pd.NA or (isinstance(cell, float) and math.isnan(cell)):
        return None
    return cell if isinstance(cell, str) else str(cell)


def typed_cell(column: Column, cell: object) -> tuple[object, CellProblem | None]:
    """Read one cell of ``column``: its typed value (``None`` when unknown) and any problem."""
    text = _cell_text(cell)
    if text is None or text.strip().lower() in MISSING_TOKENS:
        return (None, None) if column.nullable else (None, (N_("value is required"), {}))
    try:
        value = _parse_cell(column, text)
    except CellError as exc:
        return None, exc.problem
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value, _range_problem(column, float(value))
    return value, None


def _duplicate_problems(frame: pd.DataFrame, key: Sequence[str], file: str) -> list[Problem]:
    if not key or not frame.duplicated(subset=list(key)).any():
        return []
    problems = []
    first_seen: dict[tuple[object, ...], int] = {}
    for values, row in zip(
        frame[list(key)].itertuples(index=False, name=None), frame["source_row"], strict=True
    ):
        if any(v is None or v is pd.NA for v in values):
            continue  # a key that did not parse is reported already
        if values in first_seen:
            shown = ", ".join(f"{k}={v}" for k, v in zip(key, values, strict=True))
            problems.append(
                Problem(
                    file,
                    "duplicate {shown}; first at row {value}",
                    int(row),
                    ", ".join(key),
                    params={"shown": shown, "value": first_seen[values]},
                )
            )
        else:
            first_seen[values] = int(row)
    return problems
