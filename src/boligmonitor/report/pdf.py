"""The PDF status report: a Typst source generated from a template, compiled with ``typst``.

The template uses Jinja2 with ``<< >>`` / ``<% %>`` delimiters (Typst itself uses braces), and
every value is escaped for Typst markup, so text from catalogues can never inject markup. Charts
are written next to the source as SVG files and embedded as images.
"""

from __future__ import annotations

import re
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import typst
from jinja2 import Environment, PackageLoader

from boligmonitor.i18n import template_translate
from boligmonitor.report.model import Report

__all__ = ["render_pdf", "typst_escape", "typst_source"]

_SPECIAL = re.compile(r"([\\#*_`$<>@\[\]~/=+\-])")


def typst_escape(value: Any) -> str:
    """Escape a value for Typst markup (``None`` becomes an empty string).

    Examples
    --------
    >>> typst_escape("5,8 m² #1 [x]")
    '5,8 m² \\\\#1 \\\\[x\\\\]'
    """
    if value is None:
        return ""
    return _SPECIAL.sub(r"\\\1", str(value))


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("boligmonitor.report", "templates"),
        variable_start_string="<<",
        variable_end_string=">>",
        block_start_string="<%",
        block_end_string="%>",
        comment_start_string="<#",
        comment_end_string="#>",
        finalize=typst_escape,
        autoescape=False,  # noqa: S701 - Typst, not HTML: finalize escapes every value
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals["_"] = template_translate
    return environment


def _image_names(report: Report) -> dict[str, str]:
    """Plain file names for the charts (no characters that need escaping)."""
    return {name: f"chart{i}.svg" for i, name in enumerate(sorted(report.svgs))}


def typst_source(report: Report) -> str:
    """The Typst source of the report (charts referenced by file name)."""
    template = _environment().get_template("status.typ")
    return template.render(**report.context, images=_image_names(report))


def render_pdf(report: Report) -> bytes:
    """Compile the report to PDF bytes in a temporary folder."""
    names = _image_names(report)
    with tempfile.TemporaryDirectory(prefix="boligmonitor-report-") as folder:
        root = Path(folder)
        for name, svg in report.svgs.items():
            (root / names[name]).write_text(svg, encoding="utf-8")
        source = root / "status.typ"
        source.write_text(typst_source(report), encoding="utf-8")
        pdf: bytes = typst.compile(str(source), root=str(root))
    return pdf
