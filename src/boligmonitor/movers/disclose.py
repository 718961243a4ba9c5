"""Disclosure control of decompositions and flow tables (through :mod:`boligmonitor.disclosure`).

A decomposition publishes each component with the persons it rests on and a ``total`` row (the
observed change): a component resting on 1-2 persons is suppressed, and, since the total is
published, a second one in the same decomposition too. A flow table publishes category counts
that add up to a ``total`` per direction, and per listed area counts that add up to the
``listed_area`` category: both hierarchies are protected the same way.
"""

from __future__ import annotations

import pandas as pd

from boligmonitor.disclosure import DEFAULT_MIN_PERSONS, MARK, Figure, suppress

__all__ = ["disclose_decomposition", "disclose_flows"]

_COMPONENT = Figure(("contribution_pp", "persons"), "persons")
_TOTAL = Figure(("contribution_pp", "value_from", "value_to", "persons"), "persons")
_COUNT = Figure(("persons",), "persons")


def disclose_decomposition(
    rows: pd.DataFrame, min_persons: int = DEFAULT_MIN_PERSONS
) -> pd.DataFrame:
    """Suppress components on too few persons, and one more wherever one could be recovered."""
    if rows.empty:
        return rows.assign(**{MARK: pd.Series(dtype=object)})
    frame = rows.copy()
    for column in ("value_from", "value_to"):
        if column not in frame:
            frame[column] = float("nan")
    frame["_group"] = (
        frame["area_id"].astype(str)
        + "|"
        + frame["criterion"].astype(str)
        + "|"
        + frame["year_from"].astype(str)
    )
    total = frame["component"] == "total"
    details = suppress(frame, [_COMPONENT], min_persons, group="_group", total=total)
    totals = suppress(frame[total], [_TOTAL], min_persons)
    details.loc[total, list(_TOTAL.columns)] = totals[list(_TOTAL.columns)].to_numpy()
    details.loc[total, MARK] = totals[MARK].to_numpy()
    return details.drop(columns="_group")


def disclose_flows(rows: pd.DataFrame, min_persons: int = DEFAULT_MIN_PERSONS) -> pd.DataFrame:
    """Suppress flow counts on too few persons, protecting both sums (categories and areas)."""
    if rows.empty:
        return rows.assign(**{MARK: pd.Series(dtype=object)})
    frame = rows.copy()
    frame["_group"] = frame["area_id"].astype(str) + "|" + frame["direction"].astype(str)
    named = frame["other_area_id"].notna()
    top = frame[~named]
    top = suppress(top, [_COUNT], min_persons, group="_group", total=top["category"] == "total")
    parts = [top]
    if named.any():
        sub = frame[named | (frame["category"] == "listed_area")]
        is_total = sub["other_area_id"].isna()
        sub = suppress(sub, [_COUNT], min_persons, group="_group", total=is_total)
        hidden = set(top.loc[(top["category"] == "listed_area") & top["persons"].isna(), "_group"])
        sub = sub[sub["other_area_id"].notna()].copy()
        conceal = sub["_group"].isin(hidden).to_numpy()
        sub.loc[conceal, "persons"] = pd.NA
        sub.loc[conceal, MARK] = "persons"
        parts.append(sub)
    out = pd.concat(parts).sort_index()
    return out.drop(columns="_group").reset_index(drop=True)
