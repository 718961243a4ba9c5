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
   the statutory lists, so their cells are suppressed last: a sliver between an area and its
   unit costs the unit, not the area;
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


def _kinds(atoms: pd.DataFrame) -> list[str]:
    return [k for k in KINDS if k in atoms.columns]


def _blocks(atoms: pd.DataFrame) -> list[np.ndarray]:
    """Atom positions of each block: atoms joined by every cell they share (a unit, a DKN cell
    cut by two polygon units, an area spanning units)."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    kinds = _kinds(atoms)
    columns = [atoms[k].to_numpy(dtype=object) for k in kinds]
    firsts = []
    for position in range(len(atoms)):
        keys = [f"{k}\t{c[position]}" for k, c in zip(kinds, columns, strict=True)]
        keys = [key for key, c in zip(keys, columns, strict=True) if isinstance(c[position], str)]
        for key in keys[1:]:
            parent[find(key)] = find(keys[0])
        firsts.append(keys[0])
    roots = np.array([find(k) for k in firsts], dtype=object)
    return [np.flatnonzero(roots == r) for r in pd.unique(roots)]


def _cells(block: pd.DataFrame, kinds: list[str]) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    vectors: dict[str, np.ndarray] = {}
    persons: dict[str, float] = {}
    counts = block["persons"].to_numpy(dtype=float)
    for kind in kinds:
        values = block[kind].to_numpy(dtype=object)
        for cell in pd.unique(values):
            if isinstance(cell, str):
                vector = (values == cell).astype(float)
                key = f"{kind}\t{cell}"
                vectors[key], persons[key] = vector, float(counts @ vector)
    return vectors, persons


def _protect(
    block: pd.DataFrame, pattern: Pattern, min_persons: int, known: list[np.ndarray]
) -> bool:
    """Step 2 for one block; False when the ``known`` vectors alone give something away."""
    vectors, persons = _cells(block, _kinds(block))
    suppressed = {k for k in vectors if k.split("\t")[1] in pattern.cells[k.split("\t")[0]]}
    groups = small_groups(block["persons"].to_numpy(dtype=float), min_persons)
    chosen = protect_block(
        vectors,
        persons,
        suppressed,
        known=known,
        groups=groups,
        cost=lambda c: (c.startswith(AREA), persons[c], c),
    )
    if chosen is None:
        return False
    for key in chosen:
        kind, cell = key.split("\t")
        pattern.cells[kind].add(cell)
    return True


def _hidden_units(
    atoms: pd.DataFrame, blocks: list[np.ndarray], pattern: Pattern
) -> tuple[list[int], np.ndarray]:
    """Blocks holding a hidden unit, and each atom's hidden-unit indicator."""
    inside = atoms[UNIT].isin(pattern.cells[UNIT]).to_numpy()
    return [b for b, rows in enumerate(blocks) if inside[rows].any()], inside


def _protect_total(
    atoms: pd.DataFrame, blocks: list[np.ndarray], pattern: Pattern, min_persons: int
) -> None:
    """Step 3: hide more units until the total minus the published units gives nothing."""
    units = atoms.dropna(subset=[UNIT]).groupby(UNIT)["persons"].sum()
    block_of = {str(u): b for b, rows in enumerate(blocks) for u in atoms[UNIT].iloc[rows].dropna()}
    while True:
        holding, inside = _hidden_units(atoms, blocks, pattern)
        hidden = pattern.cells[UNIT]
        together = float(units.reindex(list(hidden)).fillna(0).sum())
        safe = len(hidden) != 1 and not 0 < together < min_persons
        if not hidden or (safe and len(holding) > 1):
            return
        if safe:  # every hidden unit in one block: their sum is known there
            rows = blocks[holding[0]]
            block = atoms.iloc[rows].reset_index(drop=True)
            if _protect(block, pattern, min_persons, [inside[rows].astype(float)]):
                return
        others = units.drop(list(hidden)).sort_values(kind="stable")
        if not len(others):
            pattern.total = True
            return
        unit = str(others.index[0])
        hidden.add(unit)
        rows = blocks[block_of[unit]]
        _protect(atoms.iloc[rows].reset_index(drop=True), pattern, min_persons, [])


def coordinate(atoms: pd.DataFrame, min_persons: int) -> Pattern:
    """The suppression pattern of one figure in one year over every linked geography.

    ``atoms`` has ``screening_unit, dkn100, dkn250, persons`` (persons > 0) and, for figures
    that boligområder publish too, ``area`` (empty outside areas; an area's persons outside
    every unit are an atom with an empty unit).
    """
    atoms = atoms[atoms["persons"] > 0].reset_index(drop=True)
    pattern = Pattern()
    for kind in _kinds(atoms):
        sums = atoms.dropna(subset=[kind]).groupby(kind)["persons"].sum()
        pattern.cells[kind] = {str(c) for c in sums.index[sums < min_persons]}
    blocks = _blocks(atoms)
    for rows in blocks:
        _protect(atoms.iloc[rows].reset_index(drop=True), pattern, min_persons, [])
    _protect_total(atoms, blocks, pattern, min_persons)
    return pattern
