"""Published reference figures for Copenhagen's udsatte byområder, as validated data.

The dataset ``kk-2021`` transcribes Tabel 1, Tabel 2, Tabel 22 and Bilag 1 of Københavns
Kommune's mid-term status 2021 of *Politik for Udsatte Byområder* (seed
``003_534e4863dd0b7c41.txt``). It lives in ``data/reference/kk-2021.yaml``; a user may load their
own file of the same shape by path.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, Literal, Self, TypeVar

from pydantic import BaseModel, Field, model_validator

from boligmonitor.data import data_path
from boligmonitor.errors import InputError
from boligmonitor.i18n import localized
from boligmonitor.schema.yamlfile import StrictModel, load_yaml_model

__all__ = [
    "CityCriterion",
    "ReferenceDataset",
    "StrictModel",
    "Tabel1",
    "Tabel2",
    "Tabel22",
    "VisionRule",
    "load_named_model",
    "load_reference",
    "shipped_references",
]

WorseIs = Literal["higher", "lower"]
M = TypeVar("M", bound=BaseModel)


class CityCriterion(StrictModel):
    """One of the city's screening criteria (Bilag 1).

    ``scale`` turns a numerator/denominator ratio into the published unit: 100 for shares in
    percent, 1 for m² per resident.
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label_da: str
    label_en: str
    unit: Literal["m2", "pct"]
    scale: float = Field(gt=0)
    worse_is: WorseIs
    definition_da: str
    definition_en: str

    def label(self, lang: str) -> str:
        """The label in a language (``da`` or ``en``)."""
        return localized(self.label_da, self.label_en, lang)


class Group(StrictModel):
    """A population group of Tabel 1 (designated areas, the rest of the city, the city)."""

    id: Literal["udsatte_byomraader", "resten_af_byen", "kobenhavn"]
    label_da: str
    label_en: str


class VisionRule(StrictModel):
    """The 2025 vision: the gap at most ``milestone_fraction`` of the baseline gap on at least
    ``criteria_share`` of the criteria."""

    baseline_year: int
    milestone_year: int
    milestone_fraction: float = Field(gt=0, lt=1)
    criteria_share: float = Field(gt=0, le=1)
    text_da: str
    text_en: str


class _Values(StrictModel):
    """A row whose criterion values are written as flat keys next to its other fields."""

    values: dict[str, float]

    @model_validator(mode="before")
    @classmethod
    def _collect_values(cls, data: Any) -> Any:
        if not isinstance(data, dict) or "values" in data:
            return data
        own = set(cls.model_fields) - {"values"}
        values = {k: v for k, v in data.items() if k not in own}
        return {**{k: v for k, v in data.items() if k in own}, "values": values}


class GroupYearValues(_Values):
    """Tabel 1: one group's criterion values in one year."""

    group: str
    year: int


class GroupChange(_Values):
    """Tabel 1: the printed change 2017-2021 of one group."""

    group: str


class Tabel1(StrictModel):
    """Tabel 1: the criteria in absolute values by group and year."""

    title_da: str
    data_years_of_2021_status: dict[str, int]
    rows: list[GroupYearValues]
    published_change: list[GroupChange]
    notes: list[str] = Field(default_factory=list)

    def value(self, group: str, year: int, criterion: str) -> float:
        """One printed value.

        Raises
        ------
        KeyError
            When the table has no such value.
        """
        for row in self.rows:
            if row.group == group and row.year == year:
                return row.values[criterion]
        raise KeyError((group, year, criterion))

    def years(self) -> list[int]:
        """The years the table gives, ascending."""
        return sorted({row.year for row in self.rows})


class Tabel2Row(StrictModel):
    """Tabel 2: one criterion's gap in 2017 and 2021, milestone and progress as printed."""

    criterion: str
    baseline_gap: float
    milestone: float
    gap: float
    published_progress_pct: float = Field(ge=0, description="printed without sign")
    direction: Literal["better", "worse"] = Field(description="the PDF's green/red colour")

    @property
    def signed_progress_pct(self) -> float:
        """The printed progress with the sign its colour gives (red = worse = negative)."""
        sign = -1.0 if self.direction == "worse" else 1.0
        return sign * self.published_progress_pct


class Tabel2(StrictModel):
    """Tabel 2: the development of the gap 2017-2021."""

    title_da: str
    baseline_year: int
    year: int
    rows: list[Tabel2Row]

    def baseline_gaps(self) -> dict[str, float]:
        """The published baseline gap of each criterion."""
        return {row.criterion: row.baseline_gap for row in self.rows}


class Tabel22(StrictModel):
    """Tabel 22: the areas of the old and the new designation round side by side."""

    title_da: str
    year: int
    old_round: int
    new_round: int
    old_areas: dict[str, float]
    new_areas: dict[str, float]
    published_difference: dict[str, float]
    notes: list[str] = Field(default_factory=list)


class ReferenceDataset(StrictModel):
    """A published reference dataset (e.g. ``kk-2021``), validated."""

    id: str
    version: str
    title_da: str
    title_en: str
    source: str
    rounding_half_width: float = Field(ge=0)
    vision: VisionRule
    criteria: list[CityCriterion] = Field(min_length=1)
    groups: list[Group]
    tabel_1: Tabel1
    tabel_2: Tabel2
    tabel_22: Tabel22

    @model_validator(mode="after")
    def _known_ids(self) -> Self:
        ids = {c.id for c in self.criteria}
        groups = {g.id for g in self.groups}
        used = [r.group for r in self.tabel_1.rows] + [
            r.group for r in self.tabel_1.published_change
        ]
        problems = [f"tabel_1: unknown group '{g}'" for g in used if g not in groups]
        for where, values in self._value_sets():
            if set(values) != ids:
                problems.append(f"{where}: criteria {sorted(values)} must be exactly {sorted(ids)}")
        for row in self.tabel_2.rows:
            if row.criterion not in ids:
                problems.append(f"tabel_2.rows: unknown criterion '{row.criterion}'")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _value_sets(self) -> list[tuple[str, dict[str, float]]]:
        t1 = [(f"tabel_1.rows.{i}", r.values) for i, r in enumerate(self.tabel_1.rows)]
        t1 += [
            (f"tabel_1.published_change.{i}", r.values)
            for i, r in enumerate(self.tabel_1.published_change)
        ]
        t22 = [
            ("tabel_22.old_areas", self.tabel_22.old_areas),
            ("tabel_22.new_areas", self.tabel_22.new_areas),
            ("tabel_22.published_difference", self.tabel_22.published_difference),
        ]
        return t1 + t22

    def criterion(self, criterion_id: str) -> CityCriterion:
        """A criterion by id.

        Raises
        ------
        KeyError
            When the dataset has no such criterion.
        """
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)


def shipped_references() -> list[str]:
    """Ids of the reference datasets shipped with Boligmonitor."""
    return sorted(p.stem for p in data_path("reference").glob("*.yaml"))


@cache
def _load_shipped(name: str) -> ReferenceDataset:
    return load_yaml_model(data_path("reference", f"{name}.yaml"), ReferenceDataset)


def load_reference(name: str = "kk-2021") -> ReferenceDataset:
    """Load a reference dataset by id (shipped) or from a YAML file path.

    Parameters
    ----------
    name
        ``"kk-2021"`` (Københavns Kommune, midtvejsstatus 2021: Tabel 1, 2, 22, Bilag 1) or the
        path of a YAML file of the same shape.

    Returns
    -------
    ReferenceDataset
        The validated dataset.

    Raises
    ------
    InputError
        When the id is unknown or the file is invalid (file, line and field named).

    Examples
    --------
    >>> ref = load_reference("kk-2021")
    >>> ref.tabel_1.value("udsatte_byomraader", 2021, "living_area")
    36.2
    """
    return load_named_model(
        name, shipped_references(), _load_shipped, ReferenceDataset, "reference dataset"
    )


def load_named_model(
    name: str,
    shipped: list[str],
    load_shipped: Callable[[str], M],
    model: type[M],
    what: str,
) -> M:
    """A shipped YAML model by id, or the model in a user's YAML file.

    Raises
    ------
    InputError
        ``unknown <what>`` when ``name`` is neither a shipped id nor a YAML file.
    """
    if name in shipped:
        return load_shipped(name)
    path = Path(name)
    if path.suffix.lower() in (".yaml", ".yml") and path.is_file():
        return load_yaml_model(path, model)
    known = ", ".join(shipped)
    raise InputError.single(
        name, "unknown {what}; known: {known}, or a YAML file", what=what, known=known
    )
