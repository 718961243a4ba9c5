"""Render a chart specification to SVG offline (vl-convert bundles Vega)."""

from __future__ import annotations

import re
from typing import Any

import vl_convert as vlc

from boligmonitor.i18n import Language

__all__ = ["as_spec", "render_svg"]

_LOCALES: dict[Language, Any] = {"da": "da-DK", "en": "en-GB"}


def as_spec(chart: Any) -> dict[str, Any]:
    """An Altair chart as a plain Vega-Lite dict with no remote reference.

    Altair adds a ``$schema`` URL (the browser never fetches it, but pages and reports must
    not name an external host) and an empty ``datasets`` entry; both go.
    """
    spec: dict[str, Any] = chart.to_dict(validate=False)
    spec.pop("$schema", None)
    if spec.get("datasets") == {"empty": [{}]}:
        spec.pop("datasets")
    return spec


def render_svg(spec: dict[str, Any], prefix: str, lang: Language = "da") -> str:
    """Render a Vega-Lite spec to SVG, with element ids made unique by ``prefix``.

    Numbers on axes use the language's locale (decimal comma in Danish). Several SVGs inlined
    in one HTML page must not share ids (clip paths, gradients), hence the prefix.
    """
    svg: str = vlc.vegalite_to_svg(spec, format_locale=_LOCALES[lang])
    svg = re.sub(r'id="([^"]+)"', rf'id="{prefix}-\1"', svg)
    return re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
