"""Screening the synthetic city: the default method finds the units the generator planted.

A small city (100 000 residents on the preset's 20 × 20 grid of 500 m units, the generator's
default seed) for 2021; the ground truth is ``ground_truth.json``'s 2021 round.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from boligmonitor.indicators.copenhagen import unit_indicators
from boligmonitor.monitor import compute_gap
from boligmonitor.schema.microdata import load_microdata
from boligmonitor.screening.compare import precision_recall
from boligmonitor.screening.method import load_method
from boligmonitor.screening.screen import screen_units
from boligmonitor.screening.units import unit_statistics_from_frame
from boligmonitor.synth import generate


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("synth-city")
    truth = generate(folder, persons=100_000, years=[2021], progress=False)
    stats = unit_statistics_from_frame(unit_indicators(load_microdata(folder)), "synthetic city")
    units = pd.read_parquet(Path(folder) / "units.parquet")
    return {"truth": truth, "stats": stats, "units": units}


def test_default_method_finds_the_planted_units(city: dict[str, Any]) -> None:
    result = screen_units(city["stats"], 2021, load_method("kk-default"), city["units"])
    planted = set(city["truth"]["deprived_units"]["2021"])
    precision, recall = precision_recall(result.designated_units(), planted)
    assert precision >= 0.9
    assert recall >= 0.9
    designated = result.designated_areas()
    assert (designated["residents"] >= 1000).all()
    assert not result.areas.empty


def test_gap_of_the_screened_areas_is_positive(city: dict[str, Any]) -> None:
    result = screen_units(city["stats"], 2021, load_method("kk-default"), city["units"])
    report = compute_gap(
        city["stats"], {2021: result.designated_units()}, baseline_year=2021, years=[2021]
    )
    gaps = {r.criterion: r.gap for r in report.records}
    assert set(gaps) == {
        "living_area",
        "outside_labour",
        "low_income",
        "nonwestern",
        "no_education",
    }
    # the designated areas are behind the rest of the city on every criterion, as in Tabel 1
    assert all(gap > 0 for gap in gaps.values())
    assert all(r.progress_pct == 0.0 for r in report.records)  # the baseline year itself


def test_truth_files_are_as_documented(city: dict[str, Any]) -> None:
    assert {"unit_id", "name", "geometry_wkt"} <= set(city["units"].columns)
    assert json.loads(json.dumps(city["truth"]))["deprived_units"]["2021"]
