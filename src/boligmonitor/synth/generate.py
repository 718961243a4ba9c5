"""Writing a synthetic city or nation as microdata Parquet files, with the planted ground truth.

Output folder (the layout :func:`boligmonitor.schema.microdata.load_microdata` reads)::

    regions.parquet  municipalities.parquet  addresses.parquet  dwellings.parquet
    departments.parquet  units.parquet  persons/persons_<year>.parquet  ground_truth.json

The same seed, scale, size and years give byte-identical files.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from boligmonitor.errors import InputError
from boligmonitor.i18n import translate
from boligmonitor.io.export import atomic_path
from boligmonitor.progress import Steps
from boligmonitor.synth.population import Population
from boligmonitor.synth.spec import Scale, ScaleSpec, scale_spec
from boligmonitor.synth.targets import AreaPaths, area_paths
from boligmonitor.synth.world import _ORGANISATIONS, REGIONS, World, build_world

__all__ = ["generate"]


def _write(table: pa.Table, path: Path) -> None:
    with atomic_path(path) as temporary:
        pq.write_table(table, temporary, compression="zstd")


def _static_tables(world: World, rng: np.random.Generator) -> dict[str, pa.Table]:
    region_codes = [code for code, _ in REGIONS]
    municipality_names = ["København"] + [f"Kommune {c}" for c in world.municipality_codes[1:]]
    address_ids = np.arange(1, len(world.dwelling_unit) + 1, dtype=np.int64)
    dkn = [
        f"100m_{y // 100}_{x // 100}"
        for x, y in zip(world.dwelling_x, world.dwelling_y, strict=True)
    ]
    unit_of = np.asarray(world.unit_ids)[world.dwelling_unit]
    departments = _departments(world, rng)
    department_ids = departments.column("department_id").to_pylist()
    dwelling_department = [department_ids[d] if d >= 0 else None for d in world.dwelling_department]
    return {
        "regions": pa.table({"region_code": region_codes, "name": [n for _, n in REGIONS]}),
        "municipalities": pa.table(
            {
                "municipality_code": world.municipality_codes,
                "name": municipality_names,
                "region_code": np.asarray(region_codes)[world.municipality_region],
            }
        ),
        "units": _units(world),
        "addresses": pa.table(
            {
                "address_id": address_ids,
                "x": world.dwelling_x.astype(np.float64),
                "y": world.dwelling_y.astype(np.float64),
                "dkn_100m": dkn,
                "screening_unit": unit_of,
                "municipality_code": world.municipality_codes[
                    world.unit_municipality[world.dwelling_unit]
                ],
            }
        ),
        "dwellings": pa.table(
            {
                "dwelling_id": address_ids,
                "address_id": address_ids,
                "living_area_m2": world.dwelling_area_m2,
                "tenure": world.dwelling_tenure,
                "department_id": pa.array(dwelling_department, pa.string()),
            }
        ),
        "departments": departments,
    }


def _units(world: World) -> pa.Table:
    spec = world.spec
    index = np.arange(spec.units)
    x0 = spec.origin[0] + index % spec.grid * spec.cell_m
    y0 = spec.origin[1] + index // spec.grid * spec.cell_m
    size = spec.cell_m
    wkt = [
        f"POLYGON (({x} {y}, {x + size} {y}, {x + size} {y + size}, {x} {y + size}, {x} {y}))"
        for x, y in zip(x0.tolist(), y0.tolist(), strict=True)
    ]
    names = [f"Enhed {i // spec.grid + 1}.{i % spec.grid + 1}" for i in index.tolist()]
    return pa.table(
        {
            "unit_id": world.unit_ids,
            "name": names,
            "geometry_wkt": wkt,
            "municipality_code": world.municipality_codes[world.unit_municipality],
        }
    )


def _departments(world: World, rng: np.random.Generator) -> pa.Table:
    count = len(world.department_area)
    organisation = rng.choice(len(_ORGANISATIONS), size=count)
    number = np.zeros(count, dtype=np.int64)
    for org in range(len(_ORGANISATIONS)):
        mine = organisation == org
        number[mine] = np.arange(1, int(mine.sum()) + 1) * 3 + org
    orgs = np.asarray(_ORGANISATIONS)[organisation]
    ids = [f"{o}-{n:04d}" for o, n in zip(orgs.tolist(), number.tolist(), strict=True)]
    leases = np.bincount(world.dwelling_department[world.dwelling_department >= 0], minlength=count)
    area_ids = np.asarray(world.area_ids)[world.department_area]
    area_names = np.asarray(world.area_names)[world.department_area]
    names = [f"{a} afd. {n}" for a, n in zip(area_names.tolist(), number.tolist(), strict=True)]
    return pa.table(
        {
            "department_id": ids,
            "organisation": orgs,
            "number": number,
            "name": names,
            "leases": leases.astype(np.int64),
            "area_id": area_ids,
            "area_name": area_names,
        }
    )


def _ground_truth(
    world: World, paths: AreaPaths, seed: int, years: Sequence[int]
) -> dict[str, Any]:
    units = np.asarray(world.unit_ids)
    return {
        "seed": seed,
        "scale": world.spec.scale,
        "persons": world.spec.persons,
        "years": list(years),
        "deprived_units": {
            str(year): units[flags].tolist() for year, flags in world.unit_deprived.items()
        },
        "deprived_units_ever": units[world.unit_deprived_ever].tolist(),
        "statutory_planted_areas": np.asarray(world.area_ids)[paths.designated].tolist(),
        "statutory_near_threshold_areas": [world.area_ids[i] for i in sorted(paths.near)],
        "statutory_near_threshold_criteria": {
            world.area_ids[i]: criterion for i, criterion in sorted(paths.near.items())
        },
        "calibration": "Tabel 1, seed 003_534e4863dd0b7c41.txt (data/reference/kk-2021.yaml)",
    }


def _clear_earlier_output(folder: Path) -> None:
    """Refuse a folder with other content; drop the person files of an earlier run."""
    if not folder.exists() or not any(folder.iterdir()):
        return
    if not (folder / "ground_truth.json").is_file():
        raise InputError.single(folder, "folder is not empty and holds no synthetic data")
    for stale in (folder / "persons").glob("persons_*.parquet"):
        stale.unlink()


def generate(
    out_dir: str | Path,
    scale: Scale = "city",
    years: Sequence[int] = tuple(range(2015, 2026)),
    seed: int = 2017,
    persons: int | None = None,
    progress: bool = True,
) -> dict[str, Any]:
    """Generate a synthetic city or nation and write it as microdata.

    Parameters
    ----------
    out_dir
        Folder to write (created).
    scale
        ``city`` (Copenhagen-like, ~650 000 residents) or ``nation`` (~6 million).
    years
        Consecutive years; each gives a ``persons/persons_<year>.parquet``.
    seed
        Random seed; the same seed gives byte-identical files.
    persons
        Residents instead of the preset's (small worlds for tests).
    progress
        Show a rich progress bar.

    Returns
    -------
    dict
        The ground truth, also written to ``ground_truth.json``.

    Examples
    --------
    >>> truth = generate("synth-city", persons=20_000, years=[2017, 2021])  # doctest: +SKIP
    """
    chosen = _consecutive_years(years)
    spec = _world_spec(scale, persons)
    rng = np.random.default_rng(seed)
    folder = Path(out_dir)
    _clear_earlier_output(folder)
    with Steps(len(chosen) + 2, progress, translate("Synthetic {scale}", scale=scale)) as steps:
        steps.advance(translate("world"))
        world = build_world(spec, rng)
        in_deprived = world.unit_deprived_ever[world.area_unit]
        paths = area_paths(spec.areas, tuple(chosen), in_deprived, rng)
        population = Population(world, paths, rng)
        steps.advance(translate("tables"))
        for name, table in _static_tables(world, rng).items():
            _write(table, folder / f"{name}.parquet")
        _write_person_years(population, chosen, folder, steps)
    truth = _ground_truth(world, paths, seed, chosen)
    with atomic_path(folder / "ground_truth.json") as temporary:
        temporary.write_text(json.dumps(truth, ensure_ascii=False, indent=2), encoding="utf-8")
    return truth


def _consecutive_years(years: Sequence[int]) -> list[int]:
    """``years`` as a list, or an :class:`InputError` unless they are consecutive."""
    chosen = list(years)
    if not chosen or chosen != list(range(chosen[0], chosen[0] + len(chosen))):
        raise InputError.single("--years", "years must be consecutive, e.g. 2015-2025")
    return chosen


def _world_spec(scale: Scale, persons: int | None) -> ScaleSpec:
    """The preset of ``scale`` (with ``persons`` residents), at least 1 000 persons."""
    spec = scale_spec(scale, persons)
    if spec.persons < 1_000:
        raise InputError.single("--persons", "a synthetic world needs at least 1 000 persons")
    return spec


def _write_person_years(
    population: Population, years: Sequence[int], folder: Path, steps: Steps
) -> None:
    """Advance the population year by year and write each year's persons file."""
    for i, year in enumerate(years):
        steps.advance(translate("persons {year}", year=year))
        if i:
            population.advance()
        person_year = population.person_year(year)
        _write(pa.table(person_year.columns), folder / "persons" / f"persons_{year}.parquet")
