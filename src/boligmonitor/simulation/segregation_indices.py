"""City-wide segregation of poor households over the screening units, via PySAL.

Indices come from the ``segregation`` package (Cortes et al. 2020, PySAL) and are not
re-implemented here: dissimilarity (Duncan & Duncan 1955), isolation (Bell 1954), Theil's
entropy index H (Theil & Finizza 1971) and Morrill's spatial dissimilarity (Morrill 1991) with
k-nearest-neighbour weights between unit centroids. Inference is the package's
``SingleValueTest`` (systematic null: households re-assigned to units at random, keeping unit
sizes and the group's share).
"""

from __future__ import annotations

import os
import warnings
from typing import Any

import numpy as np
import pandas as pd

from boligmonitor.simulation.households import FloatArray

__all__ = ["INDICES", "segregation_indices", "unit_weights"]

#: Index id -> the ``segregation.singlegroup`` class name.
INDICES = {
    "dissimilarity": "Dissim",
    "isolation": "Isolation",
    "theil_h": "Entropy",
    "spatial_dissimilarity": "SpatialDissim",
}
_NEIGHBOURS = 4


def unit_weights(xy: FloatArray) -> Any:
    """Row-standardised k-nearest-neighbour weights between unit centroids (libpysal)."""
    from libpysal.weights import KNN

    k = min(_NEIGHBOURS, max(len(xy) - 1, 1))
    return KNN.from_array(np.asarray(xy, dtype=float), k=k)


def _frame(group: FloatArray, total: FloatArray, xy: FloatArray | None) -> Any:
    data = pd.DataFrame({"group": group, "total": total})
    if xy is None:
        return data
    import geopandas as gpd

    return gpd.GeoDataFrame(data, geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=25832)


def segregation_indices(
    group: FloatArray,
    total: FloatArray,
    xy: FloatArray | None = None,
    iterations: int = 0,
    seed: int = 0,
) -> pd.DataFrame:
    """The indices of one city-year, with a p-value against the systematic null.

    Parameters
    ----------
    group, total
        Per unit: poor households and all households (units without households are dropped).
    xy
        Unit centroids; without them the spatial index is not computed.
    iterations
        Simulations under the null for the p-value (0: no inference).

    Returns
    -------
    pandas.DataFrame
        ``index``, ``value``, ``p_value``, ``null_mean``.
    """
    os.environ.setdefault("TQDM_DISABLE", "1")
    from segregation import singlegroup
    from segregation.inference import SingleValueTest

    keep = np.asarray(total) > 0
    points = np.asarray(xy)[keep] if xy is not None else None
    data = _frame(np.asarray(group)[keep], np.asarray(total)[keep], points)
    rows = []
    for name, cls in INDICES.items():
        if cls == "SpatialDissim" and points is None:
            continue
        extra = {"w": unit_weights(points)} if points is not None and cls == "SpatialDissim" else {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            index = getattr(singlegroup, cls)(data, "group", "total", **extra)
            p_value, null_mean = np.nan, np.nan
            if iterations > 0:
                np.random.seed(seed)  # the package draws from numpy's global generator
                test = SingleValueTest(
                    index, iterations_under_null=iterations, null_approach="systematic", n_jobs=1
                )
                p_value, null_mean = float(test.p_value), float(np.mean(test.est_sim))
        rows.append(
            {
                "index": name,
                "value": float(index.statistic),
                "p_value": p_value,
                "null_mean": null_mean,
            }
        )
    return pd.DataFrame(rows)
