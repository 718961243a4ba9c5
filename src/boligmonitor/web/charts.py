"""The area page's charts, built with the shared chart vocabulary (:mod:`boligmonitor.charts`).

Specs carry no remote data: everything a chart needs is inline, so the page works without
internet. Each indicator gets its own chart; the area's value is drawn beside the
resident-weighted average of its municipality's areas and of all areas in the workspace.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from boligmonitor.charts.criteria import indicator_chart
from boligmonitor.i18n import Language, localized, translate
from boligmonitor.rules.evaluate import AreaDesignation
from boligmonitor.rules.model import Comparison, RuleSet
from boligmonitor.web.text import indicator_label

__all__ = ["YearMeans", "comparison_values", "criteria_charts"]


@dataclass(frozen=True)
class YearMeans:
    """Resident-weighted means of every criterion's value over one list year's areas: over
    all of them, and per municipality."""

    everyone: dict[str, float]
    municipal: dict[tuple[str, str], float]

    @classmethod
    def of(cls, results: Iterable[AreaDesignation]) -> YearMeans:
        """The means over ``results`` (areas with residents and a known value), summed in
        the results' order."""
        everyone: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        municipal: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
        for result in results:
            if not result.residents:
                continue
            weight = result.residents
            for criterion_id, outcome in result.criteria.items():
                if outcome.value is None:
                    continue
                totals = [everyone[criterion_id]]
                if result.municipality:
                    totals.append(municipal[(result.municipality, criterion_id)])
                for total in totals:
                    total[0] += outcome.value * weight
                    total[1] += weight
        return cls(
            {k: v / w for k, (v, w) in everyone.items() if w},
            {k: v / w for k, (v, w) in municipal.items() if w},
        )


#: The means of one list year under one rule set.
YearMeansOf = Callable[[int, str], YearMeans]


def comparison_values(
    history: Sequence[AreaDesignation], year_means: YearMeansOf, lang: Language
) -> list[dict[str, Any]]:
    """Rows ``year``, ``criterion_id``, ``series`` and ``value`` for the comparison lines.

    ``year_means(year, rule_set_id)`` gives the means over every area of a list year.
    """
    rows: list[dict[str, Any]] = []
    everyone_label = translate("All areas in the workspace", lang)
    for result in history:
        means = year_means(result.year, result.rule_set)
        municipality = result.municipality
        label = (
            translate("Areas in {municipality}", lang, municipality=municipality)
            if municipality
            else ""
        )
        for criterion_id in result.criteria:
            found = [(everyone_label, means.everyone.get(criterion_id))]
            if municipality:
                found.insert(0, (label, means.municipal.get((municipality, criterion_id))))
            rows.extend(
                {"year": result.year, "criterion_id": criterion_id, "series": s, "value": v}
                for s, v in found
                if v is not None
            )
    return rows


def criteria_charts(
    history: Sequence[AreaDesignation],
    rule_sets: Mapping[str, RuleSet],
    comparisons: Sequence[Mapping[str, Any]],
    lang: Language,
) -> list[dict[str, Any]]:
    """One chart spec per indicator: the area's value, comparisons and each threshold."""
    values: dict[str, list[dict[str, Any]]] = defaultdict(list)
    thresholds: dict[str, list[dict[str, Any]]] = defaultdict(list)
    indicator_of: dict[str, str] = {}
    seen: set[tuple[str, int, str]] = set()
    for result in history:
        rule_set = rule_sets[result.rule_set]
        for criterion_id, outcome in result.criteria.items():
            criterion = rule_set.criterion(criterion_id)
            indicator = criterion.indicator
            indicator_of[criterion_id] = indicator
            if outcome.value is not None and (indicator, result.year, "v") not in seen:
                seen.add((indicator, result.year, "v"))
                values[indicator].append(
                    {"year": result.year, "series": result.area_name, "value": outcome.value}
                )
            if outcome.threshold is not None:
                name = localized(criterion.label_da, criterion.label_en, lang)
                symbol = Comparison(outcome.comparison).symbol
                thresholds[indicator].append(
                    {
                        "year": result.year,
                        "criterion_id": criterion_id,
                        "criterion": f"{symbol} · {name}",
                        "threshold": outcome.threshold,
                    }
                )
    for row in comparisons:
        shown = indicator_of.get(str(row["criterion_id"]))
        key = (shown or "", int(row["year"]), str(row["series"]))
        if shown is not None and key not in seen:
            seen.add(key)
            values[shown].append(
                {"year": row["year"], "series": row["series"], "value": row["value"]}
            )
    return [
        indicator_chart(
            indicator_label(indicator, lang), "%", values[indicator], thresholds[indicator], lang
        )
        for indicator in dict.fromkeys(indicator_of.values())
        if values[indicator]
    ]
