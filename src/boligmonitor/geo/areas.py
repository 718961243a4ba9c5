"""Outlines of the statutory boligområder derived from microdata, for the overview map.

A statutory area (almenboligloven § 61 a: one or more public housing departments that are
physically connected) is known in the microdata only through its departments: addresses (with
EPSG:25832 coordinates) → dwellings → departments → ``area_id``. Area statistics carry no
geometry, so the dashboard's overview map (table ``area_geometry``, read by
``Workspace.area_geometry``) needs an outline derived from the addresses.

The outline is the **convex hull of the area's address points, buffered** by a margin (25 m by
default). Why this rather than a union of small buffers around each address:

- it is always one valid polygon that contains every address point with (at least 98 % of) the
  margin to spare, also for one address (a disc) or addresses on a line (a capsule);
- an overview map needs a recognisable, generalised footprint, not building detail; the margin
  covers the buildings around the outermost entrances;
- it reveals only the outermost addresses instead of tracing every dwelling's location, which
  matters when the outlines come from confidential register microdata;
- a union of buffers falls apart into islands wherever addresses are sparser than the buffer,
  although an area is by law physically connected.

Its price: a concave (L- or U-shaped) area is drawn over its inner corner, and neighbouring
areas' outlines may overlap there. Where true outlines exist (matrikel or BBR building polygons)
they should be loaded instead.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["DEFAULT_MARGIN_M", "area_outlines"]

#: Metres added around the convex hull of an area's addresses.
DEFAULT_MARGIN_M = 25.0
_QUAD_SEGMENTS = 8  # arc segments per quarter circle: points stay ≥ 98 % of the margin inside
_WKT_DECIMALS = 1  # decimetres, far finer than the margin


def area_points(microdata: Any) -> pd.DataFrame:
    """The distinct address points of every statutory area: ``area_id, x, y`` (EPSG:25832).

    Addresses join dwellings (one per address) and their departments; addresses whose dwelling
    belongs to no department, or to a department outside any area, are left out.
    """
    addresses = microdata.addresses.select("address_id", "x", "y")
    dwellings = microdata.dwellings.select("address_id", "department_id")
    departments = microdata.departments.select("department_id", "area_id")
    joined = addresses.join(dwellings, "address_id").join(departments, "department_id")
    located = joined.filter(joined.area_id.notnull() & (joined.area_id.strip() != ""))
    points: pd.DataFrame = (
        located.select("area_id", "x", "y").distinct().order_by(["area_id", "x", "y"]).to_pandas()
    )
    return points


def area_outlines(microdata: Any, margin_m: float = DEFAULT_MARGIN_M) -> pd.DataFrame:
    """Each statutory area's outline: the buffered convex hull of its address points.

    Parameters
    ----------
    microdata
        Validated microdata (:class:`~boligmonitor.schema.microdata.Microdata`, e.g.
        ``Workspace.microdata()``): ``addresses`` (x, y in EPSG:25832), ``dwellings``,
        ``departments`` (``area_id``: the boligområde of almenboligloven § 61 a).
    margin_m
        Metres added around the hull (> 0), so the outermost buildings lie inside.

    Returns
    -------
    pandas.DataFrame
        ``area_id, geometry_wkt``: one polygon per area with addresses, in EPSG:25832, ordered
        by ``area_id`` (the table ``area_geometry`` of ``Workspace.area_geometry``).

    Raises
    ------
    ValueError
        When ``margin_m`` is not positive.

    Examples
    --------
    >>> outlines = area_outlines(ws.microdata.tables())  # doctest: +SKIP
    """
    import numpy as np
    import shapely

    if not margin_m > 0:
        raise ValueError(f"the margin must be positive, not {margin_m}")
    points = area_points(microdata)
    if points.empty:
        return pd.DataFrame({"area_id": pd.Series(dtype="string"), "geometry_wkt": []})
    codes, areas = pd.factorize(points["area_id"], sort=True)
    coordinates = points[["x", "y"]].to_numpy(dtype=np.float64)
    groups = shapely.multipoints(coordinates, indices=codes)
    hulls = shapely.convex_hull(groups)
    outlines = shapely.buffer(hulls, margin_m, quad_segs=_QUAD_SEGMENTS)
    return pd.DataFrame(
        {
            "area_id": pd.Series(areas, dtype="string"),
            "geometry_wkt": shapely.to_wkt(outlines, rounding_precision=_WKT_DECIMALS),
        }
    )
