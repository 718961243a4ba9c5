"""The kk-2021 reference dataset and the reproduction of Tabel 2 (seed 003_534e4863dd0b7c41)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from boligmonitor.data import data_path
from boligmonitor.errors import InputError
from boligmonitor.monitor import load_reference, reference_gap
from boligmonitor.monitor.gap import progress_bounds

CRITERIA = ["living_area", "outside_labour", "low_income", "nonwestern", "no_education"]
# Tabel 2 as printed: milestone (col. 2), gap 2021 (col. 3), progress (col. 4, sign by colour).
PRINTED_MILESTONE = [3.4, 4.2, 4.2, 11.9, 5.8]
PRINTED_GAP_2021 = [5.8, 6.2, 9.2, 20.8, 10.3]
PRINTED_PROGRESS = [15.08, 25.48, -10.44, 12.49, 11.74]
# Every printed figure is rounded to one decimal, so an unrounded value lies within ± 0.05.
HALF = 0.05


def test_reference_transcribes_tabel_1_and_22() -> None:
    ref = load_reference("kk-2021")
    assert [c.id for c in ref.criteria] == CRITERIA
    assert ref.criterion("living_area").worse_is == "lower"
    assert {c.worse_is for c in ref.criteria[1:]} == {"higher"}
    assert ref.criterion("low_income").label_da == "Andel med lav indkomst"
    assert ref.tabel_1.years() == [2017, 2018, 2019, 2021]
    assert ref.tabel_1.value("udsatte_byomraader", 2017, "no_education") == 30.1
    assert ref.tabel_1.value("resten_af_byen", 2021, "nonwestern") == 10.9
    assert ref.tabel_22.new_areas["nonwestern"] == 32.6


def test_tabel_1_change_row_is_2021_minus_2017() -> None:
    t1 = load_reference().tabel_1
    for change in t1.published_change:
        for criterion, printed in change.values.items():
            computed = t1.value(change.group, 2021, criterion) - t1.value(
                change.group, 2017, criterion
            )
            assert computed == pytest.approx(printed, abs=1e-9)


def test_tabel_22_difference_and_old_areas_match_tabel_1() -> None:
    ref = load_reference()
    t22 = ref.tabel_22
    for criterion in CRITERIA:
        diff = t22.new_areas[criterion] - t22.old_areas[criterion]
        assert diff == pytest.approx(t22.published_difference[criterion], abs=1e-9)
        assert t22.old_areas[criterion] == ref.tabel_1.value("udsatte_byomraader", 2021, criterion)


def test_tabel_2_gaps_and_milestones() -> None:
    report = reference_gap("kk-2021")
    assert [r.criterion for r in report.records] == CRITERIA
    assert [r.gap for r in report.records] == PRINTED_GAP_2021
    assert [r.milestone for r in report.records] == [3.4, 4.15, 4.15, 11.85, 5.85]
    # a printed milestone is half a baseline rounded to ± HALF, itself rounded to ± HALF
    for record, printed in zip(report.records, PRINTED_MILESTONE, strict=True):
        assert abs(record.milestone - printed) <= HALF / 2 + HALF + 1e-9
    assert {r.baseline_year for r in report.records} == {2017}
    assert {r.year for r in report.records} == {2021}


def test_tabel_2_progress_within_rounding_tolerance() -> None:
    report = reference_gap("kk-2021")
    for record, printed in zip(report.records, PRINTED_PROGRESS, strict=True):
        low, high = progress_bounds(record.baseline_gap, record.gap, HALF)
        assert low <= printed <= high, record.criterion
        assert low <= record.progress_pct <= high  # type: ignore[operator]
        assert high - low < 3.0  # the tolerance is at most a few percentage points
    low_income = report.records[2]
    assert low_income.progress_pct is not None and low_income.progress_pct < 0
    assert round(low_income.progress_pct, 2) == -10.84  # from the rounded figures


def test_vision_not_met_in_2021() -> None:
    report = reference_gap()
    assert not any(r.milestone_met for r in report.records)
    assert (report.summary.criteria_met, report.summary.criteria_total) == (0, 5)
    assert report.summary.vision_met is False


def test_json_shape() -> None:
    payload = reference_gap().as_json()
    first = payload["records"][0]
    for key in (
        "criterion",
        "baseline_year",
        "baseline_gap",
        "milestone",
        "year",
        "gap",
        "progress_pct",
        "worse_is",
        "milestone_met",
    ):
        assert key in first
    assert first["worse_is"] == "lower"
    assert payload["summary"] == {
        "year": 2021,
        "criteria_met": 0,
        "criteria_total": 5,
        "vision_met": False,
    }


def test_reference_gap_over_tabel_1_years() -> None:
    report = reference_gap(years=[2018, 2019, 2021])
    assert [s.year for s in report.by_year] == [2018, 2019, 2021]
    living_2019 = next(r for r in report.records if r.year == 2019 and r.criterion == "living_area")
    assert living_2019.gap == 6.6  # 41.6 − 35.0


def test_unknown_year_and_reference_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no year"):
        reference_gap(years=[2020])
    with pytest.raises(InputError, match="unknown reference"):
        load_reference("kk-1999")


def test_broken_reference_file_names_field(tmp_path: Path) -> None:
    data = yaml.safe_load(data_path("reference", "kk-2021.yaml").read_text(encoding="utf-8"))
    del data["tabel_1"]["rows"][3]["nonwestern"]
    data["criteria"][0]["worse_is"] = "sideways"
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_reference(str(broken))
    fields = {p.column for p in caught.value.problems}
    assert "criteria.0.worse_is" in fields
