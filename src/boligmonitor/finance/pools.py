"""State pools and initiative agreements: shares of a pool, an agreement's money, the checks.

A pool is divided between municipalities by the largest-remainder rule in øre
(:func:`~boligmonitor.finance.allocation.largest_remainder`), so the shares add up exactly to
the pool: by the residents of each municipality's areas on the published list of the key's year,
or by fixed shares. An initiative applies for yearly amounts from one pool; with a co-financing
rate *r* the municipality adds ``applied × r / (1 − r)`` (the pool pays 1 − *r* of the cost).
An agreement's applications must stay within the municipality's share of each pool with a key,
and within the whole of a pool open to applications.

Reference: seed ``002_9dd1058f2c68d0c3`` (80 mio. kr. for 2011–2014 divided between 17
municipalities by residents; TV surveillance 10 mio. kr. with 50 % co-financing).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from boligmonitor.errors import InputError
from boligmonitor.finance.allocation import largest_remainder, thousand_to_ore
from boligmonitor.finance.pools_catalogue import find_agreement
from boligmonitor.finance.pools_model import Agreement, Initiative, Pool, PoolCatalogue

__all__ = [
    "AgreementFinance",
    "AreaFunding",
    "InitiativeFinance",
    "PoolCheck",
    "PoolShare",
    "agreement_finance",
    "area_funding",
    "initiative_finance",
    "pool_allocation",
    "pool_weights",
]


@dataclass(frozen=True)
class PoolShare:
    """One municipality's share of a pool (øre), beside the share a source printed."""

    municipality: str
    weight: Fraction
    amount: int
    published: int | None = None

    @property
    def difference(self) -> int | None:
        """Computed minus published share (øre), when one is published."""
        return None if self.published is None else self.amount - self.published


def pool_weights(pool: Pool, memberships: pd.DataFrame) -> dict[str, Fraction]:
    """The allocation key's weight per municipality (residents, or fixed shares).

    Raises
    ------
    InputError
        When the list of the key's year has no areas, or an area has no residents.
    """
    key = pool.key
    if key.kind == "fixed_shares":
        return {m: Fraction(share) for m, share in key.shares.items()}
    if key.kind == "applications":
        return {}
    listed = memberships[
        (memberships["list_year"] == key.list_year)
        & (memberships["designation"] == key.designation)
    ]
    if listed.empty:
        raise InputError.single(
            pool.id,
            "no areas on the {designation} list of {list_year}",
            column="key",
            designation=key.designation,
            list_year=key.list_year,
        )
    missing = listed[listed["residents"].isna()]
    if not missing.empty:
        names = ", ".join(sorted(missing["area"]))
        raise InputError.single(pool.id, "no residents for {names}", column="key", names=names)
    residents = listed.groupby("municipality")["residents"].sum()
    return {str(m): Fraction(int(r)) for m, r in residents.items()}


def pool_allocation(pool: Pool, memberships: pd.DataFrame) -> list[PoolShare]:
    """Each municipality's share of the pool in øre, adding up exactly to the pool's total.

    Parameters
    ----------
    pool
        The pool; a pool open to applications has no shares (empty list).
    memberships
        List memberships with ``residents`` (e.g. the published record).

    Returns
    -------
    list of PoolShare
        Largest share first.
    """
    weights = pool_weights(pool, memberships)
    if not weights:
        return []
    amounts = largest_remainder(thousand_to_ore(pool.total), weights)
    published = {m: thousand_to_ore(v) for m, v in pool.published_shares.items()}
    shares = [PoolShare(m, weights[m], amounts[m], published.get(m)) for m in weights]
    return sorted(shares, key=lambda s: (-s.amount, s.municipality))


@dataclass(frozen=True)
class InitiativeFinance:
    """An initiative's money by year in øre: applied from the pool and the municipality's part."""

    initiative: Initiative
    pool: Pool
    applied: dict[int, int]
    municipal: dict[int, int]

    @property
    def applied_total(self) -> int:
        """Applied for from the pool, all years (øre)."""
        return sum(self.applied.values())

    @property
    def municipal_total(self) -> int:
        """The municipality's co-financing, all years (øre)."""
        return sum(self.municipal.values())

    @property
    def cost(self) -> int:
        """The initiative's whole cost (øre): pool plus municipality."""
        return self.applied_total + self.municipal_total


def initiative_finance(initiative: Initiative, pool: Pool) -> InitiativeFinance:
    """The applied amounts and the municipality's co-financing of one initiative, exactly."""
    rate = Fraction(pool.cofinancing_rate)
    applied = {y: thousand_to_ore(a) for y, a in sorted(initiative.yearly.items())}
    municipal = {y: _cofinancing(ore, rate) for y, ore in applied.items()}
    return InitiativeFinance(initiative, pool, applied, municipal)


def _cofinancing(applied: int, rate: Fraction) -> int:
    exact = applied * rate / (1 - rate)
    if exact.denominator != 1:
        raise ValueError(f"co-financing of {applied} øre at {rate} is not whole øre")
    return int(exact)


@dataclass(frozen=True)
class PoolCheck:
    """Whether an agreement's applications to one pool stay within what it may apply for.

    ``limit`` is the municipality's computed share (or the whole pool when it is open to
    applications); ``published_limit`` the share a source printed, when there is one.
    """

    pool: Pool
    applied: int
    limit: int
    published_limit: int | None

    @property
    def within(self) -> bool:
        """Applications within the computed share."""
        return self.applied <= self.limit

    @property
    def within_published(self) -> bool | None:
        """Applications within the printed share (``None``: none printed)."""
        return None if self.published_limit is None else self.applied <= self.published_limit


@dataclass(frozen=True)
class AgreementFinance:
    """An agreement's initiatives with their money, and the check against each pool."""

    agreement: Agreement
    initiatives: tuple[InitiativeFinance, ...]
    checks: tuple[PoolCheck, ...]

    def by_pool(self, pool_id: str) -> tuple[InitiativeFinance, ...]:
        """The initiatives drawing on a pool."""
        return tuple(i for i in self.initiatives if i.pool.id == pool_id)

    def by_cofinancing_source(self) -> dict[str, tuple[int, int]]:
        """Cost and municipal part (øre) per source of the municipality's co-financing."""
        result: dict[str, tuple[int, int]] = {}
        for item in self.initiatives:
            source = item.initiative.cofinancing_source
            if source is not None:
                cost, municipal = result.get(source, (0, 0))
                result[source] = (cost + item.cost, municipal + item.municipal_total)
        return result

    @property
    def covered_areas(self) -> list[str]:
        """The agreement's areas at least one initiative covers, in the agreement's order."""
        covered = {a for i in self.agreement.initiatives for a in i.areas}
        return [a for a in self.agreement.areas if a in covered]

    @property
    def uncovered_areas(self) -> list[str]:
        """The agreement's areas no initiative covers."""
        return [a for a in self.agreement.areas if a not in set(self.covered_areas)]


def agreement_finance(
    catalogue: PoolCatalogue, agreement_id: str, memberships: pd.DataFrame
) -> AgreementFinance:
    """An agreement's money per initiative and the check against each pool it draws on.

    Raises
    ------
    InputError
        When the agreement is unknown or a pool's key cannot be computed.
    """
    agreement = find_agreement(catalogue, agreement_id)
    pools = {p.id: p for p in catalogue.pools}
    items = tuple(initiative_finance(i, pools[i.pool]) for i in agreement.initiatives)
    checks = []
    for pool_id in dict.fromkeys(i.pool for i in agreement.initiatives):
        pool = pools[pool_id]
        applied = sum(i.applied_total for i in items if i.pool.id == pool_id)
        checks.append(_check(pool, agreement.municipality, applied, memberships))
    return AgreementFinance(agreement, items, tuple(checks))


def _check(pool: Pool, municipality: str, applied: int, memberships: pd.DataFrame) -> PoolCheck:
    published = pool.published_shares.get(municipality)
    printed = None if published is None else thousand_to_ore(published)
    if pool.key.kind == "applications":
        return PoolCheck(pool, applied, thousand_to_ore(pool.total), printed)
    shares = {s.municipality: s.amount for s in pool_allocation(pool, memberships)}
    return PoolCheck(pool, applied, shares.get(municipality, 0), printed)


@dataclass(frozen=True)
class AreaFunding:
    """An agreement initiative (or other effort) that concerns an area."""

    agreement: str
    agreement_name: str
    initiative: str | None
    initiative_name: str
    pool: str | None
    pool_name: str | None
    applied: int


def area_funding(catalogue: PoolCatalogue, area: str) -> list[AreaFunding]:
    """The agreements, initiatives and pools that fund an area (by the area's name).

    An initiative covering several areas is listed with its whole applied amount; an area of an
    agreement covered by another effort is listed with that effort and no pool.
    """
    found: list[AreaFunding] = []
    pools: Mapping[str, Pool] = {p.id: p for p in catalogue.pools}
    for agreement in catalogue.agreements:
        for initiative in agreement.initiatives:
            if area in initiative.areas:
                pool = pools[initiative.pool]
                applied = sum(thousand_to_ore(a) for a in initiative.yearly.values())
                found.append(
                    AreaFunding(
                        agreement.id,
                        agreement.name,
                        initiative.id,
                        initiative.name,
                        pool.id,
                        pool.name,
                        applied,
                    )
                )
        effort = agreement.other_efforts.get(area)
        if effort is not None:
            found.append(AreaFunding(agreement.id, agreement.name, None, effort, None, None, 0))
    return found
