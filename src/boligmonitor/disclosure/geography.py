"""One suppression pattern for every city geography: screening units, DKN cells, boligområder.

The screening units, the DKN 250 m and 100 m cells and the city total publish the same persons,
and boligområder publish two of the same figures (residents and the non-western share).
Suppressing each export on its own leaves cells that the other exports give away by
subtraction, so the pattern is chosen once, over all of them, per figure and year
(:func:`~boligmonitor.disclosure.linked.coordinate`: coordinated secondary suppression of
hierarchical and linked tables with an exact linear audit, as in tau-argus; Hundepool et al.
2012, § 4.4). Every export of a year — unit indicators of any geography, area statistics —
reads its cells from that one pattern.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from boligmonitor.disclosure.linked import AREA, UNIT, Pattern, coordinate
from boligmonitor.disclosure.suppression import (
    DEFAULT_MIN_PERSONS,
    UNIT_INDICATOR_FIGURES,
    Figure,
    check_min_persons,
    suppress,
)
from boligmonitor.indicators.base import UnitKind, located_persons
from boligmonitor.indicators.copenhagen import (
    CITY_INDICATORS,
    LIVING_AREA,
    indicators_by,
    requested_years,
    share_nonwestern,
)
from boligmonitor.schema.microdata import Microdata

__all__ = [
    "GEOGRAPHIES",
    "TOTAL",
    "area_atoms",
    "coordinate",
    "disclose_city",
    "with_city_total",
]

#: The published city geographies, coarsest first.
GEOGRAPHIES: tuple[UnitKind, ...] = ("screening_unit", "dkn250", "dkn100")
TOTAL = "I alt"


def _atoms(frame: pd.DataFrame, base: str) -> pd.DataFrame:
    parts = frame["unit_id"].str.split("|", expand=True).reindex(columns=range(3))
    atoms = pd.DataFrame({UNIT: parts[0], "dkn100": parts[1], "dkn250": parts[2]})
    if "area_id" in frame:
        atoms[AREA] = frame["area_id"].to_numpy()
    atoms["persons"] = pd.to_numeric(frame[base]).to_numpy()
    return atoms[atoms["persons"] > 0].reset_index(drop=True)


def area_atoms(microdata: Microdata, years: Sequence[int]) -> pd.DataFrame:
    """Residents and non-western residents per atom, boligområde and year.

    The figures boligområder publish too (``residents``, ``nonwestern_pct``); an area's persons
    outside every screening unit have an empty ``unit_id``. Areas without a person in a unit
    and persons outside both are left out: nothing links them to the city geographies.
    """
    persons = located_persons(microdata, years, "atom")
    measure = share_nonwestern(persons)
    sums = persons.group_by(["unit_id", "area_id", "year"]).aggregate(
        residents=persons.count(),
        nonwestern_num=measure.numerator.sum(),
        nonwestern_den=measure.denominator.sum(),
    )
    frame: pd.DataFrame = sums.to_pandas()
    linked = set(frame.loc[frame["unit_id"].notna() & frame["area_id"].notna(), "area_id"])
    keep = frame["unit_id"].notna() | frame["area_id"].isin(linked)
    frame = frame[keep].sort_values(["year", "unit_id", "area_id"], na_position="last")
    frame["unit_id"] = frame["unit_id"].astype(object).where(frame["unit_id"].notna(), None)
    frame["area_id"] = frame["area_id"].astype(object).where(frame["area_id"].notna(), None)
    return frame.reset_index(drop=True)


def _linked(figure: Figure) -> bool:
    """Whether boligområder publish this figure too (residents and the non-western share)."""
    return figure.base == "nonwestern_den"


def _patterns(
    microdata: Microdata,
    years: Sequence[int],
    min_persons: int,
    figures: Sequence[Figure],
) -> dict[tuple[Figure, int], Pattern]:
    patterns: dict[tuple[Figure, int], Pattern] = {}
    plain = indicators_by(microdata, years, "atom") if not all(map(_linked, figures)) else None
    linked = area_atoms(microdata, years) if any(map(_linked, figures)) else None
    for figure in figures:
        atoms = linked if _linked(figure) else plain
        assert atoms is not None
        for year_value in sorted(set(atoms["year"].astype(int))):
            of_year = atoms[atoms["year"] == year_value]
            pattern = coordinate(_atoms(of_year, str(figure.base)), min_persons)
            patterns[(figure, year_value)] = pattern
    return patterns


def with_city_total(indicators: pd.DataFrame) -> pd.DataFrame:
    """Unit indicators with a city total row per year (``unit_id`` ``I alt``)."""
    sums = (
        indicators.drop(columns=["unit_id"]).groupby("year", as_index=False).sum(numeric_only=True)
    )
    for criterion in (LIVING_AREA, *CITY_INDICATORS):
        den = sums[f"{criterion.id}_den"].astype("float64")
        sums[criterion.id] = (float(criterion.scale) * sums[f"{criterion.id}_num"] / den).where(
            den > 0
        )
    sums["unit_id"] = TOTAL
    return pd.concat([indicators, sums[indicators.columns]], ignore_index=True)


def _masks(
    frame: pd.DataFrame, kind: UnitKind, patterns: dict[tuple[Figure, int], Pattern]
) -> dict[Figure, np.ndarray]:
    masks = {}
    for figure in UNIT_INDICATOR_FIGURES:
        mask = np.zeros(len(frame), dtype=bool)
        for position, (unit, year) in enumerate(zip(frame["unit_id"], frame["year"], strict=True)):
            pattern = patterns.get((figure, int(year)))
            if pattern is not None:
                hidden = pattern.total if unit == TOTAL else unit in pattern.cells[kind]
                mask[position] = hidden
        masks[figure] = mask
    return masks


def disclose_city(
    microdata: Microdata,
    year: int | Sequence[int] | None = None,
    min_persons: int = DEFAULT_MIN_PERSONS,
    kinds: Sequence[UnitKind] = GEOGRAPHIES,
) -> dict[UnitKind, pd.DataFrame]:
    """Copenhagen's unit indicators of every city geography, suppressed with one pattern.

    Parameters
    ----------
    microdata
        Validated microdata.
    year
        One year, several, or ``None`` for all.
    min_persons
        Smallest number of persons a published figure rests on (at least 3).
    kinds
        The geographies to return (the pattern always covers all of them).

    Returns
    -------
    dict
        Geography → its table with a city total row per year, suppressed cells empty and the
        ``diskretioneret`` column naming them (see :func:`~boligmonitor.disclosure.marked`).
    """
    check_min_persons(min_persons)
    years = requested_years(microdata, year)
    patterns = _patterns(microdata, years, min_persons, UNIT_INDICATOR_FIGURES)
    tables = {}
    for kind in kinds:
        frame = with_city_total(indicators_by(microdata, years, kind))
        masks = _masks(frame, kind, patterns)
        tables[kind] = suppress(frame, UNIT_INDICATOR_FIGURES, min_persons, masks=masks)
    return tables
