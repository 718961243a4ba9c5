"""Altair/Vega-Lite specs of a plan: the share over time against 40 %, and the measures as a
timeline. Specs carry their data inline and no ``$schema`` URL, so they render offline."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from boligmonitor.i18n import Language, translate
from boligmonitor.udviklingsplan.calculate import PlanResult
from boligmonitor.udviklingsplan.counting import CountingRules

__all__ = ["measures_chart", "share_chart"]

_SHARE_COLOUR = "#1f5f8b"
_TARGET_COLOUR = "#b03a2e"


def _spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    spec: dict[str, Any] = chart.to_dict(validate=False)
    spec.pop("$schema", None)
    return spec


def share_chart(result: PlanResult, rules: CountingRules, lang: Language) -> dict[str, Any]:
    """The share of almene familieboliger at each 1 January, with the 40 % line dashed."""
    year, share = translate("Year", lang), translate("Share of public family dwellings", lang)
    frame = pd.DataFrame(
        {year: [str(s.year) for s in result.years], share: [float(s.share) for s in result.years]}
    )
    line = (
        alt.Chart(frame)
        .mark_line(point=True, color=_SHARE_COLOUR)
        .encode(
            x=alt.X(f"{year}:O", axis=alt.Axis(labelAngle=0)),
            y=alt.Y(f"{share}:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
            tooltip=[f"{year}:O", alt.Tooltip(f"{share}:Q", format=".1%")],
        )
    )
    target = (
        alt.Chart(pd.DataFrame({"target": [float(rules.target.share)]}))
        .mark_rule(color=_TARGET_COLOUR, strokeDash=[6, 4])
        .encode(y="target:Q")
    )
    return _spec(alt.layer(line, target).properties(width="container", height=260))


def measures_chart(result: PlanResult, rules: CountingRules, lang: Language) -> dict[str, Any]:
    """The plan's measures on a time line: one point per measure, sized by its count."""
    date, kind, amount = (
        translate("Date", lang),
        translate("Measure", lang),
        translate("Amount", lang),
    )
    frame = pd.DataFrame(
        {
            date: [m.date.isoformat() for m in result.measures],
            kind: [rules.kind(m.kind).label(lang) for m in result.measures],
            amount: [m.amount for m in result.measures],
        }
    )
    chart = (
        alt.Chart(frame)
        .mark_circle(opacity=0.8)
        .encode(
            x=alt.X(f"{date}:T", scale=alt.Scale(domain=[f"{result.base_year}-01-01",
                                                          result.deadline.isoformat()])),
            y=alt.Y(f"{kind}:N", title=None),
            size=alt.Size(f"{amount}:Q", legend=None),
            color=alt.Color(f"{kind}:N", legend=None),
            tooltip=[f"{date}:T", f"{kind}:N", f"{amount}:Q"],
        )
        .properties(width="container", height=40 + 28 * max(1, frame[kind].nunique()))
    )  # fmt: skip
    return _spec(chart)
