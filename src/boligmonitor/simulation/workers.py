"""Spreading independent Monte Carlo runs over the machine's cores.

Runs never share random numbers (run ``r`` draws from its own generator seeded ``(seed, r)``),
so splitting them over worker processes gives exactly the results of one process. Workers are
forked: they inherit the estimated city and dynamics without copying or pickling them (the
pages stay shared until written, and the simulation never writes them). Where ``fork`` is not
available the runs stay in this process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import TypeVar

__all__ = ["available_cores", "chunk_runs", "map_chunks"]

T = TypeVar("T")

#: The task of the current pool, inherited by forked workers (never pickled).
_TASK: Callable[[Sequence[int]], object] | None = None


def available_cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def chunk_runs(runs: int, workers: int) -> list[list[int]]:
    """Runs ``0 … runs-1`` in chunks, interleaved over ``workers`` (a few chunks per worker so
    that progress is reported while the runs proceed)."""
    if workers <= 1:
        return [list(range(runs))] if runs else []
    n_chunks = min(runs, workers * 4)
    return [list(range(runs))[k::n_chunks] for k in range(n_chunks)]


def _call(chunk: Sequence[int]) -> object:
    assert _TASK is not None
    return _TASK(chunk)


def map_chunks(
    task: Callable[[Sequence[int]], T],
    chunks: Sequence[Sequence[int]],
    workers: int,
    done: Callable[[Sequence[int]], None] | None = None,
) -> list[T]:
    """``task(chunk)`` for every chunk, in order, on up to ``workers`` forked processes;
    ``done(chunk)`` is called in this process as each chunk finishes."""
    global _TASK
    forking = "fork" in multiprocessing.get_all_start_methods()
    if workers <= 1 or len(chunks) <= 1 or not forking:
        results = []
        for chunk in chunks:
            results.append(task(chunk))
            if done is not None:
                done(chunk)
        return results
    _TASK = task
    try:
        context = multiprocessing.get_context("fork")
        found: dict[int, T] = {}
        with ProcessPoolExecutor(min(workers, len(chunks)), mp_context=context) as pool:
            futures = {pool.submit(_call, chunk): k for k, chunk in enumerate(chunks)}
            for future in as_completed(futures):
                k = futures[future]
                found[k] = future.result()  # type: ignore[assignment]
                if done is not None:
                    done(chunks[k])
        return [found[k] for k in range(len(chunks))]
    finally:
        _TASK = None
