"""An optional basemap under the overview map, from a WMS the user configures.

Off by default: nothing leaves the machine. Set ``BOLIGMONITOR_BASEMAP_WMS`` to a WMS GetMap URL
with the placeholders ``{crs}``, ``{bbox}``, ``{width}`` and ``{height}`` (for example
Dataforsyningen's skærmkort or an intranet server) and the map draws one image of the map's
extent underneath the areas; the Content Security Policy then allows images from that host,
and only from it. The image is requested in the map's own coordinates: EPSG:25832 for planar
geometry, EPSG:3857 (the spherical Mercator the browser draws with) for longitude/latitude, so
it lines up exactly.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

__all__ = ["BASEMAP_ENV", "basemap_host", "basemap_image", "basemap_template"]

BASEMAP_ENV = "BOLIGMONITOR_BASEMAP_WMS"
_PLACEHOLDERS = ("{crs}", "{bbox}", "{width}", "{height}")
_EARTH_RADIUS = 6378137.0


def basemap_template() -> str | None:
    """The configured WMS URL template, or ``None`` (no basemap).

    Raises
    ------
    ValueError
        When the setting is not an http(s) URL with all four placeholders.
    """
    template = os.environ.get(BASEMAP_ENV, "").strip()
    if not template:
        return None
    parts = urlsplit(template)
    missing = [p for p in _PLACEHOLDERS if p not in template]
    if parts.scheme not in ("http", "https") or not parts.netloc or missing:
        raise ValueError(
            f"{BASEMAP_ENV} must be an http(s) WMS GetMap URL with {', '.join(_PLACEHOLDERS)}"
            + (f" (missing {', '.join(missing)})" if missing else "")
        )
    return template


def basemap_host() -> str | None:
    """``scheme://host[:port]`` of the configured basemap (for the CSP), or ``None``."""
    template = basemap_template()
    if template is None:
        return None
    parts = urlsplit(template)
    return f"{parts.scheme}://{parts.netloc}"


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    x = math.radians(lon) * _EARTH_RADIUS
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) * _EARTH_RADIUS
    return x, y


def _bounds(features: Sequence[Mapping[str, Any]]) -> tuple[float, float, float, float]:
    import shapely

    shapes = [shapely.geometry.shape(f["geometry"]) for f in features if f.get("geometry")]
    left, bottom, right, top = shapely.GeometryCollection(shapes).bounds
    pad_x, pad_y = (right - left) * 0.08 or 0.001, (top - bottom) * 0.08 or 0.001
    return left - pad_x, bottom - pad_y, right + pad_x, top + pad_y


def basemap_image(
    features: Sequence[Mapping[str, Any]], projected: bool, pixels: int = 1600
) -> dict[str, Any] | None:
    """The basemap image row for the map: ``url`` and the corners ``x0, y0, x1, y1`` in the
    features' coordinates; ``None`` without a configured basemap or features."""
    template = basemap_template()
    if template is None or not features:
        return None
    left, bottom, right, top = _bounds(features)
    if projected:
        crs, box = "EPSG:25832", (left, bottom, right, top)
    else:
        crs, box = "EPSG:3857", (*_mercator(left, bottom), *_mercator(right, top))
    ratio = (box[3] - box[1]) / (box[2] - box[0])
    width = pixels
    height = max(1, round(pixels * ratio))
    url = template.format(
        crs=crs, bbox=",".join(f"{v:.2f}" for v in box), width=width, height=height
    )
    return {"url": url, "x0": left, "y0": bottom, "x1": right, "y1": top}
