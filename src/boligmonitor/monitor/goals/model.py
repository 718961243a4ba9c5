"""Goal catalogues as data: the pydantic models a goal-catalogue YAML file is validated against.

A catalogue is one municipal policy's goals (Copenhagen's *Politik for Udsatte Byområder*
2017–2025 has 18, owned by seven administrations, under three approaches). Each goal has one or
more indicators; each indicator has a unit, which direction is better, a target, values for the
designated areas and the city per status year (with sample sizes where a survey is the source),
and notes on data breaks with the years they affect. Reference: Københavns Kommune, *Status på
Politik for Udsatte Byområder* 2021, tabel 3–21.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from boligmonitor.schema.yamlfile import StrictModel, refusal

__all__ = [
    "Administration",
    "Approach",
    "Better",
    "Catalogue",
    "Goal",
    "Indicator",
    "ListCount",
    "Note",
    "SourceKind",
    "Target",
    "TargetKind",
    "Unit",
    "Value",
    "Verdict",
]


class Verdict(StrEnum):
    """The verdict on an indicator or goal (``fremgang``, ``ingen klar ændring``, ...)."""

    PROGRESS = "progress"
    NO_CLEAR_CHANGE = "no_clear_change"
    REGRESS = "regress"
    UNCERTAIN = "uncertain"


class Unit(StrEnum):
    """Unit of an indicator's values."""

    PCT = "pct"
    GRADE = "grade"
    YEARS = "years"
    COUNT = "count"
    PER_KM = "per_km"
    KM = "km"


class Better(StrEnum):
    """Which direction is better; ``neutral`` indicators are context and get no verdict."""

    HIGHER = "higher"
    LOWER = "lower"
    NEUTRAL = "neutral"


class TargetKind(StrEnum):
    """Target types of the policy's goal wording.

    ``approach_city`` "nærmer sig niveauet for København"; ``fall_pct`` "falder med X %";
    ``fall_pp`` "falder med X procentpoint"; ``reach_count`` "N boliger i 2025"; ``rise`` /
    ``fall`` "øges"/"mindskes"; ``context`` is shown but not evaluated.
    """

    APPROACH_CITY = "approach_city"
    FALL_PCT = "fall_pct"
    FALL_PP = "fall_pp"
    REACH_COUNT = "reach_count"
    RISE = "rise"
    FALL = "fall"
    CONTEXT = "context"


class SourceKind(StrEnum):
    """Where the figures come from; surveys are tested for significance."""

    REGISTER = "register"
    SURVEY = "survey"
    ADMINISTRATIVE = "administrative"
    LISTS = "lists"


class ListCount(StrictModel):
    """An indicator counted from the statutory lists: areas on list ``designation``.

    The count is of the areas of ``municipality`` (all municipalities when ``None``) on each
    list, or only of the named ``areas``, or of the areas on the list of ``areas_of_year``
    (e.g. "Copenhagen's 10 areas of 2010"). Values are computed from the published record or a
    workspace's designations (:mod:`boligmonitor.monitor.goals.lists`).
    """

    designation: str = Field(default="ghettoomraade", pattern=r"^[a-z_]+$")
    municipality: str | None = None
    areas: list[str] = Field(default_factory=list)
    areas_of_year: int | None = Field(default=None, ge=1900, le=2100)
    first_year: int = Field(ge=1900, le=2100)
    last_year: int = Field(ge=1900, le=2100)


class Target(StrictModel):
    """What the indicator should achieve by ``by_year`` (default: the catalogue's target year).

    ``amount`` is X for ``fall_pct``/``fall_pp`` and N for ``reach_count`` (an increase over the
    baseline when ``since_baseline``); ``reach_city`` asks the gap to be closed by ``by_year``.
    """

    kind: TargetKind
    amount: float | None = Field(default=None, gt=0)
    by_year: int | None = Field(default=None, ge=1900, le=2100)
    since_baseline: bool = False
    reach_city: bool = False

    @model_validator(mode="after")
    def _amount_when_needed(self) -> Target:
        needs = self.kind in (TargetKind.FALL_PCT, TargetKind.FALL_PP, TargetKind.REACH_COUNT)
        if needs and self.amount is None:
            raise refusal("target kind '{kind}' needs an 'amount'", kind=self.kind.value)
        if not needs and self.amount is not None:
            raise refusal("target kind '{kind}' takes no 'amount'", kind=self.kind.value)
        return self


class Value(StrictModel):
    """One status year's figures for the designated areas and the city.

    ``area_n``/``city_n`` are the number of persons (respondents) a share is based on;
    ``reported_significant`` is the owning administration's own test of the change to this
    year, used when the sample sizes are not published.
    """

    year: int = Field(ge=1900, le=2100)
    data_year: int | None = Field(default=None, ge=1900, le=2100)
    area: float | None = None
    city: float | None = None
    area_pct: float | None = Field(default=None, ge=0, le=100)
    city_pct: float | None = Field(default=None, ge=0, le=100)
    area_n: int | None = Field(default=None, gt=0)
    city_n: int | None = Field(default=None, gt=0)
    available: bool = True
    reported_significant: bool | None = None
    area_set: str | None = None
    note_da: str | None = None
    note_en: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Value:
        if self.available and self.area is None:
            raise refusal("an available value needs 'area' (or set available: false)")
        if not self.available and (self.area is not None or self.city is not None):
            raise refusal("a value marked available: false must not have figures")
        return self


class Note(StrictModel):
    """A footnote on the years it affects; ``breaks_series`` marks a data break.

    A break in year Y means values from Y on cannot be compared with values before Y (new
    source or method, COVID-19, changed definition or coverage).
    """

    years: list[int] = Field(min_length=1)
    kind: str = Field(pattern=r"^[a-z_]+$")
    breaks_series: bool
    text_da: str
    text_en: str | None = None


class Indicator(StrictModel):
    """One indicator of a goal, with its target and values per status year."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label_da: str
    label_en: str
    unit: Unit
    better: Better
    target: Target
    source_kind: SourceKind
    decimals: int = Field(default=1, ge=0, le=4)
    baseline_year: int | None = Field(default=None, ge=1900, le=2100)
    sum_of: list[str] = Field(default_factory=list)
    microdata: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*$")
    lists: ListCount | None = None
    values: list[Value] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> Indicator:
        if not self.values and self.lists is None:
            raise refusal("an indicator needs 'values' (or 'lists' to count them)")
        keys = [(v.year, v.area_set) for v in self.values]
        duplicated = sorted({k[0] for k in keys if keys.count(k) > 1})
        if duplicated:
            years = ", ".join(map(str, duplicated))
            raise refusal("more than one value for year(s) {years}", years=years)
        neutral = self.better is Better.NEUTRAL
        if neutral != (self.target.kind is TargetKind.CONTEXT):
            raise refusal("'better: neutral' and 'target.kind: context' go together")
        return self

    def series(self, area_set: str | None = None) -> list[Value]:
        """The values of one area set (``None``: the catalogue's own areas), by year."""
        return sorted((v for v in self.values if v.area_set == area_set), key=lambda v: v.year)

    def break_years(self) -> list[int]:
        """Years from which values cannot be compared with earlier ones."""
        return sorted({y for n in self.notes if n.breaks_series for y in n.years})


class Goal(StrictModel):
    """One goal (mål): an approach, owning administrations and indicators.

    ``published_verdicts`` is the status report's own summary, by status year, kept to compare
    with the evaluation.
    """

    number: int = Field(ge=1)
    approach: str
    owners: list[str] = Field(min_length=1)
    title_da: str
    title_en: str
    source: str
    published_verdicts: dict[int, Verdict] = Field(default_factory=dict)
    indicators: list[Indicator] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_indicators(self) -> Goal:
        ids = [i.id for i in self.indicators]
        duplicated = sorted({i for i in ids if ids.count(i) > 1})
        if duplicated:
            raise refusal("indicator id(s) used twice: {ids}", ids=", ".join(duplicated))
        for indicator in self.indicators:
            unknown = [s for s in indicator.sum_of if s not in ids]
            if unknown:
                raise refusal(
                    "indicator '{indicator}', field 'sum_of': unknown indicator(s) {unknown}",
                    indicator=indicator.id,
                    unknown=", ".join(unknown),
                )
        return self

    def indicator(self, indicator_id: str) -> Indicator:
        """An indicator by id (``KeyError`` when unknown)."""
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(indicator_id)


class Approach(StrictModel):
    """One of the policy's approaches (tilgange)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    number: int = Field(ge=1)
    title_da: str
    title_en: str
    description_da: str = ""


class Administration(StrictModel):
    """A municipal administration (forvaltning) that owns goals."""

    name_da: str
    name_en: str


class Catalogue(StrictModel):
    """A goal catalogue: a policy's approaches, administrations and goals."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    version: str
    title_da: str
    title_en: str
    municipality: str
    baseline_year: int = Field(ge=1900, le=2100)
    target_year: int = Field(ge=1900, le=2100)
    area_set: str
    source: str
    vision_da: str = ""
    vision_en: str = ""
    administrations: dict[str, Administration]
    approaches: list[Approach] = Field(min_length=1)
    goals: list[Goal] = Field(min_length=1)

    def status_years(self) -> list[int]:
        """The status years: years after the baseline that any indicator has a value for."""
        years = {v.year for g in self.goals for i in g.indicators for v in i.values}
        return sorted(y for y in years if y > self.baseline_year)

    def goal(self, number: int) -> Goal:
        """A goal by number (``KeyError`` when unknown)."""
        for goal in self.goals:
            if goal.number == number:
                return goal
        raise KeyError(number)

    def approach(self, approach_id: str) -> Approach:
        """An approach by id (``KeyError`` when unknown)."""
        for approach in self.approaches:
            if approach.id == approach_id:
                return approach
        raise KeyError(approach_id)
