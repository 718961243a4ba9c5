"""Letting a year's vacancies under a policy, vectorised.

Each vacancy first draws a candidate household from the observed in-movers to its letting market
(or, for an anvisning vacancy, from the municipality's target groups; for a fleksibel vacancy,
from the priority groups). Refusal rules (kombineret udlejning, statutory refusal, the
forebyggelse ban) and the trappemodel then accept or refuse the candidate:

- the trappemodel is sequential by nature: an area stops receiving the targeted group exactly
  when its share *exceeds* the threshold, and every in-mover changes the share. It is applied in
  a loop over *positions* (the k-th vacancy of every area at once), vectorised across areas;
- a refused household is sent to the next eligible vacancy elsewhere (public housing first, then
  private rental, in random order), replacing that vacancy's candidate; with none it leaves the
  city's housing (destination "outside");
- a refused vacancy draws a replacement from its market's eligible in-movers, or stays empty
  ("even if dwellings stay empty", § 51 c).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from boligmonitor.simulation.estimate import Donors
from boligmonitor.simulation.households import BoolArray, City, FloatArray, IntArray

if TYPE_CHECKING:
    from boligmonitor.simulation.rehousing import Rehousing

__all__ = ["AreaRules", "Letting", "let_vacancies", "place"]

_REDRAWS = 5


@dataclass(frozen=True)
class AreaRules:
    """The rules in force for one simulated year, per area (masks of applicant-group bits).

    ``refuse_ordinary``/``refuse_anvisning``: groups refused on the waiting list / by anvisning;
    ``flex_priority``: groups with priority (0: fleksibel udlejning not in force);
    ``trappe_scope``: areas under the trappemodel; ``listed``: areas on any list that year.
    """

    refuse_ordinary: IntArray
    refuse_anvisning: IntArray
    flex_priority: IntArray
    flex_share: float
    anvisning_share: float
    anvisning_groups: int
    trappe_scope: BoolArray
    trappe_group: int
    trappe_threshold_pct: float
    listed: BoolArray


@dataclass(frozen=True)
class Letting:
    """The outcome of one year's letting.

    ``dwelling``/``donor``: each let vacancy and the in-mover household copied into it;
    ``empty``: vacancies left empty; ``refused_from``/``refused_to``: for each refused household
    the refusing area and its destination (area index, ``-1`` housing outside the areas,
    ``-2`` outside the city's housing); ``rehousing``: where the households displaced by an
    udviklingsplan went (``None``: no measure this year).
    """

    dwelling: IntArray
    donor: IntArray
    empty: IntArray
    refused_from: IntArray
    refused_to: IntArray
    rehousing: Rehousing | None = None


def _draw(
    pool: IntArray, start: IntArray, size: IntArray, key: IntArray, rng: np.random.Generator
) -> IntArray:
    """One random member of ``pool[start[key] : start[key] + size[key]]`` per key (-1: empty)."""
    n = size[key]
    pick = start[key] + np.floor(rng.random(len(key)) * n).astype(np.int64)
    return np.where(n > 0, pool[np.minimum(pick, len(pool) - 1)], -1)


def _market_pools(
    donors: Donors, n_strata: int, wanted: int
) -> tuple[IntArray, IntArray, IntArray]:
    """Donor indices per market restricted to households with any group in ``wanted``
    (``wanted = -1``: all); computed once per donor set and group mask."""
    if wanted in donors.pools:
        return donors.pools[wanted]
    keep = np.flatnonzero((donors.groups & wanted) != 0 if wanted != -1 else donors.groups >= 0)
    order = keep[np.argsort(donors.stratum[keep], kind="stable")]
    size = np.bincount(donors.stratum[order], minlength=n_strata)
    start = np.concatenate([[0], np.cumsum(size)[:-1]]).astype(np.int64)
    donors.pools[wanted] = (order.astype(np.int64), start, size.astype(np.int64))
    return donors.pools[wanted]


def _candidates(
    vacancies: IntArray, city: City, donors: Donors, rules: AreaRules, rng: np.random.Generator
) -> tuple[IntArray, BoolArray]:
    """A candidate donor household per vacancy and whether it is an anvisning vacancy."""
    stratum = city.dwelling_stratum[vacancies]
    pool, start, size = _market_pools(donors, city.n_strata, -1)
    donor = _draw(pool, start, size, stratum, rng)
    public = (city.rule_area[vacancies] >= 0) | (stratum == city.n_areas)
    anvisning = public & (rng.random(len(vacancies)) < rules.anvisning_share)
    if anvisning.any():
        groups = donors.groups if donors.observed is None else donors.groups[: donors.observed]
        targets = np.flatnonzero((groups & rules.anvisning_groups) != 0)
        if len(targets):
            picks = targets[rng.integers(0, len(targets), int(anvisning.sum()))]
            donor[anvisning] = picks
    area = city.rule_area[vacancies]
    flexible = (area >= 0) & ~anvisning
    flexible &= rules.flex_priority[np.maximum(area, 0)] != 0
    flexible &= rng.random(len(vacancies)) < rules.flex_share
    if flexible.any():
        priority = int(np.bitwise_or.reduce(rules.flex_priority))
        ppool, pstart, psize = _market_pools(donors, city.n_strata, priority)
        redrawn = _draw(ppool, pstart, psize, stratum[flexible], rng)
        donor[flexible] = np.where(redrawn >= 0, redrawn, donor[flexible])
    return donor, anvisning


def _refused_by_rules(
    vacancies: IntArray,
    donor: IntArray,
    anvisning: BoolArray,
    city: City,
    donors: Donors,
    rules: AreaRules,
) -> BoolArray:
    area = city.rule_area[vacancies]
    inside = area >= 0
    safe_area = np.maximum(area, 0)
    mask = np.where(anvisning, rules.refuse_anvisning[safe_area], rules.refuse_ordinary[safe_area])
    groups = donors.groups[np.maximum(donor, 0)]
    refused: BoolArray = inside & (donor >= 0) & ((groups & mask) != 0)
    return refused


def _trappemodel(
    vacancies: IntArray,
    donor: IntArray,
    candidate_ok: BoolArray,
    anvisning: BoolArray,
    city: City,
    donors: Donors,
    rules: AreaRules,
    outside: FloatArray,
    adults: FloatArray,
    rng: np.random.Generator,
) -> BoolArray:
    """Refusals by the trappemodel, position by position within each area (vectorised across
    areas); ``outside``/``adults`` are the areas' current sums and are updated in place."""
    refused = np.zeros(len(vacancies), dtype=bool)
    area = city.rule_area[vacancies]
    live = np.flatnonzero((area >= 0) & candidate_ok)
    order = live[np.lexsort((rng.random(len(live)), area[live]))]
    if not len(order):
        return refused
    areas = area[order]
    first = np.concatenate([[0], np.flatnonzero(np.diff(areas)) + 1])
    rank = np.arange(len(order)) - np.repeat(first, np.diff(np.append(first, len(order))))
    threshold = rules.trappe_threshold_pct / 100.0
    by_rank = order[np.argsort(rank, kind="stable")]
    bounds = np.concatenate([[0], np.cumsum(np.bincount(rank))])
    for k in range(len(bounds) - 1):
        at = by_rank[bounds[k] : bounds[k + 1]]
        a = area[at]
        d = donor[at]
        targeted = (donors.groups[d] & rules.trappe_group) != 0
        share = outside[a] / np.maximum(adults[a], 1e-12)
        stop = anvisning[at] & targeted & rules.trappe_scope[a] & (share > threshold)
        stop &= adults[a] > 0
        refused[at[stop]] = True
        ok = at[~stop]
        np.add.at(outside, area[ok], donors.outside_fraction[donor[ok]])
        np.add.at(adults, area[ok], donors.adults[donor[ok]])
    return refused


def _replacements(
    vacancies: IntArray,
    refused: BoolArray,
    anvisning: BoolArray,
    city: City,
    donors: Donors,
    rules: AreaRules,
    rng: np.random.Generator,
) -> IntArray:
    """Eligible replacement candidates for refused vacancies (-1: none found, stays empty)."""
    where = np.flatnonzero(refused)
    found = np.full(len(where), -1, dtype=np.int64)
    pool, start, size = _market_pools(donors, city.n_strata, -1)
    stratum = city.dwelling_stratum[vacancies[where]]
    area = np.maximum(city.rule_area[vacancies[where]], 0)
    mask = rules.refuse_ordinary[area] | rules.refuse_anvisning[area] * anvisning[where]
    mask |= np.where(rules.trappe_scope[area], rules.trappe_group, 0) * anvisning[where]
    for _ in range(_REDRAWS):
        todo = found < 0
        if not todo.any():
            break
        drawn = _draw(pool, start, size, stratum[todo], rng)
        good = (drawn >= 0) & ((donors.groups[np.maximum(drawn, 0)] & mask[todo]) == 0)
        found[np.flatnonzero(todo)[good]] = drawn[good]
    return found


def place(
    groups: IntArray,
    vacancies: IntArray,
    taken: BoolArray,
    city: City,
    rules: AreaRules,
    share_over: BoolArray,
    rng: np.random.Generator,
) -> IntArray:
    """For each household with applicant-group bits ``groups`` (refused, or displaced by an
    udviklingsplan), the position of the vacancy it lands in (-1: none): open vacancies in
    affordable housing, public housing first, in random order, skipping areas whose rules
    would refuse it by anvisning or whose share is over the trappemodel threshold. Chosen
    positions are marked in ``taken``."""
    destination = np.full(len(groups), -1, dtype=np.int64)
    area = city.rule_area[vacancies]
    public = (area >= 0) | (city.dwelling_stratum[vacancies] == city.n_areas)
    open_ = np.flatnonzero(~taken & city.dwelling_affordable[vacancies])
    preference = np.lexsort((rng.random(len(open_)), ~public[open_]))
    open_ = open_[preference]
    safe = np.maximum(area[open_], 0)
    for mask in np.unique(groups):
        who = np.flatnonzero(groups == mask)
        refuses = (rules.refuse_anvisning[safe] & mask) != 0
        refuses |= rules.trappe_scope[safe] & share_over[safe] & ((mask & rules.trappe_group) != 0)
        eligible = open_[~((area[open_] >= 0) & refuses) & ~taken[open_]]
        n = min(len(who), len(eligible))
        destination[who[:n]] = eligible[:n]
        taken[eligible[:n]] = True
    return destination


def let_vacancies(
    vacancies: IntArray,
    city: City,
    donors: Donors,
    rules: AreaRules,
    outside: FloatArray,
    adults: FloatArray,
    rng: np.random.Generator,
) -> Letting:
    """Let every vacancy of one year.

    Parameters
    ----------
    vacancies
        Dwelling indices to let.
    outside, adults
        Per area: stayers' sum of no-attachment fractions among 18-64-year-olds and their
        number (updated in place as households move in).

    Returns
    -------
    Letting
        Filled dwellings with their in-mover donors, empty dwellings and refusal flows.
    """
    donor, anvisning = _candidates(vacancies, city, donors, rules, rng)
    refused = _refusals(vacancies, donor, anvisning, city, donors, rules, outside, adults, rng)
    refused_households = donor[refused]
    donor[refused] = _replacements(vacancies, refused, anvisning, city, donors, rules, rng)
    share_over = outside > rules.trappe_threshold_pct / 100.0 * np.maximum(adults, 1e-12)
    taken = refused.copy()
    groups = donors.groups[refused_households]
    landed = place(groups, vacancies, taken, city, rules, share_over, rng)
    housed = landed >= 0
    donor[landed[housed]] = refused_households[housed]
    return _letting(vacancies, donor, refused, landed, city)


def _refusals(
    vacancies: IntArray,
    donor: IntArray,
    anvisning: BoolArray,
    city: City,
    donors: Donors,
    rules: AreaRules,
    outside: FloatArray,
    adults: FloatArray,
    rng: np.random.Generator,
) -> BoolArray:
    """Candidates refused by the areas' letting rules, then by the trappemodel among the rest."""
    refused = _refused_by_rules(vacancies, donor, anvisning, city, donors, rules)
    candidate_ok = (donor >= 0) & ~refused
    refused |= _trappemodel(
        vacancies, donor, candidate_ok, anvisning, city, donors, rules, outside, adults, rng
    )
    return refused


def _letting(
    vacancies: IntArray, donor: IntArray, refused: BoolArray, landed: IntArray, city: City
) -> Letting:
    """The year's letting: filled and empty dwellings, and where refused households went
    (the area of the vacancy they landed in, -2: none)."""
    to_area = np.where(landed >= 0, city.dwelling_area[vacancies[np.maximum(landed, 0)]], -2)
    filled = donor >= 0
    return Letting(
        dwelling=vacancies[filled],
        donor=donor[filled],
        empty=vacancies[~filled],
        refused_from=city.rule_area[vacancies[refused]],
        refused_to=to_area,
    )
