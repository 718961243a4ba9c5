"""Loading and checking a pool file: references, periods, keys and whole-øre co-financing.

Field validation is pydantic's; this module adds the checks that span records and reports every
problem with file, line (or sheet and row) and dotted field path, e.g.
``agreements.0.initiatives.2.pool``, as :mod:`boligmonitor.finance.catalogue` does for plans.
Nothing is stored when any problem is found.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path

import pandas as pd

from boligmonitor.data import data_path
from boligmonitor.errors import InputError, Number
from boligmonitor.finance.allocation import thousand_to_ore
from boligmonitor.finance.pools_model import Agreement, Pool, PoolCatalogue
from boligmonitor.schema.yamlfile import Finding, load_checked_yaml

__all__ = [
    "SHIPPED_POOLS",
    "find_agreement",
    "find_pool",
    "load_pool_catalogue",
    "pool_catalogue_frame",
    "pool_catalogue_from_frame",
    "pool_problems",
    "shipped_pools",
]

#: The packaged example: the 2010 housing agreement's pools and Copenhagen's agreement.
SHIPPED_POOLS = ("pools", "copenhagen-2011.yaml")


def load_pool_catalogue(path: str | Path) -> PoolCatalogue:
    """Validate a pool file (YAML, or an Excel workbook: see :mod:`.pools_workbook`) completely.

    Raises
    ------
    InputError
        Listing every problem with file, line (or sheet and row) and field.
    """
    file = Path(path)
    if file.suffix.lower() == ".xlsx":
        from boligmonitor.finance.pools_workbook import load_pool_workbook

        return load_pool_workbook(file).model_copy(update={"source": file.name})
    catalogue = load_checked_yaml(file, PoolCatalogue, pool_problems)
    return catalogue.model_copy(update={"source": file.name})


@cache
def shipped_pools() -> PoolCatalogue:
    """The example pools and agreement shipped with Boligmonitor (seed 002)."""
    return load_pool_catalogue(data_path(*SHIPPED_POOLS))


def find_pool(catalogue: PoolCatalogue, pool_id: str) -> Pool:
    """The pool with an id; :class:`InputError` listing the known ids when there is none."""
    pool = catalogue.pool(pool_id)
    if pool is None:
        known = ", ".join(p.id for p in catalogue.pools) or "none"
        raise InputError.single(
            catalogue.source,
            "unknown pool '{pool_id}'; known: {known}",
            pool_id=pool_id,
            known=known,
        )
    return pool


def find_agreement(catalogue: PoolCatalogue, agreement_id: str) -> Agreement:
    """The agreement with an id; :class:`InputError` listing the known ids when there is none."""
    agreement = catalogue.agreement(agreement_id)
    if agreement is None:
        known = ", ".join(a.id for a in catalogue.agreements) or "none"
        raise InputError.single(
            catalogue.source,
            "unknown agreement '{agreement_id}'; known: {known}",
            agreement_id=agreement_id,
            known=known,
        )
    return agreement


def pool_catalogue_frame(catalogue: PoolCatalogue) -> pd.DataFrame:
    """The catalogue as a one-row table (JSON text) for storing in a workspace."""
    return pd.DataFrame({"source": [catalogue.source], "catalogue": [catalogue.model_dump_json()]})


def pool_catalogue_from_frame(frame: pd.DataFrame) -> PoolCatalogue:
    """The catalogue stored by :func:`pool_catalogue_frame`."""
    return PoolCatalogue.model_validate_json(str(frame["catalogue"].iloc[0]))


def pool_problems(catalogue: PoolCatalogue) -> list[Finding]:
    """Every cross-record problem of a pool file, each at its field path."""
    return [
        *_duplicates(catalogue),
        *_pool_problems(catalogue),
        *_agreement_problems(catalogue),
    ]


def _duplicate_findings(where: tuple[str | int, ...], ids: list[str]) -> Iterator[Finding]:
    first: dict[str, int] = {}
    for index, record_id in enumerate(ids):
        if record_id in first:
            yield Finding(
                (*where, index, "id"),
                "duplicate id '{id}'; first at {first}",
                {"id": record_id, "first": first[record_id]},
            )
        first.setdefault(record_id, index)


def _duplicates(catalogue: PoolCatalogue) -> Iterator[Finding]:
    yield from _duplicate_findings(("pools",), [p.id for p in catalogue.pools])
    yield from _duplicate_findings(("agreements",), [a.id for a in catalogue.agreements])
    for a, agreement in enumerate(catalogue.agreements):
        ids = [i.id for i in agreement.initiatives]
        yield from _duplicate_findings(("agreements", a, "initiatives"), ids)


def _pool_problems(catalogue: PoolCatalogue) -> Iterator[Finding]:
    for index, pool in enumerate(catalogue.pools):
        where: tuple[str | int, ...] = ("pools", index)
        if pool.end_year < pool.start_year:
            yield Finding(
                (*where, "end_year"),
                "the pool ends ({end}) before it starts ({start})",
                {"end": pool.end_year, "start": pool.start_year},
            )
        key = pool.key
        if key.kind == "residents_of_list" and key.list_year is None:
            yield Finding((*where, "key", "list_year"), "a residents_of_list key needs a list_year")
        if key.kind == "fixed_shares" and sum(key.shares.values()) != 1:
            yield Finding(
                (*where, "key", "shares"),
                "fixed shares add up to {total}, not 1",
                {"total": Number(sum(key.shares.values()))},
            )
        if key.kind != "fixed_shares" and key.shares:
            yield Finding(
                (*where, "key", "shares"), "a {kind} key takes no shares", {"kind": key.kind}
            )
        if pool.cofinancing_rate >= 1:
            yield Finding((*where, "cofinancing_rate"), "the pool must pay part (rate below 1)")


def _agreement_problems(catalogue: PoolCatalogue) -> Iterator[Finding]:
    for a, agreement in enumerate(catalogue.agreements):
        where: tuple[str | int, ...] = ("agreements", a)
        if agreement.end_year < agreement.start_year:
            yield Finding(
                (*where, "end_year"),
                "the agreement ends ({end}) before it starts ({start})",
                {"end": agreement.end_year, "start": agreement.start_year},
            )
        areas = set(agreement.areas)
        covered: set[str] = set()
        for i, initiative in enumerate(agreement.initiatives):
            at = (*where, "initiatives", i)
            for position, area in enumerate(initiative.areas):
                if area not in areas:
                    yield _not_agreed((*at, "areas", position), area)
            covered.update(initiative.areas)
            pool = catalogue.pool(initiative.pool)
            if pool is None:
                yield Finding(
                    (*at, "pool"), "unknown pool '{pool_id}'", {"pool_id": initiative.pool}
                )
                continue
            yield from _year_problems(at, initiative.yearly, pool, agreement)
        for area in agreement.other_efforts:
            if area not in areas:
                yield _not_agreed((*where, "other_efforts", area), area)
            elif area in covered:
                yield Finding(
                    (*where, "other_efforts", area),
                    "area '{area}' is covered by an initiative already",
                    {"area": area},
                )


def _not_agreed(loc: tuple[str | int, ...], area: str) -> Finding:
    return Finding(loc, "area '{area}' is not among the agreement's", {"area": area})


def _year_problems(
    at: tuple[str | int, ...], yearly: Mapping[int, Decimal], pool: Pool, agreement: Agreement
) -> Iterator[Finding]:
    first = max(pool.start_year, agreement.start_year)
    last = min(pool.end_year, agreement.end_year)
    rate = Fraction(pool.cofinancing_rate)
    for year, amount in yearly.items():
        if not first <= year <= last:
            yield Finding(
                (*at, "yearly", year),
                "year {year} is outside the pool's and agreement's period {first}–{last}",
                {"year": year, "first": first, "last": last},
            )
        if rate and rate < 1:
            ore = thousand_to_ore(amount)
            if (ore * rate / (1 - rate)).denominator != 1:
                yield Finding(
                    (*at, "yearly", year),
                    "the co-financing of {amount} thousand kr. at the rate {rate} is not a "
                    "whole number of øre",
                    {"amount": Number(amount), "rate": Number(pool.cofinancing_rate)},
                )
