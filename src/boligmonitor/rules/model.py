"""Rule sets as data: the pydantic models a rule-set YAML file is validated against.

A rule set is one legal regime (e.g. the 2018 version of Almenboligloven § 61 a) with its
criteria — each an indicator compared with a threshold — and its designations, each a condition
on criteria, on other designations of the same year, on consecutive earlier years, and on the
number of residents. The shipped files live in ``data/rules/``; a user may load their own.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator
from pydantic_core import PydanticCustomError

from boligmonitor.schema.yamlfile import StrictModel, refusal

__all__ = [
    "AtLeast",
    "Comparison",
    "Condition",
    "Consecutive",
    "Criterion",
    "Designation",
    "PublishedThreshold",
    "Reading",
    "RelativeThreshold",
    "RuleSet",
    "december_first",
]


def december_first(year: int) -> dt.date:
    """The statutory list date of a year: 1 December (Almenboligloven § 61 a, stk. 1)."""
    return dt.date(year, 12, 1)


class Comparison(StrEnum):
    """How a value is compared with its threshold.

    The law's words: "overstiger" is ``gt``, "udgør mindst" is ``ge``, "mindre end" is ``lt``.
    """

    GT = "gt"
    GE = "ge"
    LT = "lt"
    LE = "le"

    @property
    def symbol(self) -> str:
        """The mathematical sign, for tables."""
        return {"gt": ">", "ge": "≥", "lt": "<", "le": "≤"}[self.value]

    @property
    def upward(self) -> bool:
        """Whether the criterion is met by values above the threshold."""
        return self in (Comparison.GT, Comparison.GE)

    @property
    def inclusive(self) -> bool:
        """Whether a value exactly at the threshold meets the criterion."""
        return self in (Comparison.GE, Comparison.LE)


class PublishedThreshold(StrictModel):
    """A published threshold column and its multiple of the base, e.g. 3 × the national share.

    When a row lacks the base (the national average) but gives the published threshold, the
    base is the published threshold divided by ``factor``.
    """

    column: str
    factor: float = Field(gt=0)


def _area_column(value: str | None) -> str | None:
    """A column of the area statistics, or an error naming the known ones."""
    from boligmonitor.schema.area_statistics import AREA_STATISTICS

    known = [c.name for c in AREA_STATISTICS]
    if value is not None and value not in known:
        raise PydanticCustomError(
            "unknown_column",
            "'{value}' names no column of the area statistics; known: {known}",
            {"value": value, "known": ", ".join(known)},
        )
    return value


class RelativeThreshold(StrictModel):
    """A threshold that is a multiple of another column, e.g. 3 × the national crime share.

    The multiplier is data: 3 × for udsatte boligområder (§ 61 a, stk. 1, nr. 2) and 2 × for
    forebyggelsesområder (§ 61 b, nr. 2).
    """

    indicator: str
    factor: float = Field(gt=0)
    published: PublishedThreshold | None = None

    _known_indicator = field_validator("indicator")(_area_column)


class Criterion(StrictModel):
    """One criterion: an indicator compared with a threshold.

    ``population`` names the input column holding the size of the group the share is computed
    over (used for ``flip_persons``); ``population_share`` is the documented assumption used
    when that column is empty: the group's share of all residents.
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label_da: str
    label_en: str
    indicator: str
    comparison: Comparison
    threshold: float | None = None
    threshold_relative: RelativeThreshold | None = None
    unit: Literal["pct", "pct_of_region"] = "pct"
    averaging_years: int = Field(default=2, ge=1, le=10)
    population: str | None = None
    population_share: float = Field(default=1.0, gt=0, le=1)
    age_band: str | None = None
    note: str | None = None

    _known_columns = field_validator("indicator", "population")(_area_column)

    @model_validator(mode="after")
    def _one_threshold(self) -> Criterion:
        if (self.threshold is None) == (self.threshold_relative is None):
            raise refusal("give exactly one of 'threshold' and 'threshold_relative'")
        return self


class AtLeast(StrictModel):
    """At least ``n`` of the listed criteria are met."""

    n: int = Field(ge=1)
    of: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _n_fits(self) -> AtLeast:
        if self.n > len(self.of):
            raise refusal(
                "n={n} is more than the {count} criteria listed", n=self.n, count=len(self.of)
            )
        return self


class Consecutive(StrictModel):
    """The area held one of ``designations`` on each of the latest ``years`` lists.

    Each earlier year is judged under the rule set in force that year, so a 2017 ghetto list
    counts towards a 2021 omdannelsesområde.
    """

    years: int = Field(ge=2, le=20)
    designations: list[str] = Field(min_length=1)


class Condition(StrictModel):
    """A designation's condition; every part given must hold (``any_of``: one branch must)."""

    all_of: list[str] = Field(default_factory=list)
    at_least: AtLeast | None = None
    designations: list[str] = Field(default_factory=list)
    consecutive: Consecutive | None = None
    min_residents: int | None = Field(default=None, ge=0)
    any_of: list[Condition] = Field(default_factory=list)

    def criteria_used(self) -> set[str]:
        """Every criterion id the condition refers to."""
        used = set(self.all_of) | set(self.at_least.of if self.at_least else [])
        for branch in self.any_of:
            used |= branch.criteria_used()
        return used


class Designation(Condition):
    """A list an area can be put on, e.g. ``udsat_boligomraade``."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label_da: str
    label_en: str
    excludes: list[str] = Field(default_factory=list)
    note: str | None = None


class Reading(StrictModel):
    """An alternative reading of a rule set, chosen as ``<rule set id>:<reading id>``.

    A reading replaces the ``excludes`` of the designations it names, e.g. whether an area on
    the udsat list is also listed as a forebyggelsesområde.
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title_da: str
    title_en: str
    excludes: dict[str, list[str]]
    source: str | None = None


class RuleSet(StrictModel):
    """One versioned legal regime.

    ``list_years`` is the first and last list year the regime is in force (``null`` last year:
    still in force). ``list_dates`` states the first and last list dates it governs (``null``
    last date: until the next regime's first list date); without it, 1 December of the first
    and last list year. ``population_minimum`` applies to every designation unless a condition
    states its own ``min_residents``.
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    version: str
    title_da: str
    title_en: str
    legal_basis: str
    family: str = Field(description="Rule sets of one family succeed each other in time.")
    list_years: tuple[int, int | None]
    list_dates: tuple[dt.date, dt.date | None] | None = None
    population_minimum: int = Field(default=1000, ge=0)
    criteria: list[Criterion] = Field(min_length=1)
    designations: list[Designation] = Field(min_length=1)
    assumptions: list[str] = Field(default_factory=list)
    readings: list[Reading] = Field(default_factory=list)
    _source: str | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _references_exist(self) -> RuleSet:
        criteria = {c.id for c in self.criteria}
        if len(criteria) != len(self.criteria):
            raise refusal("criterion ids must be unique")
        ids = [d.id for d in self.designations]
        if len(set(ids)) != len(ids):
            raise refusal("designation ids must be unique")
        for designation in self.designations:
            missing = designation.criteria_used() - criteria
            if missing:
                raise refusal(
                    "designation '{designation}' refers to unknown criteria: {criteria}",
                    designation=designation.id,
                    criteria=", ".join(sorted(missing)),
                )
            earlier = set(ids[: ids.index(designation.id)])
            for ref in [*designation.designations, *designation.excludes]:
                if ref not in earlier:
                    raise refusal(
                        "designation '{designation}' refers to '{ref}', which must be defined "
                        "before it",
                        designation=designation.id,
                        ref=ref,
                    )
        return self

    @model_validator(mode="after")
    def _dates_in_order(self) -> RuleSet:
        first, last = self.list_years
        if last is not None and last < first:
            raise refusal("list_years: the last year is before the first")
        dates = self.list_dates
        if dates is not None and dates[1] is not None and dates[1] < dates[0]:
            raise refusal("list_dates: the last date is before the first")
        designations = {d.id for d in self.designations}
        for reading in self.readings:
            for target, refs in reading.excludes.items():
                unknown = ({target} | set(refs)) - designations
                if unknown:
                    raise refusal(
                        "reading '{reading}' refers to unknown designations: {designations}",
                        reading=reading.id,
                        designations=", ".join(sorted(unknown)),
                    )
        return self

    @property
    def first_list_date(self) -> dt.date:
        """The first list date the regime governs."""
        return self.list_dates[0] if self.list_dates else december_first(self.list_years[0])

    @property
    def last_list_date(self) -> dt.date | None:
        """The last list date the regime governs (``None``: until a later regime begins)."""
        if self.list_dates is not None:
            return self.list_dates[1]
        last = self.list_years[1]
        return None if last is None else december_first(last)

    @property
    def source(self) -> str:
        """The file the rule set was read from (for messages)."""
        return self._source or self.id

    def with_source(self, source: str) -> RuleSet:
        """The same rule set, remembering the file it came from."""
        copy = self.model_copy()
        copy._source = source
        return copy

    def governs(self, date: dt.date) -> bool:
        """Whether the regime's list dates include ``date`` (open-ended: from its first)."""
        last = self.last_list_date
        return self.first_list_date <= date and (last is None or date <= last)

    def in_force(self, year: int) -> bool:
        """Whether the regime governs the list of 1 December ``year``."""
        return self.governs(december_first(year))

    def reading(self, reading_id: str) -> RuleSet:
        """The rule set under an alternative reading, with id ``<id>:<reading>``.

        Raises
        ------
        KeyError
            When the rule set has no such reading.
        """
        for reading in self.readings:
            if reading.id == reading_id:
                designations = [
                    d.model_copy(update={"excludes": reading.excludes[d.id]})
                    if d.id in reading.excludes
                    else d
                    for d in self.designations
                ]
                return self.model_copy(
                    update={
                        "id": f"{self.id}:{reading.id}",
                        "designations": designations,
                        "readings": [],
                    }
                )
        raise KeyError(reading_id)

    def criterion(self, criterion_id: str) -> Criterion:
        """The criterion with this id."""
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)
