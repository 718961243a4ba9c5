"""Boligmonitor: statutory and municipal designations of vulnerable housing areas.

The public API is :class:`Workspace`; everything else is reached through it or imported from
its module for advanced use. The names below are imported on first use, so that importing a
submodule (the command line, for one) does not load the data stack.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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

_HOMES = {
    "AreaDesignation": "boligmonitor.rules.evaluate",
    "BoligmonitorError": "boligmonitor.errors",
    "InputError": "boligmonitor.errors",
    "Problem": "boligmonitor.errors",
    "RuleSet": "boligmonitor.rules.model",
    "Workspace": "boligmonitor.workspace",
    "evaluate": "boligmonitor.rules.evaluate",
}


def __getattr__(name: str) -> object:
    """Import a public name from its module on first use (PEP 562)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'boligmonitor' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
