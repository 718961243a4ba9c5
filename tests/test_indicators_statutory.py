"""Statutory criteria (§ 61 a) from hand-built microdata, and equality with the file route."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from boligmonitor.indicators.statutory import area_statistics
from boligmonitor.schema.area_statistics import AREA_STATISTICS
from boligmonitor.schema.microdata import load_microdata
from boligmonitor.synth import generate
from tests.test_microdata_schema import write_microdata

# Area A in 2021: ages at every boundary (15/18/29/30/59/60/64/65).
AREA_A_2021: list[dict[str, Any]] = [
    {
        "age": 15,
        "no_attachment_fraction": 1.0,
        "convicted": True,
        "education": "basic",
        "gross_income": 100_000.0,
        "origin": "nonwestern_immigrant",
    },
    {"age": 18, "no_attachment_fraction": 0.5, "convicted": True, "gross_income": 200_000.0},
    {"age": 30, "education": "basic", "gross_income": 300_000.0},
    {"age": 59, "education": "unknown", "gross_income": 400_000.0},
    {"age": 60, "education": "basic", "gross_income": 500_000.0},
    {"age": 64, "no_attachment_fraction": 1.0, "gross_income": 600_000.0},
    {"age": 65, "no_attachment_fraction": 1.0, "convicted": True, "gross_income": 700_000.0},
    {
        "age": 29,
        "education": "foreign_not_approved",
        "in_education": True,
        "gross_income": 800_000.0,
    },
    {"age": 40, "education": "foreign_not_approved", "taxpayer": False, "gross_income": 9e5},
    {"age": 45, "education": "long_tertiary"},
]
MOVER = {"person_id": 100, "age": 50, "no_attachment_fraction": 1.0}


@pytest.fixture(scope="module")
def statistics(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    persons: list[dict[str, Any]] = []
    for year in (2017, 2021):
        persons += [
            {"person_id": 1 + i, "year": year, "address_id": 1 + i % 2, **p}
            for i, p in enumerate(AREA_A_2021)
        ]
    persons += [
        {**MOVER, "year": 2020, "address_id": 1},  # area A at 1 January 2020 ...
        {**MOVER, "year": 2021, "address_id": 3},  # ... and area B at 1 January 2021
        {"person_id": 101, "year": 2020, "address_id": 2, "convicted": True},
        *({"person_id": 102, "year": y, "address_id": 3} for y in (2020, 2021)),
        *({"person_id": 103, "year": y, "address_id": 4} for y in (2020, 2021)),
        *(
            {"person_id": 104, "year": y, "address_id": 5, "gross_income": 2e5}
            for y in (2020, 2021)
        ),
        *(
            {"person_id": 105, "year": y, "address_id": 6, "gross_income": 1e5}
            for y in (2020, 2021)
        ),
    ]
    addresses = [
        {"address_id": a, "municipality_code": 101 if a <= 4 else 102} for a in range(1, 7)
    ]
    dwellings = [
        {"address_id": a, "department_id": d}
        for a, d in ((1, "D1"), (2, "D1"), (3, "D2"), (4, None), (5, None), (6, "D3"))
    ]
    departments = [
        {
            "department_id": d,
            "organisation": "AAB",
            "number": i,
            "name": d,
            "leases": 1,
            "area_id": area,
            "area_name": f"Område {area}",
        }
        for i, (d, area) in enumerate((("D1", "A"), ("D2", "B"), ("D3", "C")))
    ]
    municipalities = [
        {"municipality_code": 101, "name": "København", "region_code": 1084},
        {"municipality_code": 102, "name": "Roskilde", "region_code": 1085},
    ]
    regions = [{"region_code": 1084, "name": "H"}, {"region_code": 1085, "name": "S"}]
    folder = write_microdata(
        tmp_path_factory.mktemp("nation"),
        persons,
        addresses,
        dwellings,
        departments,
        municipalities,
        regions,
    )
    return area_statistics(load_microdata(folder)).set_index(["area_id", "year"])


def test_columns_are_canonical(statistics: pd.DataFrame) -> None:
    assert ["area_id", "year", *statistics.columns] == [
        "area_id",
        "year",
        *(c.name for c in AREA_STATISTICS if c.name not in ("area_id", "year")),
    ]
    assert statistics.loc[("A", 2021), "municipality"] == "København"
    assert statistics.loc[("A", 2021), "area_name"] == "Område A"


def test_age_bands_and_populations(statistics: pd.DataFrame) -> None:
    a = statistics.loc[("A", 2021)]
    assert a.residents == 10
    assert (a.pop_18_64, a.pop_18_plus, a.pop_30_59, a.pop_15_64_taxpayers) == (8, 9, 4, 7)
    assert a.nonwestern_pct == pytest.approx(10.0)


def test_two_year_average_and_the_mover(statistics: pd.DataFrame) -> None:
    # labour 2020: the mover (1.0) and person 101 (0) → 50 %; 2021: 1.5 of 8 → 18.75 %
    assert statistics.loc[("A", 2021), "labour_pct"] == pytest.approx((50 + 18.75) / 2)
    assert statistics.loc[("A", 2021), "outside_labour_pct"] == pytest.approx(50)
    # the mover counts in B from 2021 only: 0 % in 2020, 50 % in 2021
    assert statistics.loc[("B", 2021), "labour_pct"] == pytest.approx(25)
    assert statistics.loc[("B", 2021), "residents"] == 2
    assert statistics.loc[("A", 2020), "residents"] == 2


def test_crime_share_and_national_average(statistics: pd.DataFrame) -> None:
    # A: 2020 1 of 2 adults, 2021 2 of 9; nation: 2020 1 of 6, 2021 2 of 14
    assert statistics.loc[("A", 2021), "crime_pct"] == pytest.approx((50 + 200 / 9) / 2)
    national = (100 / 6 + 200 / 14) / 2
    assert statistics.loc[("A", 2021), "crime_national_pct"] == pytest.approx(national)
    assert statistics.loc[("C", 2021), "crime_national_pct"] == pytest.approx(national)


def test_education_rule_follows_the_regime(statistics: pd.DataFrame) -> None:
    # 30-59: basic, unknown, foreign_not_approved, long_tertiary
    assert statistics.loc[("A", 2021), "education_pct"] == pytest.approx(75)  # 2018 rules
    assert statistics.loc[("A", 2017), "education_pct"] == pytest.approx(50)  # 2013 rules


def test_income_relative_to_own_region(statistics: pd.DataFrame) -> None:
    # A: 2 500 000 / 7; region 1084: 3 700 000 / 10; region 1085: (200 000 + 100 000) / 2
    expected = 100 * (2_500_000 / 7) / 370_000
    assert statistics.loc[("A", 2021), "income_pct_of_region"] == pytest.approx(expected, abs=1e-6)
    assert statistics.loc[("C", 2021), "income_pct_of_region"] == pytest.approx(200 / 3, abs=1e-6)


@pytest.fixture(scope="module")
def small_city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synth")
    generate(folder, "city", range(2019, 2022), seed=5, persons=40_000, progress=False)
    return folder


def test_designate_microdata_equals_export_then_designate(
    small_city: Path, tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    direct = run_cli(
        "designate", "--microdata", small_city, "--year", "2021", "--out", tmp_path / "direct.json"
    )
    assert direct.code == 0, direct.err
    exported = run_cli("indicators", "--microdata", small_city, "--out", tmp_path / "stats.csv")
    assert exported.code == 0, exported.err
    via_file = run_cli(
        "designate", tmp_path / "stats.csv", "--year", "2021", "--out", tmp_path / "file.json"
    )
    assert via_file.code == 0, via_file.err
    first = json.loads((tmp_path / "direct.json").read_text(encoding="utf-8"))
    second = json.loads((tmp_path / "file.json").read_text(encoding="utf-8"))
    assert first == second
    assert any(r["designations"] for r in first)  # the planted areas are found


def test_workspace_methods(small_city: Path) -> None:
    from boligmonitor import Workspace

    with Workspace.memory() as ws:
        ws.load_microdata(small_city)
        stored = ws.area_statistics_from_microdata([2020, 2021])
        assert sorted(set(stored["year"])) == [2020, 2021]
        assert list(ws.runs()["kind"]) == ["load_area_statistics"]
        listed = [r for r in ws.designate(2021) if r.designations]
        assert listed and all(r.year == 2021 for r in listed)
        units = ws.unit_indicators(2021)
        assert units["residents"].sum() == 40_000  # every person lives in a screening unit


def test_a_year_without_persons_is_bad_input(
    small_city: Path, tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    done = run_cli("indicators", "--microdata", small_city, "--year", "2005",
                   "--out", tmp_path / "x.csv")  # fmt: skip
    assert done.code == 2
    assert "ingen personer i [2005]; mikrodataene har [2019, 2020, 2021]" in done.err
    assert not (tmp_path / "x.csv").exists()
