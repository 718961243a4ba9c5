"""The indicator catalogue: every statutory figure described once, as data.

``data/indicators/statutory.yaml`` names, per indicator, its column in area statistics, Danish
and English labels, accepted Danish headings, unit and range, the population it is a share of
(and the share of residents used when that population is unknown), the persons the figure is
built from for disclosure control, and the law it comes from. The schema, the rules, the
dashboard, the outlook and the CLI read it, so a new indicator is a measure function, one entry
here and a test.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from boligmonitor.data import resolve_yaml
from boligmonitor.i18n import Language, localized
from boligmonitor.schema.yamlfile import StrictModel, load_yaml_model

__all__ = ["Indicator", "IndicatorCatalogue", "statutory_indicators"]


class Indicator(StrictModel):
    """One published figure of an area and list year."""

    id: str
    column: str
    label_da: str
    label_en: str
    description: str
    aliases: tuple[str, ...] = ()
    unit: Literal["pct", "pct_of_region"] = "pct"
    minimum: float = 0
    maximum: float = 100
    required: bool = True
    population: str | None = None
    population_share: float | None = None
    disclosure_base: str | None = None
    law: str

    def label(self, lang: Language) -> str:
        """The short label in a language."""
        return localized(self.label_da, self.label_en, lang)


class IndicatorCatalogue(StrictModel):
    """A catalogue of indicators (``data/indicators/<id>.yaml``)."""

    id: str
    indicators: tuple[Indicator, ...]

    def by_column(self) -> dict[str, Indicator]:
        """Indicators keyed by their area-statistics column."""
        return {indicator.column: indicator for indicator in self.indicators}


def _read(path: Path) -> IndicatorCatalogue:
    return load_yaml_model(path, IndicatorCatalogue)


@cache
def statutory_indicators() -> IndicatorCatalogue:
    """The statutory indicators (Almenboligloven § 61 a and § 51 b)."""
    return resolve_yaml("indicators", "statutory", _read, "indicator catalogue")
