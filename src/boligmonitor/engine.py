"""The Ibis backends Boligmonitor computes on: embedded DuckDB by default, PySpark to scale out.

Core code builds Ibis expressions only (no SQL strings), so the same expressions run on another
Ibis backend when a user outgrows one machine. This module is the one seam where a backend is
chosen: the workspace database is always DuckDB; the microdata computations (indicators,
validation) run on the engine named by ``--engine`` or ``BOLIGMONITOR_ENGINE``
(``duckdb`` or ``pyspark``; see ``docs/scale-out.md``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

__all__ = ["ENGINES", "ENGINE_ENV", "compute_backend", "connect", "engine_name"]

ENGINE_ENV = "BOLIGMONITOR_ENGINE"
ENGINES = ("duckdb", "pyspark")


def engine_name() -> str:
    """The chosen compute engine (``BOLIGMONITOR_ENGINE``, default ``duckdb``).

    Raises
    ------
    InputError
        When the variable names an unknown engine.
    """
    name = os.environ.get(ENGINE_ENV, "duckdb").strip().lower() or "duckdb"
    if name not in ENGINES:
        from boligmonitor.errors import InputError

        raise InputError.single(
            ENGINE_ENV,
            "unknown engine '{name}'; use one of {engines}",
            name=name,
            engines=", ".join(ENGINES),
        )
    return name


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
    import ibis

    _skip_geometry_lookup()
    config: dict[str, Any] = {}
    if threads is not None:
        config["threads"] = threads
    if database is None:
        return ibis.duckdb.connect(**config)
    return ibis.duckdb.connect(str(database), read_only=read_only, **config)


def _skip_geometry_lookup() -> None:
    """Spare every query result Ibis's search for a geometry column.

    Ibis imports GeoPandas (0.2 s) on the first result it turns into pandas, to look for a
    geometry column when GeoPandas is installed. No table here has one: DuckDB's spatial
    extension is never loaded and geometries are kept as WKT text. Does nothing on an Ibis
    without that switch.
    """
    from ibis.formats import pandas as ibis_pandas

    if hasattr(ibis_pandas, "geospatial_supported"):
        ibis_pandas.geospatial_supported = False


def compute_backend(default: Any | None = None) -> Any:
    """The backend microdata are computed on: ``default`` (the workspace's DuckDB) or a new
    in-memory DuckDB under the ``duckdb`` engine; a Spark session under ``pyspark``.

    The Spark session is the active one when there is one (``spark-submit``, a cluster
    notebook), else a local one (``local[*]``); ``SPARK_MASTER`` names a cluster master.
    """
    if engine_name() == "duckdb":
        return default if default is not None else connect()
    import ibis
    from pyspark.sql import SparkSession

    session = SparkSession.getActiveSession()
    if session is None:
        master = os.environ.get("SPARK_MASTER", "local[*]")
        session = (
            SparkSession.builder.master(master)
            .appName("boligmonitor")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.ui.enabled", "false")
            .getOrCreate()
        )
    return ibis.pyspark.connect(session)
