"""The gap from unit statistics: fixed versus updated areas, a milestone crossing, the vision
test at exactly half of the criteria."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from boligmonitor.data import data_path
from boligmonitor.errors import InputError
from boligmonitor.monitor import compute_gap, reference_gap, vision_met
from boligmonitor.monitor.gap import vision_test
from tests.test_screening_fixtures import DEPRIVED, ORDINARY, unit_row


def _units(
    values: dict[tuple[str, int], dict[str, float]], residents: dict[str, int]
) -> pd.DataFrame:
    return pd.DataFrame(
        [unit_row(unit, year, residents[unit], v) for (unit, year), v in values.items()]
    )


def _crossing_units() -> pd.DataFrame:
    values = {}
    for year, labour in ((2017, 30.0), (2019, 25.0), (2021, 19.0)):
        values[("A", year)] = {**DEPRIVED, "outside_labour": labour}
        values[("R", year)] = {**ORDINARY, "outside_labour": 10.0}
    return _units(values, {"A": 1000, "R": 1000})


def test_gap_crossing_the_milestone_flips_milestone_met() -> None:
    report = compute_gap(_crossing_units(), {2017: {"A"}}, baseline_year=2017)
    labour = {r.year: r for r in report.records if r.criterion == "outside_labour"}
    assert [labour[y].gap for y in (2017, 2019, 2021)] == [20.0, 15.0, 9.0]
    assert {r.milestone for r in labour.values()} == {10.0}
    assert [labour[y].milestone_met for y in (2017, 2019, 2021)] == [False, False, True]
    assert labour[2021].progress_pct == pytest.approx(55.0)
    living = next(r for r in report.records if r.year == 2021 and r.criterion == "living_area")
    assert (living.gap, living.worse_is, living.milestone_met) == (9.0, "lower", False)
    assert [(s.year, s.criteria_met) for s in report.by_year] == [(2017, 0), (2019, 0), (2021, 1)]


def _two_round_units() -> pd.DataFrame:
    labour = {("A", 2017): 30.0, ("B", 2017): 20.0, ("R", 2017): 10.0}
    labour |= {("A", 2021): 19.0, ("B", 2021): 25.0, ("R", 2021): 10.0}
    values = {key: {**ORDINARY, "outside_labour": v} for key, v in labour.items()}
    return _units(values, {"A": 1000, "B": 1000, "R": 2000})


def test_fixed_areas_against_areas_updated_each_round() -> None:
    units, rounds = _two_round_units(), {2017: {"A"}, 2021: {"A", "B"}}
    fixed = compute_gap(units, rounds, baseline_year=2017, tracking="fixed")
    updated = compute_gap(units, rounds, baseline_year=2017, tracking="updated")

    def labour(report: Any, year: int) -> Any:
        return next(r for r in report.records if r.criterion == "outside_labour" and r.year == year)

    # 2017: A (30 %) against B and R: 400 of 3 000 = 13.33 %
    assert labour(fixed, 2017).baseline_gap == pytest.approx(30 - 40 / 3)
    # fixed: A (19 %) against B and R (450 of 3 000 = 15 %) in 2021
    assert labour(fixed, 2021).gap == pytest.approx(4.0)
    assert labour(fixed, 2021).milestone_met
    # updated: A and B (440 of 2 000 = 22 %) against R (10 %) in 2021
    assert labour(updated, 2021).gap == pytest.approx(12.0)
    assert not labour(updated, 2021).milestone_met
    assert updated.parameters["tracking"] == "updated"


def test_published_baseline_gaps() -> None:
    report = compute_gap(
        _crossing_units(),
        {2017: {"A"}},
        baseline_year=2017,
        baseline_gaps={"outside_labour": 18.0},
        years=[2021],
    )
    judged = [r for r in report.records if r.baseline_gap is not None]
    assert [r.criterion for r in judged] == ["outside_labour"]
    assert judged[0].milestone == 9.0
    assert judged[0].milestone_met  # 9.0 ≤ 9.0: at the milestone counts
    # the four criteria without a published baseline stay in the vision test, as unknown
    others = [r for r in report.records if r.baseline_gap is None]
    assert len(others) == 4 and {r.note for r in others} == {"no_baseline"}
    assert {(r.milestone, r.milestone_met) for r in others} == {(None, None)}
    summary = report.summary
    assert (summary.criteria_met, summary.criteria_total, summary.vision_met) == (1, 5, None)


def test_no_round_before_the_year_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no designation round"):
        compute_gap(_crossing_units(), {2019: {"A"}}, baseline_year=2017, tracking="updated")


def test_vision_met_at_exactly_half() -> None:
    assert vision_met(2, 4)
    assert not vision_met(1, 4)
    assert not vision_met(2, 5)
    assert vision_met(3, 5)


def _reference_variant(tmp_path: Path, drop_last_criterion: bool) -> str:
    data = yaml.safe_load(data_path("reference", "kk-2021.yaml").read_text(encoding="utf-8"))
    for row in data["tabel_1"]["rows"]:
        if row["group"] == "udsatte_byomraader" and row["year"] == 2021:
            row["living_area"] = 40.0  # gap 2.0 ≤ milestone 3.4
            row["outside_labour"] = 16.0  # gap 3.5 ≤ milestone 4.15
    if drop_last_criterion:
        data["criteria"] = data["criteria"][:4]
        data["tabel_2"]["rows"] = data["tabel_2"]["rows"][:4]
        rows = [*data["tabel_1"]["rows"], *data["tabel_1"]["published_change"]]
        tables = [data["tabel_22"][k] for k in ("old_areas", "new_areas", "published_difference")]
        for values in [*rows, *tables]:
            values.pop("no_education")
    path = tmp_path / f"variant-{drop_last_criterion}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


def test_vision_test_through_the_reference_gap(tmp_path: Path) -> None:
    four = reference_gap(_reference_variant(tmp_path, drop_last_criterion=True))
    assert (four.summary.criteria_met, four.summary.criteria_total) == (2, 4)
    assert four.summary.vision_met
    five = reference_gap(_reference_variant(tmp_path, drop_last_criterion=False))
    assert (five.summary.criteria_met, five.summary.criteria_total) == (2, 5)
    assert not five.summary.vision_met


def test_a_group_of_too_few_persons_is_not_published() -> None:
    values = {("A", 2021): DEPRIVED, ("R", 2021): ORDINARY}
    units = _units(values, {"A": 2, "R": 1000})  # the designated group has 2 residents
    with pytest.raises(InputError, match="no year has values"):
        compute_gap(units, {2021: {"A"}}, baseline_year=2021)
    report = compute_gap(units, {2021: {"A"}}, baseline_year=2021, min_persons=2)
    assert len(report.records) == 5


def _blanked(units: pd.DataFrame, year: int, criteria: list[str]) -> pd.DataFrame:
    """The units with some criteria missing (no numerator, no denominator) in one year."""
    out = units.copy()
    for criterion in criteria:
        out.loc[out["year"] == year, [f"{criterion}_num", f"{criterion}_den"]] = float("nan")
    return out


def test_missing_criteria_stay_in_the_vision_test_as_unknown() -> None:
    # 2021: outside_labour is at its milestone (9 ≤ 10), no_education is not (12 > 6); three
    # criteria have no data. Counting only the two known ones would claim "met on 1 of 2".
    units = _blanked(_crossing_units(), 2021, ["living_area", "low_income", "nonwestern"])
    report = compute_gap(units, {2017: {"A"}}, baseline_year=2017)
    of_2021 = {r.criterion: r for r in report.records if r.year == 2021}
    assert len(of_2021) == 5
    assert [of_2021[c].milestone_met for c in ("outside_labour", "no_education")] == [True, False]
    blank = [of_2021[c] for c in ("living_area", "low_income", "nonwestern")]
    assert {(r.gap, r.progress_pct, r.milestone_met, r.note) for r in blank} == {
        (None, None, None, "no_data")
    }
    assert blank[0].milestone == 4.5  # the baseline is known, only the 2021 value is missing
    assert report.unknown(2021) == blank
    summary = report.summary
    assert (summary.criteria_met, summary.criteria_total, summary.vision_met) == (1, 5, None)
    assert report.as_json()["summary"] == {
        "year": 2021,
        "criteria_met": 1,
        "criteria_total": 5,
        "vision_met": None,
    }


def test_a_suppressed_criterion_is_unknown_and_the_vision_can_still_fail() -> None:
    units = _crossing_units()
    row = (units["unit_id"] == "A") & (units["year"] == 2021)
    units.loc[row, ["no_education_num", "no_education_den"]] = [0.44, 2.0]  # 2 persons only
    report = compute_gap(units, {2017: {"A"}}, baseline_year=2017)
    education = next(r for r in report.records if r.year == 2021 and r.criterion == "no_education")
    assert (education.designated, education.gap, education.note) == (None, None, "no_data")
    # met on 1, unknown on 1 of 5: even with the unknown one met, 2 of 5 is below half
    summary = report.summary
    assert (summary.criteria_met, summary.criteria_total, summary.vision_met) == (1, 5, False)


def test_vision_test_decides_only_what_the_known_criteria_decide() -> None:
    assert vision_test(3, 2, 5) is True
    assert vision_test(2, 1, 5) is None  # 2 or 3 of 5
    assert vision_test(1, 1, 5) is False  # at most 2 of 5
    assert vision_test(2, 0, 4) is True  # exactly half counts
    assert vision_test(1, 1, 4) is None
    assert vision_test(0, 1, 4) is False


@pytest.mark.parametrize("baseline_labour", [10.0, 8.0])  # gap 0, and the areas ahead by 2
def test_no_gap_at_baseline_has_no_milestone_and_no_progress(baseline_labour: float) -> None:
    values = {}
    for year, labour in ((2017, baseline_labour), (2021, 9.0)):
        values[("A", year)] = {**DEPRIVED, "outside_labour": labour}
        values[("R", year)] = {**ORDINARY, "outside_labour": 10.0}
    report = compute_gap(_units(values, {"A": 1000, "R": 1000}), {2017: {"A"}}, baseline_year=2017)
    labour = next(r for r in report.records if r.year == 2021 and r.criterion == "outside_labour")
    # without the fix a baseline of −2 gave milestone −1 met by the gap −1 (worse than −2) and a
    # progress of +50 %; a baseline of 0 gave milestone 0 met by −1
    assert labour.baseline_gap == baseline_labour - 10.0
    assert labour.gap == -1.0
    assert (labour.milestone, labour.progress_pct, labour.milestone_met) == (None, None, None)
    assert labour.note == "no_baseline_gap"
    assert report.summary.criteria_total == 5
    assert report.summary.criteria_met == 0  # the other four are as far behind as in 2017


def test_stored_gap_tables_keep_an_undecided_vision() -> None:
    from boligmonitor.screening.tables import gap_frames
    from boligmonitor.workspace import Workspace

    units = _blanked(_crossing_units(), 2021, ["living_area", "low_income", "nonwestern"])
    report = compute_gap(units, {2017: {"A"}}, baseline_year=2017)
    with Workspace.memory() as ws:
        for name, frame in gap_frames(report, "workspace:fixed", "run-1").items():
            ws.store.write(name, frame)
        summary = ws.store.read("gap_summary").set_index("year")
        records = ws.store.read("gap_records")
    assert summary.loc[2017, "vision_met"] == False  # noqa: E712 (a nullable boolean)
    assert pd.isna(summary.loc[2021, "vision_met"])
    blank = records[(records["year"] == 2021) & (records["criterion"] == "nonwestern")]
    assert pd.isna(blank["milestone_met"].iloc[0]) and blank["note"].iloc[0] == "no_data"
