"""Auditing a block of linked cells: is a suppressed cell a linear combination of published ones?

A block is a set of *atoms* (the smallest groups of persons every published cell is a union
of) and of *cells* (each a set of atoms). An attacker who adds and subtracts published cells
recovers a suppressed cell exactly when its atom vector lies in the row space of the published
cells' vectors; this is the audit that tau-argus runs on linked tables (Hundepool et al.,
*Statistical Disclosure Control*, 2012, § 4.3.1; de Wolf, *Handbook on SDC*, ch. 4). Cells
without persons are left out and their atoms are taken as known, which can only make the audit
stricter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

__all__ = ["protect_block", "recoverable"]

_TOLERANCE = 1e-8


def _in_row_space(rows: list[np.ndarray], targets: np.ndarray) -> np.ndarray:
    """For each row of ``targets``: does it lie in the span of ``rows``?"""
    if not rows:
        return np.zeros(len(targets), dtype=bool)
    _, singular, basis = np.linalg.svd(np.vstack(rows), full_matrices=False)
    basis = basis[singular > _TOLERANCE * max(1.0, float(singular[0]))]
    residual = targets - (targets @ basis.T) @ basis
    return np.asarray(np.abs(residual).max(axis=1) < 1e-6)


def recoverable(
    vectors: Mapping[str, np.ndarray], suppressed: set[str], known: Sequence[np.ndarray] = ()
) -> list[str]:
    """The suppressed cells that published cells (and ``known`` vectors) add up to."""
    hidden = sorted(suppressed)
    if not hidden:
        return []
    published = [v for c, v in vectors.items() if c not in suppressed] + list(known)
    found = _in_row_space(published, np.vstack([vectors[c] for c in hidden]))
    return [c for c, is_found in zip(hidden, found, strict=True) if is_found]


def protect_block(
    vectors: Mapping[str, np.ndarray],
    persons: Mapping[str, float],
    suppressed: set[str],
    known: Sequence[np.ndarray] = (),
) -> set[str] | None:
    """Secondary suppressions that leave no suppressed cell recoverable, or ``None``.

    Greedy, smallest cells first (the fewest persons lost, as tau-argus' hypercube method
    prefers): while a suppressed cell is recoverable, the smallest published cell whose
    suppression ends that is suppressed too. ``None`` when the ``known`` vectors (a published
    total of the block) alone give a suppressed cell away, so the total must go.

    Parameters
    ----------
    vectors
        Cell id → 0/1 vector over the block's atoms.
    persons
        Cell id → persons (to choose the smallest).
    suppressed
        The cells suppressed so far.
    known
        Vectors the attacker knows besides the published cells (the block's published total).
    """
    chosen = set(suppressed)
    order = sorted((c for c in vectors if c not in chosen), key=lambda c: (persons[c], c))
    while exposed := recoverable(vectors, chosen, known):
        target = exposed[0]
        for candidate in (c for c in order if c not in chosen):
            if target not in recoverable(vectors, chosen | {candidate}, known):
                chosen.add(candidate)
                break
        else:
            return None
    return chosen
