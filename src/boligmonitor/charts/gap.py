"""The gap of each screening criterion over the years against its milestone (dashed)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd

from boligmonitor.charts.render import as_spec
from boligmonitor.i18n import Language, translate

__all__ = ["gap_lines"]

_GAP_COLOUR = "#1f5f8b"
_MILESTONE_COLOUR = "#b2182b"


def gap_lines(
    rows: Sequence[Mapping[str, Any]], lang: Language, columns: int = 3
) -> dict[str, Any]:
    """One small chart per criterion (no empty panels), value axes from zero with the unit.

    ``rows`` hold ``criterion`` (label), ``year`` (text), ``measure`` (``gap`` or
    ``milestone``), ``value`` and ``unit`` (label); unknown values are left out by the caller.
    """
    frame = pd.DataFrame(list(rows))
    charts = []
    for criterion, part in frame.groupby("criterion", sort=False):
        unit = str(part["unit"].iloc[0])
        x = alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0))
        y = alt.Y("value:Q", title=f"{translate('Gap', lang)} ({unit})", scale=alt.Scale(zero=True))
        gap = (
            alt.Chart(part[part["measure"] == "gap"])
            .mark_line(point=True, color=_GAP_COLOUR)
            .encode(x=x, y=y, tooltip=[alt.Tooltip("year:O"), alt.Tooltip("value:Q", format=".1f")])
        )
        milestone = (
            alt.Chart(part[part["measure"] == "milestone"])
            .mark_line(strokeDash=[5, 3], color=_MILESTONE_COLOUR)
            .encode(x=x, y=y)
        )
        title = alt.Title(str(criterion), anchor="start", fontSize=12)
        charts.append(alt.layer(gap, milestone).properties(title=title, width=220, height=130))
    # Rows of hconcat in a vconcat: a wrapped ``concat`` draws nothing in the browser bundle.
    panels = [alt.hconcat(*charts[i : i + columns]) for i in range(0, len(charts), columns)]
    return as_spec(alt.vconcat(*panels))
