"""The HTML status report: Jinja2 templates with ``_partial.html`` fragments and inline SVG.

The page is self-contained (styles inline, charts as inline SVG, no scripts or CDN), so it can
be mailed, archived or opened on a server without internet.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from boligmonitor.i18n import template_translate
from boligmonitor.report.model import Report

__all__ = ["render_html"]


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("boligmonitor.report", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals["_"] = template_translate
    return environment


def render_html(report: Report) -> str:
    """Render a built report as one HTML page."""
    svgs = {name: Markup(svg) for name, svg in report.svgs.items()}  # noqa: S704 (vl-convert output)
    template = _environment().get_template("status.html")
    return template.render(**report.context, svgs=svgs)
