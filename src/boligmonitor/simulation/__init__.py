"""Allocation-policy microsimulation: what a letting rule does to each area, and where people
end up (DESIGN § 6). See ``docs/simulation.md``."""

from boligmonitor.simulation.compare import compare_policies, compare_segregation
from boligmonitor.simulation.facet import SimulationFacet
from boligmonitor.simulation.montecarlo import SimulationResult, run_policy, summarise
from boligmonitor.simulation.policy import Policy, load_policy, shipped_policies

__all__ = [
    "Policy",
    "SimulationFacet",
    "SimulationResult",
    "compare_policies",
    "compare_segregation",
    "load_policy",
    "run_policy",
    "shipped_policies",
    "summarise",
]
