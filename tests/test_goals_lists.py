"""Goals counted from the lists: seed 002's halving goal from the published record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest
from pydantic import ValidationError

from boligmonitor.finance.pools_facet import PoolsFacet
from boligmonitor.monitor.goals.lists import (
    count_on_lists,
    published_memberships,
    regime_of,
    workspace_memberships,
)
from boligmonitor.monitor.goals.model import Indicator, ListCount, Verdict
from boligmonitor.store import Store

#: Copenhagen's 10 areas of 2010 on every published ghetto list 2010–2020 (record, by hand).
EXPECTED = {
    "2010-10-01": 10,
    "2011-10-01": 10,  # the record states no date for 2011; read as 1 October
    "2012-10-01": 6,
    "2013-10-01": 6,
    "2013-12-01": 4,
    "2014-12-01": 5,
    "2015-12-01": 2,
    "2016-12-01": 3,
    "2017-12-01": 4,
    "2018-12-01": 7,
    "2019-12-01": 6,
    "2020-12-01": 3,
}
SPEC = ListCount(municipality="København", areas_of_year=2010, first_year=2010, last_year=2020)


def test_count_on_every_list_with_rule_changes_as_breaks() -> None:
    rows = count_on_lists(SPEC, published_memberships())
    assert {r.list_date: r.count for r in rows} == EXPECTED
    assert [r.list_date for r in rows if r.data_break] == ["2013-12-01", "2018-12-01"]
    assert {r.list_date: r.rules for r in rows}["2013-10-01"] == "2010"
    last = rows[-1]
    assert last.areas == ("Aldersrogade", "Mjølnerparken", "Tingbjerg/Utterslevhuse")


def test_municipality_count_and_named_areas() -> None:
    memberships = published_memberships()
    every = ListCount(municipality="København", first_year=2012, last_year=2012)
    # 2012: six of the 2010 areas plus Degnegården and Stærevej
    assert [r.count for r in count_on_lists(every, memberships)] == [8]
    named = ListCount(areas=["Mjølnerparken", "Bispeparken"], first_year=2015, last_year=2016)
    assert [r.count for r in count_on_lists(named, memberships)] == [1, 2]
    national = ListCount(first_year=2010, last_year=2010)
    assert [r.count for r in count_on_lists(national, memberships)] == [29]


def test_regimes() -> None:
    assert regime_of("2013-10-01") == "2010" and regime_of("2013-12-01") == "2013"
    assert regime_of("2017-12-01") == "2013" and regime_of("2018-12-01") == "2018"


def test_the_halving_goal_is_evaluated_from_the_published_lists() -> None:
    store = Store.memory()
    result = PoolsFacet(store).list_goal()
    store.close()
    [goal] = result.evaluation.goals
    [indicator] = goal.indicators
    assert (indicator.baseline_area, indicator.area, indicator.target_value) == (10, 3, 5)
    assert indicator.break_years == (2013, 2018)
    # the count fell by 70 %, but two rule changes lie between 2010 and 2020
    assert indicator.verdict is Verdict.UNCERTAIN and indicator.reason == "data_break"
    assert indicator.change_pct == pytest.approx(-70.0)


def test_counted_from_workspace_designations() -> None:
    designations = pd.DataFrame(
        {
            "area_name": ["A", "B", "C", "A"],
            "municipality": ["København", "København", "Aarhus", "København"],
            "year": [2019, 2019, 2019, 2020],
            "designations": [
                "ghettoomraade;udsat_boligomraade",
                "udsat_boligomraade",
                "ghettoomraade",
                "",
            ],
            "residents": [1000, 2000, 3000, 1000],
        }
    )
    memberships = workspace_memberships(designations)
    spec = ListCount(municipality="København", areas_of_year=2019, first_year=2019, last_year=2020)
    assert [r.count for r in count_on_lists(spec, memberships)] == [1]
    spec = ListCount(designation="udsat_boligomraade", first_year=2019, last_year=2019)
    assert count_on_lists(spec, memberships)[0].areas == ("A", "B")


def test_an_indicator_needs_values_or_lists() -> None:
    base: dict[str, Any] = {
        "id": "x",
        "label_da": "x",
        "label_en": "x",
        "unit": "count",
        "better": "lower",
        "target": {"kind": "fall"},
        "source_kind": "lists",
    }
    with pytest.raises(ValidationError, match="needs 'values'"):
        Indicator.model_validate(base)
    lists = {"first_year": 2010, "last_year": 2020}
    assert Indicator.model_validate({**base, "lists": lists}).values == []


def test_cli_goal(run_cli: Callable[..., Any]) -> None:
    result = run_cli("agreement", "goal")
    assert result.code == 0
    assert "usikker" in result.out and "2013, 2018" in result.out


def test_rule_change_notes_read_in_danish_and_english() -> None:
    store = Store.memory()
    result = PoolsFacet(store).list_goal()
    store.close()
    [goal] = result.evaluation.catalogue.goals
    notes = [n for n in goal.indicators[0].notes if n.kind == "rule_change"]
    assert [n.years for n in notes] == [[2013], [2018]]
    assert notes[0].text_da.startswith("Nye kriterier fra listen 1. december 2013 (toårige")
    assert notes[0].text_en == (
        "New criteria from the list of 1 December 2013 (two-year averages, education, income)."
    )
    assert notes[1].text_da == (
        "Nye kriterier fra listen 1. december 2018 (domme over 3 × landsgennemsnittet)."
    )
