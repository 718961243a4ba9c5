"""The static part of a synthetic world: units, municipalities, areas, departments, dwellings.

Everything is drawn with one :class:`numpy.random.Generator`, vectorised. Screening units are a
``grid × grid`` tessellation of squares. Deprivation is planted as clusters of units: the units
of every cluster but the last are deprived in the 2017 round, those of every cluster but the
first in the 2021 round (so one cluster leaves and one joins, as in the seed's Figur 3). Each
household lives in one dwelling at one (unit) address; public housing dwellings belong to
departments grouped into statutory boligområder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from boligmonitor.synth.spec import ScaleSpec

__all__ = ["REGIONS", "World", "build_world"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: Region codes and names (Danmarks Statistik), in the order regions are laid out.
REGIONS: tuple[tuple[int, str], ...] = (
    (1084, "Region Hovedstaden"),
    (1085, "Region Sjælland"),
    (1083, "Region Syddanmark"),
    (1082, "Region Midtjylland"),
    (1081, "Region Nordjylland"),
)
_ORGANISATIONS = ("3B", "AAB", "AKB", "fsb", "KAB", "VIBO", "Lejerbo", "DFB", "SAB", "FSB")
#: Stems of synthetic area names; none with any ending is the name of a real area on the lists
#: (the published record matches areas by name, see ``tests/test_synth.py``).
_NAME_STEMS = (
    "Mejse",
    "Tinge",
    "Aldersro",
    "Lærke",
    "Folehave",
    "Kilde",
    "Rug",
    "Lunde",
    "Hørgårds",
    "Ellebo",
    "Bellahøj",
    "Voldparken",
    "Remise",
    "Sjælør",
    "Hjortholms",
    "Rønne",
    "Glente",
    "Stærekassen",
    "Urbanplan",
    "Skjold",
)
_NAME_ENDINGS = ("parken", "gården", "haven", "bjerg", "kvarteret", "vænget", "hus", "lund")
_HOUSEHOLD_SIZES = np.array([1, 2, 3, 4, 5, 6])
_HOUSEHOLD_PMF = np.array([0.45, 0.30, 0.12, 0.09, 0.03, 0.01])
#: m² per resident the dwellings are built for: ever-deprived units, other units.
LIVING_AREA_TARGET = (35.8, 41.8)


@dataclass
class World:
    """Static arrays of a synthetic world (positions index the arrays)."""

    spec: ScaleSpec
    unit_ids: list[str]
    unit_municipality: IntArray  # index into municipality_codes
    unit_deprived_ever: BoolArray
    unit_deprived: dict[int, BoolArray]  # round year (2017, 2021) -> planted units
    unit_intensity: FloatArray
    municipality_codes: IntArray
    municipality_region: IntArray  # index into REGIONS
    area_ids: list[str]
    area_names: list[str]
    area_unit: IntArray
    department_area: IntArray
    household_size: IntArray
    household_area: IntArray  # -1 outside boligområder
    dwelling_unit: IntArray
    dwelling_department: IntArray  # -1 when not public housing
    dwelling_area_m2: FloatArray
    dwelling_tenure: npt.NDArray[np.str_]
    dwelling_x: IntArray
    dwelling_y: IntArray
    household_dwelling: IntArray  # initial dwelling of each household

    def unit_of_dwelling_class(self) -> IntArray:
        """Location class of each dwelling: 1 in ever-deprived units, else 0."""
        return self.unit_deprived_ever[self.dwelling_unit].astype(np.int64)


def _municipalities(spec: ScaleSpec) -> tuple[IntArray, IntArray, IntArray]:
    """Municipality codes, their regions, and the municipality of each unit."""
    per_region = spec.municipalities_per_region
    codes = np.array([101, *range(102, 101 + sum(per_region))], dtype=np.int64)
    region_of = np.repeat(np.arange(len(per_region)), per_region).astype(np.int64)
    col = np.arange(spec.units) % spec.grid
    row = np.arange(spec.units) // spec.grid
    bounds = np.cumsum(per_region) / sum(per_region) * spec.grid
    unit_region = np.searchsorted(bounds, col, side="right")
    first = np.concatenate([[0], np.cumsum(per_region)[:-1]])
    count = np.asarray(per_region)[unit_region]
    unit_municipality = first[unit_region] + np.minimum(row * count // spec.grid, count - 1)
    return codes, region_of, unit_municipality.astype(np.int64)


def _clusters(spec: ScaleSpec, rng: np.random.Generator) -> tuple[IntArray, BoolArray]:
    """Cluster membership of each unit (-1 none) and the ever-deprived flag."""
    n_clusters = 7 if spec.scale == "city" else 60
    centres = rng.uniform(2, spec.grid - 2, size=(n_clusters, 2))
    radii = rng.uniform(1.5, 2.4, size=n_clusters)
    radii[0] = radii[-1] = 0.9  # the cluster that leaves and the one that joins are small
    col = np.arange(spec.units) % spec.grid + 0.5
    row = np.arange(spec.units) // spec.grid + 0.5
    distance = np.hypot(col[:, None] - centres[:, 0], row[:, None] - centres[:, 1]) / radii
    nearest = distance.argmin(axis=1)
    inside = distance.min(axis=1) <= 1.0
    return np.where(inside, nearest, -1).astype(np.int64), inside


def _area_names(count: int) -> list[str]:
    stems, endings = len(_NAME_STEMS), len(_NAME_ENDINGS)
    return [
        _NAME_STEMS[i % stems] + _NAME_ENDINGS[(i // stems + i) % endings] for i in range(count)
    ]


def _households(
    spec: ScaleSpec, rng: np.random.Generator, area_residents: IntArray
) -> tuple[IntArray, IntArray]:
    """Household sizes and each household's area (-1 outside areas), totalling the persons."""
    sizes = rng.choice(_HOUSEHOLD_SIZES, size=spec.persons, p=_HOUSEHOLD_PMF)
    total = np.cumsum(sizes)
    sizes = sizes[: int(np.searchsorted(total, spec.persons)) + 1]
    sizes[-1] -= int(sizes.sum() - spec.persons)
    sizes = sizes[sizes > 0]
    starts = np.cumsum(sizes) - sizes
    bounds = np.cumsum(area_residents)
    area = np.searchsorted(bounds, starts, side="right")
    return sizes.astype(np.int64), np.where(area < len(area_residents), area, -1).astype(np.int64)


def build_world(spec: ScaleSpec, rng: np.random.Generator) -> World:
    """Draw the static structure of a world.

    Parameters
    ----------
    spec
        The scale and size.
    rng
        The seeded generator; the same seed gives the same world.
    """
    codes, region_of, unit_municipality = _municipalities(spec)
    cluster, deprived_ever = _clusters(spec, rng)
    last = int(cluster.max()) if deprived_ever.any() else 0
    deprived = {2017: deprived_ever & (cluster != last), 2021: deprived_ever & (cluster != 0)}
    intensity = np.exp(rng.normal(0, 0.15, size=spec.units))
    # the clusters that leave or join host no boligområde, so both rounds compare alike
    hosts = np.flatnonzero(deprived_ever & (cluster != 0) & (cluster != last))
    area_unit, department_area, area_residents = _areas(spec, rng, hosts, deprived_ever)
    sizes, household_area = _households(spec, rng, area_residents)
    width = 2 if spec.grid < 100 else 3
    return World(
        spec=spec,
        unit_ids=[
            f"U{r:0{width}d}{c:0{width}d}" for r in range(spec.grid) for c in range(spec.grid)
        ],
        unit_municipality=unit_municipality,
        unit_deprived_ever=deprived_ever,
        unit_deprived=deprived,
        unit_intensity=intensity,
        municipality_codes=codes,
        municipality_region=region_of,
        area_ids=[f"BO{i + 1:04d}" for i in range(spec.areas)],
        area_names=_area_names(spec.areas),
        area_unit=area_unit,
        department_area=department_area,
        household_size=sizes,
        household_area=household_area,
        household_dwelling=np.arange(len(sizes), dtype=np.int64),
        **_dwellings(spec, rng, deprived_ever, area_unit, department_area, household_area, sizes),
    )


def _areas(
    spec: ScaleSpec, rng: np.random.Generator, hosts: IntArray, deprived_ever: BoolArray
) -> tuple[IntArray, IntArray, IntArray]:
    """Each boligområde's unit (60 % in deprived units), its departments and its residents."""
    other_units = np.flatnonzero(~deprived_ever)
    in_deprived = rng.random(spec.areas) < (0.6 if len(hosts) else 0.0)
    area_unit = np.where(
        in_deprived,
        rng.choice(hosts if len(hosts) else other_units, size=spec.areas),
        rng.choice(other_units, size=spec.areas),
    ).astype(np.int64)
    weights = np.exp(rng.normal(0, 0.55, size=spec.areas))
    share = weights / weights.sum()
    residents = np.floor(share * spec.persons * spec.area_share).astype(np.int64)
    extra = rng.multinomial(spec.departments - spec.areas, share)
    department_area = np.repeat(np.arange(spec.areas), 1 + extra).astype(np.int64)
    return area_unit, department_area, residents


def _dwellings(
    spec: ScaleSpec,
    rng: np.random.Generator,
    deprived_ever: BoolArray,
    area_unit: IntArray,
    department_area: IntArray,
    household_area: IntArray,
    sizes: IntArray,
) -> dict[str, Any]:
    """One dwelling per household (in its area's unit, or a unit by density) plus vacant ones."""
    density = np.exp(rng.normal(0, 0.5, size=spec.units)) * np.where(deprived_ever, 1.3, 1.0)
    unit = rng.choice(spec.units, size=len(sizes), p=density / density.sum())
    unit = np.where(household_area >= 0, area_unit[np.maximum(household_area, 0)], unit)
    n_vacant = max(1, len(sizes) // 30)
    dwelling_unit = np.concatenate([unit, rng.choice(spec.units, size=n_vacant)]).astype(np.int64)
    occupants = np.concatenate([sizes, np.zeros(n_vacant, dtype=np.int64)])
    department = _departments_of(rng, household_area, department_area, n_vacant)
    tenure = _tenures(rng, department)
    area_m2 = _living_areas(rng, occupants, deprived_ever[dwelling_unit])
    col, row = dwelling_unit % spec.grid, dwelling_unit // spec.grid
    x = spec.origin[0] + col * spec.cell_m + rng.integers(1, spec.cell_m - 1, len(col))
    y = spec.origin[1] + row * spec.cell_m + rng.integers(1, spec.cell_m - 1, len(row))
    return {
        "dwelling_unit": dwelling_unit,
        "dwelling_department": department,
        "dwelling_area_m2": area_m2,
        "dwelling_tenure": tenure,
        "dwelling_x": x.astype(np.int64),
        "dwelling_y": y.astype(np.int64),
    }


def _departments_of(
    rng: np.random.Generator, household_area: IntArray, department_area: IntArray, n_vacant: int
) -> IntArray:
    """A department of its area for each area household; -1 elsewhere and for vacant ones."""
    first = np.searchsorted(department_area, np.arange(department_area.max() + 1))
    count = np.bincount(department_area)
    area = np.maximum(household_area, 0)
    pick = first[area] + (rng.random(len(area)) * count[area]).astype(np.int64)
    chosen = np.where(household_area >= 0, pick, -1)
    return np.concatenate([chosen, np.full(n_vacant, -1)]).astype(np.int64)


def _tenures(rng: np.random.Generator, department: IntArray) -> npt.NDArray[np.str_]:
    public = rng.choice(
        ["almen_family", "almen_elderly", "almen_youth"], size=len(department), p=[0.88, 0.07, 0.05]
    )
    other = rng.choice(
        ["private_rental", "andel", "owner_occupied", "public"],
        size=len(department),
        p=[0.34, 0.31, 0.33, 0.02],
    )
    return np.where(department >= 0, public, other)


def _living_areas(rng: np.random.Generator, occupants: IntArray, deprived: BoolArray) -> FloatArray:
    """Living area per dwelling, scaled so each class meets its m² per resident exactly.

    A few dwellings fall under the Bilag 1 exclusions on purpose (< 10 m², > 1 000 m²).
    """
    per_person = np.where(deprived, LIVING_AREA_TARGET[0], LIVING_AREA_TARGET[1])
    base = np.maximum(occupants, 1) * per_person * np.exp(rng.normal(0, 0.25, len(occupants)))
    base *= np.where(occupants > 0, 1.0 + 0.15 / np.maximum(occupants, 1), 1.0)
    for flag, target in ((True, LIVING_AREA_TARGET[0]), (False, LIVING_AREA_TARGET[1])):
        mask = (deprived == flag) & (occupants > 0)
        if mask.any():
            base[mask] *= target * occupants[mask].sum() / base[mask].sum()
    area = np.round(np.clip(base, 12, 900))
    special = rng.choice(np.flatnonzero(occupants == 1), size=min(4, int((occupants == 1).sum())))
    area[special[:2]] = 8.0
    area[special[2:]] = 1200.0
    result: FloatArray = area.astype(np.float64)
    return result
