"""Safe spreadsheets: data text is never read as a formula, in Excel files or in CSV.

A name from the data (an area, a municipality, a plan, a payer, a budget line) that begins with
``=``, ``+``, ``-`` or ``@`` is a live formula when a spreadsheet opens it (CSV or formula
injection, OWASP "CSV Injection"). Every writer goes through this module:

- ``.xlsx``: :func:`put` writes a value into a cell; text is always a text cell (``data_type``
  ``s`` with the ``quotePrefix`` style), only a :class:`Formula` the program builds itself is a
  formula. :func:`as_text_only` does the same for a workbook written by pandas, which has no
  formulas of its own.
- CSV: :func:`csv_safe` prefixes such text with an apostrophe, the OWASP rule (also for
  leading tab and carriage return); plain numbers written as text (``-3.5``) stay as they are.
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import cache
from typing import Any

import pandas as pd

__all__ = [
    "FORMULA_PREFIXES",
    "NUMBER_FORMATS",
    "Formula",
    "as_text_only",
    "csv_safe",
    "csv_safe_text",
    "csv_text",
    "is_formula_like",
    "number_format",
    "numeric_columns",
    "put",
    "write_frames",
    "xlsx_text",
]

#: Leading characters that make a spreadsheet read text as a formula (OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


#: Excel number formats: whole numbers with thousands separators, decimals with up to three.
NUMBER_FORMATS = {"int": "#,##0", "float": "#,##0.0##"}
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
_FRACTION = re.compile(r"^-?\d+/\d+$")


def _as_number(value: object) -> object:
    if isinstance(value, str):
        if _DECIMAL.match(value):
            return float(value)
        if _FRACTION.match(value):
            return float(Fraction(value))
    return value


def numeric_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy where text columns holding only numbers (``"320000.00000"``, ``"1/3"``) are
    numbers, so a spreadsheet can sum them."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_object_dtype(out[column]) or pd.api.types.is_string_dtype(out[column]):
            known = [v for v in out[column] if v is not None and v == v and v != ""]
            if known and all(
                isinstance(v, str) and (_DECIMAL.match(v) or _FRACTION.match(v)) for v in known
            ):
                numbers = [_as_number(v) if isinstance(v, str) and v else None for v in out[column]]
                out[column] = pd.Series(numbers, index=out.index, dtype="Float64")
    return out


def number_format(series: pd.Series) -> str | None:
    """The Excel number format of a column (``None``: text, booleans)."""
    if pd.api.types.is_bool_dtype(series):
        return None
    if pd.api.types.is_integer_dtype(series):
        return NUMBER_FORMATS["int"]
    if pd.api.types.is_float_dtype(series):
        return NUMBER_FORMATS["float"]
    return None


class Formula(str):
    """A formula built by the program itself (``=SUM(B4:B9)``): the only text written as one."""

    __slots__ = ()


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet would read ``text`` as a formula (a plain number is not)."""
    return text.startswith(FORMULA_PREFIXES) and not _NUMBER.match(text)


def csv_safe_text(value: object) -> object:
    """``value`` with an apostrophe in front when it is text a spreadsheet would evaluate.

    Examples
    --------
    >>> csv_safe_text("=HYPERLINK(1)"), csv_safe_text("-3.5"), csv_safe_text(7)
    ("'=HYPERLINK(1)", '-3.5', 7)
    """
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names are safe in a spreadsheet."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or isinstance(out[column].dtype, pd.StringDtype):
            out[column] = out[column].map(csv_safe_text)
    out.columns = [csv_safe_text(c) for c in out.columns]
    return out


def csv_text(frame: pd.DataFrame) -> str:
    """``frame`` as CSV text, safe in a spreadsheet: escaped text, RFC 4180 line ends (CRLF).

    With CRLF line ends every field holding a carriage return or a newline is quoted, so no
    text can start a line of its own.
    """
    return str(csv_safe(frame).to_csv(index=False, lineterminator="\r\n"))


def _as_text(cell: Any) -> None:
    cell.data_type = "s"
    cell.quotePrefix = True


@cache
def _illegal_characters() -> re.Pattern[str]:
    """The characters an ``.xlsx`` cell cannot store (openpyxl's own list, imported only when a
    workbook is written)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    pattern: re.Pattern[str] = ILLEGAL_CHARACTERS_RE
    return pattern


def xlsx_text(value: object) -> object:
    """Text an ``.xlsx`` cell can hold: control characters (which the format cannot store)
    are shown as U+FFFD; any other value is returned as it is."""
    if isinstance(value, str) and not isinstance(value, Formula):
        return _illegal_characters().sub("\ufffd", value)
    return value


def put(sheet: Any, row: int, column: int, value: object) -> Any:
    """Write ``value`` into a cell: a :class:`Formula` as a formula, any other text as text."""
    cell = sheet.cell(row=row, column=column)
    cell.value = str(value) if isinstance(value, Formula) else xlsx_text(value)
    if isinstance(value, str) and not isinstance(value, Formula) and cell.data_type == "f":
        _as_text(cell)
    return cell


def as_text_only(workbook: Any) -> None:
    """Turn every formula cell of a workbook written from data (pandas) into a text cell."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    _as_text(cell)


def write_frames(destination: Any, sheets: dict[str, pd.DataFrame]) -> None:
    """Write frames as sheets of one ``.xlsx`` (a path or a binary buffer), text kept as text.

    Numbers a table carries as exact text (``"320000.00000"``, ``"1/3"``) are written as numbers
    so sums work; number columns get a format (no ``0.7000000000000002`` on screen), columns a
    width and the header row is frozen.
    """
    from openpyxl.utils import get_column_letter

    with pd.ExcelWriter(destination, engine="openpyxl") as book:
        for name, frame in sheets.items():
            data = numeric_columns(frame).rename(columns=lambda c: xlsx_text(c))
            for column in data.columns:
                if not pd.api.types.is_numeric_dtype(data[column]):
                    data[column] = data[column].map(xlsx_text)
            data.to_excel(book, sheet_name=name, index=False)
            sheet = book.sheets[name]
            for col, column in enumerate(data.columns, start=1):
                fmt = number_format(data[column])
                letter = get_column_letter(col)
                rows = sheet[f"{letter}2:{letter}{sheet.max_row}"] if sheet.max_row > 1 else ()
                cells = [c for row in rows for c in row]
                if fmt:
                    for cell in cells:
                        cell.number_format = fmt
                width = max([len(str(column)), *(len(str(c.value or "")) for c in cells[:500])])
                sheet.column_dimensions[letter].width = min(width + 2, 60)
            sheet.freeze_panes = "A2"
        as_text_only(book.book)
