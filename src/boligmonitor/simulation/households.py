"""The simulated city as numpy arrays: dwellings (static) and persons in households (state).

Persons are a structure of arrays; each person points at a household and each household at a
dwelling (one household per dwelling, as in the microdata: persons at one unit address). All
operations are vectorised: selecting, gathering and appending households never loops in Python
over households.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace

import numpy as np
import numpy.typing as npt

from boligmonitor.simulation.policy import GROUPS

__all__ = [
    "BAND_EDGES",
    "LOW_INCOME_SHARE",
    "TENURES",
    "City",
    "Persons",
    "State",
    "age_band",
    "household_groups",
    "household_sums",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: Age bands for transition rates: 0-17, 18-29, 30-49, 50-64, 65+.
BAND_EDGES = np.array([18, 30, 50, 65])
#: A household is poor when its equivalised disposable income is at most this share of the
#: city median (OECD relative poverty line, square-root equivalence scale).
LOW_INCOME_SHARE = 0.5
#: No attachment for at least half the year counts a person as outside the labour market.
OUTSIDE_FRACTION = 0.5


#: Dwelling tenures (the microdata's ``tenure`` values); ``City.dwelling_tenure`` indexes them.
TENURES: tuple[str, ...] = (
    "almen_family",
    "almen_elderly",
    "almen_youth",
    "public",
    "private_rental",
    "andel",
    "owner_occupied",
)


def _no_ints() -> IntArray:
    return np.zeros(0, dtype=np.int64)


#: Band of each age 0 … BAND_EDGES[-1] (older: the last band).
_BAND_OF_AGE: IntArray = np.searchsorted(
    BAND_EDGES, np.arange(BAND_EDGES[-1] + 1), side="right"
).astype(np.int64)


def age_band(age: IntArray) -> IntArray:
    """Index of each age in :data:`BAND_EDGES` (0 = under 18 … 4 = 65+)."""
    if len(age) and int(age.min()) < 0:
        return np.searchsorted(BAND_EDGES, age, side="right").astype(np.int64)
    banded: IntArray = _BAND_OF_AGE[np.minimum(age, BAND_EDGES[-1])]
    return banded


@dataclass(frozen=True)
class City:
    """Dwellings and the geography they belong to (does not change during a simulation).

    Attributes
    ----------
    area_ids, area_names
        Statutory boligområder; ``dwelling_area`` indexes them (-1: none).
    unit_ids
        Screening units for segregation indices; ``dwelling_unit`` indexes them (-1: none).
    dwelling_stratum
        Letting market of each dwelling: its area, or ``len(area_ids) + tenure class`` outside.
    dwelling_affordable
        Public or private rental: where a refused applicant may land instead.
    dwelling_m2
        BBR living area.
    dwelling_tenure
        Index of each dwelling's tenure in :data:`TENURES` (-1: demolished).
    letting_area
        The area whose letting rules apply to each dwelling, when it differs from
        ``dwelling_area`` (dwellings an udviklingsplan sold or converted stay in the area for
        the lists but are let outside its public waiting list); ``None``: ``dwelling_area``.
    """

    area_ids: list[str]
    area_names: list[str]
    unit_ids: list[str]
    dwelling_area: IntArray
    dwelling_unit: IntArray
    dwelling_stratum: IntArray
    dwelling_affordable: BoolArray
    dwelling_m2: FloatArray
    dwelling_tenure: IntArray = field(default_factory=_no_ints)
    letting_area: IntArray | None = None

    @property
    def rule_area(self) -> IntArray:
        """The area whose letting rules apply to each dwelling (-1: none)."""
        return self.dwelling_area if self.letting_area is None else self.letting_area

    @property
    def n_areas(self) -> int:
        """Number of statutory areas."""
        return len(self.area_ids)

    @property
    def n_strata(self) -> int:
        """Number of letting markets."""
        return int(self.dwelling_stratum.max()) + 1 if len(self.dwelling_stratum) else 0


@dataclass(frozen=True)
class Persons:
    """Persons' statuses at 1 January, one array element per person."""

    age: IntArray
    nonwestern: BoolArray
    no_attachment: FloatArray
    permanently_outside: BoolArray
    in_education: BoolArray
    basic_education: BoolArray
    no_education: BoolArray
    gross_income: FloatArray
    disposable_income: FloatArray
    taxpayer: BoolArray
    convicted: BoolArray

    def __len__(self) -> int:
        return len(self.age)

    def take(self, index: IntArray | BoolArray) -> Persons:
        """The persons at ``index`` (positions or a mask)."""
        return Persons(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    def append(self, other: Persons) -> Persons:
        """These persons followed by ``other``."""
        return Persons(
            **{
                f.name: np.concatenate([getattr(self, f.name), getattr(other, f.name)])
                for f in fields(self)
            }
        )

    def assign(self, index: IntArray, source: Persons, source_index: IntArray) -> Persons:
        """A copy where the labour-market statuses at ``index`` come from ``source``."""
        changed = {}
        for name in _STATUS_FIELDS:
            column = getattr(self, name).copy()
            column[index] = getattr(source, name)[source_index]
            changed[name] = column
        return replace(self, **changed)


#: Fields that move together when a person enters or leaves the labour market.
_STATUS_FIELDS = (
    "no_attachment",
    "permanently_outside",
    "in_education",
    "gross_income",
    "disposable_income",
    "taxpayer",
)


@dataclass(frozen=True)
class State:
    """Who lives where: persons, their household, each household's dwelling and id."""

    persons: Persons
    person_household: IntArray
    household_dwelling: IntArray
    household_id: IntArray

    @property
    def n_households(self) -> int:
        """Number of households."""
        return len(self.household_dwelling)

    def keep(self, households: BoolArray) -> State:
        """Only the households where ``households`` is true, renumbered in order."""
        new_index = np.cumsum(households) - 1
        kept_persons = households[self.person_household]
        return State(
            persons=self.persons.take(kept_persons),
            person_household=new_index[self.person_household[kept_persons]],
            household_dwelling=self.household_dwelling[households],
            household_id=self.household_id[households],
        )

    def add(
        self, persons: Persons, person_household: IntArray, dwelling: IntArray, ids: IntArray
    ) -> State:
        """Append new households (``person_household`` indexes the new ones from 0)."""
        return State(
            persons=self.persons.append(persons),
            person_household=np.concatenate(
                [self.person_household, person_household + self.n_households]
            ),
            household_dwelling=np.concatenate([self.household_dwelling, dwelling]),
            household_id=np.concatenate([self.household_id, ids]),
        )


def household_sums(persons: Persons, household: IntArray, n: int) -> dict[str, FloatArray]:
    """Per household: members, 18-64-year-olds, their no-attachment sum and more."""
    adult = (persons.age >= 18) & (persons.age <= 64)
    outside = adult & (persons.no_attachment >= OUTSIDE_FRACTION)
    working = adult & ~outside & ~persons.in_education
    student = persons.in_education & (persons.age >= 18) & (persons.age <= 29)
    income = np.nan_to_num(persons.disposable_income)

    def count(mask: BoolArray | None = None) -> FloatArray:
        chosen = household if mask is None else household[mask]
        return np.bincount(chosen, minlength=n).astype(np.float64)

    def total(weights: FloatArray) -> FloatArray:
        return np.bincount(household, weights=weights, minlength=n).astype(np.float64)

    return {
        "members": count(),
        "adults": count(adult),
        "outside_fraction": total(np.where(adult, persons.no_attachment, 0.0)),
        "outside": count(outside),
        "benefits": count(outside & ~persons.permanently_outside),
        "working": count(working),
        "students": count(student),
        "income": total(income),
    }


def household_groups(sums: dict[str, FloatArray], poverty_line: float) -> IntArray:
    """Applicant-group bits (order of :data:`~boligmonitor.simulation.policy.GROUPS`).

    ``outside_labour``: at least half of the 18-64-year-olds outside the labour market;
    ``benefits``: outside and someone on temporary benefits (not permanently outside the labour
    force — the proxy for kontanthjælp, uddannelseshjælp and integrationsydelse);
    ``employed``: someone 18-64 attached and not in education; ``in_education``: a student
    18-29; ``low_income``: equivalised disposable income at most ``poverty_line``.
    """
    outside = (sums["adults"] > 0) & (2 * sums["outside"] >= sums["adults"])
    flags = {
        "outside_labour": outside,
        "benefits": outside & (sums["benefits"] > 0),
        "employed": sums["working"] > 0,
        "in_education": sums["students"] > 0,
        "low_income": equivalised_income(sums) <= poverty_line,
    }
    bits = np.zeros(len(sums["members"]), dtype=np.int64)
    for position, name in enumerate(GROUPS):
        bits |= flags[name].astype(np.int64) << position
    return bits


def equivalised_income(sums: dict[str, FloatArray]) -> FloatArray:
    """Household disposable income divided by the square root of its size."""
    return sums["income"] / np.sqrt(np.maximum(sums["members"], 1.0))


def group_mask(names: Sequence[str]) -> int:
    """The bit mask of applicant groups."""
    mask = 0
    for name in names:
        mask |= 1 << GROUPS.index(name)
    return mask
