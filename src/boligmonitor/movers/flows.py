"""Where an area's out-movers went and where its in-movers came from.

Every mover is placed in one category: another *listed* area (a boligområde on a list that
year, named in the flow matrix), the rest of the area's municipality, elsewhere in the country,
or outside the register (deaths and emigration out; births and immigration in). Counts rest on
persons followed by ``person_id`` between two 1 January statuses.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

from boligmonitor.movers.decompose import classify

__all__ = ["FLOW_CATEGORIES", "flows"]

#: Flow categories, in display order.
FLOW_CATEGORIES = ("listed_area", "rest_of_municipality", "elsewhere", "outside")


def _category(
    area: pd.Series, municipality: pd.Series, home: object, listed: Collection[str]
) -> np.ndarray:
    in_listed = area.isin(list(listed)).to_numpy()
    same = (municipality == home).to_numpy()
    missing = area.isna().to_numpy() & municipality.isna().to_numpy()
    return np.select(
        [missing, in_listed, same], ["outside", "listed_area", "rest_of_municipality"], "elsewhere"
    )


def flows(
    persons: pd.DataFrame,
    area_id: str,
    year_from: int,
    year_to: int,
    listed: Collection[str] = (),
) -> pd.DataFrame:
    """The flow table of one area between two years.

    Parameters
    ----------
    persons
        Person-years with ``person_id``, ``year``, ``area_id``, ``municipality_code``, ``num``
        and ``den`` (any criterion; only locations are used here).
    area_id, year_from, year_to
        The area and the two years.
    listed
        Area ids on a list (other areas in this set are named one by one).

    Returns
    -------
    pandas.DataFrame
        ``area_id, year_from, year_to, direction (out|in), category, other_area_id, persons``:
        one row per category (``other_area_id`` empty) and one per listed area, plus a
        ``total`` row per direction.
    """
    frame = classify(persons, area_id, year_from, year_to)
    home_rows = pd.concat(
        [
            frame.loc[frame["in_from"], "municipality_code_from"],
            frame.loc[frame["in_to"], "municipality_code_to"],
        ]
    )
    home = home_rows.mode().iloc[0] if not home_rows.empty else None
    rows: list[dict[str, object]] = []
    for direction, groups, side in (
        ("out", ("out_movers", "exits"), "to"),
        ("in", ("in_movers", "entries"), "from"),
    ):
        movers = frame[frame["group"].isin(groups)]
        other_area = movers[f"area_id_{side}"]
        category = _category(other_area, movers[f"municipality_code_{side}"], home, listed)
        counted = pd.Series(category).value_counts()
        for name in FLOW_CATEGORIES:
            rows.append(_row(direction, name, None, int(counted.get(name, 0))))
        named = other_area[category == "listed_area"].value_counts().sort_index()
        rows.extend(_row(direction, "listed_area", str(a), int(n)) for a, n in named.items())
        rows.append(_row(direction, "total", None, len(movers)))
    out = pd.DataFrame(rows)
    out["other_area_id"] = out["other_area_id"].astype("string")
    out.insert(0, "year_to", year_to)
    out.insert(0, "year_from", year_from)
    out.insert(0, "area_id", area_id)
    return out


def _row(direction: str, category: str, other: str | None, persons: int) -> dict[str, object]:
    return {
        "direction": direction,
        "category": category,
        "other_area_id": other,
        "persons": persons,
    }
