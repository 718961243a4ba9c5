"""A plan's departments linked to the statutory and municipal designations of their areas."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from boligmonitor import Workspace

PLAN = "mimerskvarter-2022"
HEADER = (
    "area_id,area_name,municipality,year,residents,labour_pct,crime_pct,crime_national_pct,"
    "education_pct,income_pct_of_region,nonwestern_pct,outside_labour_pct\n"
)
# VIBO 108 as if it had 1 200 residents: in 2019 (2018 rules) labour 45 > 40, crime
# 3.37 ≥ 3 × 0.66 and income 53.5 < 55 make it udsat and, with 69.6 % non-western, a ghetto
# area; in 2021 it meets no criterion and is off every list. AAB 58 stays below 1 000.
ROWS = (
    "VIBO 108,Bogtrykkergården,København,2019,1200,45,3.37,0.66,59.5,53.5,69.6,45\n"
    "VIBO 108,Bogtrykkergården,København,2021,1200,30,1.0,0.66,50,70,69.6,30\n"
    "AAB 58,Afd. 58,København,2021,605,20.9,2.82,0.66,46.4,63.2,50.5,20.9\n"
)


@pytest.fixture
def statistics(tmp_path: Path) -> Path:
    path = tmp_path / "areas.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    return path


def test_without_designations_or_screening_the_result_says_so() -> None:
    with Workspace.memory() as ws:
        result = ws.plans.designations_of(PLAN)
    assert result.rows == []
    assert result.notes == ["no_statutory", "no_screening"]


def test_statutory_designations_over_the_years(statistics: Path) -> None:
    with Workspace.memory() as ws:
        ws.load_area_statistics(statistics)
        ws.designate()
        result = ws.plans.designations_of(PLAN)
    assert result.notes == ["no_screening"]
    vibo = {(r.year, r.rule_set): r.designations for r in result.rows if r.department == "VIBO 108"}
    assert set(vibo[(2019, "dk-2018")]) == {"udsat_boligomraade", "ghettoomraade"}
    assert vibo[(2021, "dk-2021")] == ()
    aab = [r for r in result.rows if r.department == "AAB 58" and r.rule_set == "dk-2021"]
    assert [r.designations for r in aab] == [()]
    trend = {(t["department"], t["source"]): t for t in result.trend()}
    assert trend[("VIBO 108", "statutory")]["years_listed"] == [2019]
    assert trend[("VIBO 108", "statutory")]["moved_off"] is True
    assert trend[("AAB 58", "statutory")]["moved_off"] is False
    assert {r.department for r in result.rows} == {"VIBO 108", "AAB 58"}


def test_municipal_screening_when_present(statistics: Path) -> None:
    # Membership rows as the screening stores them: one per unit of an area and round.
    screening = pd.DataFrame(
        {
            "area_id": ["UB2017-01", "UB2017-01", "UB2021-01", "UB2021-02"],
            "round_year": [2017, 2017, 2021, 2021],
            "unit_id": ["Ydre Nørrebro", "Mimersgade", "Mimersgade", "Ydre Nørrebro"],
            "status": ["designated", "designated", "designated", "below_minimum"],
        }
    )
    with Workspace.memory() as ws:
        ws.load_area_statistics(statistics)
        ws.designate()
        ws.store.write("screening_areas", screening)
        result = ws.plans.designations_of(PLAN)
    assert result.notes == []
    municipal = {
        (r.department, r.year): (r.designations, r.if_population_met)
        for r in result.rows
        if r.source == "municipal"
    }
    # VIBO 127, VIBO 147, 3B 24 and AAB 58 lie in Ydre Nørrebro; 108 and 142 just outside.
    assert sorted({d for d, _ in municipal}) == ["3B 24", "AAB 58", "VIBO 127", "VIBO 147"]
    assert municipal[("AAB 58", 2017)] == (("udsat_byomraade",), ())
    assert municipal[("AAB 58", 2021)] == ((), ("udsat_byomraade",))
    trend = {(t["department"], t["source"]): t for t in result.trend()}
    assert trend[("AAB 58", "municipal")]["years_listed"] == [2017]
    assert trend[("AAB 58", "municipal")]["moved_off"] is True


def test_screening_table_of_another_shape_is_not_linked() -> None:
    with Workspace.memory() as ws:
        ws.store.write("screening_areas", pd.DataFrame({"cell": ["x"], "score": [1.0]}))
        result = ws.plans.designations_of(PLAN)
    assert result.notes == ["no_statutory", "screening_unlinked"]
    assert result.rows == []


def test_cli_designations(statistics: Path, run_cli: Callable[..., Any], tmp_path: Path) -> None:
    out = tmp_path / "designations.csv"
    result = run_cli("plan", "designations", PLAN, "--statistics", statistics, "--out", out)
    assert result.code == 0
    # Danish labels from the rule sets, never raw ids; undecided designations are shown too
    # (2019: four years on the list cannot be checked from one year of statistics).
    assert "udsat boligområde, ghettoområde; ukendt: hårdt ghettoområde" in result.out
    assert "kombineret udlejning" in result.out
    assert "udsat_boligomraade" not in result.out and "ghettoomraade" not in result.out
    assert "ingen kommunal screening" in result.err
    frame = pd.read_csv(out)
    assert set(frame["department"]) == {"VIBO 108", "AAB 58"}
    vibo_2019 = frame[(frame["year"] == 2019) & (frame["rule_set"] == "dk-2018")]
    assert list(vibo_2019["designations_unknown"]) == ["haardt_ghettoomraade"]
    english = run_cli("plan", "designations", PLAN, "--statistics", statistics, "--lang", "en")
    assert "vulnerable housing area, ghetto area; unknown: hard ghetto area" in english.out
