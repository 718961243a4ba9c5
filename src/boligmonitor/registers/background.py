"""Writes that run on a second DuckDB connection beside the import's scans.

Copying the geography tables and writing a year's persons (``COPY`` statements whose output
no later step reads) need no result, so they run on a cursor of the import's database in one
worker thread while the register scans use the main connection: on two cores the scans and
the writes overlap.
Failures surface in :meth:`Copies.wait`; nothing is left running when the import ends.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import duckdb
import pyarrow as pa

__all__ = ["Copies"]


class Copies:
    """``COPY`` statements run one after another in a worker thread.

    Parameters
    ----------
    con
        The import's connection; the copies run on a cursor of it (same database and
        settings, its own temporary views, so a copy reads its files directly).
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._cursor = con.cursor()
        self._cursor.execute("SET enable_progress_bar = false")
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="register-copies")
        self._jobs: list[Future[None]] = []

    def copy(self, statement: str, tables: dict[str, pa.Table] | None = None) -> None:
        """Run ``statement`` (a ``COPY ... TO ...``) after the copies already queued.

        ``tables`` are registered under their names for the statement and released after it.
        """
        self._jobs.append(self._pool.submit(self._run, statement, dict(tables or {})))

    def call(self, write: Callable[[Path, Path], object], source: Path, target: Path) -> None:
        """Run ``write(source, target)`` (e.g. a file copy) after the copies already queued."""
        self._jobs.append(self._pool.submit(_call, write, source, target))

    def _run(self, statement: str, tables: dict[str, pa.Table]) -> None:
        for name, table in tables.items():
            self._cursor.register(name, table)
        try:
            self._cursor.execute(statement)
        finally:
            for name in tables:
                self._cursor.unregister(name)
            tables.clear()

    def wait(self) -> None:
        """Wait for every queued copy; raise the first failure."""
        jobs, self._jobs = self._jobs, []
        for job in jobs:
            job.result()

    def close(self) -> None:
        """Wait for the queued copies (failures ignored: the import failed already)."""
        for job in self._jobs:
            job.exception()
        self._pool.shutdown()
        self._cursor.close()


def _call(write: Callable[[Path, Path], object], source: Path, target: Path) -> None:
    write(source, target)
