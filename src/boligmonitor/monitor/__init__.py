"""Monitoring Copenhagen's udsatte byområder: reference figures, the gap (efterslæb), milestones.

Public functions: :func:`load_reference` (the published ``kk-2021`` tables),
:func:`reference_gap` (Tabel 2 recomputed from Tabel 1) and :func:`compute_gap` (the gap from
unit-level numerators and denominators).
"""

from __future__ import annotations

from boligmonitor.monitor.gap import GapRecord, GapReport, GapSummary, efterslaeb, vision_met
from boligmonitor.monitor.reference import ReferenceDataset, load_reference
from boligmonitor.monitor.reference_gap import reference_gap
from boligmonitor.monitor.unit_gap import compute_gap

__all__ = [
    "GapRecord",
    "GapReport",
    "GapSummary",
    "ReferenceDataset",
    "compute_gap",
    "efterslaeb",
    "load_reference",
    "reference_gap",
    "vision_met",
]
