"""Screening methods as data: how units are found vulnerable and merged into areas.

Copenhagen's exact combination rule is not public (seed ``003_534e4863dd0b7c41.txt`` only says
that units combining high values on the five criteria become udsatte byområder), so the rule is
a validated YAML file a municipality can replace. Two are shipped in ``data/screening``:

- ``kk-default`` (``threshold_count``): a unit is behind on a criterion when it is worse than the
  city as a whole by at least the criterion's relative margin; it is a candidate when it is
  behind on at least ``min_criteria`` criteria.
- ``berlin-status`` (``status_index``): after the Berlin *Monitoring Soziale Stadtentwicklung*
  status index: each criterion is standardised to a z-score oriented so that positive is worse,
  the z-scores are summed, the sum is standardised again and cut into status classes; units in
  the designated classes are candidates.

Candidates are then merged with contiguous candidate neighbours into areas that must reach
``area_min_residents`` (default 1 000).
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Annotated, Literal, Self

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from boligmonitor.data import resolve_yaml, shipped_ids
from boligmonitor.i18n import localized
from boligmonitor.monitor.reference import load_reference
from boligmonitor.schema.yamlfile import StrictModel, load_yaml_model, refusal

__all__ = [
    "CriterionRule",
    "ScreeningMethod",
    "StatusClass",
    "StatusIndexRule",
    "ThresholdCountRule",
    "load_method",
    "shipped_methods",
]

Contiguity = Literal["rook", "queen"]


class CriterionRule(StrictModel):
    """A criterion used by a method, with its relative margin and index weight."""

    id: str
    margin: float = Field(default=0.0, ge=0, lt=1, description="relative margin to the city")
    weight: float = Field(default=1.0, gt=0, description="weight in a status index")


class ThresholdCountRule(StrictModel):
    """Behind the city by the margin on at least ``min_criteria`` criteria."""

    kind: Literal["threshold_count"]
    min_criteria: int = Field(ge=1)


class StatusClass(StrictModel):
    """A status class of the standardised index: ``lower <= index < upper``."""

    id: str
    label_da: str
    label_en: str
    lower: float | None = None
    upper: float | None = None
    designated: bool = False


class StatusIndexRule(StrictModel):
    """Berlin-style status index from standardised, oriented z-scores."""

    kind: Literal["status_index"]
    weighting: Literal["units", "residents"] = "units"
    classes: list[StatusClass] = Field(min_length=2)

    @model_validator(mode="after")
    def _classes_cover_the_line(self) -> Self:
        bounds = [(c.lower, c.upper) for c in self.classes]
        if bounds[0][0] is not None or bounds[-1][1] is not None:
            raise refusal("the first class needs no lower and the last no upper bound")
        for (_, upper), (lower, _) in pairwise(bounds):
            if upper is None or lower is None or upper != lower:
                raise refusal("each class must start where the previous one ends")
        if not any(c.designated for c in self.classes):
            raise refusal("at least one class must be designated")
        return self


class ScreeningMethod(StrictModel):
    """A screening method (YAML in ``data/screening`` or a user's own file)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    version: str
    title_da: str
    title_en: str
    description_da: str
    description_en: str
    source: str
    reference: str = "kk-2021"
    criteria: list[CriterionRule] = Field(min_length=1)
    rule: Annotated[ThresholdCountRule | StatusIndexRule, Field(discriminator="kind")]
    unit_min_residents: int = Field(default=50, ge=0)
    area_min_residents: int = Field(default=1000, ge=0)
    contiguity: Contiguity = "rook"
    round_years: list[int] = Field(default_factory=lambda: [2017, 2021, 2025])

    @model_validator(mode="after")
    def _known_criteria(self) -> Self:
        known = {c.id for c in load_reference(self.reference).criteria}
        unknown = [c.id for c in self.criteria if c.id not in known]
        if unknown:
            raise refusal(
                "unknown criteria {unknown}; known: {known}",
                unknown=", ".join(unknown),
                known=", ".join(sorted(known)),
            )
        ids = [c.id for c in self.criteria]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise PydanticCustomError(
                "listed_twice", "criteria listed more than once: {ids}", {"ids": ", ".join(twice)}
            )
        if isinstance(self.rule, ThresholdCountRule) and self.rule.min_criteria > len(
            self.criteria
        ):
            raise refusal("rule.min_criteria exceeds the number of criteria")
        return self

    def title(self, lang: str) -> str:
        """The title in a language."""
        return localized(self.title_da, self.title_en, lang)


def shipped_methods() -> list[str]:
    """Ids of the shipped screening methods (``data/screening``)."""
    return shipped_ids("screening")


def _read(path: Path) -> ScreeningMethod:
    return load_yaml_model(path, ScreeningMethod)


def load_method(id_or_path: str | Path = "kk-default") -> ScreeningMethod:
    """A screening method by id (shipped) or from a YAML file.

    Raises
    ------
    InputError
        When the id is unknown or the file is invalid (file, line and field named).

    Examples
    --------
    >>> load_method("kk-default").rule.kind
    'threshold_count'
    """
    return resolve_yaml("screening", id_or_path, _read, "screening method")
