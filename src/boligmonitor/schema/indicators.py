"""The indicator catalogue: every statutory figure described once, as data.

``data/indicators/statutory.yaml`` names, per indicator, its column in area statistics, Danish
and English labels, accepted Danish headings, unit and range, the microdata measure it is
computed from (and the variants of that measure under earlier rules), the years it is built from,
the population it is a share of (and the share of residents used when that population is
unknown), the persons the figure is built from for disclosure control, and the law it comes
from; and the population columns themselves. The schema, the rules, the indicator engine, the
disclosure control, the dashboard, the outlook, the synthetic generator and the CLI read it, so a
new indicator is a measure function, one entry here and a test.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import model_validator

from boligmonitor.data import resolve_yaml
from boligmonitor.i18n import Language, localized
from boligmonitor.schema.yamlfile import StrictModel, load_yaml_model, refusal

__all__ = [
    "Indicator",
    "IndicatorCatalogue",
    "Measured",
    "Population",
    "Variant",
    "statutory_indicators",
]

#: Multiplier of a measure's numerator/denominator per unit (both units are percentages).
_SCALES = {"pct": 100.0, "pct_of_region": 100.0}


class Variant(StrictModel):
    """The same figure's measure under earlier rules, computed alongside the current one.

    ``until`` is the first rule-set generation (by its first list year) that no longer uses it.
    """

    id: str
    label_da: str
    label_en: str
    law: str
    until: int


class Indicator(StrictModel):
    """One published figure of an area and list year.

    ``measure`` is the id of the microdata measure it is computed from (its own id for a figure
    of its own; another indicator's id for a figure derived from that measure; none for a figure
    that only comes from files). ``period`` is the years it is built from: the list year, the
    average over the rule set's averaging window of the criterion with the same id, or the
    previous calendar year.
    """

    id: str
    column: str
    label_da: str
    label_en: str
    short_da: str | None = None
    short_en: str | None = None
    description: str
    aliases: tuple[str, ...] = ()
    unit: Literal["pct", "pct_of_region"] = "pct"
    minimum: float = 0
    maximum: float = 100
    required: bool = True
    measure: str | None = None
    period: Literal["list_year", "average", "previous_year"] = "list_year"
    variants: tuple[Variant, ...] = ()
    population: str | None = None
    population_share: float | None = None
    disclosure_base: str | None = None
    law: str

    def label(self, lang: Language) -> str:
        """The label in a language (with the population, e.g. "Dømte, 18+ år")."""
        return localized(self.label_da, self.label_en, lang)

    def short(self, lang: Language) -> str | None:
        """The short label of the criterion on it, for table headings ("Dømte"), if any."""
        if self.short_da is None or self.short_en is None:
            return None
        return localized(self.short_da, self.short_en, lang)

    @property
    def scale(self) -> float:
        """Multiplier of the measure's numerator/denominator (100 for percentages)."""
        return _SCALES[self.unit]

    @property
    def measured(self) -> bool:
        """Whether the figure is its own microdata measure (``measure`` is its id)."""
        return self.measure == self.id


class Population(StrictModel):
    """A population column: the persons indicators are shares of and disclosure counts."""

    column: str
    label_da: str
    label_en: str
    description: str
    aliases: tuple[str, ...] = ()
    required: bool = False

    def label(self, lang: Language) -> str:
        """The short label in a language."""
        return localized(self.label_da, self.label_en, lang)


class Measured(StrictModel):
    """One microdata measure: an indicator's own or one of its variants."""

    id: str
    label_da: str
    label_en: str
    law: str
    scale: float


class IndicatorCatalogue(StrictModel):
    """A catalogue of indicators (``data/indicators/<id>.yaml``)."""

    id: str
    indicators: tuple[Indicator, ...]
    populations: tuple[Population, ...]

    @model_validator(mode="after")
    def _consistent(self) -> IndicatorCatalogue:
        measures = [m.id for m in self.measures()]
        ids = [i.id for i in self.indicators] + [v.id for i in self.indicators for v in i.variants]
        columns = [i.column for i in self.indicators] + [p.column for p in self.populations]
        for name, values in (("id", ids), ("column", columns)):
            doubled = sorted({v for v in values if values.count(v) > 1})
            if doubled:
                raise refusal("{name} given twice: {values}", name=name, values=", ".join(doubled))
        known = set(self.population_columns())
        for entry in self.indicators:
            if entry.measure is not None and entry.measure not in measures:
                raise refusal(
                    "{indicator}: measure '{measure}' is no measured indicator",
                    indicator=entry.id,
                    measure=entry.measure,
                )
            for population in (entry.population, entry.disclosure_base):
                if population is not None and population not in known:
                    raise refusal(
                        "{indicator}: '{population}' is no population column",
                        indicator=entry.id,
                        population=population,
                    )
        return self

    def by_column(self) -> dict[str, Indicator]:
        """Indicators keyed by their area-statistics column."""
        return {indicator.column: indicator for indicator in self.indicators}

    def by_id(self) -> dict[str, Indicator]:
        """Indicators keyed by their id."""
        return {indicator.id: indicator for indicator in self.indicators}

    def measured(self) -> tuple[Indicator, ...]:
        """The indicators that are their own microdata measure, in catalogue order."""
        return tuple(i for i in self.indicators if i.measured)

    def measures(self) -> tuple[Measured, ...]:
        """Every microdata measure, each indicator's own followed by its variants."""
        found: list[Measured] = []
        for entry in self.measured():
            sources: list[Indicator | Variant] = [entry, *entry.variants]
            found.extend(
                Measured(
                    id=m.id, label_da=m.label_da, label_en=m.label_en, law=m.law, scale=entry.scale
                )
                for m in sources
            )
        return tuple(found)

    def averaged(self) -> tuple[str, ...]:
        """The measures averaged over their rule set's window (``period: average``)."""
        return tuple(i.id for i in self.measured() if i.period == "average")

    def population_columns(self) -> tuple[str, ...]:
        """The population columns, in catalogue order (``residents`` first)."""
        return tuple(p.column for p in self.populations)

    def label(self, column: str, lang: Language) -> str:
        """The label of an indicator or population column (the column name if unknown)."""
        indicator = self.by_column().get(column)
        if indicator is not None:
            return indicator.label(lang)
        population = next((p for p in self.populations if p.column == column), None)
        return column if population is None else population.label(lang)


def _read(path: Path) -> IndicatorCatalogue:
    return load_yaml_model(path, IndicatorCatalogue)


@cache
def statutory_indicators() -> IndicatorCatalogue:
    """The statutory indicators (Almenboligloven § 61 a and § 51 b)."""
    return resolve_yaml("indicators", "statutory", _read, "indicator catalogue")
