"""The shape of a synthetic world: how many persons, units, areas and departments, and where.

Two presets: ``city`` (a Copenhagen-like municipality of about 650 000 residents on a 20 × 20
grid of 500 m screening units, about 150 public housing departments in about 40 boligområder)
and ``nation`` (about 6 million persons in 5 regions and 98 municipalities, about 2 000
departments). ``persons`` scales a preset down (tests use a few thousand persons); the number of
areas and departments shrinks with it so that areas keep realistic sizes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

__all__ = ["SCALES", "Scale", "ScaleSpec", "scale_spec"]

Scale = Literal["city", "nation"]
SCALES: tuple[Scale, ...] = ("city", "nation")


@dataclass(frozen=True)
class ScaleSpec:
    """Parameters of a synthetic world.

    Attributes
    ----------
    scale
        ``city`` or ``nation``.
    persons
        Residents at 1 January of the first year.
    grid
        Screening units per side (the units form a ``grid × grid`` tessellation).
    cell_m
        Side of a screening unit in metres (EPSG:25832).
    origin
        Lower-left corner (easting, northing) of the grid.
    municipalities_per_region
        Municipalities in each region; the first municipality is København (101).
    areas, departments
        Statutory boligområder and public housing departments.
    area_share
        Share of residents living in boligområder.
    """

    scale: Scale
    persons: int
    grid: int
    cell_m: int
    origin: tuple[int, int]
    municipalities_per_region: tuple[int, ...]
    areas: int
    departments: int
    area_share: float

    @property
    def units(self) -> int:
        """Number of screening units."""
        return self.grid * self.grid


_PRESETS: dict[Scale, ScaleSpec] = {
    "city": ScaleSpec(
        scale="city",
        persons=650_000,
        grid=20,
        cell_m=500,
        origin=(715_000, 6_170_000),
        municipalities_per_region=(1,),
        areas=40,
        departments=150,
        area_share=0.16,
    ),
    "nation": ScaleSpec(
        scale="nation",
        persons=6_000_000,
        grid=100,
        cell_m=2_000,
        origin=(450_000, 6_050_000),
        municipalities_per_region=(29, 17, 22, 19, 11),
        areas=520,
        departments=2_000,
        area_share=0.12,
    ),
}


def scale_spec(scale: Scale, persons: int | None = None) -> ScaleSpec:
    """The preset for ``scale``, optionally scaled to ``persons`` residents.

    Areas and departments shrink in proportion (at least 6 areas and one department per area),
    so that a small test world still has areas of about the preset's size.

    Examples
    --------
    >>> scale_spec("city", persons=20_000).areas
    6
    """
    spec = _PRESETS[scale]
    if persons is None or persons == spec.persons:
        return spec
    factor = persons / spec.persons
    areas = max(6, round(spec.areas * factor))
    departments = max(areas, round(spec.departments * factor))
    return replace(spec, persons=persons, areas=areas, departments=departments)
