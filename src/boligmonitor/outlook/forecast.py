"""Next year's criterion values as distributions: damped trend plus sampling and process noise.

For an area, an indicator ``x`` (a share in percent, or income in percent of the region) is
forecast one list year ahead as

.. math::

    x_{Y} \\sim \\mathcal N\\big(x_{Y-1} + φ (x_{Y-1} - x_{Y-2}),\\; a\\, b + τ^2\\big),
    \\qquad b = 10^4\\, p (1 - p) / N,

where ``b`` is the binomial variance of a share of ``p = x/100`` in the criterion's population
``N`` (small areas move more; for income ``b = (0.6 x)^2 / N``, a coefficient of variation of 0.6
for gross incomes), ``φ`` damps the last change (Gardner & McKenzie 1985, "Forecasting trends in
time series", *Management Science* 31(10)) and ``a, τ²`` scale the sampling part and add
process noise. ``φ, a, τ²`` are fitted per indicator on backcasts inside the data available at
forecast time (the last two years predicted from the two before each): ``φ`` from a grid by least
squares, then ``a, τ²`` by regressing squared errors on ``b`` (Davidian & Carroll 1987, variance
function estimation, *JASA* 82(400)), with ``a ≥ 1`` (at least one year of fresh sampling noise).
Without enough backcasts the defaults are ``φ = 0, a = 2, τ = 10 %`` of the indicator's spread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from boligmonitor.schema.indicators import statutory_indicators

__all__ = [
    "INDICATOR_POPULATIONS",
    "NoiseModel",
    "binomial_variance",
    "fit_noise",
    "forecast_frame",
    "point_forecast",
    "population",
    "relative_to_region",
]

#: Indicator -> (population column, share of residents used when that column is empty), from
#: the indicator catalogue.
INDICATOR_POPULATIONS: dict[str, tuple[str, float]] = {
    entry.column: (entry.population, entry.population_share)
    for entry in statutory_indicators().indicators
    if entry.population is not None and entry.population_share is not None
}
_INCOME_CV = 0.6
_GRID = (0.0, 0.25, 0.5, 0.75, 1.0)
_MIN_BACKCASTS = 12


@dataclass(frozen=True)
class NoiseModel:
    """The fitted forecast of one indicator: damping, sampling scale and process variance."""

    indicator: str
    damping: float
    sampling_scale: float
    process_variance: float
    backcasts: int


def population(frame: pd.DataFrame, indicator: str) -> pd.Series:
    """The criterion's population per row: its column, else residents × the documented share."""
    column, share = INDICATOR_POPULATIONS[indicator]
    residents = pd.to_numeric(frame["residents"], errors="coerce").astype("float64")
    estimate: pd.Series = residents * share
    if column in frame:
        given: pd.Series = pd.to_numeric(frame[column], errors="coerce").astype("float64")
        return given.fillna(estimate)
    return estimate


def relative_to_region(indicator: str) -> bool:
    """Whether an indicator column is a percentage of the region's level (the catalogue's unit
    ``pct_of_region``: income), not a share of persons bounded by 100."""
    entry = statutory_indicators().by_column().get(indicator)
    return entry is not None and entry.unit == "pct_of_region"


def binomial_variance(value: pd.Series, persons: pd.Series, indicator: str) -> pd.Series:
    """Sampling variance (points²) of a yearly value resting on ``persons`` persons."""
    size = persons.clip(lower=1.0).fillna(1.0)
    if relative_to_region(indicator):
        return (_INCOME_CV * value) ** 2 / size
    p = (value / 100.0).clip(0.01, 0.99)
    return 1e4 * p * (1 - p) / size


def _lagged(statistics: pd.DataFrame, indicator: str, target: int) -> pd.DataFrame:
    """Per area: the value at ``target`` (if any), the two years before, and the population."""
    values = statistics.assign(_v=pd.to_numeric(statistics[indicator], errors="coerce"))
    wide = values.pivot_table(index="area_id", columns="year", values="_v", dropna=False)
    last = statistics[statistics["year"] == target - 1].set_index("area_id")
    out = pd.DataFrame(index=last.index)
    out["x1"] = wide.get(target - 1)
    out["x2"] = wide.get(target - 2)
    out["actual"] = wide.get(target)
    out["persons"] = population(last, indicator)
    out = out.astype("float64")
    return out[out["x1"].notna()]


def point_forecast(lagged: pd.DataFrame, damping: float) -> pd.Series:
    """``x1 + φ (x1 − x2)``, with no trend where ``x2`` is unknown."""
    trend = (lagged["x1"] - lagged["x2"]).fillna(0.0)
    return lagged["x1"] + damping * trend


def fit_noise(statistics: pd.DataFrame, indicator: str, year: int) -> NoiseModel:
    """Fit the forecast of ``indicator`` on backcasts of years before ``year``.

    Parameters
    ----------
    statistics
        Area statistics (``area_id``, ``year``, the indicator and population columns) of years
        before ``year`` only.
    indicator, year
        What to forecast and the list year forecast.
    """
    parts = [_lagged(statistics, indicator, t) for t in (year - 1, year - 2)]
    pairs = pd.concat(parts)
    pairs = pairs[pairs["actual"].notna()]
    spread = float(statistics[indicator].std()) if statistics[indicator].notna().sum() > 1 else 1.0
    if len(pairs) < _MIN_BACKCASTS:
        return NoiseModel(indicator, 0.0, 2.0, (0.1 * spread) ** 2, len(pairs))
    errors = {phi: pairs["actual"] - point_forecast(pairs, phi) for phi in _GRID}
    damping = min(_GRID, key=lambda phi: float((errors[phi] ** 2).mean()))
    squared = (errors[damping] ** 2).to_numpy()
    sampling = binomial_variance(pairs["x1"], pairs["persons"], indicator).to_numpy()
    scale, process = _variance_fit(sampling, squared)
    return NoiseModel(indicator, damping, scale, process, len(pairs))


def _variance_fit(sampling: np.ndarray, squared: np.ndarray) -> tuple[float, float]:
    """Least squares ``e² ≈ a b + τ²`` with ``a ≥ 1`` and ``τ² ≥ 0``."""
    design = np.column_stack([sampling, np.ones_like(sampling)])
    (scale, process), *_ = np.linalg.lstsq(design, squared, rcond=None)
    if scale < 1.0:
        scale = 1.0
        process = float(np.mean(squared - sampling))
    if process < 0:
        process = 0.0
        scale = max(1.0, float(sampling @ squared / max(sampling @ sampling, 1e-12)))
    return float(scale), float(process)


def forecast_frame(
    statistics: pd.DataFrame, indicators: Sequence[str], year: int
) -> tuple[pd.DataFrame, dict[str, NoiseModel]]:
    """Mean and standard deviation of every indicator of every area for list year ``year``.

    Returns
    -------
    tuple
        A frame indexed by ``area_id`` with ``<indicator>`` (mean) and ``<indicator>_sd``, and
        the fitted models.
    """
    history = statistics[statistics["year"] < year]
    out = pd.DataFrame(index=history.loc[history["year"] == year - 1, "area_id"].unique())
    models = {}
    for indicator in indicators:
        if indicator not in history or history[indicator].notna().sum() == 0:
            out[indicator], out[f"{indicator}_sd"] = np.nan, np.nan
            continue
        model = fit_noise(history, indicator, year)
        lagged = _lagged(history, indicator, year)
        variance = model.sampling_scale * binomial_variance(
            lagged["x1"], lagged["persons"], indicator
        )
        out[indicator] = point_forecast(lagged, model.damping)
        out[f"{indicator}_sd"] = np.sqrt(variance + model.process_variance)
        models[indicator] = model
    return out, models
