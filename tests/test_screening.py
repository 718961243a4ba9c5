"""City screening on hand-made unit statistics: inputs, the default rule, the Berlin index,
method comparison and re-designation rounds (Tabel 22)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from boligmonitor.data import data_path
from boligmonitor.errors import InputError
from boligmonitor.screening.classify import classify_units
from boligmonitor.screening.compare import compare_methods, precision_recall
from boligmonitor.screening.method import load_method, shipped_methods
from boligmonitor.screening.rounds import compare_rounds
from boligmonitor.screening.screen import screen_units
from boligmonitor.screening.units import read_unit_statistics, unit_statistics_from_frame
from tests.test_screening_fixtures import DEPRIVED, ORDINARY, cell, grid_stats, unit_row


def _stats(frame: pd.DataFrame) -> pd.DataFrame:
    return unit_statistics_from_frame(frame)


def test_shipped_methods() -> None:
    assert shipped_methods() == ["berlin-status", "kk-default"]
    default = load_method()
    assert default.id == "kk-default"
    assert (default.area_min_residents, default.contiguity) == (1000, "rook")
    assert default.round_years == [2017, 2021, 2025]


def test_default_rule_hand_computed() -> None:
    deprived = {(0, 0), (0, 1), (1, 0), (1, 1)}
    units = classify_units(_stats(grid_stats(deprived)), 2021, load_method())
    # city: 32 ordinary and 4 deprived units of 400 residents
    assert units["outside_labour_city"].iloc[0] == pytest.approx((32 * 12 + 4 * 25) / 36)
    assert units["living_area_city"].iloc[0] == pytest.approx((32 * 42 + 4 * 33) / 36)
    flagged = units.set_index("unit_id")
    assert flagged.loc[cell(0, 0), "behind_count"] == 5
    assert flagged.loc[cell(5, 5), "behind_count"] == 0
    assert set(units.loc[units["candidate"], "unit_id"]) == {cell(n, e) for n, e in deprived}


def test_two_of_five_is_a_candidate_one_is_not() -> None:
    frame = grid_stats(set(), size=5)
    two = {**ORDINARY, **{k: DEPRIVED[k] for k in ("outside_labour", "nonwestern")}}
    one = {**ORDINARY, "nonwestern": DEPRIVED["nonwestern"]}
    frame = pd.concat(
        [
            frame,
            pd.DataFrame([unit_row(cell(9, 0), 2021, 400, two)]),
            pd.DataFrame([unit_row(cell(9, 5), 2021, 400, one)]),
        ]
    )
    units = classify_units(_stats(frame), 2021, load_method()).set_index("unit_id")
    assert units.loc[cell(9, 0), "behind_count"] == 2
    assert units.loc[cell(9, 0), "candidate"]
    assert units.loc[cell(9, 5), "behind_count"] == 1
    assert not units.loc[cell(9, 5), "candidate"]


def test_units_with_few_residents_are_not_screened() -> None:
    frame = grid_stats({(0, 0)}, size=4, overrides={(0, 0): 30})
    units = classify_units(_stats(frame), 2021, load_method()).set_index("unit_id")
    assert not units.loc[cell(0, 0), "screened"]
    assert units.loc[cell(0, 0), "not_screened_reason"] == "few_residents"
    assert not units.loc[cell(0, 0), "candidate"]


def test_berlin_index_one_outlier_among_ten() -> None:
    # one unit deprived on all five criteria among ten: its z-score is √9 = 3 on each criterion,
    # the others' −1/3; the summed index standardised again is 3 and −1/3 as well.
    frame = grid_stats({(0, 0)}, size=2, residents=1000)
    extra = [unit_row(cell(5, e), 2021, 1000, ORDINARY) for e in range(6)]
    frame = pd.concat([frame, pd.DataFrame(extra)])
    result = screen_units(_stats(frame), 2021, load_method("berlin-status"))
    units = result.units.set_index("unit_id")
    assert units.loc[cell(0, 0), "outside_labour_z"] == pytest.approx(3.0)
    assert units.loc[cell(0, 0), "living_area_z"] == pytest.approx(3.0)  # lower area is worse
    assert units.loc[cell(0, 0), "status_index"] == pytest.approx(3.0)
    assert units.loc[cell(0, 1), "status_index"] == pytest.approx(-1 / 3)
    assert units.loc[cell(0, 0), "status_class"] == "very_low"
    assert units.loc[cell(0, 1), "status_class"] == "middle"
    assert result.designated_units() == {cell(0, 0)}


def test_compare_methods_on_the_same_units() -> None:
    deprived = {(0, 0), (0, 1), (1, 0), (1, 1)}
    stats = _stats(grid_stats(deprived, size=6))
    results = [screen_units(stats, 2021, load_method(m)) for m in ("kk-default", "berlin-status")]
    comparison = compare_methods(results)
    row = comparison.agreement.iloc[0]
    assert (row["both"], row["only_a"], row["only_b"], row["jaccard"]) == (4, 0, 0, 1.0)
    assert comparison.units["kk-default"].sum() == 4


def test_precision_recall() -> None:
    assert precision_recall({"a", "b"}, {"a", "b"}) == (1.0, 1.0)
    assert precision_recall({"a", "b", "c", "d"}, {"a", "b"}) == (0.5, 1.0)
    assert precision_recall(set(), {"a"}) == (0.0, 0.0)


def test_unit_statistics_file_problems_name_row_and_column(tmp_path: Path) -> None:
    frame = grid_stats({(0, 0)}, size=2).astype({"year": object})
    frame.loc[1, "outside_labour_num"] = 500.0  # above its denominator of 400
    frame.loc[2, "low_income"] = 12.0  # not num/den (30.0)
    frame.loc[3, "year"] = "tjugo"
    path = tmp_path / "units.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(InputError) as caught:
        read_unit_statistics(path)
    found = {(p.row, p.column) for p in caught.value.problems}
    assert (5, "year") in found
    frame.loc[3, "year"] = 2021
    frame.to_csv(path, index=False)
    with pytest.raises(InputError) as caught:
        read_unit_statistics(path)
    found = {(p.row, p.column) for p in caught.value.problems}
    assert found == {(3, "outside_labour_num"), (4, "low_income")}


def test_unit_statistics_fill_values_from_numerators(tmp_path: Path) -> None:
    frame = grid_stats(set(), size=1).drop(columns=["living_area", "no_education"])
    path = tmp_path / "units.csv"
    frame.to_csv(path, index=False, sep=";", decimal=",")
    stats = read_unit_statistics(path)
    assert stats.loc[0, "living_area"] == pytest.approx(42.0)
    assert stats.loc[0, "no_education"] == pytest.approx(10.0)


def test_invalid_method_names_field(tmp_path: Path) -> None:
    data = yaml.safe_load(data_path("screening", "kk-default.yaml").read_text(encoding="utf-8"))
    data["criteria"][0]["id"] = "crime"
    data["rule"]["min_criteria"] = 9
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(InputError, match="unknown criteria") as caught:
        load_method(str(path))
    [problem] = caught.value.problems
    assert problem.file == str(path) and problem.row is not None
    assert ": ukendte kriterier crime; kendte: " in problem.render("da")
    assert ": unknown criteria crime; known: " in problem.render("en")
    with pytest.raises(InputError, match="unknown screening method"):
        load_method("no-such-method")


def _membership(round_year: int, areas: dict[str, list[str]]) -> pd.DataFrame:
    rows = [
        {"area_id": a, "round_year": round_year, "unit_id": u}
        for a, us in areas.items()
        for u in us
    ]
    return pd.DataFrame(rows)


def test_compare_rounds_like_tabel_22() -> None:
    rows = [
        unit_row("A", 2021, 1000, DEPRIVED),
        unit_row("B", 2021, 1000, DEPRIVED),
        unit_row("C", 2021, 1000, {**DEPRIVED, "outside_labour": 20.0, "living_area": 36.0}),
        unit_row("D", 2021, 500, {**DEPRIVED, "outside_labour": 30.0, "living_area": 30.0}),
        unit_row("E", 2021, 1000, DEPRIVED),
        unit_row("F", 2021, 2000, ORDINARY),
    ]
    stats = _stats(pd.DataFrame(rows))
    old = _membership(2017, {"U2017-01": ["A", "B", "C"], "U2017-02": ["F"]})
    new = _membership(2021, {"U2021-01": ["A", "B", "D"], "U2021-02": ["E"]})
    comparison = compare_rounds(old, new, stats)
    assert comparison.year == 2021
    assert (comparison.units_added, comparison.units_dropped) == (["D", "E"], ["C", "F"])
    assert comparison.units_kept == ["A", "B"]
    changes = dict(zip(comparison.areas["area_id"], comparison.areas["change"], strict=True))
    assert changes == {
        "U2017-01": "changed",
        "U2017-02": "dropped",
        "U2021-01": "changed",
        "U2021-02": "added",
    }
    table = comparison.criteria
    # old areas: A, B, C (1 000 each) and F (2 000): (25 + 25 + 20) × 10 + 12 × 20 = 940 of 5 000
    assert table.loc["old_areas", "outside_labour"] == pytest.approx(940 / 5000 * 100)
    # new areas: A, B (1 000 each), D (500) and E (1 000): 250+250+150+250 = 900 of 3 500
    assert table.loc["new_areas", "outside_labour"] == pytest.approx(900 / 3500 * 100)
    assert table.loc["difference", "outside_labour"] == pytest.approx(
        900 / 3500 * 100 - 940 / 5000 * 100
    )
    assert table.loc["added", "living_area"] == pytest.approx((30 * 500 + 33 * 1000) / 1500)


def test_frame_values_with_three_decimals_are_not_read_as_thousands() -> None:
    row = unit_row("u1", 2021, 32, {**ORDINARY, "low_income": 28.125})
    stats = _stats(pd.DataFrame([row]))
    assert stats.loc[0, "low_income"] == 28.125


def test_no_unit_large_enough_designates_nothing() -> None:
    stats = _stats(grid_stats({(0, 0)}, size=2, residents=20))
    for method in ("kk-default", "berlin-status"):
        result = screen_units(stats, 2021, load_method(method))
        assert result.areas.empty
        assert set(result.units["not_screened_reason"]) == {"few_residents"}
