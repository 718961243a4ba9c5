"""Maps of areas coloured by their most severe designation, designated areas drawn on top."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt

from boligmonitor.charts.palette import designation_colour, severity_order
from boligmonitor.charts.render import as_spec
from boligmonitor.i18n import Language, translate

__all__ = ["designation_map", "map_legend"]

_LEGEND: dict[str, Any] = {
    "orient": "bottom",
    "direction": "horizontal",
    "columns": 2,
    "labelFontSize": 13,
    "titleFontSize": 13,
    "symbolSize": 220,
    "symbolType": "square",
    "labelLimit": 360,
}


def map_legend(
    designations: Sequence[tuple[str, str]], lang: Language
) -> list[tuple[str, str, str]]:
    """``(id, label, colour)`` for each designation of a rule set, most severe first, then
    "none" in grey; ``designations`` are ``(id, label)`` pairs."""
    labels = dict(designations)
    ordered = severity_order(labels)
    rows = [(d, labels[d], designation_colour(d)) for d in ordered]
    return [*rows, ("", translate("none", lang), designation_colour(None))]


def designation_map(
    features: Sequence[Mapping[str, Any]],
    legend: Sequence[tuple[str, str, str]],
    lang: Language,
    projected: bool,
    height: int = 440,
) -> dict[str, Any]:
    """Areas as shapes in their designation's fixed colour, linked to their pages.

    Parameters
    ----------
    features
        GeoJSON features with properties ``area_id``, ``area_name``, ``designation`` (labels of
        all designations held), ``leading`` (the label of the most severe one, the colour key),
        ``rank`` (drawing order: designated areas last, so on top) and ``url``.
    legend
        ``(id, label, colour)`` rows from :func:`map_legend`: the fixed colour scale.
    projected
        Whether coordinates are planar metres (ETRS89/UTM 32N) rather than longitude/latitude.
    """
    ordered = sorted(features, key=lambda f: f["properties"]["rank"])
    projection: dict[str, Any] = (
        {"type": "identity", "reflectY": True} if projected else {"type": "mercator"}
    )
    colour = alt.Color(
        "properties.leading:N",
        title=translate("Designations", lang),
        scale=alt.Scale(domain=[r[1] for r in legend], range=[r[2] for r in legend]),
        legend=alt.Legend(**_LEGEND),
    )
    chart = (
        alt.Chart()
        .mark_geoshape(stroke="#ffffff", strokeWidth=0.8)
        .encode(
            color=colour,
            order=alt.Order("properties.rank:Q"),
            href=alt.Href("properties.url:N"),
            tooltip=[
                alt.Tooltip("properties.area_name:N", title=translate("Name", lang)),
                alt.Tooltip("properties.area_id:N", title=translate("Id", lang)),
                alt.Tooltip("properties.designation:N", title=translate("Designations", lang)),
            ],
        )
        .properties(width="container", height=height)
    )
    spec = as_spec(chart)
    # Inline data and projection added to the dict: Altair would validate every feature.
    spec["data"] = {"values": ordered, "format": {"type": "json"}}
    spec["projection"] = projection
    return spec
