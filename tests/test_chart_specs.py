"""The area page's criteria charts, written out as plain Vega-Lite dicts, equal the specs
Altair builds for the same layered chart (the reference below is that Altair chart)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd
import pytest

from boligmonitor.charts.criteria import SERIES_COLOURS, THRESHOLD_STYLES, indicator_chart
from boligmonitor.charts.render import as_spec
from boligmonitor.i18n import Language, translate


def _legend() -> Any:
    return alt.Legend(
        orient="bottom", direction="vertical", labelLimit=520, labelFontSize=12, titleFontSize=12
    )


def altair_chart(
    title: str,
    unit: str,
    values: Sequence[Mapping[str, Any]],
    thresholds: Sequence[Mapping[str, Any]],
    lang: Language,
) -> dict[str, Any]:
    """The chart as Altair builds it (the reference for the hand-written spec)."""
    year = alt.X("year:O", title=translate("List year", lang), axis=alt.Axis(labelAngle=0))
    series = list(dict.fromkeys(str(r["series"]) for r in values))
    criteria = list(dict.fromkeys(str(r["criterion"]) for r in thresholds))
    styles = [THRESHOLD_STYLES[i % len(THRESHOLD_STYLES)] for i in range(len(criteria))]
    lines = (
        alt.Chart(pd.DataFrame(list(values)))
        .mark_line(point=True)
        .encode(
            x=year,
            y=alt.Y("value:Q", title=unit, scale=alt.Scale(zero=True)),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=series, range=list(SERIES_COLOURS[: len(series)])),
                legend=_legend(),
            ),
            tooltip=[
                alt.Tooltip("year:O", title=translate("List year", lang)),
                alt.Tooltip("series:N", title=translate("Series", lang)),
                alt.Tooltip("value:Q", title=translate("Value", lang), format=".2f"),
            ],
        )
    )
    layers = [lines]
    if thresholds:
        title_threshold = translate("Threshold", lang)
        layers.append(
            alt.Chart(pd.DataFrame(list(thresholds)))
            .mark_line(
                interpolate="step-after",
                strokeWidth=2,
                point=alt.OverlayMarkDef(shape="stroke", size=260, strokeWidth=3, filled=False),
            )
            .encode(
                x=year,
                y=alt.Y("threshold:Q", title=unit),
                stroke=alt.Stroke(
                    "criterion:N",
                    title=title_threshold,
                    scale=alt.Scale(domain=criteria, range=[s[0] for s in styles]),
                    legend=_legend(),
                ),
                strokeDash=alt.StrokeDash(
                    "criterion:N",
                    title=title_threshold,
                    scale=alt.Scale(domain=criteria, range=[s[1] for s in styles]),
                    legend=_legend(),
                ),
                tooltip=[
                    alt.Tooltip("year:O", title=translate("List year", lang)),
                    alt.Tooltip("criterion:N", title=translate("Criterion", lang)),
                    alt.Tooltip("threshold:Q", title=title_threshold, format=".2f"),
                ],
            )
        )
    chart = alt.layer(*layers).properties(
        title=alt.Title(title, anchor="start", fontSize=13), width="container", height=170
    )
    return as_spec(chart.resolve_scale(color="independent"))


VALUES = [
    {"year": 2019, "series": "Nordparken", "value": 41.25},
    {"year": 2020, "series": "Nordparken", "value": 38.5},
    {"year": 2021, "series": "Nordparken", "value": 44.0},
    {"year": 2020, "series": "Områder i Aarhus", "value": 30.125},
    {"year": 2021, "series": "Alle områder i arbejdsområdet", "value": 12.75},
]
THRESHOLDS = [
    {
        "year": 2019,
        "criterion_id": "labour",
        "criterion": "> · Arbejdsmarked",
        "threshold": 40.0,
    },
    {
        "year": 2021,
        "criterion_id": "labour",
        "criterion": "> · Arbejdsmarked",
        "threshold": 40.0,
    },
    {"year": 2021, "criterion_id": "labour_f", "criterion": "> · Forebyggelse", "threshold": 30.0},
    {"year": 2021, "criterion_id": "x", "criterion": "≥ · Tredje", "threshold": 2.04},
    {"year": 2021, "criterion_id": "y", "criterion": "≥ · Fjerde", "threshold": 2.5},
]


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("thresholds", [THRESHOLDS, THRESHOLDS[:1], []])
def test_hand_written_spec_equals_altairs(lang: Language, thresholds: list[dict[str, Any]]) -> None:
    built = indicator_chart("Beskæftigelse", "%", VALUES, thresholds, lang)
    assert built == altair_chart("Beskæftigelse", "%", VALUES, thresholds, lang)


def test_dataset_names_hash_the_values_as_altair_does() -> None:
    built = indicator_chart("T", "%", VALUES, THRESHOLDS, "da")
    reference = altair_chart("T", "%", VALUES, THRESHOLDS, "da")
    assert list(built["datasets"]) == list(reference["datasets"])
    assert len(built["datasets"]) == 2
    # four thresholds on one indicator cycle the three styles
    dash = built["layer"][1]["encoding"]["strokeDash"]["scale"]["range"]
    assert dash == [[6, 3], [2, 2], [8, 2, 2, 2], [6, 3]]
