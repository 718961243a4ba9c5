"""City screening of small units into Copenhagen's udsatte byområder, and re-designation rounds.

See ``docs/screening.md``. Public entry points: :func:`read_unit_statistics`,
:func:`load_method`, :func:`screen_units`, :func:`compare_rounds`, :func:`compare_methods`.
"""

from __future__ import annotations

from boligmonitor.screening.compare import MethodComparison, compare_methods, precision_recall
from boligmonitor.screening.method import ScreeningMethod, load_method, shipped_methods
from boligmonitor.screening.rounds import RoundComparison, compare_rounds
from boligmonitor.screening.screen import ScreeningResult, screen_units
from boligmonitor.screening.units import read_unit_statistics, unit_statistics_from_frame

__all__ = [
    "MethodComparison",
    "RoundComparison",
    "ScreeningMethod",
    "ScreeningResult",
    "compare_methods",
    "compare_rounds",
    "load_method",
    "precision_recall",
    "read_unit_statistics",
    "screen_units",
    "shipped_methods",
    "unit_statistics_from_frame",
]
