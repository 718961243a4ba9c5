"""Exact boundaries, consecutive-year designations and regime changes, on hand-made areas."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from boligmonitor.rules.evaluate import AreaDesignation, evaluate
from boligmonitor.rules.registry import resolve_rule_set
from boligmonitor.schema.area_statistics import read_area_statistics

# An area that meets nothing: every value comfortably on the safe side.
CALM = {
    "residents": 2000,
    "labour_pct": 10.0,
    "crime_pct": 0.5,
    "crime_national_pct": 0.7,
    "education_pct": 20.0,
    "income_pct_of_region": 90.0,
    "nonwestern_pct": 10.0,
    "outside_labour_pct": 10.0,
}


def _evaluate(
    tmp_path: Path, rows: list[dict[str, object]], year: int, rules: str | None
) -> list[AreaDesignation]:
    path = tmp_path / "areas.csv"
    full = [{"area_id": "A", "year": year, **CALM, **row} for row in rows]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(full[0]))
        writer.writeheader()
        writer.writerows(full)
    chosen = [resolve_rule_set(rules)] if rules else None
    return evaluate(read_area_statistics(path), year, chosen)


def _one(
    tmp_path: Path, year: int = 2021, rules: str | None = "dk-2021", **values: object
) -> AreaDesignation:
    return _evaluate(tmp_path, [values], year, rules)[0]


@pytest.mark.parametrize(
    ("column", "value", "criterion", "met"),
    [
        ("labour_pct", 40.0, "labour", False),
        ("labour_pct", 40.1, "labour", True),
        ("education_pct", 60.0, "education", False),
        ("education_pct", 60.1, "education", True),
        ("income_pct_of_region", 55.0, "income", False),
        ("income_pct_of_region", 54.9, "income", True),
        ("nonwestern_pct", 50.0, "ethnicity", False),
        ("nonwestern_pct", 50.1, "ethnicity", True),
    ],
)
def test_strict_boundaries(
    tmp_path: Path, column: str, value: float, criterion: str, met: bool
) -> None:
    assert _one(tmp_path, **{column: value}).criteria[criterion].met is met


def test_crime_exactly_three_times_the_national_average_is_met(tmp_path: Path) -> None:
    at = _one(tmp_path, crime_pct=2.04, crime_national_pct=0.68).criteria["crime"]
    assert (at.threshold, at.met, at.margin) == (2.04, True, 0.0)
    below = _one(tmp_path, crime_pct=2.03, crime_national_pct=0.68).criteria["crime"]
    assert below.met is False


def test_crime_threshold_column_gives_the_national_average(tmp_path: Path) -> None:
    result = _one(tmp_path, crime_pct=2.03, crime_national_pct="", crime_threshold_pct=2.03)
    assert result.criteria["crime"].met is True
    assert result.criteria["crime_forebyggelse"].threshold == pytest.approx(2 * 2.03 / 3)


def test_kombineret_udlejning_at_exactly_1000_residents_and_40_percent(tmp_path: Path) -> None:
    result = _one(tmp_path, rules="dk-51b", residents=1000, outside_labour_pct=40.0)
    assert result.designations == ["kombineret_udlejning"]
    assert _one(tmp_path, rules="dk-51b", residents=999, outside_labour_pct=40.0).designations == []
    assert (
        _one(tmp_path, rules="dk-51b", residents=1000, outside_labour_pct=39.9).designations == []
    )


def test_kombineret_udlejning_large_area_branch(tmp_path: Path) -> None:
    assert _one(tmp_path, rules="dk-51b", residents=5000, outside_labour_pct=30.0).designations == [
        "kombineret_udlejning"
    ]
    assert (
        _one(tmp_path, rules="dk-51b", residents=4999, outside_labour_pct=30.0).designations == []
    )


def test_default_rule_sets_are_the_regime_in_force_and_51b(tmp_path: Path) -> None:
    for year, regime in (
        (2012, "dk-2010"),
        (2015, "dk-2013"),
        (2019, "dk-2018"),
        (2024, "dk-2021"),
    ):
        results = _evaluate(tmp_path, [{}], year, None)
        assert [r.rule_set for r in results] == [regime, "dk-51b"]


def test_2021_designations_and_forebyggelse(tmp_path: Path) -> None:
    parallel = _one(tmp_path, labour_pct=45.0, income_pct_of_region=50.0, nonwestern_pct=55.0)
    # The ministry's practice: an area on the udsat list is not also a forebyggelsesområde.
    assert parallel.designations == ["udsat_boligomraade", "parallelsamfund"]
    assert "omdannelsesomraade" in parallel.designations_unknown  # no history given
    prevention = _one(tmp_path, labour_pct=31.0, income_pct_of_region=60.0, nonwestern_pct=31.0)
    assert prevention.designations == ["forebyggelsesomraade"]
    assert (
        _one(tmp_path, labour_pct=31.0, income_pct_of_region=60.0, nonwestern_pct=30.0).designations
        == []
    )


def test_2013_needs_three_of_five_and_2010_two_of_three(tmp_path: Path) -> None:
    two = {"labour_pct": 45.0, "nonwestern_pct": 55.0}
    assert _one(tmp_path, year=2015, rules="dk-2013", **two).designations == []
    assert _one(tmp_path, year=2015, rules="dk-2013", education_pct=50.5, **two).designations == [
        "ghettoomraade"
    ]
    assert _one(tmp_path, year=2011, rules="dk-2010", **two).designations == ["ghettoomraade"]
    # 2010: crime above 2.7 % (270 per 10 000) is absolute, not relative.
    crime = _one(tmp_path, year=2011, rules="dk-2010", crime_pct=2.7, labour_pct=45.0)
    assert crime.criteria["crime"].met is False and crime.designations == []


def test_omdannelsesomraade_after_five_parallelsamfund_years(tmp_path: Path) -> None:
    parallel = {"labour_pct": 45.0, "income_pct_of_region": 50.0, "nonwestern_pct": 55.0}
    rows = [{"year": year, **parallel} for year in range(2021, 2027)]
    by_year = {year: _evaluate(tmp_path, rows, year, "dk-2021")[0] for year in range(2021, 2027)}
    # 2021-2024: years before 2021 have no data, so omdannelse is unknown, never designated.
    for year in range(2021, 2025):
        assert "omdannelsesomraade" not in by_year[year].designations
        assert "parallelsamfund" in by_year[year].designations
    assert "omdannelsesomraade" in by_year[2025].designations
    assert [s.held for s in by_year[2025].history["omdannelsesomraade"]] == [True] * 5
    assert "omdannelsesomraade" in by_year[2026].designations


def test_a_break_in_the_five_years_prevents_omdannelse(tmp_path: Path) -> None:
    parallel = {"labour_pct": 45.0, "income_pct_of_region": 50.0, "nonwestern_pct": 55.0}
    rows = [{"year": year, **parallel} for year in range(2021, 2027)]
    rows[2] = {"year": 2023, **parallel, "labour_pct": 40.0}  # one list year off
    results = {y: _evaluate(tmp_path, rows, y, "dk-2021")[0] for y in (2025, 2026)}
    assert "omdannelsesomraade" not in results[2025].designations
    assert "omdannelsesomraade" not in results[2025].designations_unknown
    assert [s.held for s in results[2025].history["omdannelsesomraade"]] == [
        True,
        True,
        False,
        True,
        True,
    ]
    assert "omdannelsesomraade" not in results[2026].designations


def test_history_across_the_2017_2018_and_2020_2021_regime_changes(tmp_path: Path) -> None:
    # Ghetto under 2013 rules (3 of 5: labour, income, ethnicity) and under 2018 rules.
    ghetto = {"labour_pct": 45.0, "income_pct_of_region": 50.0, "nonwestern_pct": 55.0}
    rows = [{"year": year, **ghetto} for year in range(2014, 2022)]
    hard = _evaluate(tmp_path, rows, 2018, None)[0]
    assert hard.rule_set == "dk-2018"
    assert "haardt_ghettoomraade" in hard.designations
    assert [(s.year, s.rule_set, s.held) for s in hard.history["haardt_ghettoomraade"]] == [
        (2014, "dk-2013", True),
        (2015, "dk-2013", True),
        (2016, "dk-2013", True),
        (2017, "dk-2013", True),
        (2018, "dk-2018", True),
    ]
    transformed = _evaluate(tmp_path, rows, 2021, None)[0]
    assert transformed.rule_set == "dk-2021"
    assert "omdannelsesomraade" in transformed.designations
    assert [s.rule_set for s in transformed.history["omdannelsesomraade"]] == [
        "dk-2013",
        "dk-2018",
        "dk-2018",
        "dk-2018",
        "dk-2021",
    ]


def test_an_earlier_year_counts_under_its_own_rules(tmp_path: Path) -> None:
    # In 2017 only labour and ethnicity are met: 2 of 5 is not a ghetto area under the 2013
    # rules, so 2017 does not count towards the 2021 omdannelsesområde.
    ghetto = {"labour_pct": 45.0, "income_pct_of_region": 50.0, "nonwestern_pct": 55.0}
    rows = [{"year": year, **ghetto} for year in range(2017, 2022)]
    rows[0] = {"year": 2017, **ghetto, "income_pct_of_region": 56.0}
    result = _evaluate(tmp_path, rows, 2021, None)[0]
    assert result.history["omdannelsesomraade"][0].held is False
    assert "omdannelsesomraade" not in result.designations


def test_below_population_minimum_reports_what_it_would_be(tmp_path: Path) -> None:
    result = _one(
        tmp_path, residents=999, labour_pct=45.0, income_pct_of_region=50.0, nonwestern_pct=55.0
    )
    assert result.designations == []
    assert result.below_population_minimum is True
    assert result.designations_if_population_met == ["udsat_boligomraade", "parallelsamfund"]


def test_flip_persons_with_given_population(tmp_path: Path) -> None:
    # 41 % of 200 persons aged 18-64 = 82 persons; the boundary is 80 (40 %), strict ">", so
    # 2 persons in work bring it to 80 = 40.0 %, which is no longer above 40 %.
    met = _one(tmp_path, labour_pct=41.0, pop_18_64=200).criteria["labour"]
    assert (met.population, met.population_estimated, met.flip_persons) == (200, False, 2)
    # 39 % of 200 = 78: 2 more reach 40.0 % (not met), 3 more are needed.
    short = _one(tmp_path, labour_pct=39.0, pop_18_64=200).criteria["labour"]
    assert short.flip_persons == 3
    # Inclusive "≥": crime 1.5 % of 400 = 6 persons against 3 × 0.5 = 1.5 % → 6 persons at the
    # boundary; one person fewer flips it.
    crime = _one(tmp_path, crime_pct=1.5, crime_national_pct=0.5, pop_18_plus=400)
    assert crime.criteria["crime"].met is True and crime.criteria["crime"].flip_persons == 1


def test_flip_persons_for_income_moves_taxpayers_to_the_regional_mean(tmp_path: Path) -> None:
    # Ratio 50 % among 100 taxpayers: each moved to the regional mean adds (100-50)/100 = 0.5
    # points; reaching 55 % (no longer "< 55") takes 10 taxpayers.
    income = _one(tmp_path, income_pct_of_region=50.0, pop_15_64_taxpayers=100)
    assert income.criteria["income"].flip_persons == 10
