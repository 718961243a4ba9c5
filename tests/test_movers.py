"""Mover decomposition and flows on hand-built microdata with each kind of change."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from boligmonitor.disclosure import MARK
from boligmonitor.indicators.statutory import area_statistics
from boligmonitor.movers import MoversFacet, decompose, flows
from boligmonitor.movers.disclose import disclose_decomposition, disclose_flows
from boligmonitor.movers.persons import criterion_frame, person_measures
from boligmonitor.schema.microdata import load_microdata
from boligmonitor.store import Store, Table
from tests.test_microdata_schema import write_microdata

# (person, address 2020 or None, address 2021 or None, age 2020, labour 2020, labour 2021)
# Addresses 1-2: area A; 3: area B; 4: municipality 101 outside areas; 5: municipality 102.
PEOPLE = [
    (1, 1, 1, 30, 1.0, 0.0),  # stayer finds work
    (2, 1, 2, 40, 0.0, 0.0),  # stayer, moves within the area
    (3, 2, 2, 64, 1.0, 1.0),  # stayer ages out of 18-64
    (4, 1, 3, 50, 1.0, 1.0),  # out-mover to area B
    (5, 5, 1, 24, 0.0, 0.5),  # in-mover from another municipality
    (6, 2, 2, 35, 0.0, 0.0),  # stayer
    (7, 1, None, 70, 0.0, 0.0),  # dies (outside the band)
    (8, None, 2, 0, 0.0, 0.0),  # born in 2020, resident 1 January 2021
    (9, 2, 4, 70, 0.0, 0.0),  # out-mover to the rest of the municipality
    (10, 3, 3, 40, 0.0, 0.0),  # lives in B
]


def _rows() -> list[dict[str, Any]]:
    rows = []
    for pid, before, after, age, labour_before, labour_after in PEOPLE:
        for year, address, labour, years_older in (
            (2020, before, labour_before, 0),
            (2021, after, labour_after, 1),
        ):
            if address is not None:
                origin = "nonwestern_immigrant" if pid in (4, 5) else "danish"
                rows.append(
                    {
                        "person_id": pid,
                        "year": year,
                        "address_id": address,
                        "age": max(age + years_older, 0) if pid != 8 else 0,
                        "no_attachment_fraction": labour,
                        "origin": origin,
                    }
                )
    return rows


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    addresses = [
        {"address_id": a, "municipality_code": 102 if a == 5 else 101} for a in range(1, 6)
    ]
    dwellings = [
        {"address_id": a, "department_id": d}
        for a, d in ((1, "D1"), (2, "D1"), (3, "D2"), (4, None), (5, None))
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
        for i, (d, area) in enumerate((("D1", "A"), ("D2", "B")))
    ]
    municipalities = [
        {"municipality_code": 101, "name": "København", "region_code": 1084},
        {"municipality_code": 102, "name": "Roskilde", "region_code": 1084},
    ]
    return write_microdata(
        tmp_path_factory.mktemp("movers"),
        _rows(),
        addresses,
        dwellings,
        departments,
        municipalities,
    )


@pytest.fixture(scope="module")
def persons(folder: Path) -> pd.DataFrame:
    return person_measures(load_microdata(folder), [2020, 2021])


def test_labour_change_splits_exactly_by_hand(persons: pd.DataFrame) -> None:
    # 2020: 18-64 are persons 1,2,3,4,6 with 3 years outside: 60 %. 2021: 1,2,5,6 with 0.5: 12.5 %.
    result = decompose(criterion_frame(persons, "labour"), "A", "labour", 2020, 2021)
    assert result is not None
    assert (result.value_from, result.value_to) == (Fraction(60), Fraction(25, 2))
    parts = {c.id: c.contribution for c in result.components}
    # Each: 100 * (dN - m0 * dD) / D1 with m0 = 3/5 and D1 = 4.
    assert parts["stayers"] == Fraction(-25)  # dN = -1
    assert parts["ageing_out"] == Fraction(-10)  # dN = -1, dD = -1
    assert parts["out_movers"] == Fraction(-10)  # dN = -1, dD = -1
    assert parts["in_movers"] == Fraction(-5, 2)  # dN = 1/2, dD = 1
    assert parts["exits"] == parts["entries"] == parts["ageing_in"] == 0
    assert result.change == Fraction(-95, 2)
    assert result.residual() == 0
    persons_of = {c.id: c.persons for c in result.components}
    assert persons_of == {
        "stayers": 3,
        "ageing_in": 0,
        "ageing_out": 1,
        "out_movers": 1,
        "in_movers": 1,
        "exits": 0,
        "entries": 0,
    }


@pytest.mark.parametrize("criterion", ["labour", "crime", "education", "ethnicity"])
def test_every_criterion_adds_up_exactly(persons: pd.DataFrame, criterion: str) -> None:
    for area in ("A", "B"):
        result = decompose(criterion_frame(persons, criterion), area, criterion, 2020, 2021)
        if result is not None:
            assert result.residual() == 0


def test_births_and_deaths_move_the_nonwestern_share(persons: pd.DataFrame) -> None:
    # 2020: A has 1,2,3,4,6,7,9 (one non-western: 4); 2021: 1,2,3,5,6,8 (one: 5).
    result = decompose(criterion_frame(persons, "ethnicity"), "A", "ethnicity", 2020, 2021)
    assert result is not None
    assert (result.value_from, result.value_to) == (Fraction(100, 7), Fraction(100, 6))
    parts = {c.id: c.contribution for c in result.components}
    m0, d1 = Fraction(1, 7), 6
    assert parts["exits"] == 100 * (0 - m0 * -1) / d1
    assert parts["entries"] == 100 * (0 - m0 * 1) / d1
    assert parts["out_movers"] == 100 * (-1 - m0 * -2) / d1
    assert result.residual() == 0


def test_values_match_the_indicator_engine(folder: Path, persons: pd.DataFrame) -> None:
    statistics = area_statistics(load_microdata(folder)).set_index(["area_id", "year"])
    result = decompose(criterion_frame(persons, "ethnicity"), "A", "ethnicity", 2020, 2021)
    assert result is not None
    assert float(result.value_to) == pytest.approx(statistics.loc[("A", 2021), "nonwestern_pct"])


def test_flows_name_listed_areas_and_categories(persons: pd.DataFrame) -> None:
    table = flows(criterion_frame(persons, "labour"), "A", 2020, 2021, listed={"B"})
    counts = {
        (r.direction, r.category, None if pd.isna(r.other_area_id) else r.other_area_id): r.persons
        for r in table.itertuples()
        if r.persons
    }
    assert counts == {
        ("out", "listed_area", None): 1,
        ("out", "listed_area", "B"): 1,
        ("out", "rest_of_municipality", None): 1,
        ("out", "outside", None): 1,
        ("out", "total", None): 3,
        ("in", "elsewhere", None): 1,
        ("in", "outside", None): 1,
        ("in", "total", None): 2,
    }


def test_disclosure_hides_small_cells_and_their_complements(persons: pd.DataFrame) -> None:
    result = decompose(criterion_frame(persons, "labour"), "A", "labour", 2020, 2021)
    assert result is not None
    published = disclose_decomposition(pd.DataFrame(result.rows())).set_index("component")
    assert published.loc["stayers", "contribution_pp"] == -25.0  # 3 persons
    for small in ("ageing_out", "out_movers", "in_movers"):
        assert pd.isna(published.loc[small, "contribution_pp"])
        assert "contribution_pp" in published.loc[small, MARK]
    assert published.loc["total", "contribution_pp"] == -47.5
    table = disclose_flows(flows(criterion_frame(persons, "labour"), "A", 2020, 2021, {"B"}))
    shown = table[table["persons"].notna() & (table["persons"] > 0)]
    assert set(shown["category"]) == {"total"}  # every 1-person flow is suppressed


def test_disclosure_protects_a_single_small_flow() -> None:
    rows = pd.DataFrame(
        {
            "area_id": "A",
            "year_from": 2020,
            "year_to": 2021,
            "direction": "out",
            "category": ["listed_area", "rest_of_municipality", "elsewhere", "outside", "total"],
            "other_area_id": None,
            "persons": [2, 5, 9, 4, 20],
        }
    )
    out = disclose_flows(rows).set_index("category")["persons"]
    assert pd.isna(out["listed_area"]) and pd.isna(out["outside"])  # 4 is the smallest other
    assert out["total"] == 20 and out["elsewhere"] == 9


def test_facet_stores_published_tables(folder: Path) -> None:
    store = Store.memory()
    store.register_microdata(folder)
    facet = MoversFacet(store)
    decomposition, flow_table = facet.compute(2020, 2021)
    assert store.has(Table.MOVER_DECOMPOSITION) and store.has(Table.MOVER_FLOWS)
    a = decomposition[(decomposition["area_id"] == "A") & (decomposition["criterion"] == "labour")]
    assert a.set_index("component").loc["total", "value_from"] == 60.0
    assert set(flow_table["area_id"]) == {"A", "B"}
    exact = facet.decompositions(2020, 2021, ["A"])
    assert {d.criterion for d in exact} >= {"labour", "crime", "ethnicity", "income"}
    assert all(d.residual() == 0 for d in exact)


def test_flows_cli_prints_published_tables(folder: Path, run_cli: Any) -> None:
    result = run_cli("flows", "--area", "A", "--years", "2020-2021", "--microdata", folder)
    assert result.code == 0, result.err
    assert "fraflyttere" in result.out and "blivende" in result.out


def test_flows_cli_refuses_bad_years(folder: Path, run_cli: Any) -> None:
    result = run_cli("flows", "--area", "A", "--years", "2021", "--microdata", folder)
    assert result.code == 2
