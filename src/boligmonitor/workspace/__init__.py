"""The Workspace: the one object the CLI, the web app, reports and notebooks call.

A workspace is a folder holding an embedded DuckDB database (``workspace.duckdb``) opened
through Ibis. It stores validated inputs, computed results and a run history — input file
hashes, rule-set ids and versions, parameters and time — so every result can be reproduced.
Inputs are validated completely before anything is written.

The class is assembled from one module per domain (statutory designations in ``base``,
microdata, city screening, goals, helhedsplaner, and read-only queries for the web); each
method is thin and delegates to its domain package.
"""

from __future__ import annotations

from boligmonitor.workspace.base import DATABASE_NAME, WorkspaceBase, file_sha256
from boligmonitor.workspace.goals import GoalMethods
from boligmonitor.workspace.microdata import MicrodataMethods
from boligmonitor.workspace.plans import PlanMethods
from boligmonitor.workspace.queries import QueryMethods
from boligmonitor.workspace.screening import ScreeningMethods

__all__ = ["DATABASE_NAME", "Workspace", "file_sha256"]


class Workspace(
    MicrodataMethods, ScreeningMethods, GoalMethods, PlanMethods, QueryMethods, WorkspaceBase
):
    """A Boligmonitor workspace.

    Use :meth:`create`, :meth:`open` or :meth:`memory` rather than the constructor.

    Examples
    --------
    >>> ws = Workspace.memory()
    >>> ws.load_area_statistics("areas.csv")  # doctest: +SKIP
    >>> results = ws.designate(year=2020, rules="dk-2018")  # doctest: +SKIP
    """
