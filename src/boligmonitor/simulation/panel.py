"""The person panel of the microdata as numpy arrays, sorted by year, address and person id.

The text columns are reduced to flags in DuckDB (through Ibis); sorting and following persons
from one year to the next are done on int64 keys in numpy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from boligmonitor.errors import InputError
from boligmonitor.schema.microdata import Microdata
from boligmonitor.simulation.households import IntArray, Persons

__all__ = ["Panel", "next_year", "read_panel"]


@dataclass(frozen=True)
class Panel:
    """The person panel sorted by year, address and person id, as numpy arrays.

    ``household`` numbers the (year, address) groups in order; ``head`` is the row of each
    household's reference person (its lowest person id) and ``dwelling`` its dwelling index.
    """

    year: IntArray
    person: IntArray
    household: IntArray
    head: IntArray
    dwelling: IntArray
    persons: Persons

    @property
    def head_year(self) -> IntArray:
        """List year of each household."""
        return self.year[self.head]


def _panel_table(microdata: Microdata, years: Sequence[int]) -> pa.Table:
    """The persons of ``years`` with text columns reduced to flags (in storage order)."""
    p = microdata.persons
    p = p.filter(p.year.isin(list(years)))
    table: pa.Table = p.select(
        person_id=p.person_id.cast("int64"),
        year=p.year.cast("int64"),
        address_id=p.address_id.cast("int64"),
        age="age",
        nonwestern=p.origin.isin(["nonwestern_immigrant", "nonwestern_descendant"]),
        no_attachment=p.no_attachment_fraction.cast("float64"),
        permanently_outside="permanently_outside_labour_force",
        in_education="in_education",
        basic_education=p.education.isin(["basic", "unknown", "foreign_not_approved"]),
        no_education=p.education.isin(["basic", "unknown"]) & ~p.in_education,
        gross_income=p.gross_income.cast("float64"),
        disposable_income=p.disposable_income.cast("float64"),
        taxpayer="taxpayer",
        convicted="convicted",
    ).to_pyarrow()
    return table


def _column(table: pa.Table, name: str, dtype: type) -> Any:
    """A column as numpy: missing values become NaN (float) or 0/False."""
    column = table.column(name)
    if column.null_count == 0 and dtype is not float:
        return np.asarray(column.to_numpy(), dtype=dtype)
    if dtype is float:
        return np.asarray(column.cast(pa.float64()).to_numpy(), dtype=np.float64)
    filled = pc.fill_null(column, False if dtype is bool else 0)
    return np.asarray(filled.to_numpy(), dtype=dtype)


def _persons(table: pa.Table) -> Persons:
    return Persons(
        age=_column(table, "age", np.int64),
        nonwestern=_column(table, "nonwestern", bool),
        no_attachment=_column(table, "no_attachment", float),
        permanently_outside=_column(table, "permanently_outside", bool),
        in_education=_column(table, "in_education", bool),
        basic_education=_column(table, "basic_education", bool),
        no_education=_column(table, "no_education", bool),
        gross_income=_column(table, "gross_income", float),
        disposable_income=_column(table, "disposable_income", float),
        taxpayer=_column(table, "taxpayer", bool),
        convicted=_column(table, "convicted", bool),
    )


def read_panel(microdata: Microdata, years: Sequence[int], dwelling_of: pd.Series) -> Panel:
    """The persons of ``years`` grouped in households (persons at one unit address).

    Parameters
    ----------
    dwelling_of
        The dwelling index of each address id.

    Raises
    ------
    InputError
        When a person lives at an address without a dwelling.
    """
    table = _panel_table(microdata, years)
    year, address, person = (
        _column(table, name, np.int64) for name in ("year", "address_id", "person_id")
    )
    order = _panel_order(year, address, person)
    year, address, person = year[order], address[order], person[order]
    first = np.ones(len(year), dtype=bool)
    first[1:] = (year[1:] != year[:-1]) | (address[1:] != address[:-1])
    head = np.flatnonzero(first)
    dwelling = pd.Index(dwelling_of.index).get_indexer(address[head])
    if (dwelling < 0).any():
        missing = address[head][dwelling < 0][0]
        raise InputError.single(
            "persons", "no dwelling at address {address}", column="address_id", address=missing
        )
    return Panel(
        year=year,
        person=person,
        household=np.cumsum(first) - 1,
        head=head,
        dwelling=dwelling_of.to_numpy(np.int64)[dwelling],
        persons=_persons(table).take(order),
    )


def _panel_order(year: IntArray, address: IntArray, person: IntArray) -> IntArray:
    """Row order by year, address and person id (one int64 key when the ids allow it)."""
    if not len(year):
        return np.zeros(0, dtype=np.int64)
    low = [int(v.min()) for v in (year, address, person)]
    spans = [int(v.max()) - lo + 1 for v, lo in zip((year, address, person), low, strict=True)]
    if spans[0] * spans[1] * spans[2] < np.iinfo(np.int64).max:
        key = ((year - low[0]) * spans[1] + (address - low[1])) * spans[2] + (person - low[2])
        return np.argsort(key).astype(np.int64)
    return np.lexsort((person, address, year)).astype(np.int64)


def next_year(person: IntArray, year: IntArray) -> tuple[IntArray, IntArray]:
    """For each row, the row of the same person one year later / earlier (-1: none);
    ``(person, year)`` is unique. One sort by person and year (a single int64 key when the ids
    allow it)."""
    n = len(person)
    following, preceding = np.full(n, -1, dtype=np.int64), np.full(n, -1, dtype=np.int64)
    if n == 0:
        return following, preceding
    span = int(year.max() - year.min()) + 2
    people = person - person.min()
    if int(people.max()) < np.iinfo(np.int64).max // span - 1:
        key = people * span + (year - year.min())
        order = np.argsort(key)
        consecutive = np.diff(key[order]) == 1
    else:
        order = np.lexsort((year, person))
        consecutive = (np.diff(person[order]) == 0) & (np.diff(year[order]) == 1)
    following[order[:-1][consecutive]] = order[1:][consecutive]
    preceding[order[1:][consecutive]] = order[:-1][consecutive]
    return following, preceding
