"""One suppression pattern over linked geographies: screening units, DKN cells and boligområder.

The published geographies of the same persons are unions of *atoms*: the piece of a screening
unit in one DKN 100 m and one DKN 250 m cell and, for the figures boligområder publish too (the
residents and the non-western share), in one boligområde or outside every area. A boligområde's
persons outside every screening unit form one more atom of that area. Geographies linked through
shared atoms form a *block* (a screening unit, or several units joined by an area that spans
them); blocks share nothing but the city total.

1. *primary*: every cell of every geography resting on 1 to ``min_persons − 1`` persons;
2. *within each block*: more cells, cheapest first, until no suppressed cell and no union of
   atoms resting on 1 to ``min_persons − 1`` persons is a linear combination of published cells
   (:func:`~boligmonitor.disclosure.audit.protect_block`). Boligområder are the legal basis of
   the statutory lists and are published by the area statistics on their own threshold, so
   their cells are never suppressed here: a sliver between an area and its unit costs the unit
   or its cells, and a block no other cell can protect hides all its city cells (whole areas
   alone add up to nothing smaller than an area);
3. *city total*: the hidden units are never exactly one and never rest on 1 to
   ``min_persons − 1`` persons together (the total minus the published units is their sum);
   when all of them lie in one block, that sum is known inside the block and audited with it.

Coordinated secondary cell suppression of hierarchical and linked tables with an exact linear
audit (Hundepool et al. 2012, § 4.4; tau-argus linked tables).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from boligmonitor.disclosure.audit import protect_block, small_groups

__all__ = ["AREA", "KINDS", "Pattern", "coordinate"]

#: Pattern key of the boligområder (only in figures they publish too).
AREA = "area"
UNIT = "screening_unit"
#: Every linked geography, coarsest first.
KINDS = (UNIT, "dkn250", "dkn100", AREA)


@dataclass
class Pattern:
    """Suppressed cell ids per geography, and whether the city total is suppressed."""

    cells: dict[str, set[str]] = field(default_factory=lambda: {g: set() for g in KINDS})
    total: bool = False


@dataclass(frozen=True)
class _Atoms:
    """The atoms of one figure and year as arrays: each geography's cell id, and persons."""

    cells: dict[str, np.ndarray]
    persons: np.ndarray

    @classmethod
    def of(cls, frame: pd.DataFrame) -> _Atoms:
        kinds = [k for k in KINDS if k in frame.columns]
        cells = {k: frame[k].to_numpy(dtype=object) for k in kinds}
        return cls(cells, frame["persons"].to_numpy(dtype=float))


def _blocks(atoms: _Atoms) -> list[np.ndarray]:
    """Atom positions of each block: atoms joined by every cell they share (a unit, a DKN cell
    cut by two polygon units, an area spanning units), as the connected components of the
    graph of atoms and cells; blocks in the order of their first atom."""
    # imported here, not at the top: every command importing disclosure would pay for SciPy
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    count = len(atoms.persons)
    heads, tails, nodes = [], [], count
    for cells in atoms.cells.values():
        codes, uniques = pd.factorize(pd.Series(cells, dtype=object))
        present = np.flatnonzero(codes >= 0)
        heads.append(present)
        tails.append(codes[present] + nodes)
        nodes += len(uniques)
    edges = np.ones(sum(len(h) for h in heads))
    graph = coo_matrix((edges, (np.concatenate(heads), np.concatenate(tails))), (nodes, nodes))
    _, labels = connected_components(graph, directed=False)
    groups = pd.Series(labels[:count]).groupby(labels[:count], sort=False).indices
    return [np.asarray(rows) for rows in groups.values()]


def _needing_audit(
    atoms: _Atoms, blocks: list[np.ndarray], pattern: Pattern, min_persons: int
) -> list[int]:
    """The blocks holding a suppressed cell or an atom on 1 to ``min_persons − 1`` persons (in
    the others nothing is hidden and nothing is small, so nothing can be recovered)."""
    flagged = (atoms.persons > 0) & (atoms.persons < min_persons)
    for kind, cells in atoms.cells.items():
        flagged |= pd.Series(cells, dtype=object).isin(pattern.cells[kind]).to_numpy()
    return [b for b, rows in enumerate(blocks) if flagged[rows].any()]


def _cells(atoms: _Atoms, rows: np.ndarray) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    vectors: dict[str, np.ndarray] = {}
    persons: dict[str, float] = {}
    counts = atoms.persons[rows]
    for kind, cells in atoms.cells.items():
        values = cells[rows]
        for cell in pd.unique(values):
            if isinstance(cell, str):
                vector = (values == cell).astype(float)
                key = f"{kind}\t{cell}"
                vectors[key], persons[key] = vector, float(counts @ vector)
    return vectors, persons


def _protect(
    atoms: _Atoms, rows: np.ndarray, pattern: Pattern, min_persons: int, known: list[np.ndarray]
) -> bool:
    """Step 2 for one block; False when the ``known`` vectors alone give something away."""
    counts = atoms.persons[rows]
    hidden = any(
        pattern.cells[kind].intersection(cells[rows]) for kind, cells in atoms.cells.items()
    )
    if not hidden and not known and not ((counts > 0) & (counts < min_persons)).any():
        return True  # nothing hidden and nothing small: nothing to recover
    vectors, persons = _cells(atoms, rows)
    suppressed = {k for k in vectors if k.split("\t")[1] in pattern.cells[k.split("\t")[0]]}
    chosen = protect_block(
        vectors,
        persons,
        suppressed,
        known=known,
        groups=small_groups(counts, min_persons),
        kept=lambda c: c.startswith(AREA),
    )
    if chosen is None:
        return False
    for key in chosen:
        kind, cell = key.split("\t")
        pattern.cells[kind].add(cell)
    return True


def _protect_total(
    atoms: _Atoms, blocks: list[np.ndarray], pattern: Pattern, min_persons: int
) -> None:
    """Step 3: hide more units until the total minus the published units gives nothing."""
    unit_of = atoms.cells[UNIT]
    named = np.array([isinstance(u, str) for u in unit_of], dtype=bool)
    units = pd.Series(atoms.persons[named]).groupby(unit_of[named]).sum()
    block_of = {str(unit_of[r]): b for b, rows in enumerate(blocks) for r in rows if named[r]}
    while True:
        hidden = pattern.cells[UNIT]
        inside = np.isin(unit_of, list(hidden))
        holding = [b for b, rows in enumerate(blocks) if inside[rows].any()]
        together = float(units.reindex(list(hidden)).fillna(0).sum())
        safe = len(hidden) != 1 and not 0 < together < min_persons
        if not hidden or (safe and len(holding) > 1):
            return
        if safe:  # every hidden unit in one block: their sum is known there
            rows = blocks[holding[0]]
            if _protect(atoms, rows, pattern, min_persons, [inside[rows].astype(float)]):
                return
        others = units.drop(list(hidden)).sort_values(kind="stable")
        if not len(others):
            pattern.total = True
            return
        unit = str(others.index[0])
        hidden.add(unit)
        _protect(atoms, blocks[block_of[unit]], pattern, min_persons, [])


def coordinate(atoms: pd.DataFrame, min_persons: int) -> Pattern:
    """The suppression pattern of one figure in one year over every linked geography.

    ``atoms`` has ``screening_unit, dkn100, dkn250, persons`` (persons > 0) and, for figures
    that boligområder publish too, ``area`` (empty outside areas; an area's persons outside
    every unit are an atom with an empty unit). Area cells are published whenever their own
    threshold allows: the city geographies give way around them.
    """
    frame = atoms[atoms["persons"] > 0].reset_index(drop=True)
    pattern = Pattern()
    for kind in (k for k in KINDS if k in frame.columns):
        sums = frame.dropna(subset=[kind]).groupby(kind)["persons"].sum()
        pattern.cells[kind] = {str(c) for c in sums.index[sums < min_persons]}
    arrays = _Atoms.of(frame)
    blocks = _blocks(arrays)
    for b in _needing_audit(arrays, blocks, pattern, min_persons):
        if not _protect(arrays, blocks[b], pattern, min_persons, []):
            _hide_block(arrays, blocks[b], pattern)
    _protect_total(arrays, blocks, pattern, min_persons)
    return pattern


def _hide_block(atoms: _Atoms, rows: np.ndarray, pattern: Pattern) -> None:
    """Every city cell of a block: with only whole boligområder published, nothing on fewer
    persons than an area can be added up."""
    for kind, cells in atoms.cells.items():
        if kind != AREA:
            pattern.cells[kind].update(str(c) for c in pd.unique(cells[rows]) if isinstance(c, str))
