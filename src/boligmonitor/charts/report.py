"""Charts of the status report: the gap, the goals' indicators and the map of the areas.

Rendered to SVG by :func:`boligmonitor.charts.render_svg`; the SVG is inlined in the HTML
report and embedded as a file in the PDF. Every value axis starts at zero and names its unit;
titles wrap instead of being cut.
"""

from __future__ import annotations

import textwrap
from typing import Any

import pandas as pd

from boligmonitor.charts.palette import NONE_COLOUR, designation_colour
from boligmonitor.charts.render import as_spec
from boligmonitor.i18n import N_, Language, localized, translate
from boligmonitor.monitor.goals.model import Indicator, Unit

__all__ = ["gap_chart", "goal_chart", "map_chart", "unit_label", "wrapped"]

AREA_COLOUR = designation_colour("udsat_byomraade")
CITY_COLOUR = "#5b6675"
_UNITS = {
    Unit.PCT: N_("Percent"),
    Unit.GRADE: N_("Grade average"),
    Unit.YEARS: N_("Years"),
    Unit.COUNT: N_("Number"),
    Unit.PER_KM: N_("Per km"),
    Unit.KM: N_("Km"),
}


def unit_label(unit: Unit, lang: Language) -> str:
    """The axis title naming an indicator's unit."""
    return translate(_UNITS[unit], lang)


def wrapped(text: str, width: int = 60) -> list[str]:
    """A title as lines of at most ``width`` characters (never cut)."""
    return textwrap.wrap(text, width) or [text]


def _labels(lang: Language) -> tuple[str, str]:
    return translate("Vulnerable areas", lang), translate("Copenhagen", lang)


def gap_chart(rows: list[dict[str, Any]], lang: Language = "da") -> dict[str, Any]:
    """Grouped bars per criterion: gap at baseline, the 2025 milestone and the gap now.

    ``rows`` hold ``criterion`` (label), ``measure`` (series label), ``value`` and ``unit``
    (its label); criteria of different units get separate panels with their own axis, so m²
    and percentage points never share a scale.
    """
    import altair as alt

    frame = pd.DataFrame(rows)
    order = list(dict.fromkeys(frame["measure"]))
    panels = []
    for unit, part in frame.groupby("unit", sort=False):
        criteria = part["criterion"].nunique()
        panels.append(
            alt.Chart(part)
            .mark_bar()
            .encode(
                y=alt.Y("criterion:N", title=None, sort=None, axis=alt.Axis(labelLimit=260)),
                x=alt.X("value:Q", title=f"{translate('Gap', lang)} ({unit})"),
                yOffset=alt.YOffset("measure:N", sort=order),
                color=alt.Color(
                    "measure:N",
                    sort=order,
                    title=None,
                    scale=alt.Scale(domain=order, range=[NONE_COLOUR, "#e0a800", AREA_COLOUR]),
                    legend=alt.Legend(orient="bottom", labelFontSize=11),
                ),
            )
            .properties(width=360, height=52 * criteria)
        )
    spec = as_spec(alt.vconcat(*panels))
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
            {"year": str(v.year), "group": label, "value": number}
            for v in points
            for label, number in ((area_label, v.area), (city_label, v.city))
            if number is not None
        ]
        title = wrapped(localized(indicator.label_da, indicator.label_en, lang))
        unit = unit_label(indicator.unit, lang)
        line = _line(pd.DataFrame(rows), title, unit, area_label, city_label)
        breaks = [str(y) for y in indicator.break_years() if y in {v.year for v in points}]
        charts.append(line + _break_rule(breaks) if breaks else line)
    if not charts:
        return None
    spec = as_spec(alt.vconcat(*charts))
    return spec


def _line(
    frame: pd.DataFrame, title: list[str], unit: str, area_label: str, city_label: str
) -> Any:
    import altair as alt

    return (
        alt.Chart(frame, title=alt.Title(title, fontSize=11, anchor="start"))
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", title=unit, scale=alt.Scale(zero=True)),
            color=alt.Color(
                "group:N",
                title=None,
                scale=alt.Scale(
                    domain=[g for g in (area_label, city_label) if g in set(frame["group"])],
                    range=[AREA_COLOUR, CITY_COLOUR],
                ),
                legend=alt.Legend(orient="bottom"),
            ),
        )
        .properties(width=300, height=120)
    )


def _break_rule(years: list[str]) -> Any:
    """Dashed vertical rules at data breaks."""
    import altair as alt

    frame = pd.DataFrame({"year": years})
    return (
        alt.Chart(frame)
        .mark_rule(strokeDash=[4, 3], color="#f39c12")
        .encode(x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)))
    )


def map_chart(features: dict[str, Any], lang: Language = "da") -> dict[str, Any]:
    """A map of units, designated ones highlighted, from GeoJSON with a ``designated`` property.

    Coordinates are drawn as given (planar, ``identity`` projection flipped so north is up), so
    projected coordinates such as EPSG:25832 work without reprojection. Written as a plain
    Vega-Lite dict: validating hundreds of inline features through Altair is slow.
    """

    label = translate("Designated", lang)
    return {
        "data": {"values": features["features"]},
        "mark": {"type": "geoshape", "stroke": "white", "strokeWidth": 0.3},
        "projection": {"type": "identity", "reflectY": True},
        "encoding": {
            "color": {
                "field": "properties.designated",
                "type": "nominal",
                "title": label,
                "scale": {"domain": [True, False], "range": [AREA_COLOUR, NONE_COLOUR]},
                "legend": {"orient": "bottom", "labelExpr": "datum.value ? '✔' : '·'"},
            }
        },
        "width": 420,
        "height": 360,
    }
