"""An area's criteria over the years: its value, each threshold, and comparison lines.

One small chart per indicator, so a page of any width shows them one under another. Each
criterion's threshold has its own colour and dash and is named in the legend (the 2021 udsat
and forebyggelse thresholds on the same share are two lines, not one). Comparison lines show the
resident-weighted average of the municipality's areas and of all areas in the workspace, as
Landsbyggefonden's Beboerdata shows an area beside its municipality and the country.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd

from boligmonitor.charts.render import as_spec
from boligmonitor.i18n import Language, translate

__all__ = ["SERIES_COLOURS", "THRESHOLD_STYLES", "indicator_chart"]

#: Colours of the value and comparison series, in legend order.
SERIES_COLOURS = ("#1f5f8b", "#7f8c8d", "#b7bec7")
#: (colour, dash) of the first, second, ... threshold drawn on one indicator.
THRESHOLD_STYLES = (("#b2182b", [6, 3]), ("#e0a800", [2, 2]), ("#5e3c99", [8, 2, 2, 2]))


def indicator_chart(
    title: str,
    unit: str,
    values: Sequence[Mapping[str, Any]],
    thresholds: Sequence[Mapping[str, Any]],
    lang: Language,
) -> dict[str, Any]:
    """One indicator's chart.

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
    layers = [_value_lines(unit, values, lang)]
    if thresholds:
        layers.append(_threshold_lines(unit, thresholds, lang))
    chart = alt.layer(*layers).properties(
        title=alt.Title(title, anchor="start", fontSize=13), width="container", height=170
    )
    return as_spec(chart.resolve_scale(color="independent"))


def _legend() -> alt.Legend:
    return alt.Legend(
        orient="bottom", direction="vertical", labelLimit=520, labelFontSize=12, titleFontSize=12
    )


def _year_axis(lang: Language) -> alt.X:
    return alt.X("year:O", title=translate("List year", lang), axis=alt.Axis(labelAngle=0))


def _value_lines(unit: str, values: Sequence[Mapping[str, Any]], lang: Language) -> alt.Chart:
    series = list(dict.fromkeys(str(r["series"]) for r in values))
    colours = alt.Scale(domain=series, range=list(SERIES_COLOURS[: len(series)]))
    chart: alt.Chart = (
        alt.Chart(pd.DataFrame(list(values)))
        .mark_line(point=True)
        .encode(
            x=_year_axis(lang),
            y=alt.Y("value:Q", title=unit, scale=alt.Scale(zero=True)),
            color=alt.Color("series:N", title=None, scale=colours, legend=_legend()),
            tooltip=[
                alt.Tooltip("year:O", title=translate("List year", lang)),
                alt.Tooltip("series:N", title=translate("Series", lang)),
                alt.Tooltip("value:Q", title=translate("Value", lang), format=".2f"),
            ],
        )
    )
    return chart


def _threshold_lines(
    unit: str, thresholds: Sequence[Mapping[str, Any]], lang: Language
) -> alt.Chart:
    """Each criterion's threshold as a step line with its own colour and dash."""
    criteria = list(dict.fromkeys(str(r["criterion"]) for r in thresholds))
    styles = [THRESHOLD_STYLES[i % len(THRESHOLD_STYLES)] for i in range(len(criteria))]
    name = translate("Threshold", lang)
    chart: alt.Chart = (
        alt.Chart(pd.DataFrame(list(thresholds)))
        .mark_line(
            interpolate="step-after",
            strokeWidth=2,
            point=alt.OverlayMarkDef(shape="stroke", size=260, strokeWidth=3, filled=False),
        )
        .encode(
            x=_year_axis(lang),
            y=alt.Y("threshold:Q", title=unit),
            stroke=alt.Stroke(
                "criterion:N",
                title=name,
                scale=alt.Scale(domain=criteria, range=[s[0] for s in styles]),
                legend=_legend(),
            ),
            strokeDash=alt.StrokeDash(
                "criterion:N",
                title=name,
                scale=alt.Scale(domain=criteria, range=[s[1] for s in styles]),
                legend=_legend(),
            ),
            tooltip=[
                alt.Tooltip("year:O", title=translate("List year", lang)),
                alt.Tooltip("criterion:N", title=translate("Criterion", lang)),
                alt.Tooltip("threshold:Q", title=name, format=".2f"),
            ],
        )
    )
    return chart
