"""Charts of the status report: Altair/Vega-Lite specs rendered to SVG with vl-convert.

Everything renders offline (vl-convert bundles Vega); numbers on axes use the Danish locale.
The SVG is inlined in the HTML report and embedded as a file in the PDF.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

import pandas as pd
import vl_convert as vlc

from boligmonitor.i18n import Language, localized, translate
from boligmonitor.monitor.goals.model import Indicator

__all__ = ["gap_chart", "goal_chart", "map_chart", "render_svg"]

AREA_COLOUR = "#c0392b"
CITY_COLOUR = "#7f8c8d"
_LOCALES: dict[Language, Any] = {"da": "da-DK", "en": "en-GB"}


def render_svg(spec: dict[str, Any], prefix: str, lang: Language = "da") -> str:
    """Render a Vega-Lite spec to SVG, with element ids made unique by ``prefix``.

    Several SVGs inlined in one HTML page must not share ids (clip paths, gradients).
    """
    svg: str = vlc.vegalite_to_svg(spec, format_locale=_LOCALES[lang])
    svg = re.sub(r'id="([^"]+)"', rf'id="{prefix}-\1"', svg)
    return re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)


def _labels(lang: Language) -> tuple[str, str]:
    return translate("Vulnerable areas", lang), translate("Copenhagen", lang)


def gap_chart(rows: list[dict[str, Any]], lang: Language = "da") -> dict[str, Any]:
    """Grouped bars per criterion: gap at baseline, the 2025 milestone and the gap now.

    ``rows`` hold ``criterion`` (label), ``measure`` (series label) and ``value``.
    """
    import altair as alt

    frame = pd.DataFrame(rows)
    order = list(dict.fromkeys(frame["measure"]))
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("criterion:N", title=None, sort=None),
            x=alt.X("value:Q", title=translate("Gap", lang)),
            yOffset=alt.YOffset("measure:N", sort=order),
            color=alt.Color(
                "measure:N",
                sort=order,
                title=None,
                scale=alt.Scale(range=["#95a5a6", "#f1c40f", AREA_COLOUR]),
                legend=alt.Legend(orient="bottom"),
            ),
        )
        .properties(width=420, height=260)
    )
    spec: dict[str, Any] = chart.to_dict(validate=False)
    return spec


def goal_chart(
    indicators: list[Indicator], area_set: str | None = None, lang: Language = "da"
) -> dict[str, Any] | None:
    """Small line charts, one per indicator: the areas against the city by status year."""
    import altair as alt

    area_label, city_label = _labels(lang)
    charts: list[Any] = []
    for indicator in indicators:
        points = [v for v in indicator.series(area_set) if v.available]
        if len(points) < 2:
            continue  # a single point is no development
        rows = [
            {"år": str(v.year), "gruppe": label, "værdi": number}
            for v in points
            for label, number in ((area_label, v.area), (city_label, v.city))
            if number is not None
        ]
        title = textwrap.shorten(localized(indicator.label_da, indicator.label_en, lang), 70)
        line = _line(pd.DataFrame(rows), title, area_label, city_label)
        breaks = [str(y) for y in indicator.break_years() if y in {v.year for v in points}]
        charts.append(line + _break_rule(breaks) if breaks else line)
    if not charts:
        return None
    spec: dict[str, Any] = alt.vconcat(*charts).to_dict(validate=False)
    return spec


def _line(frame: pd.DataFrame, title: str, area_label: str, city_label: str) -> Any:
    import altair as alt

    return (
        alt.Chart(frame, title=alt.Title(title, fontSize=11, anchor="start"))
        .mark_line(point=True)
        .encode(
            x=alt.X("år:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("værdi:Q", title=None, scale=alt.Scale(zero=False)),
            color=alt.Color(
                "gruppe:N",
                title=None,
                scale=alt.Scale(
                    domain=[g for g in (area_label, city_label) if g in set(frame["gruppe"])],
                    range=[AREA_COLOUR, CITY_COLOUR],
                ),
                legend=alt.Legend(orient="right"),
            ),
        )
        .properties(width=300, height=120)
    )


def _break_rule(years: list[str]) -> Any:
    """Dashed vertical rules at data breaks."""
    import altair as alt

    frame = pd.DataFrame({"år": years})
    return (
        alt.Chart(frame)
        .mark_rule(strokeDash=[4, 3], color="#f39c12")
        .encode(x=alt.X("år:O", axis=alt.Axis(labelAngle=0)))
    )


def map_chart(features: dict[str, Any], lang: Language = "da") -> dict[str, Any]:
    """A map of units, designated ones highlighted, from GeoJSON with a ``designated`` property.

    Coordinates are drawn as given (planar, ``identity`` projection flipped so north is up), so
    projected coordinates such as EPSG:25832 work without reprojection. Written as a plain
    Vega-Lite dict: validating hundreds of inline features through Altair is slow.
    """

    label = translate("Designated", lang)
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "data": {"values": features["features"]},
        "mark": {"type": "geoshape", "stroke": "white", "strokeWidth": 0.3},
        "projection": {"type": "identity", "reflectY": True},
        "encoding": {
            "color": {
                "field": "properties.designated",
                "type": "nominal",
                "title": label,
                "scale": {"domain": [True, False], "range": [AREA_COLOUR, "#dfe6e9"]},
                "legend": {"orient": "bottom", "labelExpr": "datum.value ? '✔' : '·'"},
            }
        },
        "width": 420,
        "height": 360,
    }
