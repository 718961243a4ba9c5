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
    assert [r.criterion for r in report.records] == ["outside_labour"]
    assert report.records[0].milestone == 9.0
    assert report.records[0].milestone_met  # 9.0 ≤ 9.0: at the milestone counts


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
