"""Altair (Vega-Lite) specs for the simulation: trajectories with bands, displaced-household
flows, segregation over time. Inputs are the stored summary tables (one or two policies)."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from boligmonitor.i18n import Language, translate

__all__ = ["flow_chart", "segregation_chart", "trajectory_chart"]


def _band_lines(frame: pd.DataFrame, x: str, y_title: str, colour: str) -> Any:
    base = alt.Chart(frame).encode(
        x=alt.X(f"{x}:O", title=None), color=alt.Color(f"{colour}:N", title=None)
    )
    band = base.mark_area(opacity=0.2).encode(y=alt.Y("low:Q", title=y_title), y2="high:Q")
    line = base.mark_line(point=True).encode(y="mean:Q", tooltip=[colour, x, "mean", "low", "high"])
    return band + line


def trajectory_chart(
    summary: pd.DataFrame, area_id: str, measure: str, lang: Language = "da"
) -> dict[str, Any]:
    """One area's criterion per policy over the years, with the 90 % Monte Carlo band."""
    rows = summary[(summary["area_id"] == area_id) & (summary["measure"] == measure)]
    chart = _band_lines(
        rows[["year", "policy_id", "mean", "low", "high"]],
        "year",
        translate("Mean and 90 % band", lang),
        "policy_id",
    )
    spec: dict[str, Any] = chart.properties(width="container", height=260).to_dict()
    return spec


def segregation_chart(segregation: pd.DataFrame, lang: Language = "da") -> dict[str, Any]:
    """Each segregation index per policy over the years, with bands (one panel per index)."""
    rows = segregation[["year", "index", "policy_id", "mean", "low", "high"]]
    chart = _band_lines(rows, "year", translate("Index value", lang), "policy_id")
    spec: dict[str, Any] = (
        chart.properties(width=220, height=180)
        .facet(facet=alt.Facet("index:N", title=None), columns=2)
        .to_dict()
    )
    return spec


def flow_chart(
    flows: pd.DataFrame, area_names: dict[int, str], lang: Language = "da"
) -> dict[str, Any]:
    """Refused households from each refusing area to their destinations (a flow matrix), and
    households re-housed under udviklingsplaner from the area they left (one column each)."""
    frame = flows.copy()
    causes = {"refused": translate("Refused", lang), "rehoused": translate("Re-housed", lang)}
    cause = frame["cause"] if "cause" in frame else pd.Series("refused", index=frame.index)
    frame["cause"] = cause.fillna("refused").map(causes)
    outside = translate("Housing outside the areas", lang)
    gone = translate("Outside the city's housing", lang)

    def name(index: int) -> str:
        return {-1: outside, -2: gone}.get(int(index), area_names.get(int(index), str(index)))

    frame["from"] = frame["from_area"].map(name)
    frame["to"] = frame["to_area"].map(name)
    chart = (
        alt.Chart(frame)
        .mark_rect()
        .encode(
            x=alt.X("to:N", title=translate("Destination", lang)),
            y=alt.Y("from:N", title=translate("Area left", lang)),
            color=alt.Color("households:Q", title=translate("Households per run", lang)),
            tooltip=["policy_id", "cause", "from", "to", "households", "to_listed"],
        )
    )
    text = chart.mark_text(baseline="middle").encode(
        text=alt.Text("households:Q", format=".1f"), color=alt.value("black")
    )
    spec: dict[str, Any] = (
        (chart + text)
        .properties(width="container", height=220)
        .facet(row=alt.Row("policy_id:N", title=None), column=alt.Column("cause:N", title=None))
        .to_dict()
    )
    return spec
