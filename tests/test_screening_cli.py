"""The ``screen``, ``rounds`` and ``gap`` commands and the workspace tables they leave behind."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from boligmonitor.data import data_path
from boligmonitor.workspace import Workspace
from tests.test_screening_fixtures import cell, grid_stats

OLD = {(0, 0), (0, 1), (1, 0), (1, 1)}  # 4 × 400 residents
NEW = {(0, 1), (1, 1), (0, 2), (1, 2), (4, 4), (4, 5), (5, 4)}  # one area moved east, one new


@pytest.fixture
def unit_file(tmp_path: Path) -> Path:
    frames = [grid_stats(OLD, size=6, year=2017), grid_stats(NEW, size=6, year=2021)]
    path = tmp_path / "units.csv"
    pd.concat(frames).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def screened(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with both rounds screened through the Workspace API (built once)."""
    folder = tmp_path_factory.mktemp("screened")
    path = folder / "units.csv"
    frames = [grid_stats(OLD, size=6, year=2017), grid_stats(NEW, size=6, year=2021)]
    pd.concat(frames).to_csv(path, index=False)
    with Workspace.create(folder / "ws") as ws:
        ws.screening.load_unit_statistics(path)
        ws.screen(2017)
        ws.screen(2021)
    return folder / "ws"


def _copy(workspace: Path, tmp_path: Path) -> Path:
    target = tmp_path / "ws"
    shutil.copytree(workspace, target)
    return target


def test_gap_reference_json(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    out = tmp_path / "gap.json"
    result = run_cli("gap", "--reference", "kk-2021", "--out", out)
    assert result.code == 0, result.err
    assert "Andel med lav indkomst" in result.out
    assert "ikke nået" in result.out
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert [r["gap"] for r in payload["records"]] == [5.8, 6.2, 9.2, 20.8, 10.3]
    assert payload["summary"] == {
        "year": 2021,
        "criteria_met": 0,
        "criteria_total": 5,
        "vision_met": False,
    }


def test_gap_unknown_reference_exits_2(run_cli: Callable[..., Any]) -> None:
    result = run_cli("gap", "--reference", "kk-1999")
    assert result.code == 2
    assert "ukendt reference" in result.err


def test_screen_stores_areas_for_the_other_engineers(screened: Path) -> None:
    with Workspace.open(screened, read_only=True) as ws:
        areas = ws.store.read("screening_areas")
        summary = ws.store.read("screening_area_summary")
        assert {"area_id", "round_year", "unit_id", "status"} <= set(areas.columns)
        old = areas[areas["round_year"] == 2017]
        assert set(old["unit_id"]) == {cell(n, e) for n, e in OLD}
        assert set(old["area_id"]) == {"U2017-01"}
        new = areas[(areas["round_year"] == 2021) & (areas["status"] == "designated")]
        assert sorted(new.groupby("area_id").size()) == [3, 4]
        assert list(summary[summary["round_year"] == 2017]["residents"]) == [1600]
        assert set(ws.runs()["kind"]) >= {"load_unit_statistics", "screen"}


def test_screening_the_same_round_again_replaces_it(
    run_cli: Callable[..., Any], screened: Path, tmp_path: Path
) -> None:
    ws_dir = _copy(screened, tmp_path)
    assert run_cli("screen", "--year", "2017", "-m", "berlin-status", "-w", ws_dir).code == 0
    with Workspace.open(ws_dir) as ws:
        areas = ws.store.read("screening_areas")
        assert set(areas[areas["round_year"] == 2017]["method"]) == {"berlin-status"}
        assert set(areas[areas["round_year"] == 2021]["method"]) == {"kk-default"}


def test_rounds_and_computed_gap(
    run_cli: Callable[..., Any], screened: Path, tmp_path: Path
) -> None:
    ws_dir = _copy(screened, tmp_path)
    out = tmp_path / "rounds.json"
    result = run_cli("rounds", "2017", "2021", "-w", ws_dir, "--out", out)
    assert result.code == 0, result.err
    assert "Enheder: 5 nye, 2 udgået, 2 bevaret." in result.out
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert payload["units_dropped"] == sorted([cell(0, 0), cell(1, 0)])
    gap_out = tmp_path / "gap.csv"
    result = run_cli("gap", "-w", ws_dir, "--tracking", "updated", "--out", gap_out)
    assert result.code == 0, result.err
    gaps = pd.read_csv(gap_out)
    labour = gaps[gaps["criterion"] == "outside_labour"].set_index("year")
    # 2017: 4 deprived (25 %) of 36 units, the rest 12 %: gap 13; 2021 with 7 deprived: 13 too
    assert labour.loc[2017, "gap"] == pytest.approx(13.0)
    assert labour.loc[2021, "gap"] == pytest.approx(13.0)
    with Workspace.open(ws_dir) as ws:
        stored = ws.store.read("gap_summary")
        assert list(stored["source"].unique()) == ["workspace:updated"]


def test_screen_exports(run_cli: Callable[..., Any], screened: Path, tmp_path: Path) -> None:
    ws_dir = _copy(screened, tmp_path)
    xlsx, geojson, csv = tmp_path / "a.xlsx", tmp_path / "a.geojson", tmp_path / "a.csv"
    for out in (xlsx, geojson, csv):
        assert run_cli("screen", "--year", "2021", "-w", ws_dir, "--out", out).code == 0
    sheets = pd.read_excel(xlsx, sheet_name=None)
    assert set(sheets) == {"Områder", "Enheder"}
    assert len(sheets["Enheder"]) == 36
    collection = json.loads(geojson.read_text(encoding="utf-8"))
    assert len(collection["features"]) == 2
    lon, lat = collection["features"][0]["geometry"]["coordinates"][0][0]
    assert 12.0 < lon < 13.0 and 55.0 < lat < 56.0  # DKN cells near Copenhagen, in WGS 84
    assert list(pd.read_csv(csv)["residents"]) == [1600, 1200]
    english = tmp_path / "en.xlsx"
    result = run_cli("screen", "--year", "2021", "-w", ws_dir, "--out", english, "--lang", "en")
    assert result.code == 0 and "Wrote" in result.err
    assert list(pd.read_excel(english, sheet_name=None)) == ["Areas", "Units"]


def test_export_suppresses_values_based_on_few_persons(
    run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    frame = grid_stats(OLD, size=4, year=2021)
    frame.loc[15, ["outside_labour_num", "outside_labour_den"]] = [1.0, 2.0]
    frame.loc[15, "outside_labour"] = 50.0
    path = tmp_path / "units.csv"
    frame.to_csv(path, index=False)
    out = tmp_path / "units.xlsx"
    assert run_cli("screen", path, "--year", "2021", "--out", out).code == 0
    units = pd.read_excel(out, sheet_name="Enheder").set_index("unit_id")
    assert units.loc[cell(3, 3), "outside_labour"] == "diskretioneret"
    assert units.loc[cell(3, 2), "outside_labour"] == 12


def test_bad_unit_statistics_exit_2_and_store_nothing(
    run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    frame = grid_stats(OLD, size=3).astype({"residents": object})
    frame.loc[4, "residents"] = "mange"
    path = tmp_path / "units.csv"
    frame.to_csv(path, index=False)
    ws_dir = tmp_path / "ws"
    result = run_cli("screen", path, "--year", "2021", "-w", ws_dir)
    assert result.code == 2
    assert "række 6, kolonne 'residents'" in result.err
    assert not ws_dir.exists() or list(ws_dir.iterdir()) == []  # the new workspace stays empty


def test_screen_compare_and_methods(
    run_cli: Callable[..., Any], unit_file: Path, tmp_path: Path
) -> None:
    result = run_cli("screen", unit_file, "--year", "2017", "--compare", "berlin-status")
    assert result.code == 0, result.err
    assert "Metoder sammenlignet" in result.out
    listing = run_cli("screen-methods", "--lang", "en")
    assert "kk-default" in listing.out and "status_index" in listing.out


def test_missing_year_or_screening_exit_2(
    run_cli: Callable[..., Any], unit_file: Path, tmp_path: Path
) -> None:
    result = run_cli("screen", unit_file, "--year", "2030")
    assert result.code == 2
    assert "ingen enheder i 2030" in result.err
    empty = run_cli("gap", "-w", tmp_path / "empty")
    assert empty.code == 2
    assert "ingen screening" in empty.err
    rounds = run_cli("rounds", "2017", "2025", "-w", tmp_path / "empty")
    assert rounds.code == 2


def _custom_method(tmp_path: Path) -> Path:
    """kk-default screening single units of any size, against a reference with its own label."""
    reference = yaml.safe_load(data_path("reference", "kk-2021.yaml").read_text(encoding="utf-8"))
    reference["criteria"][0]["label_da"] = "Egen-m²"
    reference_path = tmp_path / "own-reference.yaml"
    reference_path.write_text(yaml.safe_dump(reference, allow_unicode=True), encoding="utf-8")
    method = yaml.safe_load(data_path("screening", "kk-default.yaml").read_text(encoding="utf-8"))
    method |= {"id": "kk-small", "unit_min_residents": 0, "reference": str(reference_path)}
    path = tmp_path / "kk-small.yaml"
    path.write_text(yaml.safe_dump(method, allow_unicode=True), encoding="utf-8")
    return path


def test_screen_table_is_disclosure_controlled_and_uses_the_methods_reference(
    run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    # a deprived unit of 2 residents on its own: a group below the minimum, with its own values
    frame = grid_stats(OLD | {(3, 3)}, size=4, year=2021, overrides={(3, 3): 2})
    small = frame["unit_id"] == cell(3, 3)
    frame.loc[small, ["living_area_num", "living_area"]] = [60.0, 30.0]  # 30 m² per resident
    frame.loc[small, ["outside_labour_num", "outside_labour"]] = [1.0, 50.0]  # 1 of 2
    path = tmp_path / "units.csv"
    frame.to_csv(path, index=False)
    result = run_cli("screen", path, "--year", "2021", "-m", _custom_method(tmp_path))
    assert result.code == 0, result.err
    assert "Egen-m²" in result.out  # the label of the method's reference, not kk-2021's
    assert "Gennemsnitligt boligareal" not in result.out
    row = next(line for line in result.out.splitlines() if "S2021-01" in line)
    assert "for lille" in row
    assert "30,0" not in row and "50,0" not in row  # values of 2 persons are not shown
    assert row.count("–") == 6  # the 2 residents too: the area is that one unit
    designated = next(line for line in result.out.splitlines() if "U2021-01" in line)
    assert "33,0" in designated and "25,0" in designated  # 1 600 residents: shown


def test_gap_shows_milestones_with_one_decimal_rounded_half_up_and_units(
    run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    out = tmp_path / "gap.json"
    result = run_cli("gap", "--reference", "kk-2021", "--out", out)
    assert result.code == 0, result.err
    for milestone in ("3,4 m²", "4,2 procentpoint", "11,9 procentpoint", "5,9 procentpoint"):
        assert milestone in result.out, milestone
    assert "11,85" not in result.out and "5,85" not in result.out and "3,40" not in result.out
    assert "6,8 m²" in result.out and "20,8 procentpoint" in result.out  # baseline, gap 2021
    records = json.loads(out.read_text(encoding="utf-8"))["records"]
    assert [r["milestone"] for r in records] == [3.4, 4.15, 4.15, 11.85, 5.85]  # exact in JSON


def test_gap_with_missing_criteria_leaves_the_vision_undecided(
    run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    later = grid_stats(OLD, size=6, year=2021)
    for criterion in ("living_area", "low_income", "nonwestern"):
        later[[f"{criterion}_num", f"{criterion}_den", criterion]] = float("nan")
    path = tmp_path / "units.csv"
    pd.concat([grid_stats(OLD, size=6, year=2017), later]).to_csv(path, index=False)
    ws_dir, out = tmp_path / "ws", tmp_path / "gap.json"
    assert run_cli("screen", path, "--year", "2017", "-w", ws_dir).code == 0
    result = run_cli("gap", "-w", ws_dir, "--out", out)
    assert result.code == 0, result.err
    assert "Visionen i 2021: kan ikke afgøres, fordi 3 kriterier er ukendte" in result.out
    assert "milepælen nået på 0 af 5 kriterier" in result.out
    assert result.out.count("ukendt: tallet for området") == 3
    summary = json.loads(out.read_text(encoding="utf-8"))["summary"]
    # 0 met and 3 unknown of 5: with the unknown ones met it would be 3 of 5
    assert summary == {"year": 2021, "criteria_met": 0, "criteria_total": 5, "vision_met": None}
