"""One chart vocabulary for the dashboard and the reports.

Every chart is an Altair (Vega-Lite) specification built here; the browser draws it with the
locally served Vega bundle (:mod:`boligmonitor.web.assets`) and the reports render the same spec
to SVG/PDF with vl-convert (:func:`render_svg`). Designations have one fixed colour each
(:mod:`boligmonitor.charts.palette`), the same on every page, list year, language and report.
"""

from boligmonitor.charts.palette import (
    NONE_COLOUR,
    designation_colour,
    leading_designation,
    severity_order,
)
from boligmonitor.charts.render import render_svg

__all__ = [
    "NONE_COLOUR",
    "designation_colour",
    "leading_designation",
    "render_svg",
    "severity_order",
]
