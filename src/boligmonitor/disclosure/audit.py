"""Auditing a block of linked cells: can published cells be added up to something hidden?

A block is a set of *atoms* (the smallest groups of persons every published cell is a union
of) and of *cells* (each a set of atoms). An attacker who adds and subtracts published cells
recovers a suppressed cell exactly when its atom vector lies in the row space of the published
cells' vectors; this is the audit that tau-argus runs on linked tables (Hundepool et al.,
*Statistical Disclosure Control*, 2012, § 4.3.1; de Wolf, *Handbook on SDC*, ch. 4).

The same test also guards the groups that are *no* cell: a union of atoms resting on 1 to
``min_persons − 1`` persons (the sliver between an area and the unit around it, two hidden
cells whose sum is the unit minus its published cells) must not lie in that row space either,
or a difference of published figures would be a figure on one or two persons. Such a group has
at most ``min_persons − 1`` atoms with persons, so the groups can be listed
(:func:`small_groups`). Cells without persons are left out and their atoms are taken as known,
which can only make the audit stricter.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

__all__ = ["protect_block", "recoverable", "small_groups"]

_TOLERANCE = 1e-8
_MAX_GROUPS = 20_000


def _in_row_space(rows: list[np.ndarray], targets: np.ndarray) -> np.ndarray:
    """For each row of ``targets``: does it lie in the span of ``rows``?"""
    if not rows or not len(targets):
        return np.zeros(len(targets), dtype=bool)
    _, singular, basis = np.linalg.svd(np.vstack(rows), full_matrices=False)
    basis = basis[singular > _TOLERANCE * max(1.0, float(singular[0]))]
    residual = targets - (targets @ basis.T) @ basis
    return np.asarray(np.abs(residual).max(axis=1) < 1e-6)


def small_groups(persons: np.ndarray, min_persons: int) -> list[np.ndarray]:
    """Every union of atoms resting on 1 to ``min_persons − 1`` persons, as 0/1 vectors.

    Only atoms with persons are counted (the others are known); with ``min_persons`` 3 these
    are the atoms of one or two persons and the pairs of one-person atoms.
    """
    small = [int(i) for i in np.flatnonzero((persons > 0) & (persons < min_persons))]
    groups: list[np.ndarray] = []

    def extend(start: int, chosen: list[int], total: float) -> None:
        for position in range(start, len(small)):
            atom = small[position]
            if total + persons[atom] < min_persons and len(groups) < _MAX_GROUPS:
                vector = np.zeros(len(persons))
                vector[[*chosen, atom]] = 1.0
                groups.append(vector)
                extend(position + 1, [*chosen, atom], total + float(persons[atom]))

    extend(0, [], 0.0)
    return groups


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


def _exposed(
    vectors: Mapping[str, np.ndarray],
    suppressed: set[str],
    known: Sequence[np.ndarray],
    groups: Sequence[np.ndarray],
) -> list[np.ndarray]:
    """Suppressed cells and small groups the published cells add up to."""
    hidden = sorted(suppressed)
    targets = [vectors[c] for c in hidden] + list(groups)
    if not targets:
        return []
    published = [v for c, v in vectors.items() if c not in suppressed] + list(known)
    found = _in_row_space(published, np.vstack(targets))
    return [t for t, is_found in zip(targets, found, strict=True) if is_found]


def _next(
    vectors: Mapping[str, np.ndarray],
    chosen: set[str],
    known: Sequence[np.ndarray],
    target: np.ndarray,
    candidates: list[str],
) -> str | None:
    """The first candidate whose suppression ends the target's exposure, else the first that
    covers part of the target (one step towards ending it), else ``None``."""
    for candidate in candidates:
        published = [v for c, v in vectors.items() if c not in chosen | {candidate}]
        if not _in_row_space(published + list(known), target[None, :])[0]:
            return candidate
    return next((c for c in candidates if float(vectors[c] @ target) > 0), None)


def protect_block(
    vectors: Mapping[str, np.ndarray],
    persons: Mapping[str, float],
    suppressed: set[str],
    known: Sequence[np.ndarray] = (),
    groups: Sequence[np.ndarray] = (),
    last: Callable[[str], bool] | None = None,
    kept: Callable[[str], bool] | None = None,
) -> set[str] | None:
    """Secondary suppressions that leave nothing hidden recoverable, or ``None``.

    Greedy, smallest cells first (the fewest persons lost, as tau-argus' hypercube method
    prefers): while a suppressed cell or a small group is recoverable, the smallest published
    cell whose suppression ends that is suppressed too, or else the smallest covering part of
    it. Cells marked ``last`` are suppressed only when no other cell can do it. ``None`` when
    the ``known`` vectors (a published total of the block) alone give something away.

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
    groups
        Unions of atoms that must not be recoverable either (:func:`small_groups`).
    last
        Cells to keep published as long as any other cell can be suppressed instead.
    kept
        Cells never suppressed here (published by an output of their own, whose threshold
        alone decides them).
    """
    chosen = set(suppressed)
    never = kept or (lambda c: False)
    order = sorted(
        (c for c in vectors if c not in chosen and not never(c)), key=lambda c: (persons[c], c)
    )
    late = last or (lambda c: False)
    while exposed := _exposed(vectors, chosen, known, groups):
        found = None
        for tier in (False, True):
            candidates = [c for c in order if c not in chosen and late(c) is tier]
            if (found := _next(vectors, chosen, known, exposed[0], candidates)) is not None:
                break
        if found is None:
            return None
        chosen.add(found)
    return chosen
