"""The Mimerskvarter table of seed 000 under the 2018 regime (crime threshold quoted 2,03 %)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from boligmonitor.rules.evaluate import AreaDesignation, evaluate
from boligmonitor.rules.registry import resolve_rule_set
from boligmonitor.schema.area_statistics import read_area_statistics

DATA = Path(__file__).parent / "data"


def _designate(path: Path) -> dict[str, AreaDesignation]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        frame = read_area_statistics(path)
    results = evaluate(frame, 2020, [resolve_rule_set("dk-2018")])
    return {r.area_id: r for r in results}


@pytest.fixture(params=["packaged", "danish_headings"])
def mimer(request: pytest.FixtureRequest, mimerskvarter_csv: Path) -> dict[str, AreaDesignation]:
    """Both the canonical file and the seed's own Danish headings and number format."""
    path = (
        mimerskvarter_csv
        if request.param == "packaged"
        else (DATA / "mimerskvarter_danske_overskrifter.csv")
    )
    return _designate(path)


def _met(result: AreaDesignation) -> dict[str, bool | None]:
    return {cid: c.met for cid, c in result.criteria.items()}


def test_vibo_108_is_a_ghetto_area_but_for_its_size(mimer: dict[str, AreaDesignation]) -> None:
    vibo = mimer["VIBO 108"]
    assert _met(vibo) == {
        "labour": False,
        "crime": True,
        "education": False,
        "income": True,
        "ethnicity": True,
    }
    assert vibo.designations == []
    assert vibo.below_population_minimum is True
    assert vibo.designations_if_population_met == ["udsat_boligomraade", "ghettoomraade"]


def test_vibo_108_education_is_within_a_few_persons(mimer: dict[str, AreaDesignation]) -> None:
    education = mimer["VIBO 108"].criteria["education"]
    assert education.value == 59.5
    assert education.threshold == 60
    assert education.margin == -0.5
    # 30-59-year-olds estimated as 40 % of 370 residents = 148; 0.5 % of 148 is 0.74 persons.
    assert education.population == 148
    assert education.population_estimated is True
    assert education.flip_persons == 1


def test_crime_threshold_is_the_quoted_2_03(mimer: dict[str, AreaDesignation]) -> None:
    crime = mimer["VIBO 108"].criteria["crime"]
    assert crime.threshold == pytest.approx(2.03, abs=1e-12)
    assert crime.comparison == "ge"
    assert crime.margin == pytest.approx(1.34)


def test_the_table_says_more_than_the_prose(mimer: dict[str, AreaDesignation]) -> None:
    vibo_142 = _met(mimer["VIBO 142"])
    assert vibo_142["education"] is True and mimer["VIBO 142"].criteria["education"].value == 68.7
    assert sum(vibo_142[c] is True for c in ("labour", "crime", "education", "income")) == 1
    aab_58 = _met(mimer["AAB 58"])
    assert aab_58["crime"] is True and mimer["AAB 58"].criteria["crime"].value == 2.82
    assert sum(aab_58[c] is True for c in ("labour", "crime", "education", "income")) == 1
    for area in ("VIBO 142", "AAB 58", "VIBO 127", "3B 24"):
        assert mimer[area].designations_if_population_met == []


def test_every_department_meets_the_ethnicity_criterion(mimer: dict[str, AreaDesignation]) -> None:
    for area in ("VIBO 108", "VIBO 127", "VIBO 142", "3B 24", "AAB 58"):
        assert mimer[area].criteria["ethnicity"].met is True


def test_unknown_values_are_reported_as_unknown(mimer: dict[str, AreaDesignation]) -> None:
    crime_3b = mimer["3B 24"].criteria["crime"]
    assert crime_3b.value is None and crime_3b.met is None and crime_3b.flip_persons is None
    vibo_147 = mimer["VIBO 147"]
    assert all(c.met is None for c in vibo_147.criteria.values())
    assert vibo_147.designations == []
    assert vibo_147.below_population_minimum is None
    assert "udsat_boligomraade" in vibo_147.designations_unknown
