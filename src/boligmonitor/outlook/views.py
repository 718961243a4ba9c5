"""Faces of the decomposition and the outlook: Altair charts and HTML fragments.

The area page (waterfall and the area's outlook), the dashboard watch list and the status
report share these. Every text goes through :func:`boligmonitor.i18n.translate`; numbers through
the Danish-first formatters.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import altair as alt
import pandas as pd
from markupsafe import Markup

from boligmonitor.i18n import Language, fmt_number, fmt_pct, translate

__all__ = [
    "area_fragment",
    "outlook_chart",
    "status_section",
    "watch_table",
    "waterfall_chart",
]


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def waterfall_chart(decomposition: pd.DataFrame, criterion: str, lang: Language) -> dict[str, Any]:
    """Vega-Lite waterfall of one criterion's published decomposition (one area, two years).

    Bars start at the first year's value and step through each component to the second year's
    value; suppressed components are left out (their cells are empty).
    """
    rows = decomposition[decomposition["criterion"] == criterion]
    total = rows[rows["component"] == "total"]
    start = float(total["value_from"].iloc[0]) if not total.empty else 0.0
    level, bars = start, []
    first = int(rows["year_from"].iloc[0]) if not rows.empty else 0
    bars.append({"step": str(first), "low": 0.0, "high": start, "kind": "level"})
    for row in rows[rows["component"] != "total"].to_dict("records"):
        value = row["contribution_pp"]
        if _missing(value) or float(value) == 0.0:
            continue
        low, high = sorted((level, level + float(value)))
        label = translate(f"component {row['component']}", lang)
        bars.append(
            {"step": label, "low": low, "high": high, "kind": "up" if value > 0 else "down"}
        )
        level += float(value)
    if not total.empty and not _missing(total["value_to"].iloc[0]):
        end = float(total["value_to"].iloc[0])
        bars.append(
            {"step": str(int(total["year_to"].iloc[0])), "low": 0.0, "high": end, "kind": "level"}
        )
    colours = alt.Scale(domain=["level", "up", "down"], range=["#1f5f8b", "#b03a2e", "#2e7d32"])
    chart = (
        alt.Chart(pd.DataFrame(bars))
        .mark_bar()
        .encode(
            x=alt.X("step:N", sort=None, title=None),
            y=alt.Y("low:Q", title=translate("Percent", lang)),
            y2="high:Q",
            color=alt.Color("kind:N", scale=colours, legend=None),
        )
        .properties(width=420, height=220)
    )
    spec: dict[str, Any] = chart.to_dict()
    spec.pop("$schema", None)
    return spec


def outlook_chart(outlook: pd.DataFrame, lang: Language) -> dict[str, Any]:
    """Vega-Lite bars: the probability of each list for one area."""
    data = pd.DataFrame(
        {
            "list": outlook["designation"].astype(str),
            "probability": outlook["probability"].astype(float),
        }
    )
    chart = (
        alt.Chart(data)
        .mark_bar(color="#1f5f8b")
        .encode(
            x=alt.X(
                "probability:Q",
                scale=alt.Scale(domain=[0, 1]),
                title=translate("Probability", lang),
            ),
            y=alt.Y("list:N", title=None),
        )
        .properties(width=360, height=24 * max(len(data), 1))
    )
    spec: dict[str, Any] = chart.to_dict()
    spec.pop("$schema", None)
    return spec


def watch_table(watched: pd.DataFrame, lang: Language, limit: int | None = None) -> Markup:
    """An HTML table of a watch list (area, list, probability, change, flip criterion, persons)."""
    headings = ("Area", "List", "Probability", "Change", "Flip criterion", "Persons")
    head = Markup("").join(Markup("<th>{}</th>").format(translate(h, lang)) for h in headings)
    rows = watched.head(limit) if limit else watched
    body = [_watch_row(row, lang) for row in rows.to_dict("records")]
    if not body:
        return Markup("<p>{}</p>").format(translate("No area is close to a change.", lang))
    return Markup(
        '<table class="watch-list"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>'
    ).format(head, Markup("").join(body))


def _watch_row(row: dict[Any, Any], lang: Language) -> Markup:
    change = row["change"]
    href = "/areas/" + quote(str(row["area_id"]), safe="")
    link = Markup('<a href="{}">{}</a>').format(href, row["area_name"])
    cells = (
        link,
        str(row["designation"]),
        fmt_pct(100 * float(row["probability"]), 0, lang),
        "–" if _missing(change) else fmt_pct(100 * float(change), 0, lang),
        "" if _missing(row["flip_criterion"]) else str(row["flip_criterion"]),
        "–" if _missing(row["flip_persons"]) else fmt_number(int(row["flip_persons"]), 0, lang),
    )
    inner = Markup("").join(Markup("<td>{}</td>").format(c) for c in cells)
    return Markup("<tr>{}</tr>").format(inner)


def area_fragment(
    outlook: pd.DataFrame | None, decomposition: pd.DataFrame | None, lang: Language
) -> Markup:
    """The area page's section: the outlook table and the data for the waterfall charts.

    Charts travel as inline JSON in ``<script type="application/json">`` elements with
    ``data-chart`` ids, like every dashboard chart.
    """
    parts = [
        Markup('<section id="outlook"><h2>{}</h2>').format(
            translate("Outlook for the next list", lang)
        )
    ]
    if outlook is not None and not outlook.empty:
        parts.append(watch_table(outlook, lang))
        parts.append(_chart("outlook-chart", outlook_chart(outlook, lang)))
    if decomposition is not None and not decomposition.empty:
        parts.append(Markup("<h3>{}</h3>").format(translate("Why the criteria changed", lang)))
        for criterion in sorted(decomposition["criterion"].unique()):
            spec = waterfall_chart(decomposition, str(criterion), lang)
            parts.append(Markup("<h4>{}</h4>").format(criterion))
            parts.append(_chart(f"waterfall-{criterion}", spec))
    parts.append(Markup("</section>"))
    return Markup("").join(parts)


def _chart(chart_id: str, spec: dict[str, Any]) -> Markup:
    data = Markup(json.dumps(spec, ensure_ascii=False).replace("</", "<\\/"))  # noqa: S704
    return Markup(
        '<div class="chart" id="{0}" data-chart="{0}-spec"></div>'
        '<script type="application/json" id="{0}-spec">{1}</script>'
    ).format(chart_id, data)


def status_section(outlook: pd.DataFrame, watched: pd.DataFrame, lang: Language) -> Markup:
    """The status report's section: how many areas are expected on each list, and the watch list."""
    year = int(outlook["year"].iloc[0]) if not outlook.empty else 0
    title = translate("Outlook for 1 December {year}", lang, year=year)
    expected = outlook.groupby("designation")["probability"].sum().sort_index()
    items = Markup("").join(
        Markup("<li>{}: {}</li>").format(d, fmt_number(float(n), 1, lang))
        for d, n in expected.items()
    )
    intro = translate("Expected number of areas on each list", lang)
    return Markup('<section class="outlook"><h2>{}</h2><p>{}</p><ul>{}</ul>{}</section>').format(
        title, intro, items, watch_table(watched, lang, limit=20)
    )
