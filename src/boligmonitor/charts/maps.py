"""Maps of areas coloured by their most severe designation, designated areas drawn on top."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt

from boligmonitor.charts.palette import designation_colour, severity_order
from boligmonitor.charts.render import as_spec
from boligmonitor.i18n import Language, translate

__all__ = ["designation_map", "map_legend"]


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
    points: Sequence[Mapping[str, Any]] = (),
    basemap: Mapping[str, Any] | None = None,
    height: int = 440,
) -> dict[str, Any]:
    """Areas as shapes in their designation's fixed colour, linked to their pages.

    The page shows the legend itself (:func:`map_legend`, large and readable), so the chart
    draws none.

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
    points
        Designated areas as points inside their outline (``x``, ``y`` in the features'
        coordinates, ``area_name``, ``leading``, ``url``, ``covered``): each is labelled with
        its name, and one whose outline is mostly covered by another area's gets a marker, so
        no designated area is hidden.
    basemap
        An image under the areas (``url`` and corners ``x0, y0, x1, y1`` in the features'
        coordinates, see :mod:`boligmonitor.web.basemap`); ``None``: no basemap.
    """
    ordered = sorted(features, key=lambda f: f["properties"]["rank"])
    projection: dict[str, Any] = (
        {"type": "identity", "reflectY": True} if projected else {"type": "mercator"}
    )
    scale = alt.Scale(domain=[r[1] for r in legend], range=[r[2] for r in legend])
    shapes = _shapes(scale, lang)
    markers, *labels = _point_layers(scale, lang)
    chart = alt.layer(shapes, markers, *labels).properties(width="container", height=height)
    spec = as_spec(chart)
    # Inline data and projection added to the dict: Altair would validate every feature.
    spec["layer"][0]["data"] = {"values": ordered, "format": {"type": "json"}}
    for layer in spec["layer"][1:]:
        layer["data"] = {"values": [dict(p) for p in points]}
    spec["projection"] = projection
    if basemap is not None:
        spec["layer"].insert(0, _basemap_layer(basemap))
    return spec


def _shapes(scale: alt.Scale, lang: Language) -> alt.Chart:
    """The areas' outlines in their leading designation's colour, linked to their pages."""
    tooltip = [
        alt.Tooltip("properties.area_name:N", title=translate("Name", lang)),
        alt.Tooltip("properties.area_id:N", title=translate("Id", lang)),
        alt.Tooltip("properties.designation:N", title=translate("Designations", lang)),
    ]
    shapes: alt.Chart = (
        alt.Chart()
        .mark_geoshape(stroke="#ffffff", strokeWidth=0.8)
        .encode(
            color=alt.Color("properties.leading:N", scale=scale, legend=None),
            href=alt.Href("properties.url:N"),
            tooltip=tooltip,
        )
    )
    return shapes


def _point_layers(scale: alt.Scale, lang: Language) -> list[alt.Chart]:
    """A marker on each designated area mostly covered by another, then the name labels
    (above the point, or below the marker)."""
    at = {"longitude": alt.Longitude("x:Q"), "latitude": alt.Latitude("y:Q")}
    markers = (
        alt.Chart()
        .transform_filter("datum.covered")
        .mark_point(shape="circle", filled=True, size=160, stroke="#1d2733", strokeWidth=1.5)
        .encode(
            **at,
            color=alt.Color("leading:N", scale=scale, legend=None),
            href=alt.Href("url:N"),
            tooltip=[alt.Tooltip("area_name:N", title=translate("Name", lang))],
        )
    )
    labels = [
        alt.Chart()
        .transform_filter(test)
        .mark_text(dy=dy, fontSize=11, fontWeight="bold", color="#1d2733")
        .encode(**at, text=alt.Text("area_name:N"))
        for test, dy in (("!datum.covered", -12), ("datum.covered", 16))
    ]
    return [markers, *labels]


def _basemap_layer(image: Mapping[str, Any]) -> dict[str, Any]:
    """An image mark spanning the given corners (drawn first, so under the areas)."""
    return {
        "data": {"values": [dict(image)]},
        "mark": {"type": "image", "aspect": False, "opacity": 0.9},
        "encoding": {
            "url": {"field": "url"},
            "longitude": {"field": "x0", "type": "quantitative"},
            "latitude": {"field": "y0", "type": "quantitative"},
            "longitude2": {"field": "x1"},
            "latitude2": {"field": "y1"},
        },
    }
