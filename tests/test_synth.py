"""The synthetic generator: determinism, planted ground truth and calibration to Tabel 1."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import shapely
from shapely import wkt

from boligmonitor.errors import InputError
from boligmonitor.indicators.copenhagen import unit_indicators
from boligmonitor.indicators.statutory import area_statistics
from boligmonitor.rules.evaluate import evaluate
from boligmonitor.schema.microdata import load_microdata
from boligmonitor.synth import generate
from boligmonitor.synth.targets import CITY_CRITERIA

#: Stated calibration tolerance at 60 000 persons: percentage points, and m² per resident.
SHARE_TOLERANCE, AREA_TOLERANCE = 1.5, 1.0
# Tabel 1 of seed 003_534e4863dd0b7c41.txt: udsatte byområder / resten af København.
TABEL_1 = {
    (2017, True): (35.6, 22.3, 41.4, 29.9, 30.1),
    (2021, True): (36.2, 18.7, 43.9, 31.7, 20.9),
    (2017, False): (41.6, 13.9, 31.3, 8.5, 17.7),
    (2021, False): (42.0, 12.5, 34.7, 10.9, 10.6),
}


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.*"))}


def test_same_seed_same_bytes_other_seed_other_people(tmp_path: Path) -> None:
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        generate(tmp_path / name, "city", [2020, 2021], seed=seed, persons=4_000, progress=False)
    first, second, other = (_files(tmp_path / n) for n in "abc")
    assert len(first) == 9
    assert first == second
    assert first["persons/persons_2021.parquet"] != other["persons/persons_2021.parquet"]


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("city")
    generate(folder, "city", range(2017, 2022), seed=2017, persons=60_000, progress=False)
    return folder


def test_units_are_a_contiguous_tessellation(city: Path) -> None:
    units = pd.read_parquet(city / "units.parquet")
    assert list(units.columns[:3]) == ["unit_id", "name", "geometry_wkt"]
    assert len(units) == 400 and units.unit_id.is_unique
    shapes = [wkt.loads(text) for text in units.geometry_wkt]
    union = shapely.union_all(shapes)
    assert union.geom_type == "Polygon"  # one piece, no holes between units
    assert union.area == pytest.approx(400 * 500 * 500)
    addresses = pd.read_parquet(city / "addresses.parquet")
    assert set(addresses.screening_unit) <= set(units.unit_id)


def test_ground_truth_records_what_was_planted(city: Path) -> None:
    truth = json.loads((city / "ground_truth.json").read_text(encoding="utf-8"))
    assert (truth["seed"], truth["scale"]) == (2017, "city")
    deprived_2017, deprived_2021 = (set(truth["deprived_units"][y]) for y in ("2017", "2021"))
    assert deprived_2017 != deprived_2021
    assert len(deprived_2017 & deprived_2021) > 0.6 * len(deprived_2017)
    assert truth["statutory_near_threshold_areas"]


@pytest.fixture(scope="module")
def city_values(city: Path) -> pd.DataFrame:
    return unit_indicators(load_microdata(city), [2017, 2021])


@pytest.mark.parametrize(("year", "deprived"), list(TABEL_1))
def test_calibrated_to_tabel_1(
    city: Path, city_values: pd.DataFrame, year: int, deprived: bool
) -> None:
    truth = json.loads((city / "ground_truth.json").read_text(encoding="utf-8"))
    values = city_values[city_values.year == year]
    chosen = values[values.unit_id.isin(truth["deprived_units"][str(year)]) == deprived].sum()
    for criterion, published in zip(CITY_CRITERIA, TABEL_1[(year, deprived)], strict=True):
        scale = 1 if criterion == "living_area" else 100
        found = scale * chosen[f"{criterion}_num"] / chosen[f"{criterion}_den"]
        tolerance = AREA_TOLERANCE if criterion == "living_area" else SHARE_TOLERANCE
        assert found == pytest.approx(published, abs=tolerance), criterion


def test_statutory_lists_change_from_year_to_year(city: Path) -> None:
    statistics = area_statistics(load_microdata(city), [2018, 2019, 2020, 2021])
    listed = {
        year: {r.area_id for r in evaluate(statistics, year) if r.designations}
        for year in (2018, 2019, 2020, 2021)
    }
    assert all(listed.values())
    assert len({frozenset(v) for v in listed.values()}) > 1


def test_synth_command(tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    done = run_cli("synth", "--persons", "3000", "--years", "2020-2021", "--seed", "1", tmp_path)
    assert done.code == 0, done.err
    assert sorted(p.name for p in (tmp_path / "persons").iterdir()) == [
        "persons_2020.parquet",
        "persons_2021.parquet",
    ]
    bad = run_cli("synth", "--years", "twenty", tmp_path / "x")
    assert bad.code == 2 and "--years" in bad.err
    assert not (tmp_path / "x").exists()


def test_rerun_replaces_person_files_and_foreign_folders_are_refused(tmp_path: Path) -> None:
    generate(tmp_path / "w", "city", [2019, 2020], seed=1, persons=2_000, progress=False)
    generate(tmp_path / "w", "city", [2021], seed=1, persons=2_000, progress=False)
    assert [p.name for p in (tmp_path / "w" / "persons").iterdir()] == ["persons_2021.parquet"]
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(InputError, match="not empty"):
        generate(tmp_path / "mine", "city", [2021], seed=1, persons=2_000, progress=False)
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "keep"


def test_no_synthetic_area_name_is_a_real_area_on_the_lists() -> None:
    from boligmonitor.record.identity import AreaCatalogue
    from boligmonitor.synth.world import _NAME_ENDINGS, _NAME_STEMS

    catalogue = AreaCatalogue.packaged()
    names = [stem + ending for stem in _NAME_STEMS for ending in _NAME_ENDINGS]
    assert [n for n in names if catalogue.find(n)] == []
