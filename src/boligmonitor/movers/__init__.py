"""Mover decomposition: why an area's criteria changed, and where its movers went."""

from __future__ import annotations

from boligmonitor.movers.decompose import COMPONENTS, Component, Decomposition, decompose
from boligmonitor.movers.facet import MoversFacet
from boligmonitor.movers.flows import FLOW_CATEGORIES, flows

__all__ = [
    "COMPONENTS",
    "FLOW_CATEGORIES",
    "Component",
    "Decomposition",
    "MoversFacet",
    "decompose",
    "flows",
]
