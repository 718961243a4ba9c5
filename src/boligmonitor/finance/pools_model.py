"""State pools and initiative agreements as data: the models a pool file (YAML) is validated
against.

A pool (pulje) is a sum the state sets aside for a period and divides between municipalities by
an allocation key — the residents of the areas on a published list, or fixed shares — or leaves
open to applications. It may demand municipal co-financing: with a rate of 50 % the state pays
half of an initiative's cost and the municipality the other half. An initiative agreement
(initiativaftale) between a municipality and the state names the areas it covers and its
initiatives, each with its areas, the pool it draws on and the yearly amounts applied for.

Amounts are in thousand kr. with at most five decimals (one øre), as for plans. Reference:
Københavns Kommune, mandate for initiative agreements with Socialministeriet (2011, seed
``002_9dd1058f2c68d0c3``); the government's housing agreement of November 2010.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from boligmonitor.finance.model import Money, Share, Text
from boligmonitor.schema.yamlfile import StrictModel

__all__ = [
    "Agreement",
    "AllocationKey",
    "Initiative",
    "Pool",
    "PoolCatalogue",
]

Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Year = Annotated[int, Field(ge=1900, le=2100)]


class AllocationKey(StrictModel):
    """How a pool is divided between municipalities.

    ``residents_of_list``: in proportion to the residents of each municipality's areas on the
    published list of ``list_year`` with ``designation``; ``fixed_shares``: by ``shares``
    (municipality → share, adding up to 1); ``applications``: no shares, any municipality may
    apply until the pool is spent.
    """

    kind: Literal["residents_of_list", "fixed_shares", "applications"]
    list_year: Year | None = None
    designation: Text = "ghettoomraade"
    shares: dict[str, Share] = Field(default_factory=dict)


class Pool(StrictModel):
    """A state pool: total (thousand kr.), period, allocation key and co-financing rate.

    ``cofinancing_rate`` is the municipality's share of an initiative's cost; the pool pays the
    rest. ``published_shares`` keeps the shares as a source prints them (thousand kr.), to be
    compared with the computed ones.
    """

    id: Id
    name: Text
    total: Money
    start_year: Year
    end_year: Year
    key: AllocationKey
    cofinancing_rate: Share = Decimal("0")
    published_shares: dict[str, Money] = Field(default_factory=dict)
    source: str | None = None
    note: str | None = None


class Initiative(StrictModel):
    """One initiative of an agreement: its areas, the pool it draws on and yearly amounts.

    ``yearly`` is what is applied for from the pool per year (thousand kr.); the municipality's
    co-financing follows from the pool's rate. ``cofinancing_source`` names where the
    municipality's part comes from (e.g. a budget proposal).
    """

    id: Id
    name: Text
    pool: Text
    areas: Annotated[list[Text], Field(min_length=1)]
    yearly: Annotated[dict[int, Money], Field(min_length=1)]
    cofinancing_source: str | None = None
    note: str | None = None


class Agreement(StrictModel):
    """An initiative agreement between a municipality and the state.

    ``areas`` are the areas the agreement concerns; those no initiative covers should be named
    in ``other_efforts`` with the effort that covers them instead.
    """

    id: Id
    name: Text
    municipality: Text
    start_year: Year
    end_year: Year
    areas: Annotated[list[Text], Field(min_length=1)]
    initiatives: Annotated[list[Initiative], Field(min_length=1)]
    other_efforts: dict[str, str] = Field(default_factory=dict)
    source: str | None = None
    note: str | None = None


class PoolCatalogue(StrictModel):
    """Everything a pool file holds."""

    pools: list[Pool] = Field(default_factory=list)
    agreements: list[Agreement] = Field(default_factory=list)
    source: str = "pools"

    def pool(self, pool_id: str) -> Pool | None:
        """The pool with an id, or ``None``."""
        return next((p for p in self.pools if p.id == pool_id), None)

    def agreement(self, agreement_id: str) -> Agreement | None:
        """The agreement with an id, or ``None``."""
        return next((a for a in self.agreements if a.id == agreement_id), None)
