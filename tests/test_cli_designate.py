"""The designate, explain, runs and demo commands end to end."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import boligmonitor
from boligmonitor.data import example_path
from boligmonitor.i18n import fmt_number
from boligmonitor.workspace import Workspace, file_sha256
from tests.conftest import CliResult

RECORD_KEYS = {
    "area_id",
    "area_name",
    "year",
    "rule_set",
    "residents",
    "designations",
    "below_population_minimum",
    "designations_if_population_met",
    "criteria",
}
CRITERION_KEYS = {"value", "threshold", "comparison", "met", "margin", "flip_persons"}


def test_designate_json_has_the_documented_shape(
    tmp_path: Path, run_cli: Callable[..., CliResult], mimerskvarter_csv: Path
) -> None:
    out = tmp_path / "result.json"
    result = run_cli(
        "designate", mimerskvarter_csv, "--year", "2020", "--rules", "dk-2018", "--out", out
    )
    assert result.code == 0, result.err
    assert "VIBO 108" in result.out and "ghettoområde" in result.out.lower()
    records = json.loads(out.read_text(encoding="utf-8"))
    assert len(records) == 6
    assert all(set(r) >= RECORD_KEYS for r in records)
    vibo = next(r for r in records if r["area_id"] == "VIBO 108")
    assert set(vibo["criteria"]) == {"labour", "crime", "education", "income", "ethnicity"}
    assert all(set(c) >= CRITERION_KEYS for c in vibo["criteria"].values())
    assert (
        vibo["criteria"]["education"]["met"],
        vibo["criteria"]["education"]["flip_persons"],
    ) == (False, 1)
    assert vibo["designations_if_population_met"] == ["udsat_boligomraade", "ghettoomraade"]


def test_default_rules_add_kombineret_udlejning(
    tmp_path: Path, run_cli: Callable[..., CliResult], mimerskvarter_csv: Path
) -> None:
    out = tmp_path / "result.json"
    result = run_cli("designate", mimerskvarter_csv, "--out", out)
    assert result.code == 0
    assert "bruger labour_pct i stedet" in result.err  # the § 51 b fallback is announced
    rule_sets = {r["rule_set"] for r in json.loads(out.read_text(encoding="utf-8"))}
    assert rule_sets == {"dk-2018", "dk-51b"}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_tabular_outputs(
    tmp_path: Path, run_cli: Callable[..., CliResult], mimerskvarter_csv: Path, suffix: str
) -> None:
    out = tmp_path / f"result{suffix}"
    assert run_cli("designate", mimerskvarter_csv, "--rules", "dk-2018", "--out", out).code == 0
    frame = {".csv": pd.read_csv, ".xlsx": pd.read_excel, ".parquet": pd.read_parquet}[suffix](out)
    row = frame[frame["area_id"] == "VIBO 108"].iloc[0]
    assert row["designations_if_population_met"] == "udsat_boligomraade;ghettoomraade"
    assert row["ethnicity_value"] == pytest.approx(69.6)
    assert row["education_flip_persons"] == 1


def test_unsupported_output_type(
    tmp_path: Path, run_cli: Callable[..., CliResult], mimerskvarter_csv: Path
) -> None:
    folder = tmp_path / "ws"
    result = run_cli("designate", mimerskvarter_csv, "--out", tmp_path / "x.docx", "-w", folder)
    assert result.code == 2 and "uddatatypen '.docx' understøttes ikke" in result.err
    assert not (tmp_path / "x.docx").exists()
    assert not folder.exists()  # refused before anything was loaded or stored


def test_explain_in_danish_and_english(
    run_cli: Callable[..., CliResult], mimerskvarter_csv: Path
) -> None:
    danish = run_cli(
        "explain", "VIBO 108", mimerskvarter_csv, "--year", "2020", "--rules", "dk-2018"
    )
    assert danish.code == 0
    assert "Under mindstekravet på 1.000 beboere" in danish.out
    assert "udsat boligområde, ghettoområde" in danish.out
    assert "59,5 % (grænse: over 60,0 %) — ikke opfyldt, mangler 0,5 procentpoint" in danish.out
    assert "3,37 % (grænse: mindst 2,03 %) — opfyldt med 1,34 procentpoint" in danish.out
    assert "1 person (af ca. 148" in danish.out
    english = run_cli(
        "explain",
        "VIBO 108",
        mimerskvarter_csv,
        "--year",
        "2020",
        "--rules",
        "dk-2018",
        "--lang",
        "en",
    )
    assert "Below the minimum of 1,000 residents" in english.out
    assert "59.5 % (threshold: above 60.0 %) — not met, 0.5 pp short" in english.out
    unknown = run_cli("explain", "VIBO 999", mimerskvarter_csv, "--year", "2020")
    assert unknown.code == 2 and "ingen statistik for området 'VIBO 999' i 2020" in unknown.err


def test_workspace_records_runs_for_reproduction(
    tmp_path: Path, run_cli: Callable[..., CliResult], mimerskvarter_csv: Path
) -> None:
    folder = tmp_path / "ws"
    assert (
        run_cli("designate", mimerskvarter_csv, "--workspace", folder, "--rules", "dk-2018").code
        == 0
    )
    with Workspace.open(folder) as ws:
        runs = ws.runs()
        assert runs["kind"].tolist() == ["load_area_statistics", "designate"]
        inputs = json.loads(runs.iloc[0]["inputs"])
        assert inputs == [
            {"path": str(mimerskvarter_csv), "sha256": file_sha256(mimerskvarter_csv)}
        ]
        assert json.loads(runs.iloc[1]["rule_sets"]) == [{"id": "dk-2018", "version": "2018.1"}]
        assert json.loads(runs.iloc[1]["inputs"]) == [
            {"path": mimerskvarter_csv.name, "sha256": file_sha256(mimerskvarter_csv)}
        ]
        stored = ws.designations.stored_designations(2020)
        assert {r["area_id"] for r in stored} == {
            "VIBO 108",
            "VIBO 127",
            "VIBO 142",
            "VIBO 147",
            "3B 24",
            "AAB 58",
        }
    listing = run_cli("runs", folder)
    assert listing.code == 0 and "designate" in listing.out
    assert run_cli("runs", tmp_path / "nowhere").code == 2


def test_designating_again_replaces_results_for_the_same_keys(
    tmp_path: Path, mimerskvarter_csv: Path
) -> None:
    with Workspace.create(tmp_path / "ws") as ws:
        ws.load_area_statistics(mimerskvarter_csv)
        ws.designate(rules=["dk-2018"])
        ws.designate(rules=["dk-2018"])
        assert len(ws.designations.stored_designations()) == 6


def test_packaged_example_areas_exercise_every_designation(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    out = tmp_path / "examples.json"
    result = run_cli("designate", example_path("omraader_2014_2022.csv"), "--out", out)
    assert result.code == 0, result.err
    records = json.loads(out.read_text(encoding="utf-8"))
    by_key = {(r["area_id"], r["year"], r["rule_set"]): r for r in records}
    assert by_key[("EX-01", 2018, "dk-2018")]["designations"] == [
        "udsat_boligomraade",
        "ghettoomraade",
        "haardt_ghettoomraade",
    ]
    assert "omdannelsesomraade" in by_key[("EX-01", 2021, "dk-2021")]["designations"]
    assert "omdannelsesomraade" not in by_key[("EX-03", 2021, "dk-2021")]["designations"]
    assert "parallelsamfund" in by_key[("EX-03", 2021, "dk-2021")]["designations"]
    assert by_key[("EX-05", 2021, "dk-51b")]["designations"] == ["kombineret_udlejning"]
    assert by_key[("EX-06", 2021, "dk-51b")]["designations"] == ["kombineret_udlejning"]
    assert by_key[("EX-04", 2021, "dk-2021")]["below_population_minimum"] is True


def test_demo_builds_a_synthetic_city_workspace(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    folder = tmp_path / "demo"
    result = run_cli("demo", folder, "--persons", "20000", "--no-serve")
    assert result.code == 0, result.err
    records = json.loads((folder / "udpegninger.json").read_text(encoding="utf-8"))
    with Workspace.open(folder, read_only=True) as ws:
        stored = {
            (r["area_id"], r["year"], r["rule_set"]): r
            for r in ws.designations.stored_designations()
        }
        assert {(r["area_id"], r["year"], r["rule_set"]) for r in records} == set(stored)
        assert {"area_statistics", "designations", "screening_areas", "gap_records"} <= set(
            ws.store.tables()
        )
        assert sorted(ws.store.read("screening_areas")["round_year"].unique()) == [
            2017,
            2021,
            2025,
        ]
        gaps = ws.store.read("gap_records")
    synthetic = {r["year"] for r in records if r["area_id"].startswith("BO")}
    assert synthetic == set(range(2015, 2026))
    real = {r["year"] for r in records if r["area_id"] == "mjoelnerparken-koebenhavn"}
    assert real and real <= set(range(2010, 2025))  # the published record's values
    report = (folder / "statusrapport_2021.html").read_text(encoding="utf-8")
    for gap in gaps[gaps["year"] == 2021]["gap"]:  # the workspace's own 2021 gaps, in Danish
        assert fmt_number(gap, 1) in report
    explanation = (folder / "forklaring_vibo_108.txt").read_text(encoding="utf-8")
    assert "Under mindstekravet på 1.000 beboere" in explanation


def test_public_api_is_pinned() -> None:
    assert sorted(boligmonitor.__all__) == [
        "AreaDesignation",
        "BoligmonitorError",
        "InputError",
        "Problem",
        "RuleSet",
        "Workspace",
        "evaluate",
    ]


def test_usage_errors_exit_2(run_cli: Callable[..., CliResult]) -> None:
    assert run_cli("designate", "--year", "abc").code == 2
    assert run_cli("no-such-command").code == 2


@pytest.mark.parametrize(
    "command", [("plan", "finance", "mimerskvarter-2022"), ("gap", "--reference", "kk-2021")]
)
def test_unknown_output_types_are_refused_before_any_work(
    tmp_path: Path, run_cli: Callable[..., CliResult], command: tuple[str, ...]
) -> None:
    folder = tmp_path / "ws"
    result = run_cli(*command, "--out", tmp_path / "x.docx", "--workspace", folder)
    assert result.code == 2 and "uddatatypen '.docx' understøttes ikke" in result.err
    assert not folder.exists() and not (tmp_path / "x.docx").exists()
