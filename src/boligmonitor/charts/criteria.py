"""An area's criteria over the years: its value, each threshold, and comparison lines.

One small chart per indicator, so a page of any width shows them one under another. Each
criterion's threshold has its own colour and dash and is named in the legend (the 2021 udsat
and forebyggelse thresholds on the same share are two lines, not one). Comparison lines show the
resident-weighted average of the municipality's areas and of all areas in the workspace, as
Landsbyggefonden's Beboerdata shows an area beside its municipality and the country.

The Vega-Lite specification is written out as a plain dict — the one Altair builds for the same
layered chart (``tests/test_chart_specs.py`` checks that they are equal) — because the area
page draws six of them per request and Altair's validation and copying cost tens of
milliseconds per chart.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from boligmonitor.i18n import Language, translate

__all__ = ["SERIES_COLOURS", "THRESHOLD_STYLES", "indicator_chart"]

#: Colours of the value and comparison series, in legend order.
SERIES_COLOURS = ("#1f5f8b", "#7f8c8d", "#b7bec7")
#: (colour, dash) of the first, second, ... threshold drawn on one indicator.
THRESHOLD_STYLES = (("#b2182b", [6, 3]), ("#e0a800", [2, 2]), ("#5e3c99", [8, 2, 2, 2]))

_LEGEND = {
    "direction": "vertical",
    "labelFontSize": 12,
    "labelLimit": 520,
    "orient": "bottom",
    "titleFontSize": 12,
}


def _dataset_name(values: list[dict[str, Any]]) -> str:
    """The name Vega-Lite specs built by Altair give inline data: a hash of the values."""
    text = json.dumps(values, sort_keys=True, default=str)
    return "data-" + hashlib.sha256(text.encode()).hexdigest()[:32]


def _records(rows: Sequence[Mapping[str, Any]], number: str) -> list[dict[str, Any]]:
    """Rows as plain records: the year a whole number, ``number`` a float (``None`` if missing)."""
    out = []
    for row in rows:
        record = dict(row)
        record["year"] = int(record["year"])
        value = record.get(number)
        record[number] = None if value is None or value != value else float(value)
        out.append(record)
    return out


def _year(lang: Language) -> dict[str, Any]:
    return {
        "axis": {"labelAngle": 0},
        "field": "year",
        "title": translate("List year", lang),
        "type": "ordinal",
    }


def _tooltip(field: str, title: str, kind: str, lang: Language) -> dict[str, Any]:
    tip = {"field": field, "title": translate(title, lang), "type": kind}
    return {**tip, "format": ".2f"} if kind == "quantitative" else tip


def _value_layer(name: str, series: list[str], unit: str, lang: Language) -> dict[str, Any]:
    colour = {
        "field": "series",
        "legend": dict(_LEGEND),
        "scale": {"domain": series, "range": list(SERIES_COLOURS[: len(series)])},
        "title": None,
        "type": "nominal",
    }
    return {
        "data": {"name": name},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "color": colour,
            "tooltip": [
                _tooltip("year", "List year", "ordinal", lang),
                _tooltip("series", "Series", "nominal", lang),
                _tooltip("value", "Value", "quantitative", lang),
            ],
            "x": _year(lang),
            "y": {"field": "value", "scale": {"zero": True}, "title": unit, "type": "quantitative"},
        },
    }


def _threshold_layer(name: str, criteria: list[str], unit: str, lang: Language) -> dict[str, Any]:
    styles = [THRESHOLD_STYLES[i % len(THRESHOLD_STYLES)] for i in range(len(criteria))]
    title = translate("Threshold", lang)

    def channel(scale_range: list[Any]) -> dict[str, Any]:
        return {
            "field": "criterion",
            "legend": dict(_LEGEND),
            "scale": {"domain": criteria, "range": scale_range},
            "title": title,
            "type": "nominal",
        }

    return {
        "data": {"name": name},
        "mark": {
            "type": "line",
            "interpolate": "step-after",
            "point": {"filled": False, "shape": "stroke", "size": 260, "strokeWidth": 3},
            "strokeWidth": 2,
        },
        "encoding": {
            "stroke": channel([s[0] for s in styles]),
            "strokeDash": channel([list(s[1]) for s in styles]),
            "tooltip": [
                _tooltip("year", "List year", "ordinal", lang),
                _tooltip("criterion", "Criterion", "nominal", lang),
                _tooltip("threshold", "Threshold", "quantitative", lang),
            ],
            "x": _year(lang),
            "y": {"field": "threshold", "title": unit, "type": "quantitative"},
        },
    }


def indicator_chart(
    title: str,
    unit: str,
    values: Sequence[Mapping[str, Any]],
    thresholds: Sequence[Mapping[str, Any]],
    lang: Language,
) -> dict[str, Any]:
    """One indicator's chart as a Vega-Lite specification (a plain dict, data inline).

    Parameters
    ----------
    title
        The indicator's label.
    unit
        The axis title (e.g. ``%``).
    values
        Rows ``year``, ``series`` (label: the area, a comparison) and ``value``; the series
        appear in the legend in their first-seen order.
    thresholds
        Rows ``year``, ``criterion`` (label with comparison and rule set) and ``threshold``.
    """
    value_rows = _records(values, "value")
    series = list(dict.fromkeys(str(r["series"]) for r in value_rows))
    datasets = {_dataset_name(value_rows): value_rows}
    layers = [_value_layer(next(iter(datasets)), series, unit, lang)]
    if thresholds:
        threshold_rows = _records(thresholds, "threshold")
        criteria = list(dict.fromkeys(str(r["criterion"]) for r in threshold_rows))
        name = _dataset_name(threshold_rows)
        datasets[name] = threshold_rows
        layers.append(_threshold_layer(name, criteria, unit, lang))
    spec: dict[str, Any] = {
        "config": {"view": {"continuousWidth": 300, "continuousHeight": 300}},
        "layer": layers,
        "height": 170,
        "resolve": {"scale": {"color": "independent"}},
        "title": {"text": title, "anchor": "start", "fontSize": 13},
        "width": "container",
        "datasets": datasets,
    }
    if len(layers) == 1:  # one layer: its data belongs to the whole chart
        spec["data"] = layers[0].pop("data")
    return spec
