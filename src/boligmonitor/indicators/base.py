"""Shared pieces of the indicator engine: measures, indicators and persons placed on the map.

An indicator is a small function from a table of persons (or dwellings) to a :class:`Measure`:
two *row-level* Ibis expressions whose sums over an area are the indicator's numerator and
denominator. The engine sums every indicator's measure in one ``group_by`` so one scan of the
persons computes them all (the same plan a hand-written SQL query would use).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import ibis

from boligmonitor.schema.microdata import Microdata

__all__ = [
    "UNIT_KINDS",
    "Indicator",
    "KeyKind",
    "Measure",
    "UnitKind",
    "address_lookup",
    "area_addresses",
    "located_persons",
    "sum_measures",
    "unit_key",
]

UnitKind = Literal["screening_unit", "dkn100", "dkn250"]
UNIT_KINDS: tuple[UnitKind, ...] = ("screening_unit", "dkn100", "dkn250")
#: A unit kind, or ``atom``: the piece of a screening unit in one 100 m and one 250 m cell, the
#: smallest area every published city geography is a union of (used by disclosure control).
KeyKind = UnitKind | Literal["atom"]


@dataclass(frozen=True)
class Measure:
    """Row-level numerator and denominator; their sums over a group give the indicator."""

    numerator: Any
    denominator: Any


@dataclass(frozen=True)
class Indicator:
    """A registered indicator.

    Attributes
    ----------
    id
        Identifier, also the output column prefix.
    label_da, label_en
        Short labels.
    reference
        The law or definition it implements.
    scale
        Multiplier of numerator/denominator: 100 for shares in percent, 1 for m² per resident.
    measure
        The function building the :class:`Measure` from a persons (or dwellings) table.
    """

    id: str
    label_da: str
    label_en: str
    reference: str
    scale: float
    measure: Callable[[Any], Measure]


def flag(condition: Any) -> Any:
    """A boolean expression as 0/1 (``NULL`` counts as 0)."""
    return condition.fill_null(False).cast("int64")


def sum_measures(table: Any, keys: Sequence[str], indicators: Sequence[Indicator]) -> Any:
    """One aggregate with ``<id>_num`` and ``<id>_den`` for every indicator, grouped by keys."""
    sums: dict[str, Any] = {}
    for indicator in indicators:
        measure = indicator.measure(table)
        sums[f"{indicator.id}_num"] = measure.numerator.sum()
        sums[f"{indicator.id}_den"] = measure.denominator.sum()
    return table.group_by(list(keys)).aggregate(residents=table.count(), **sums)


def _cell(x: Any, y: Any, size: int, label: str) -> Any:
    north = (y / size).floor().cast("int64").cast("string")
    east = (x / size).floor().cast("int64").cast("string")
    return ibis.literal(f"{label}_") + north + "_" + east


def unit_key(addresses: Any, unit: KeyKind) -> Any:
    """The unit of each address: its screening unit or its DKN 100 m / 250 m cell.

    DKN cell ids follow Det Danske Kvadratnet: ``100m_<northing/100>_<easting/100>``; the 250 m
    cells use the same pattern with 250 (``250m_<northing/250>_<easting/250>``). Every kind
    covers the same persons, those of addresses with a screening unit (the key is empty for
    the others), so the city totals of every kind are equal.
    """
    screened = addresses.screening_unit
    cell_100 = addresses.dkn_100m.fill_null(_cell(addresses.x, addresses.y, 100, "100m"))
    cell_250 = _cell(addresses.x, addresses.y, 250, "250m")
    if unit == "screening_unit":
        return screened
    if unit == "atom":
        return screened + "|" + cell_100 + "|" + cell_250
    cell = cell_100 if unit == "dkn100" else cell_250
    return ibis.ifelse(screened.isnull(), ibis.null("string"), cell)


def located_persons(
    microdata: Microdata, years: Sequence[int] | None = None, unit: KeyKind | None = None
) -> Any:
    """Persons with where they lived at 1 January: municipality, region, area and unit.

    Adds ``municipality_code``, ``region_code``, ``department_id``, ``area_id`` (empty outside
    boligområder) and, when ``unit`` is given, ``unit_id``.
    """
    persons = microdata.persons
    if years is not None:
        persons = persons.filter(persons.year.isin(list(years)))
    located = persons.join(address_lookup(microdata, unit), "address_id")
    extra = ["unit_id"] if unit is not None else []
    return located.select(
        *persons.columns,
        "municipality_code",
        "region_code",
        "department_id",
        "area_id",
        *extra,
    )


def address_lookup(microdata: Microdata, unit: KeyKind | None = None) -> Any:
    """Per address its municipality, region, department, area (and unit): the small tables
    joined first, so the persons meet one lookup table in one join."""
    addresses = microdata.addresses
    extra = {"unit_id": unit_key(addresses, unit)} if unit is not None else {}
    places = addresses.select("address_id", "municipality_code", **extra)
    municipalities = microdata.municipalities.select("municipality_code", "region_code")
    dwellings = microdata.dwellings.select("address_id", "department_id")
    departments = microdata.departments.select("department_id", "area_id")
    return (
        places.join(municipalities, "municipality_code")
        .left_join(dwellings, "address_id")
        .left_join(departments, "department_id")
        .select(
            "address_id", "municipality_code", "region_code", "department_id", "area_id", *extra
        )
    )


def area_addresses(microdata: Microdata) -> Any:
    """The addresses of boligområder with their municipality, region and area: from the
    departments of areas outward, so the table stays as small as the areas are."""
    departments = microdata.departments.filter(microdata.departments.area_id.notnull())
    dwellings = microdata.dwellings.select("address_id", "department_id").join(
        departments.select("department_id", "area_id"), "department_id"
    )
    return (
        dwellings.select("address_id", "area_id")
        .join(microdata.addresses.select("address_id", "municipality_code"), "address_id")
        .join(
            microdata.municipalities.select("municipality_code", "region_code"), "municipality_code"
        )
        .select("address_id", "municipality_code", "region_code", "area_id")
    )
