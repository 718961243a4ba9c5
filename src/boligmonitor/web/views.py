"""What the overview and area pages show, as plain data shared by pages, downloads and API.

Every figure comes straight from the designation engine's :class:`AreaDesignation`; this module
only selects and labels, so a page shows exactly what ``boligmonitor designate`` computes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from boligmonitor.charts.palette import designation_colour, leading_designation
from boligmonitor.i18n import Language, localized, translate
from boligmonitor.rules.evaluate import AreaDesignation
from boligmonitor.rules.explain import designation_label
from boligmonitor.rules.model import Comparison, RuleSet

__all__ = [
    "CriterionRow",
    "area_url",
    "criterion_rows",
    "designation_counts",
    "designation_labels",
    "history_rows",
    "overview_rows",
]


def area_url(area_id: str, year: int | None = None) -> str:
    """The area page's URL (ids may contain spaces and other characters)."""
    return f"/areas/{quote(area_id, safe='')}" + (f"?year={year}" if year is not None else "")


def designation_labels(result: AreaDesignation, rule_set: RuleSet, lang: Language) -> list[str]:
    """The labels of the designations an area holds."""
    return [designation_label(rule_set, d, lang) for d in result.designations]


def designation_counts(
    results: Sequence[AreaDesignation], rule_set: RuleSet, lang: Language
) -> list[dict[str, Any]]:
    """Areas per designation of ``rule_set`` (zero counts included), in the rule set's order."""
    return [
        {
            "id": designation.id,
            "label": localized(designation.label_da, designation.label_en, lang),
            "count": sum(designation.id in r.designations for r in results),
        }
        for designation in rule_set.designations
    ]


def overview_rows(
    results: Sequence[AreaDesignation], rule_set: RuleSet, lang: Language
) -> list[dict[str, Any]]:
    """One row per area for the overview's sortable list."""
    return [
        {
            "area_id": r.area_id,
            "area_name": r.area_name,
            "municipality": r.municipality,
            "residents": r.residents,
            "designations": designation_labels(r, rule_set, lang),
            "colour": designation_colour(leading_designation(r.designations)),
            "criteria_met": sum(c.met is True for c in r.criteria.values()),
            "criteria_total": len(r.criteria),
            "url": area_url(r.area_id, r.year),
        }
        for r in results
    ]


@dataclass(frozen=True)
class CriterionRow:
    """One criterion of one area-year as the area page shows it."""

    id: str
    label: str
    value: float | None
    comparison: str
    threshold: float | None
    met: bool | None
    margin: float | None
    flip_persons: int | None
    population: int | None
    population_estimated: bool


def criterion_rows(
    result: AreaDesignation, rule_set: RuleSet, lang: Language
) -> list[CriterionRow]:
    """The criteria of one result with labels, values, thresholds and distances."""
    rows = []
    for criterion_id, outcome in result.criteria.items():
        criterion = rule_set.criterion(criterion_id)
        rows.append(
            CriterionRow(
                id=criterion_id,
                label=localized(criterion.label_da, criterion.label_en, lang),
                value=outcome.value,
                comparison=Comparison(outcome.comparison).symbol,
                threshold=outcome.threshold,
                met=outcome.met,
                margin=outcome.margin,
                flip_persons=outcome.flip_persons,
                population=outcome.population,
                population_estimated=outcome.population_estimated,
            )
        )
    return rows


def history_rows(
    history: Sequence[AreaDesignation], rule_sets: Mapping[str, RuleSet], lang: Language
) -> list[dict[str, Any]]:
    """One row per year and rule set: the designations held (or "none")."""
    none = translate("none", lang)
    return [
        {
            "year": r.year,
            "rule_set": r.rule_set,
            "designations": ", ".join(designation_labels(r, rule_sets[r.rule_set], lang)) or none,
            "designated": bool(r.designations),
            "url": area_url(r.area_id, r.year),
        }
        for r in history
    ]
