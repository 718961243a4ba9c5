"""The simulation's faces: the CLI (stored results, output files), the dashboard page and the
report section."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from boligmonitor.cli import app
from boligmonitor.schema.microdata import load_microdata
from boligmonitor.simulation import load_policy, run_policy
from boligmonitor.simulation.estimate import observe
from boligmonitor.simulation.report import simulation_section
from boligmonitor.web.app import create_app
from boligmonitor.workspace import Workspace


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from boligmonitor.synth import generate

    folder = tmp_path_factory.mktemp("city")
    generate(folder, "city", years=range(2019, 2023), seed=5, persons=4000, progress=False)
    return folder


def test_cli_simulates_compares_stores_and_writes(city: Path, tmp_path: Path) -> None:
    out, folder = tmp_path / "result.json", tmp_path / "ws"
    result = CliRunner().invoke(
        app,
        [
            "simulate",
            "--microdata",
            str(city),
            "--policy",
            "baseline",
            "--compare",
            "combined",
            "--years",
            "2",
            "--runs",
            "2",
            "--inference",
            "0",
            "-w",
            str(folder),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert {"baseline", "combined", "comparison"} <= set(payload)
    years = {row["year"] for row in payload["baseline"]["areas"]}
    assert years == {2022, 2023, 2024}
    comparison = payload["comparison"][0]
    assert comparison["low"] <= comparison["difference"] <= comparison["high"]
    with Workspace.open(folder, read_only=True) as ws:
        client = TestClient(create_app(ws, warm=False))
        page = client.get("/simulation?a=baseline&b=combined")
        assert page.status_code == 200
        assert "simulation-trajectory" in page.text and "simulation-segregation" in page.text


def test_unknown_policy_is_an_input_error(city: Path) -> None:
    result = CliRunner().invoke(app, ["simulate", "--microdata", str(city), "--policy", "nope"])
    assert result.exit_code != 0


def test_report_section_names_both_policies_and_every_area(city: Path) -> None:
    observed = observe(load_microdata(city, validate=False))
    a = run_policy(observed, load_policy("baseline"), years=2, runs=2, inference=0)
    b = run_policy(observed, load_policy("trappemodel"), years=2, runs=2, inference=0)
    fragment = simulation_section(a, b, "da")
    assert fragment.startswith('<section class="simulation">')
    assert "Anvisning med trappemodel" in fragment and "Ingen politik" in fragment
    for name in observed.city.area_names:
        assert name in fragment
    assert "Galster" in fragment and "dissimilarity" in fragment
