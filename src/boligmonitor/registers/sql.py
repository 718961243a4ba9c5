"""The one place where the import quotes names and escapes values into DuckDB SQL.

Every identifier (register variable, view, table, column) goes through :func:`ident` and
every value taken from the mapping or a path through :func:`literal`; nothing from a mapping
file or a register file is pasted into SQL otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

__all__ = ["PARQUET", "ident", "in_list", "literal", "number_in", "one_of"]

#: How the import writes every Parquet file it encodes: zstd level 1; no dictionary tried
#: for a column with more than 1 000 values (keys, incomes, coordinates); format version 2
#: (delta and byte-stream-split encodings): files 20-40 % smaller and cheaper to write
#: than version 1, and read no slower by DuckDB or pyarrow.
PARQUET = (
    "FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, DICTIONARY_SIZE_LIMIT 1000, "
    "PARQUET_VERSION v2"
)


def ident(name: str) -> str:
    """A quoted SQL identifier (``"y_2101"``), embedded quotes doubled."""
    return '"' + name.replace('"', '""') + '"'


def literal(value: object) -> str:
    """A SQL literal for ``None``, a boolean, a number, a path or a string."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(float(value))
    if isinstance(value, Path):
        value = str(value)
    return "'" + str(value).replace("'", "''") + "'"


def one_of(code: str, codes: Iterable[str]) -> str:
    """Text ``code`` is one of ``codes``: never NULL, a hash lookup however long the list.

    A cast to an ``ENUM`` of the codes finds a value in one lookup, where ``IN (...)``
    compares it with each listed code (52 DREAM weeks x 100 codes per row).
    """
    listed = list(dict.fromkeys(str(c) for c in codes))
    if not listed:
        return "FALSE"
    if len(listed) == 1:
        return f"coalesce({code} = {literal(listed[0])}, FALSE)"
    values = ", ".join(literal(c) for c in listed)
    return f"(TRY_CAST({code} AS ENUM({values})) IS NOT NULL)"


def in_list(code: str, codes: Iterable[str], nulls: bool = True) -> str:
    """Text ``code`` is one of ``codes``: never NULL, one test per distinct code of a column.

    ``list_contains`` over a constant list is a function, which DuckDB evaluates once per
    entry of a dictionary-encoded column (Parquet) and reuses for every row; use it where
    the codes come from Parquet. Without a dictionary (CSV) it compares with each listed
    code, where :func:`one_of` is one hash lookup. ``nulls=False`` promises that ``code`` is
    never NULL and leaves out the ``coalesce``, which is a step per row.
    """
    listed = list(dict.fromkeys(str(c) for c in codes))
    if not listed:
        return "FALSE"
    values = ", ".join(literal(c) for c in listed)
    test = f"list_contains([{values}]::VARCHAR[], {code})"
    return f"coalesce({test}, FALSE)" if nulls else test


def number_in(code: str, numbers: Iterable[int]) -> str:
    """Integer ``code`` is one of ``numbers``: never NULL, compared as integers."""
    listed = list(dict.fromkeys(int(n) for n in numbers))
    if not listed:
        return "FALSE"
    values = ", ".join(str(n) for n in listed)
    return f"coalesce(list_contains([{values}]::BIGINT[], {code}), FALSE)"
