"""Boligmonitor: statutory and municipal designations of vulnerable housing areas.

The public API is :class:`Workspace`; everything else is reached through it or imported from
its module for advanced use.
"""

from __future__ import annotations

from boligmonitor.errors import BoligmonitorError, InputError, Problem
from boligmonitor.rules.evaluate import AreaDesignation, evaluate
from boligmonitor.rules.model import RuleSet
from boligmonitor.workspace import Workspace

__all__ = [
    "AreaDesignation",
    "BoligmonitorError",
    "InputError",
    "Problem",
    "RuleSet",
    "Workspace",
    "evaluate",
]
