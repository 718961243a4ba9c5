"""Regression tests of findings 1-3: one disclosure policy over geographies, years and exports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from boligmonitor.disclosure import MARK, check_min_persons, disclose_area_statistics, suppress
from boligmonitor.disclosure.geography import coordinate
from boligmonitor.disclosure.suppression import UNIT_INDICATOR_FIGURES
from boligmonitor.errors import InputError
from boligmonitor.screening.export import disclosed_areas, disclosed_units
from boligmonitor.screening.method import load_method
from boligmonitor.screening.screen import screen_units
from tests.test_screening_fixtures import cell, grid_stats


def test_a_hidden_100m_cell_is_not_the_unit_minus_its_published_cells() -> None:
    """Finding 1: a unit of two 100 m cells (5 and 2 persons) in one 250 m cell."""
    atoms = pd.DataFrame(
        {
            "screening_unit": ["U1", "U1", "U2", "U2"],
            "dkn100": ["a", "b", "c", "d"],
            "dkn250": ["A", "A", "C", "C"],
            "persons": [5, 2, 20, 30],
        }
    )
    pattern = coordinate(atoms, 3)
    assert "b" in pattern.cells["dkn100"]  # primary
    assert "a" in pattern.cells["dkn100"]  # else U1 − a = b
    assert not pattern.total


@pytest.mark.parametrize("threshold", [0, -1, 2])
def test_thresholds_below_three_are_refused(threshold: int) -> None:
    """Finding 3: --min-persons 0 or negative no longer turns disclosure control off."""
    with pytest.raises(InputError, match="min-persons"):
        check_min_persons(threshold)
    with pytest.raises(InputError):
        suppress(pd.DataFrame({"n": [1]}), UNIT_INDICATOR_FIGURES[:0], threshold)


def test_cli_refuses_min_persons_zero_with_exit_2(
    run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    result = run_cli("indicators", "-m", tmp_path, "--min-persons", "0")
    assert result.code == 2
    assert "min-persons" in result.err


def test_a_year_of_two_persons_is_hidden_in_every_row_that_uses_it() -> None:
    """Finding 2: the 2020 share of 2 persons is in labour_pct 2020/2021 and outside 2021."""
    stats = pd.DataFrame(
        {
            "area_id": ["A"] * 3,
            "year": [2020, 2021, 2022],
            "residents": [40, 40, 40],
            "labour_pct": [30.0, 40.0, 45.0],
            "outside_labour_pct": [20.0, 50.0, 30.0],
            "pop_18_64": [2, 30, 30],
            "crime_pct": [1.0, 1.0, 1.0],
            "pop_18_plus": [30, 30, 30],
            "education_pct": [1.0, 1.0, 1.0],
            "pop_30_59": [10, 10, 10],
            "income_pct_of_region": [1.0, 1.0, 1.0],
            "pop_15_64_taxpayers": [10, 10, 10],
            "nonwestern_pct": [1.0, 1.0, 1.0],
        }
    )
    bases = stats[["area_id", "year", "residents", "pop_18_64", "pop_18_plus", "pop_30_59"]]
    bases = bases.assign(pop_15_64_taxpayers=10)
    windows = pd.DataFrame({"list_year": [2020, 2021, 2022], "labour_years": 2, "crime_years": 2})
    out = disclose_area_statistics(stats, 3, bases, windows).set_index("year")
    assert out["labour_pct"].isna().tolist() == [True, True, False]
    assert out["outside_labour_pct"].isna().tolist() == [False, True, False]
    assert out["pop_18_64"].isna().tolist() == [True, False, False]
    # 2·labour − outside of 2022 gives 2022's share; 2021's is never in a published value
    assert out.loc[2021, MARK] == "labour_pct;outside_labour_pct"


def test_screen_export_hides_residents_and_counts_of_small_units() -> None:
    """Finding 3: residents and behind_count of a unit of 2 residents, and the area total."""
    stats = grid_stats({(0, 0), (0, 1), (1, 0)}, size=4, year=2021, overrides={(0, 1): 2})
    stats["name"] = stats["unit_id"]
    result = screen_units(stats, 2021, load_method("kk-default"))
    units = disclosed_units(result).set_index("unit_id")
    small = cell(0, 1)
    assert pd.isna(units.loc[small, "residents"])
    assert pd.isna(units.loc[small, "behind_count"])
    areas = disclosed_areas(result)
    area = result.units.set_index("unit_id").loc[small, "area_id"]
    if isinstance(area, str):  # the area is the total of its units: one more is hidden
        members = result.units[result.units["area_id"] == area]["unit_id"]
        hidden = units.loc[members, "residents"].isna().sum()
        area_hidden = areas.set_index("area_id").loc[area, "residents"]
        assert hidden >= 2 or pd.isna(area_hidden)
