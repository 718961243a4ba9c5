"""Calibration targets: Copenhagen's Tabel 1 by year, and each boligområde's statutory path.

The city's deprived units and the rest of the city are calibrated to Tabel 1 of the seed
``003_534e4863dd0b7c41.txt`` (transcribed in ``data/reference/kk-2021.yaml``): published years
are met, 2020 is interpolated, and years outside 2017-2021 follow the 2018-2021 trend. Each
boligområde gets a path of statutory values (§ 61 a): most stay clear of the thresholds, some are
planted well over two of them, and a handful sit close to one threshold so that the lists change
from year to year.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
import yaml

from boligmonitor.data import data_path
from boligmonitor.schema.indicators import statutory_indicators

__all__ = ["CITY_CRITERIA", "PLANTED", "AreaPaths", "area_paths", "city_target"]

#: Copenhagen's five criteria in Tabel 1 order.
CITY_CRITERIA = ("living_area", "outside_labour", "low_income", "nonwestern", "no_education")
_GROUPS = {True: "udsatte_byomraader", False: "resten_af_byen"}
#: Per measured indicator of the indicator catalogue (by id): the statutory threshold the
#: planted and near-threshold areas are placed against (DESIGN § 3, 2018/2021 rules; crime as a
#: multiple of the national average), and the level every area starts from (low, high, drift
#: over the years). ``income`` is met below its threshold, the others above.
PLANTED: dict[str, tuple[float, tuple[float, float, float]]] = {
    "labour": (40.0, (12, 32, -1.5)),
    "crime": (3.0, (0.5, 2.0, 0.0)),
    "education": (60.0, (15, 40, -2.0)),
    "income": (55.0, (62, 95, 0.0)),
    "ethnicity": (50.0, (5, 35, 2.0)),
}
_THRESHOLDS = {criterion: threshold for criterion, (threshold, _) in PLANTED.items()}


@cache
def _tabel_1() -> dict[tuple[bool, str], tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]]:
    document = yaml.safe_load(data_path("reference", "kk-2021.yaml").read_text(encoding="utf-8"))
    rows = document["tabel_1"]["rows"]
    series = {}
    for deprived, group in _GROUPS.items():
        mine = sorted((r for r in rows if r["group"] == group), key=lambda r: r["year"])
        years = np.array([r["year"] for r in mine], dtype=np.float64)
        for criterion in CITY_CRITERIA:
            series[(deprived, criterion)] = (years, np.array([r[criterion] for r in mine]))
    return series


def city_target(deprived: bool, criterion: str, year: int) -> float:
    """The Tabel 1 value a group is calibrated to in ``year``.

    Examples
    --------
    >>> city_target(True, "nonwestern", 2021)
    31.7
    >>> round(city_target(False, "outside_labour", 2020), 2)
    12.85
    """
    years, values = _tabel_1()[(deprived, criterion)]
    if years[0] <= year <= years[-1]:
        return float(np.interp(year, years, values))
    slope = (values[-1] - values[-3]) / (years[-1] - years[-3])
    anchor = (years[0], values[0]) if year < years[0] else (years[-1], values[-1])
    return float(max(0.0, anchor[1] + slope * (year - anchor[0])))


@dataclass(frozen=True)
class AreaPaths:
    """Statutory values planted per area (rows) and year (columns), by indicator id.

    ``labour``, ``education`` and ``ethnicity`` are percentages; ``crime`` is a multiple of the
    national average; ``income`` is a percentage of the regional mean.
    """

    years: tuple[int, ...]
    values: dict[str, npt.NDArray[np.float64]]
    designated: npt.NDArray[np.bool_]
    near: dict[int, str]  # area index -> criterion it hovers around

    def value(self, criterion: str) -> npt.NDArray[np.float64]:
        """The (areas × years) array of one criterion (a measured indicator's id)."""
        return self.values[criterion]


def planted() -> dict[str, tuple[float, tuple[float, float, float]]]:
    """:data:`PLANTED`, checked against the indicator catalogue's measured indicators (its
    order is the generator's own: the order of the random draws).

    Raises
    ------
    LookupError
        When the catalogue's measured indicators and :data:`PLANTED` differ.
    """
    ids = [i.id for i in statutory_indicators().measured()]
    if set(ids) != set(PLANTED):
        raise LookupError(f"planted {sorted(PLANTED)} but the catalogue measures {ids}")
    return PLANTED


def area_paths(
    n_areas: int,
    years: tuple[int, ...],
    in_deprived: npt.NDArray[np.bool_],
    rng: np.random.Generator,
) -> AreaPaths:
    """Draw the statutory paths of ``n_areas`` areas over ``years``.

    About 12 % of areas (more when in deprived units) are planted over two udsat criteria; five
    to eight % hover ±2.5 points around one threshold, switching side from year to year.
    """
    shape = (n_areas, len(years))
    trend = np.linspace(-1, 1, len(years))[None, :]

    def level(low: float, high: float, drift: float) -> npt.NDArray[np.float64]:
        base = rng.uniform(low, high, size=(n_areas, 1))
        return base + drift * trend + rng.normal(0, 0.5, size=shape)

    paths = {criterion: level(*start) for criterion, (_, start) in planted().items()}
    paths["crime"] = np.clip(paths["crime"], 0.2, None)
    designated = rng.random(n_areas) < np.where(in_deprived, 0.22, 0.04)
    for index in np.flatnonzero(designated):
        chosen = rng.choice(["labour", "crime", "education", "income"], size=2, replace=False)
        for criterion in chosen:
            offset = rng.uniform(4, 10) if criterion != "crime" else rng.uniform(0.4, 1.5)
            sign = -1.0 if criterion == "income" else 1.0
            paths[criterion][index] = _THRESHOLDS[criterion] + sign * offset
        paths["ethnicity"][index] = rng.uniform(30, 65)
    near = _near_threshold(paths, designated, shape, rng)
    return AreaPaths(years=years, values=paths, designated=designated, near=near)


def _near_threshold(
    paths: dict[str, npt.NDArray[np.float64]],
    designated: npt.NDArray[np.bool_],
    shape: tuple[int, int],
    rng: np.random.Generator,
) -> dict[int, str]:
    """Make a handful of areas hover around one threshold while the rest of the rule is met.

    For the four udsat criteria one other criterion is met (so udsat boligområde hangs on the
    hovering one); for ethnicity two are met (so parallelsamfund hangs on it).
    """
    candidates = np.flatnonzero(~designated)
    count = min(len(candidates), max(5, shape[0] // 10))
    near: dict[int, str] = {}
    criteria = list(planted())
    udsat = criteria[:4]
    for i, index in enumerate(rng.choice(candidates, size=count, replace=False)):
        criterion = criteria[i % len(criteria)]
        averaged = criterion in statutory_indicators().averaged()
        period = 2 if averaged else 1  # 2-year averages: slower
        side = np.where(np.arange(shape[1]) // period % 2 == 0, 1.0, -1.0) * rng.choice([-1, 1])
        scale = 0.4 if criterion == "crime" else 2.5
        paths[criterion][index] = _THRESHOLDS[criterion] + side * scale
        partners = udsat[:2] if criterion == "ethnicity" else [udsat[(i + 1) % 4]]
        for partner in partners:
            sign = -1.0 if partner == "income" else 1.0
            offset = 1.5 if partner == "crime" else 8.0
            paths[partner][index] = _THRESHOLDS[partner] + sign * offset
        near[int(index)] = criterion
    return near
