"""Re-housing (genhusning) of the households whose dwellings an udviklingsplan demolishes,
sells or converts, through the letting machinery of :mod:`.letting`.

The displaced households are applicants with priority: before the year's queue is drawn they
take vacancies (this year's move-outs and dwellings left empty) in the order
:func:`~.letting.place` uses for refused applicants — affordable housing, public housing first,
random order, never where the area's rules would refuse them by anvisning (statutory refusal,
kombineret udlejning, the forebyggelse ban, the trappemodel over its threshold). A household
for which no vacancy is left leaves the city's housing. Households are followed: they keep
their persons and id and only change dwelling. Vectorised; no loop over households.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from boligmonitor.simulation.development import YearWorks
from boligmonitor.simulation.households import BoolArray, City, IntArray, State
from boligmonitor.simulation.letting import AreaRules, place

__all__ = ["Rehousing", "rehouse"]


@dataclass(frozen=True)
class Rehousing:
    """Where the displaced households went: for each, the area it left and its destination
    (area index, ``-1`` housing outside the areas, ``-2`` outside the city's housing)."""

    from_area: IntArray
    to_area: IntArray
    persons_out: int

    @property
    def counts(self) -> dict[str, int]:
        """Ledger entries: displaced, re-housed in the city, left the city's housing."""
        out = int((self.to_area == -2).sum())
        return {
            "households_displaced": len(self.from_area),
            "households_rehoused": len(self.from_area) - out,
            "households_rehoused_out": out,
            "persons_rehoused_out": self.persons_out,
        }


def _share_over(state: State, city: City, rules: AreaRules) -> BoolArray:
    """Areas whose share of 18-64-year-olds outside the labour market exceeds the trappemodel
    threshold (residents before anyone moves)."""
    p = state.persons
    area = city.dwelling_area[state.household_dwelling[state.person_household]]
    band = (p.age >= 18) & (p.age <= 64) & (area >= 0)
    outside = np.bincount(area[band], weights=p.no_attachment[band], minlength=city.n_areas)
    adults = np.bincount(area[band], minlength=city.n_areas).astype(np.float64)
    limit = rules.trappe_threshold_pct / 100.0 * np.maximum(adults, 1e-12)
    over: BoolArray = outside.astype(np.float64) > limit
    return over


def rehouse(
    state: State,
    vacancies: IntArray,
    works: YearWorks,
    city: City,
    rules: AreaRules,
    groups: IntArray,
    rng: np.random.Generator,
) -> tuple[State, IntArray, Rehousing]:
    """Move the households of ``works.affected`` dwellings into vacancies, with priority.

    Parameters
    ----------
    state
        Stayers after this year's move-outs (``groups``: their applicant-group bits).
    vacancies
        This year's vacancies (dwelling indices; demolished ones are dropped).
    city
        The city after this year's measures.

    Returns
    -------
    tuple
        The new state, the vacancies left for the queue (untaken ones, the emptied sold and
        converted dwellings and the new dwellings), and where the displaced went.
    """
    dwelling = state.household_dwelling
    displaced = np.flatnonzero(works.affected[dwelling])
    usable = vacancies[~works.affected[vacancies] & ~works.gone[vacancies]]
    taken = np.zeros(len(usable), dtype=bool)
    landed = np.full(len(displaced), -1, dtype=np.int64)
    if len(displaced):
        over = _share_over(state, city, rules)
        landed = place(groups[displaced], usable, taken, city, rules, over, rng)
    housed = landed >= 0
    moved = dwelling.copy()
    moved[displaced[housed]] = usable[landed[housed]]
    destination = np.full(len(displaced), -2, dtype=np.int64)
    destination[housed] = city.dwelling_area[usable[landed[housed]]]
    rehousing_from = city.dwelling_area[dwelling[displaced]]
    state = State(state.persons, state.person_household, moved, state.household_id)
    leaving = np.zeros(state.n_households, dtype=bool)
    leaving[displaced[~housed]] = True
    persons_out = int(leaving[state.person_household].sum())
    if persons_out or leaving.any():
        state = state.keep(~leaving)
    emptied = np.flatnonzero(works.affected & ~works.gone)
    left = np.concatenate([usable[~taken], emptied, works.new])
    return state, left, Rehousing(rehousing_from, destination, persons_out)
