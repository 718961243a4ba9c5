"""One simulated year of the microsimulation.

Households move out (observed rates by letting market and household type), stayers age and
enter or leave the labour market (observed transition rates), households displaced by
udviklingsplaner are re-housed (:mod:`.rehousing`, Almenboligloven § 168 a), and the vacancies
are let under the policy with the rules tied to the latest list (:mod:`.letting`).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from boligmonitor.simulation.development import YearWorks
from boligmonitor.simulation.estimate import Donors, Dynamics, Observed
from boligmonitor.simulation.households import (
    OUTSIDE_FRACTION,
    BoolArray,
    City,
    FloatArray,
    IntArray,
    State,
    age_band,
    household_groups,
    household_sums,
)
from boligmonitor.simulation.letting import Letting, let_vacancies
from boligmonitor.simulation.policy import Policy
from boligmonitor.simulation.rehousing import Rehousing, rehouse
from boligmonitor.simulation.rules import area_rules

__all__ = ["age_and_transition", "move_in", "step"]


def _area_sums(state: State, city: City) -> tuple[FloatArray, FloatArray]:
    p = state.persons
    area = city.dwelling_area[state.household_dwelling[state.person_household]]
    band = (p.age >= 18) & (p.age <= 64) & (area >= 0)
    weights = p.no_attachment[band]
    outside = np.bincount(area[band], weights=weights, minlength=city.n_areas).astype(np.float64)
    adults = np.bincount(area[band], minlength=city.n_areas).astype(np.float64)
    return outside, adults


def age_and_transition(state: State, dynamics: Dynamics, rng: np.random.Generator) -> State:
    """Stayers one year older; labour-market entries and exits at the observed rates; a person
    changing state takes the statuses of a random observed person of the new state and age band;
    convictions redrawn at the observed rate."""
    p = state.persons
    age = p.age + 1
    band = age_band(age)
    now = p.no_attachment >= OUTSIDE_FRACTION
    outside_next = rng.random(len(age)) < dynamics.enter_outside.ravel()[band * 2 + now]
    changed = np.flatnonzero(outside_next != now)
    cell = band[changed] * 2 + outside_next[changed]
    size = dynamics.pool_size[cell]
    pick = dynamics.pool_start[cell] + np.floor(rng.random(len(changed)) * size).astype(np.int64)
    usable = size > 0
    persons = p.assign(changed[usable], dynamics.status_pool, pick[usable])
    outside = persons.no_attachment >= OUTSIDE_FRACTION
    convicted = rng.random(len(age)) < dynamics.conviction.ravel()[band * 2 + outside]
    persons = replace(persons, age=age, convicted=convicted)
    return State(persons, state.person_household, state.household_dwelling, state.household_id)


def move_in(state: State, letting: Letting, donors: Donors, next_id: int) -> State:
    """Copy the in-mover donor households into their new dwellings (new household ids)."""
    counts = donors.size[letting.donor]
    total = int(counts.sum())
    offsets = np.repeat(np.cumsum(counts) - counts, counts)
    person = np.repeat(donors.start[letting.donor], counts) + np.arange(total) - offsets
    household = np.repeat(np.arange(len(letting.donor)), counts)
    ids = np.arange(next_id, next_id + len(letting.donor), dtype=np.int64)
    return state.add(donors.persons.take(person), household, letting.dwelling, ids)


def step(
    state: State,
    held_empty: IntArray,
    observed: Observed,
    rules_policy: Policy,
    held: dict[str, BoolArray],
    rng: np.random.Generator,
    next_id: int,
    sums: dict[str, FloatArray] | None = None,
    groups: IntArray | None = None,
    city: City | None = None,
    works: YearWorks | None = None,
) -> tuple[State, Letting, dict[str, int]]:
    """One simulated year; returns the new state, the letting and the year's ledger.

    ``sums`` and ``groups`` are the household sums and applicant groups of ``state`` when
    already known; ``city`` the run's city when udviklingsplan measures changed it, ``works``
    this year's measures (their households are re-housed first, see :mod:`.rehousing`; the
    letting then carries the re-housing in ``letting.rehousing``).
    """
    city = observed.city if city is None else city
    dynamics = observed.dynamics
    if sums is None:
        sums = household_sums(state.persons, state.person_household, state.n_households)
    if groups is None:
        groups = household_groups(sums, dynamics.poverty_line)
    leave = _moving_out(state, city, dynamics, groups, rng)
    vacancies = np.concatenate([state.household_dwelling[leave], held_empty])
    before = state
    state = age_and_transition(state.keep(~leave), dynamics, rng)
    rules = area_rules(rules_policy, city, held)
    moved: Rehousing | None = None
    if works is not None:
        state, vacancies, moved = rehouse(state, vacancies, works, city, rules, groups[~leave], rng)
    area_outside, area_adults = _area_sums(state, city)
    letting = let_vacancies(vacancies, city, observed.donors, rules, area_outside, area_adults, rng)
    state = move_in(state, letting, observed.donors, next_id)
    if moved is not None:
        letting = replace(letting, rehousing=moved)
    ledger = _ledger(before, state, leave, sums, letting, vacancies, observed.donors)
    if works is not None and moved is not None:
        ledger["vacancies"] = len(vacancies) + moved.counts["households_rehoused"]
        ledger.update(moved.counts, **works.counts)
    return state, letting, ledger


def _moving_out(
    state: State, city: City, dynamics: Dynamics, groups: IntArray, rng: np.random.Generator
) -> BoolArray:
    """The households moving out this year, at the observed rate of their letting market
    (dwelling stratum) and labour-market attachment."""
    outside = groups & 1
    stratum = city.dwelling_stratum[state.household_dwelling]
    leave: BoolArray = rng.random(state.n_households) < dynamics.move_out[stratum, outside]
    return leave


def _ledger(
    before: State,
    after: State,
    leave: BoolArray,
    sums: dict[str, FloatArray],
    letting: Letting,
    vacancies: IntArray,
    donors: Donors,
) -> dict[str, int]:
    """Households and persons at the start, out, in and at the end of the year; vacancies."""
    return {
        "households_start": before.n_households,
        "persons_start": len(before.persons),
        "households_out": int(leave.sum()),
        "persons_out": int(sums["members"][leave].sum()),
        "households_in": len(letting.dwelling),
        "persons_in": int(donors.size[letting.donor].sum()),
        "vacancies": len(vacancies),
        "left_empty": len(letting.empty),
        "refused": len(letting.refused_from),
        "households_end": after.n_households,
        "persons_end": len(after.persons),
    }
