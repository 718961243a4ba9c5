"""The Ibis backends Boligmonitor computes on: embedded DuckDB by default.

Core code builds Ibis expressions only (no SQL strings), so the same expressions run on another
Ibis backend (e.g. PySpark) when a user outgrows one machine. This module is the one seam where a
backend is chosen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ibis

__all__ = ["connect"]


def connect(
    database: Path | None = None, read_only: bool = False, threads: int | None = None
) -> Any:
    """Open an Ibis DuckDB backend on a database file, or in memory when ``database`` is None.

    Parameters
    ----------
    database
        The DuckDB file; created when missing (unless ``read_only``).
    read_only
        Open without write access, so several readers (e.g. web workers) can share the file.
    threads
        DuckDB worker threads; default: DuckDB's own choice (all cores).

    Returns
    -------
    ibis.backends.duckdb.Backend
    """
    config: dict[str, Any] = {}
    if threads is not None:
        config["threads"] = threads
    if database is None:
        return ibis.duckdb.connect(**config)
    return ibis.duckdb.connect(str(database), read_only=read_only, **config)
