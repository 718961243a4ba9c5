"""The counting rules of Almenboligloven § 168 a as validated data.

The rules (which dwellings are *almene familieboliger*, how commercial floor space and demolished
dwellings count in the total, what each kind of measure does to the stock, and which designations
oblige a plan) live in ``data/udviklingsplan/dk-168a.yaml`` with their sources; a user may load
their own copy. See ``docs/udviklingsplaner.md``.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from boligmonitor.schema.yamlfile import StrictModel, load_yaml_model, refusal

__all__ = [
    "COMMERCIAL",
    "DEMOLISHED",
    "Category",
    "CommercialRule",
    "CountingRules",
    "DemolishedRule",
    "MeasureKind",
    "Obligation",
    "Target",
    "default_rules",
    "load_rules",
]

#: Pseudo-categories a measure may move dwellings to.
DEMOLISHED = "demolished"
COMMERCIAL = "commercial_m2"


class Target(StrictModel):
    """The requirement: the share of almene familieboliger at the deadline."""

    max_share: dict[Literal["numerator", "denominator"], int]
    comparison: Literal["le", "lt"]
    deadline: dt.date
    source: str

    @property
    def share(self) -> Fraction:
        """The maximum share as an exact fraction (2/5 for 40 %)."""
        return Fraction(self.max_share["numerator"], self.max_share["denominator"])

    def met(self, share: Fraction) -> bool:
        """Whether a share meets the target ("højst" is at most: ``le``)."""
        return share <= self.share if self.comparison == "le" else share < self.share


class Obligation(StrictModel):
    """Which designations oblige a plan, from which list year."""

    designations: tuple[str, ...]
    from_list_year: int
    remains_after_leaving: bool
    source: str


class Category(StrictModel):
    """A dwelling category (type and tenure) of the stock."""

    id: str
    label_da: str
    label_en: str
    family: bool
    source: str

    def label(self, lang: str) -> str:
        """The label in a language (``label_da`` / ``label_en``)."""
        return str(getattr(self, f"label_{lang}"))


class CommercialRule(StrictModel):
    """Commercial floor space counted as dwellings."""

    m2_per_dwelling: int = Field(gt=0)
    rounding: Literal["floor", "fraction"]
    source: str

    def dwellings(self, m2: int) -> Fraction:
        """Dwellings that ``m2`` of commercial floor space count as."""
        if self.rounding == "floor":
            return Fraction(m2 // self.m2_per_dwelling)
        return Fraction(m2, self.m2_per_dwelling)


class DemolishedRule(StrictModel):
    """Demolished dwellings counted in the total."""

    counted_in_total: bool
    counted_from: dt.date
    replaced_by: str
    source: str


class MeasureKind(StrictModel):
    """A kind of measure: moves dwellings from one category to another."""

    id: str
    label_da: str
    label_en: str
    from_category: str | None = None
    to_category: str
    rehoused_per_dwelling: int = Field(ge=0)
    source: str

    def label(self, lang: str) -> str:
        """The label in a language (``label_da`` / ``label_en``)."""
        return str(getattr(self, f"label_{lang}"))


class CountingRules(StrictModel):
    """A set of counting rules for udviklingsplaner."""

    id: str
    version: str
    title_da: str
    title_en: str
    legal_basis: str
    target: Target
    obligation: Obligation
    categories: tuple[Category, ...]
    microdata_tenure: dict[str, str]
    commercial: CommercialRule
    demolished: DemolishedRule
    measures: tuple[MeasureKind, ...]

    @model_validator(mode="after")
    def _known_categories(self) -> CountingRules:
        ids = {c.id for c in self.categories}
        if sum(c.family for c in self.categories) != 1:
            raise refusal("exactly one category must be the family category")
        targets = ids | {DEMOLISHED, COMMERCIAL}
        for kind in self.measures:
            if kind.from_category is not None and kind.from_category not in ids:
                raise refusal(
                    "measure {kind}: unknown category {category}",
                    kind=kind.id,
                    category=kind.from_category,
                )
            if kind.to_category not in targets:
                raise refusal(
                    "measure {kind}: unknown category {category}",
                    kind=kind.id,
                    category=kind.to_category,
                )
        unknown = set(self.microdata_tenure.values()) - ids
        if unknown or self.demolished.replaced_by not in ids:
            named = sorted(unknown) or [self.demolished.replaced_by]
            raise refusal("unknown categories: {categories}", categories=", ".join(named))
        return self

    @property
    def family_category(self) -> str:
        """The id of the almene familieboliger category."""
        return next(c.id for c in self.categories if c.family)

    @property
    def category_ids(self) -> tuple[str, ...]:
        """Category ids in the order of the rules."""
        return tuple(c.id for c in self.categories)

    def category(self, category_id: str) -> Category:
        """A category by id."""
        return next(c for c in self.categories if c.id == category_id)

    def kind(self, kind_id: str) -> MeasureKind:
        """A measure kind by id.

        Raises
        ------
        KeyError
            When the rules have no such kind.
        """
        for kind in self.measures:
            if kind.id == kind_id:
                return kind
        raise KeyError(kind_id)

    @property
    def kind_ids(self) -> tuple[str, ...]:
        """Measure kind ids in the order of the rules."""
        return tuple(k.id for k in self.measures)


def load_rules(path: str | Path) -> CountingRules:
    """Load counting rules from a YAML file.

    Raises
    ------
    InputError
        Naming the file, line and field of every problem.
    """
    return load_yaml_model(Path(path), CountingRules)


@cache
def default_rules() -> CountingRules:
    """The shipped rules (``dk-168a``)."""
    resource = files("boligmonitor") / "data" / "udviklingsplan" / "dk-168a.yaml"
    return load_rules(Path(str(resource)))
