"""Writes that run on a second DuckDB connection beside the import's scans.

Copying the geography tables (and any other ``COPY`` that no later step reads) needs no
result, so it runs on a cursor of the import's database in one worker thread while the
register scans use the main connection: on two cores the scans and the copies overlap.
Failures surface in :meth:`Copies.wait`; nothing is left running when the import ends.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

import duckdb

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
        self._jobs: list[Future[object]] = []

    def copy(self, statement: str) -> None:
        """Run ``statement`` (a ``COPY ... TO ...``) after the copies already queued."""
        self._jobs.append(self._pool.submit(self._cursor.execute, statement))

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
