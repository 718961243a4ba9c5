"""Vega-Lite specifications for the dashboard, rendered in the browser by the local bundle.

Specs carry no ``$schema`` URL and no remote data: everything a chart needs is inline, so the
page works without internet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from boligmonitor.i18n import Language, localized, translate
from boligmonitor.rules.evaluate import AreaDesignation
from boligmonitor.rules.model import RuleSet
from boligmonitor.web.text import indicator_label

__all__ = ["criteria_chart", "criteria_chart_rows", "designation_map"]

_THRESHOLD_COLOUR = "#b03a2e"
_VALUE_COLOUR = "#1f5f8b"


def criteria_chart_rows(
    history: Sequence[AreaDesignation], rule_sets: Mapping[str, RuleSet], lang: Language
) -> list[dict[str, Any]]:
    """One row per year and criterion with a known value: indicator, value and threshold."""
    rows = []
    for result in history:
        rule_set = rule_sets[result.rule_set]
        for criterion_id, outcome in result.criteria.items():
            if outcome.value is None:
                continue
            criterion = rule_set.criterion(criterion_id)
            rows.append(
                {
                    "year": result.year,
                    "criterion_id": criterion_id,
                    "indicator": indicator_label(criterion.indicator, lang),
                    "criterion": localized(criterion.label_da, criterion.label_en, lang),
                    "value": outcome.value,
                    "threshold": outcome.threshold,
                    "met": translate("yes", lang) if outcome.met else translate("no", lang),
                    "rule_set": result.rule_set,
                }
            )
    return rows


def criteria_chart(
    history: Sequence[AreaDesignation], rule_sets: Mapping[str, RuleSet], lang: Language
) -> dict[str, Any]:
    """Small multiples per indicator: the value over the years, each threshold dashed.

    An indicator used by several criteria (e.g. the 2021 udsat and forebyggelse thresholds on
    the same share) gets one dashed line per criterion.
    """
    x = {"field": "year", "type": "ordinal", "title": translate("List year", lang)}
    tooltip = [
        {"field": "year", "title": translate("List year", lang)},
        {"field": "criterion", "title": translate("Criterion", lang)},
        {"field": "value", "title": translate("Value", lang), "format": ".2f"},
        {"field": "threshold", "title": translate("Threshold", lang), "format": ".2f"},
        {"field": "met", "title": translate("Met", lang)},
        {"field": "rule_set", "title": translate("Rule set", lang)},
    ]
    return {
        "data": {"values": criteria_chart_rows(history, rule_sets, lang)},
        "facet": {"field": "indicator", "type": "nominal", "title": None},
        "columns": 2,
        "spec": {
            "width": 300,
            "height": 140,
            "layer": [
                {
                    "mark": {"type": "line", "point": True, "color": _VALUE_COLOUR},
                    "encoding": {
                        "x": x,
                        "y": {
                            "field": "value",
                            "aggregate": "max",
                            "type": "quantitative",
                            "title": "%",
                        },
                    },
                },
                {
                    "mark": {
                        "type": "line",
                        "strokeDash": [5, 3],
                        "interpolate": "step-after",
                        "color": _THRESHOLD_COLOUR,
                        "point": {"color": _THRESHOLD_COLOUR, "size": 12},
                    },
                    "encoding": {
                        "x": x,
                        "y": {"field": "threshold", "type": "quantitative"},
                        "detail": {"field": "criterion"},
                        "tooltip": tooltip,
                    },
                },
            ],
        },
        "resolve": {"scale": {"y": "independent"}},
    }


def designation_map(
    features: Sequence[Mapping[str, Any]], lang: Language, projected: bool
) -> dict[str, Any]:
    """Areas as shapes coloured by designation; each feature's ``properties.url`` links to it.

    Parameters
    ----------
    features
        GeoJSON features with properties ``area_id``, ``area_name``, ``designation`` and
        ``url``.
    projected
        Whether coordinates are planar metres (e.g. ETRS89/UTM 32N) rather than longitude and
        latitude; planar coordinates are drawn as they are, north up.
    """
    projection = {"type": "identity", "reflectY": True} if projected else {"type": "mercator"}
    return {
        "width": "container",
        "height": 420,
        "data": {"values": list(features), "format": {"type": "json"}},
        "projection": projection,
        "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.5},
        "encoding": {
            "color": {
                "field": "properties.designation",
                "type": "nominal",
                "title": translate("Designations", lang),
                "legend": {"orient": "bottom", "labelLimit": 400},
            },
            "href": {"field": "properties.url"},
            "tooltip": [
                {"field": "properties.area_id", "title": translate("Id", lang)},
                {"field": "properties.area_name", "title": translate("Name", lang)},
                {"field": "properties.designation", "title": translate("Designations", lang)},
            ],
        },
    }
