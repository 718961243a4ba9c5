"""Copenhagen's five criteria on hand-built microdata with answers worked out by hand (Bilag 1)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from boligmonitor.indicators.copenhagen import UNIT_INDICATOR_COLUMNS, unit_indicators
from boligmonitor.schema.microdata import load_microdata
from tests.test_microdata_schema import write_microdata

# Unit U1: dwellings at the living-area boundaries (m², residents) → kept or not.
U1_DWELLINGS = [
    (1, 9.0, 1),  # < 10 m²: left out
    (2, 10.0, 1),  # kept
    (3, 1000.0, 2),  # kept
    (4, 1001.0, 1),  # > 1 000 m²: left out
    (5, 160.0, 16),  # > 15 residents: left out
    (6, 150.0, 15),  # kept
    (9, 80.0, 0),  # not inhabited: left out
]
# Unit U2: persons at the age boundaries, addresses 7 (7 persons) and 8 (6 persons).
U2_PERSONS: list[dict[str, Any]] = [
    {"age": 15, "permanently_outside_labour_force": True, "education": "basic"},
    {"age": 16, "permanently_outside_labour_force": True, "education": "basic"},
    {"age": 66, "permanently_outside_labour_force": True, "education": "basic"},
    {"age": 67, "permanently_outside_labour_force": True, "education": "basic"},
    {"age": 64, "education": "basic"},
    {"age": 65, "education": "basic"},
    {"age": 20, "education": "basic", "in_education": True},
    {"age": 30, "education": "unknown", "address_id": 8},
    {
        "age": 30,
        "education": "foreign_not_approved",
        "origin": "nonwestern_immigrant",
        "address_id": 8,
    },
    {"age": 17, "origin": "nonwestern_descendant", "disposable_income": 0.0, "address_id": 8},
    {"age": 40, "origin": "western_immigrant", "disposable_income": 225_000.0, "address_id": 8},
    {"age": 18, "disposable_income": 225_001.0, "address_id": 8},
    {"age": 18, "disposable_income": 100_000.0, "address_id": 8},
]


def _write_city(folder: Path, suffix: str) -> Path:
    persons: list[dict[str, Any]] = []
    for address, _, residents in U1_DWELLINGS:
        persons.extend({"year": 2021, "address_id": address} for _ in range(residents))
    persons.extend({"year": 2021, "address_id": 7, **p} for p in U2_PERSONS)
    addresses = [
        {"address_id": a, "screening_unit": "U1", "x": 724_999.0, "y": 6_175_999.0}
        for a, _, _ in U1_DWELLINGS
    ]
    addresses += [
        {"address_id": a, "screening_unit": "U2", "x": 725_000.0, "y": 6_176_000.0} for a in (7, 8)
    ]
    dwellings = [{"address_id": a, "living_area_m2": m2} for a, m2, _ in U1_DWELLINGS]
    dwellings += [
        {"address_id": 7, "living_area_m2": 100.0},
        {"address_id": 8, "living_area_m2": 100.0},
    ]
    return write_microdata(folder, persons, addresses, dwellings, suffix=suffix)


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write_city(tmp_path_factory.mktemp("city"), ".parquet")


@pytest.fixture(scope="module")
def values(city: Path) -> pd.DataFrame:
    return unit_indicators(load_microdata(city), 2021).set_index("unit_id")


def test_columns_are_the_contract(values: pd.DataFrame) -> None:
    assert ["unit_id", *values.columns] == list(UNIT_INDICATOR_COLUMNS)
    assert list(values.index) == ["U1", "U2"]
    assert values.loc["U1", "residents"] == 36
    assert values.loc["U2", "residents"] == 13


def test_living_area_exclusions(values: pd.DataFrame) -> None:
    u1 = values.loc["U1"]
    assert (u1.living_area_num, u1.living_area_den) == (1160.0, 18)
    assert u1.living_area == pytest.approx(1160 / 18)
    assert values.loc["U2", "living_area"] == pytest.approx(200 / 13)


def test_outside_labour_ages_16_to_66(values: pd.DataFrame) -> None:
    u2 = values.loc["U2"]
    assert (u2.outside_labour_num, u2.outside_labour_den) == (2, 11)
    assert u2.outside_labour == pytest.approx(100 * 2 / 11)


def test_no_education_16_to_64_unknown_counts_foreign_does_not(values: pd.DataFrame) -> None:
    u2 = values.loc["U2"]
    assert (u2.no_education_num, u2.no_education_den) == (3, 9)


def test_low_income_median_rule(values: pd.DataFrame) -> None:
    # city median of persons 18+ is 300 000; 225 000 is exactly 25 % below (low), 225 001 not
    u2 = values.loc["U2"]
    assert (u2.low_income_num, u2.low_income_den) == (2, 10)
    assert values.loc["U1", "low_income_num"] == 0


def test_nonwestern_counts_immigrants_and_descendants(values: pd.DataFrame) -> None:
    u2 = values.loc["U2"]
    assert (u2.nonwestern_num, u2.nonwestern_den) == (2, 13)


def test_dkn_cells(city: Path) -> None:
    microdata = load_microdata(city)
    cells = unit_indicators(microdata, 2021, unit="dkn250").set_index("unit_id")
    assert cells.loc["250m_24703_2899", "residents"] == 36
    assert cells.loc["250m_24704_2900", "residents"] == 13
    cells = unit_indicators(microdata, 2021, unit="dkn100")
    assert sorted(cells.unit_id) == ["100m_61759_7249", "100m_61760_7250"]


def test_registry_is_explicit_and_referenced() -> None:
    from boligmonitor.indicators import REGISTRY, indicator

    assert list(REGISTRY) == [
        "dk_labour", "dk_crime", "dk_education", "dk_education_2013", "dk_income",
        "dk_ethnicity", "kk_living_area", "kk_outside_labour", "kk_low_income",
        "kk_nonwestern", "kk_no_education",
    ]  # fmt: skip
    assert all(i.reference and i.measure.__doc__ for i in REGISTRY.values())
    assert indicator("dk_crime").reference == "Almenboligloven § 61 a, stk. 1, nr. 2"


def test_indicators_command_suppresses_and_protects(
    city: Path, tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    out = tmp_path / "units.csv"
    done = run_cli("indicators", "--microdata", city, "--kind", "city", "--year", "2021",
                   "--min-persons", "12", "--out", out)  # fmt: skip
    assert done.code == 0, done.err
    table = pd.read_csv(out, dtype=str).set_index("unit_id")
    # U2 has 11 persons aged 16-66: suppressed; U1 then hides it from the city total
    assert table.loc["U2", "outside_labour"] == "diskretioneret"
    assert table.loc["U1", "outside_labour"] == "diskretioneret"
    assert table.loc["I alt", "outside_labour_den"] == "47"
    assert table.loc["U2", "residents"] == "13"  # 13 persons: published


def test_indicators_command_bad_folder(tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    done = run_cli("indicators", "--microdata", tmp_path / "none", "--out", tmp_path / "x.csv")
    assert done.code == 2
    assert "mikrodatamappen findes ikke" in done.err
    assert not (tmp_path / "x.csv").exists()


def test_csv_microdata_gives_the_same_values(values: pd.DataFrame, tmp_path: Path) -> None:
    from_csv = unit_indicators(load_microdata(_write_city(tmp_path, ".csv")), 2021)
    pd.testing.assert_frame_equal(from_csv.set_index("unit_id"), values, check_dtype=False)
