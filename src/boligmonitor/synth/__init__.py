"""Synthetic microdata: a Copenhagen-like city and a nation, calibrated to the seeds.

See :func:`generate` and ``docs/microdata.md``.
"""

from __future__ import annotations

from boligmonitor.synth.generate import generate
from boligmonitor.synth.spec import SCALES, Scale, ScaleSpec, scale_spec

__all__ = ["SCALES", "Scale", "ScaleSpec", "generate", "scale_spec"]
