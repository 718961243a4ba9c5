"""The indicator engine: statutory (§ 61 a) and Copenhagen criteria computed from microdata.

Indicators are Ibis expressions (no SQL strings), one small function each, registered
explicitly in :mod:`boligmonitor.indicators.registry`. See ``docs/microdata.md``.
"""

from __future__ import annotations

from boligmonitor.indicators.base import Indicator, Measure
from boligmonitor.indicators.copenhagen import unit_indicators
from boligmonitor.indicators.registry import REGISTRY, indicator
from boligmonitor.indicators.statutory import area_statistics

__all__ = ["REGISTRY", "Indicator", "Measure", "area_statistics", "indicator", "unit_indicators"]
