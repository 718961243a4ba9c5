"""The area page's charts, built with the shared chart vocabulary (:mod:`boligmonitor.charts`).

Specs carry no remote data: everything a chart needs is inline, so the page works without
internet. Each indicator gets its own chart; the area's value is drawn beside the
resident-weighted average of its municipality's areas and of all areas in the workspace.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from boligmonitor.charts.criteria import indicator_chart
from boligmonitor.i18n import Language, localized, translate
from boligmonitor.rules.evaluate import AreaDesignation
from boligmonitor.rules.model import Comparison, RuleSet
from boligmonitor.web.text import indicator_label

__all__ = ["comparison_values", "criteria_charts"]

#: All areas of one list year under one rule set.
YearResults = Callable[[int, str], Sequence[AreaDesignation]]


def _weighted(results: Sequence[AreaDesignation], criterion_id: str) -> float | None:
    """The resident-weighted mean of a criterion's value over ``results`` (known values)."""
    pairs = [
        (r.criteria[criterion_id].value, r.residents)
        for r in results
        if criterion_id in r.criteria and r.criteria[criterion_id].value is not None and r.residents
    ]
    weight = sum(p[1] or 0 for p in pairs)
    if not weight:
        return None
    return sum((v or 0.0) * (w or 0) for v, w in pairs) / weight


def comparison_values(
    history: Sequence[AreaDesignation], year_results: YearResults, lang: Language
) -> list[dict[str, Any]]:
    """Rows ``year``, ``criterion_id``, ``series`` and ``value`` for the comparison lines.

    ``year_results(year, rule_set_id)`` gives every area's result of a list year.
    """
    rows: list[dict[str, Any]] = []
    for result in history:
        everyone = year_results(result.year, result.rule_set)
        municipal = [r for r in everyone if r.municipality == result.municipality]
        groups = [(translate("All areas in the workspace", lang), everyone)]
        if result.municipality:
            label = translate("Areas in {municipality}", lang, municipality=result.municipality)
            groups.insert(0, (label, municipal))
        for criterion_id in result.criteria:
            for label, members in groups:
                value = _weighted(members, criterion_id)
                if value is not None:
                    rows.append(
                        {
                            "year": result.year,
                            "criterion_id": criterion_id,
                            "series": label,
                            "value": value,
                        }
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
