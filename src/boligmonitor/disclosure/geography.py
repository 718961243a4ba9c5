"""One suppression pattern for every city geography: screening units, DKN 250 m and 100 m cells.

The 500 m screening units are unions of DKN 250 m cells (2 × 2) and of DKN 100 m cells (5 × 5),
and every export of a year carries the city total. Suppressing each export on its own leaves
cells that the other exports give away by subtraction, so the pattern is chosen once, over all
of them, per figure and year (coordinated secondary suppression of hierarchical and linked
tables, as in tau-argus; Hundepool et al. 2012, § 4.4):

1. *primary*: every cell of every geography resting on 1 to ``min_persons − 1`` persons;
2. *within each screening unit* (the published unit, its 250 m and its 100 m cells over the
   *atoms*, the pieces of the unit in one 100 m and one 250 m cell): more cells, smallest first,
   until no suppressed cell is a linear combination of published ones
   (:func:`~boligmonitor.disclosure.audit.protect_block`); when only the unit's own figure gives
   a cell away, the unit is suppressed;
3. *city total*: never exactly one suppressed unit in a year: the smallest other is suppressed;
4. *within each suppressed unit*: as in 2, with the unit itself among the cells its published
   cells must not add up to. Then the city total minus the published units (the sum of two or
   more suppressed units) cannot be split either: a part of it would be a suppressed unit.

Assumes every DKN cell lies in one screening unit (true for the 500 m grid).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from boligmonitor.disclosure.audit import protect_block
from boligmonitor.disclosure.suppression import (
    DEFAULT_MIN_PERSONS,
    UNIT_INDICATOR_FIGURES,
    Figure,
    check_min_persons,
    suppress,
)
from boligmonitor.indicators.base import UnitKind
from boligmonitor.indicators.copenhagen import (
    CITY_INDICATORS,
    LIVING_AREA,
    indicators_by,
    requested_years,
)
from boligmonitor.schema.microdata import Microdata

__all__ = ["GEOGRAPHIES", "TOTAL", "disclose_city", "with_city_total"]

#: The published city geographies, coarsest first.
GEOGRAPHIES: tuple[UnitKind, ...] = ("screening_unit", "dkn250", "dkn100")
TOTAL = "I alt"
_CHILDREN: tuple[UnitKind, ...] = ("dkn250", "dkn100")


@dataclass
class _Pattern:
    """Suppressed cell ids per geography, and whether the city total is suppressed."""

    cells: dict[str, set[str]] = field(default_factory=lambda: {g: set() for g in GEOGRAPHIES})
    total: bool = False


def _atoms(frame: pd.DataFrame, base: str) -> pd.DataFrame:
    parts = frame["unit_id"].str.split("|", expand=True)
    atoms = pd.DataFrame({"screening_unit": parts[0], "dkn100": parts[1], "dkn250": parts[2]})
    atoms["persons"] = pd.to_numeric(frame[base]).to_numpy()
    return atoms[atoms["persons"] > 0].reset_index(drop=True)


def _protect_unit(block: pd.DataFrame, pattern: _Pattern, unit: str, hidden: bool) -> bool:
    """Step 2 for one unit; False when a published unit itself must be suppressed.

    A published unit's figure is known, so it is part of what the attacker adds up; a hidden
    unit is itself one of the cells that its published cells must not add up to.
    """
    cells = {kind: block[kind].to_numpy() for kind in _CHILDREN}
    if not hidden and not any(pattern.cells[kind].intersection(cells[kind]) for kind in _CHILDREN):
        return True
    vectors: dict[str, np.ndarray] = {}
    persons: dict[str, float] = {}
    counts = block["persons"].to_numpy(dtype=float)
    for kind in _CHILDREN:
        for cell in np.unique(cells[kind]):
            vector = (cells[kind] == cell).astype(float)
            key = f"{kind}\t{cell}"
            vectors[key], persons[key] = vector, float(counts @ vector)
    suppressed = {k for k in vectors if k.split("\t")[1] in pattern.cells[k.split("\t")[0]]}
    known = [np.ones(len(block))]
    if hidden:
        key = f"screening_unit\t{unit}"
        vectors[key], persons[key], known = np.ones(len(block)), float(counts.sum()), []
        suppressed.add(key)
    chosen = protect_block(vectors, persons, suppressed, known=known)
    if chosen is None:
        return False
    for key in chosen:
        geography, cell = key.split("\t")
        pattern.cells[geography].add(cell)
    return True


def coordinate(atoms: pd.DataFrame, min_persons: int) -> _Pattern:
    """The suppression pattern of one figure in one year over every city geography.

    ``atoms`` has ``screening_unit, dkn100, dkn250, persons`` (persons > 0).
    """
    pattern = _Pattern()
    for kind in GEOGRAPHIES:
        sums = atoms.groupby(kind)["persons"].sum()
        pattern.cells[kind] = set(sums.index[sums < min_persons])
    units = atoms.groupby("screening_unit")["persons"].sum()
    blocks = {str(u): b.reset_index(drop=True) for u, b in atoms.groupby("screening_unit")}
    hidden = pattern.cells["screening_unit"]
    for unit, block in blocks.items():
        if unit not in hidden and not _protect_unit(block, pattern, unit, hidden=False):
            hidden.add(unit)
    if len(hidden) == 1:
        others = units.drop(list(hidden)).sort_values(kind="stable")
        if len(others):
            hidden.add(str(others.index[0]))
        else:
            pattern.total = True
    for unit in sorted(hidden):
        _protect_unit(blocks[unit], pattern, unit, hidden=True)
    return pattern


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
    frame: pd.DataFrame, kind: UnitKind, patterns: dict[tuple[Figure, int], _Pattern]
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
    atoms = indicators_by(microdata, years, "atom")
    patterns: dict[tuple[Figure, int], _Pattern] = {}
    for figure in UNIT_INDICATOR_FIGURES:
        for year_value in sorted(set(atoms["year"].astype(int))):
            of_year = atoms[atoms["year"] == year_value]
            pattern = coordinate(_atoms(of_year, str(figure.base)), min_persons)
            patterns[(figure, year_value)] = pattern
    tables = {}
    for kind in kinds:
        frame = with_city_total(indicators_by(microdata, years, kind))
        masks = _masks(frame, kind, patterns)
        tables[kind] = suppress(frame, UNIT_INDICATOR_FIGURES, min_persons, masks=masks)
    return tables
