"""Evaluating goals: hand-made series for each target type, data breaks, significance, and the
comparison with the 2021 status report's own summary (seed 003)."""

from __future__ import annotations

from typing import Any

import pytest

from boligmonitor.errors import InputError
from boligmonitor.monitor.goals.catalogue import resolve_catalogue
from boligmonitor.monitor.goals.evaluate import (
    Evaluation,
    evaluate_catalogue,
    evaluate_indicator,
    two_proportion_p_value,
)
from boligmonitor.monitor.goals.explain import disagreement_text
from boligmonitor.monitor.goals.model import Indicator, Verdict


def indicator(target: dict[str, Any], values: list[dict[str, Any]], **extra: Any) -> Indicator:
    spec = {
        "id": "x",
        "label_da": "x",
        "label_en": "x",
        "unit": "pct",
        "better": "lower",
        "target": target,
        "source_kind": "register",
        "values": values,
        **extra,
    }
    return Indicator.model_validate(spec)


def run(ind: Indicator, year: int = 2021) -> Any:
    return evaluate_indicator(ind, goal=1, year=year, baseline_year=2017, target_year=2025)


def test_approach_city_judges_the_gap() -> None:
    ind = indicator(
        {"kind": "approach_city"},
        [
            {"year": 2017, "area": 30.0, "city": 20.0},
            {"year": 2019, "area": 28.0, "city": 20.0},
            {"year": 2021, "area": 24.0, "city": 18.0},
        ],
    )
    result = run(ind)
    assert result.verdict is Verdict.PROGRESS
    assert (result.baseline_gap, result.gap) == pytest.approx((10.0, 6.0))
    assert result.change == pytest.approx(-6.0)
    # least squares through gaps (2017, 10), (2019, 8), (2021, 6): slope -1 per year -> 2025: 2
    assert result.projected == pytest.approx(2.0)
    assert result.target_value == pytest.approx(10.0)  # narrower than at baseline
    assert result.on_track is True


def test_approach_city_level_moves_but_gap_unchanged_is_no_clear_change() -> None:
    ind = indicator(
        {"kind": "approach_city"},
        [{"year": 2017, "area": 74.7, "city": 78.6}, {"year": 2021, "area": 75.9, "city": 79.8}],
        better="higher",
        unit="years",
    )
    result = run(ind)
    assert result.verdict is Verdict.NO_CLEAR_CHANGE
    assert result.reason == "within_rounding"


def test_approach_city_gap_widening_is_regress_and_reach_city_target_is_zero() -> None:
    ind = indicator(
        {"kind": "approach_city", "reach_city": True},
        [{"year": 2017, "area": 28.0, "city": 22.0}, {"year": 2021, "area": 23.7, "city": 16.1}],
    )
    result = run(ind)
    assert result.verdict is Verdict.REGRESS
    assert result.gap == pytest.approx(7.6)
    assert result.target_value == 0.0
    assert result.on_track is False


def test_fall_pct_target() -> None:
    ind = indicator(
        {"kind": "fall_pct", "amount": 25},
        [{"year": 2017, "area": 1.4}, {"year": 2019, "area": 1.2}, {"year": 2021, "area": 0.8}],
    )
    result = run(ind)
    assert result.verdict is Verdict.PROGRESS
    assert result.target_value == pytest.approx(1.05)  # 1,4 × 0,75
    assert result.target_met is True
    assert result.change_pct == pytest.approx(-42.857, abs=1e-3)


def test_fall_pp_target_not_met() -> None:
    ind = indicator(
        {"kind": "fall_pp", "amount": 6},
        [{"year": 2017, "area": 56.0}, {"year": 2021, "area": 53.0}],
        decimals=0,
    )
    result = run(ind)
    assert result.verdict is Verdict.PROGRESS
    assert result.target_value == 50.0
    assert result.target_met is False
    assert result.projected == pytest.approx(50.0)  # 56 - 0,75/yr × 8 years
    assert result.on_track is True  # 50 meets "at most 50"


def test_reach_count_since_baseline() -> None:
    ind = indicator(
        {"kind": "reach_count", "amount": 2500, "since_baseline": True},
        [
            {"year": 2017, "area": 33678},
            {"year": 2019, "area": 35194},
            {"year": 2021, "area": 34665},
        ],
        unit="count",
        better="higher",
        decimals=0,
    )
    result = run(ind)
    assert result.verdict is Verdict.PROGRESS
    assert result.change == 987
    assert result.target_value == 36178
    # least squares: slope (34665 - 33678) / 4 = 246,75; mean 34512,33 at 2019 -> 2025: 35992,83
    assert result.projected == pytest.approx(35992.8333, abs=1e-3)
    assert result.on_track is False


def test_rise_and_fall_targets() -> None:
    rise = indicator(
        {"kind": "rise"},
        [{"year": 2017, "area": 88.8}, {"year": 2021, "area": 90.1}],
        better="higher",
    )
    assert run(rise).verdict is Verdict.PROGRESS
    fall = indicator({"kind": "fall"}, [{"year": 2017, "area": 4.1}, {"year": 2021, "area": 4.6}])
    result = run(fall)
    assert result.verdict is Verdict.REGRESS and result.reason == "worsened"
    flat = indicator({"kind": "fall"}, [{"year": 2017, "area": 4.1}, {"year": 2021, "area": 4.14}])
    assert run(flat).verdict is Verdict.NO_CLEAR_CHANGE


def test_data_break_between_compared_years_is_uncertain_with_an_indication() -> None:
    ind = indicator(
        {"kind": "approach_city"},
        [
            {"year": 2017, "area": 31.3, "city": 16.2},
            {"year": 2019, "area": 28.3, "city": 14.9},
            {"year": 2021, "area": 26.9, "city": 14.6},
        ],
        notes=[{"years": [2021], "kind": "method", "breaks_series": True, "text_da": "ny metode"}],
    )
    result = run(ind)
    assert result.verdict is Verdict.UNCERTAIN and result.reason == "data_break"
    assert result.break_years == (2021,)
    assert result.projected is None and result.on_track is None
    assert result.indication is Verdict.PROGRESS and result.indication_years == (2017, 2019)
    # the same break is outside the compared years 2017-2019
    assert run(ind, year=2019).verdict is Verdict.PROGRESS


def test_a_caveat_note_is_not_a_break() -> None:
    ind = indicator(
        {"kind": "fall"},
        [{"year": 2017, "area": 1.4}, {"year": 2021, "area": 0.8}],
        notes=[{"years": [2021], "kind": "covid", "breaks_series": False, "text_da": "corona"}],
    )
    assert run(ind).verdict is Verdict.PROGRESS


def test_two_proportion_p_value_by_hand() -> None:
    # pooled p = 48/84; se = sqrt(p(1-p)(1/50 + 1/34)) = 0.10993; z = (20/34 - 28/50)/se = 0.2569
    assert two_proportion_p_value(28 / 50, 50, 20 / 34, 34) == pytest.approx(0.7972, abs=1e-3)
    # 30 % of 1000 against 25 % of 1000: pooled 0.275, se = 0.019969, z = 2.5039, p = 0.01228
    assert two_proportion_p_value(0.30, 1000, 0.25, 1000) == pytest.approx(0.01228, abs=1e-4)


def test_survey_difference_significant_and_not() -> None:
    significant = indicator(
        {"kind": "fall"},
        [
            {"year": 2017, "area": 30.0, "area_n": 1000},
            {"year": 2021, "area": 25.0, "area_n": 1000},
        ],
        source_kind="survey",
    )
    result = run(significant)
    assert result.verdict is Verdict.PROGRESS
    assert result.p_value == pytest.approx(0.01228, abs=1e-4)
    small = indicator(
        {"kind": "fall"},
        [{"year": 2017, "area": 30.0, "area_n": 100}, {"year": 2021, "area": 25.0, "area_n": 100}],
        source_kind="survey",
    )
    result = run(small)
    assert result.verdict is Verdict.UNCERTAIN and result.reason == "not_significant"
    assert result.p_value == pytest.approx(0.4292, abs=1e-3)


def test_reported_significance_is_used_without_sample_sizes() -> None:
    ind = indicator(
        {"kind": "fall"},
        [
            {"year": 2019, "area": 30.1, "city": 26.7},
            {"year": 2021, "area": 28.7, "city": 26.6, "reported_significant": False},
        ],
        source_kind="survey",
        baseline_year=2019,
    )
    result = run(ind)
    assert result.verdict is Verdict.UNCERTAIN and result.reason == "reported_not_significant"
    assert result.baseline_year == 2019


def test_missing_status_is_uncertain_and_context_is_not_judged() -> None:
    missing = indicator(
        {"kind": "rise"},
        [{"year": 2017, "area": 56.4}, {"year": 2021, "available": False}],
        better="higher",
    )
    assert (run(missing).verdict, run(missing).reason) == (Verdict.UNCERTAIN, "no_data")
    context = indicator(
        {"kind": "context"},
        [{"year": 2017, "area": 39.9}, {"year": 2021, "area": 38.9}],
        better="neutral",
    )
    assert run(context).reason == "context"


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    return evaluate_catalogue(resolve_catalogue("kk-2017-2025"), 2021)


#: Where the evaluation of the shipped 2021 data differs from the report's own summary, and why.
DISAGREEMENTS = {
    # Life expectancy rose 1,2 years in both the areas and Copenhagen: the gap the indicator asks
    # to narrow stays at 3,9 years; the report counted the rise as progress.
    3: (Verdict.NO_CLEAR_CHANGE, {"middellevetid": "within_rounding"}),
    # The language screening method changed from 2018 (the 2021 status uses the 2019 screening,
    # "før-skriftsprog"): 2017 and 2021 cannot be compared; 2017-2019 alone shows progress.
    4: (Verdict.UNCERTAIN, {"sprogscreening": "data_break"}),
    # Insecurity fell in the areas, but the evening/night gap to the city widened 6,0 -> 7,6
    # points while the neighbourhood gap narrowed 7,0 -> 6,75: the indicators disagree.
    12: (Verdict.NO_CLEAR_CHANGE, {"utrygge_nabolag": "improved", "utrygge_aften_nat": "worsened"}),
}


def test_verdicts_agree_with_the_published_summary_except_where_explained(
    evaluation: Evaluation,
) -> None:
    progress = [g.number for g in evaluation.goals if g.verdict is Verdict.PROGRESS]
    assert progress == [2, 6, 7, 9, 16, 17, 18]
    for goal in evaluation.goals:
        if goal.number in DISAGREEMENTS:
            continue
        assert goal.agrees, goal.number
    assert [g.number for g in evaluation.disagreements] == sorted(DISAGREEMENTS)
    for number, (verdict, reasons) in DISAGREEMENTS.items():
        goal = evaluation.goal(number)
        assert goal.verdict is verdict
        assert goal.published is Verdict.PROGRESS
        assert {r.indicator: r.reason for r in goal.indicators if r.reason != "no_data"} == reasons


def test_disagreement_texts_state_the_reason(evaluation: Evaluation) -> None:
    catalogue = evaluation.catalogue
    assert "3,9 år → 3,9 år" in disagreement_text(evaluation.goal(3), catalogue)
    assert "Databrud i 2021 (ændret metode)" in disagreement_text(evaluation.goal(4), catalogue)
    text12 = disagreement_text(evaluation.goal(12), catalogue)
    assert "6,0 procentpoint → 7,6 procentpoint" in text12
    assert disagreement_text(evaluation.goal(2), catalogue) == ""


def test_uncertain_goals_for_the_seeds_reasons(evaluation: Evaluation) -> None:
    reasons = {
        g.number: sorted({r.reason for r in g.indicators} - {"context"})
        for g in evaluation.goals
        if g.verdict is Verdict.UNCERTAIN
    }
    assert reasons == {
        1: ["data_break"],  # new data source 2019, COVID-19 grades 2021
        4: ["data_break"],
        5: ["not_significant"],  # 28 of 50 against 20 of 34
        8: ["reported_not_significant"],
        10: ["data_break"],
        11: ["data_break", "no_data"],
        13: ["data_break"],
        14: ["reported_not_significant"],
        15: ["no_data"],  # next status at the 2021 election
    }


def test_goal_17_is_off_track_for_2500_private_dwellings(evaluation: Evaluation) -> None:
    [private] = [r for r in evaluation.goal(17).indicators if r.indicator == "private_boliger"]
    assert private.change == 987
    assert private.on_track is False


def test_summary_per_approach(evaluation: Evaluation) -> None:
    counts = {s.approach: dict(s.counts) for s in evaluation.approaches}
    assert counts["understoettende"] == {  # goals 1-9: 2, 6, 7, 9 / 1, 4, 5, 8 / 3
        Verdict.UNCERTAIN: 4,
        Verdict.PROGRESS: 4,
        Verdict.NO_CLEAR_CHANGE: 1,
    }
    assert counts["lokalt_organiserende"] == {Verdict.UNCERTAIN: 5, Verdict.NO_CLEAR_CHANGE: 1}
    assert counts["strukturel"] == {Verdict.PROGRESS: 3}


def test_cli_evaluate_writes_records(tmp_path, run_cli) -> None:  # type: ignore[no-untyped-def]
    import json

    out = tmp_path / "goals.json"
    result = run_cli("goals", "evaluate", "--year", "2021", "--source", "published", "--out", out)
    assert result.code == 0
    assert "Mål 12" in result.out
    records = json.loads(out.read_text(encoding="utf-8"))
    goal5 = next(r for r in records if r["goal"] == 5)
    assert goal5["reason"] == "not_significant" and goal5["p_value"] == pytest.approx(
        0.80, abs=0.02
    )


@pytest.mark.parametrize("year", [2017, 2020, 2023])  # the baseline, between and after
def test_only_status_years_can_be_evaluated(year: int, tmp_path, run_cli) -> None:  # type: ignore[no-untyped-def]
    catalogue = resolve_catalogue("kk-2017-2025")
    assert catalogue.status_years() == [2019, 2021]
    with pytest.raises(InputError, match="status years: 2019, 2021"):
        evaluate_catalogue(catalogue, year)
    out = tmp_path / "goals.json"
    result = run_cli(
        "goals", "evaluate", "--year", str(year), "--source", "published", "--out", out
    )
    assert result.code == 2
    assert f"{year} er ikke et statusår i kataloget" in result.err
    assert not out.exists()
    assert evaluate_catalogue(catalogue, 2019).year == 2019
