"""Disclosure control: primary suppression below 3 persons, secondary against subtraction."""

from __future__ import annotations

from itertools import product
from pathlib import Path

import pandas as pd

from boligmonitor.disclosure import (
    MARK,
    Figure,
    disclose_area_statistics,
    disclose_unit_indicators,
    marked,
    suppress,
)
from boligmonitor.indicators.copenhagen import UNIT_INDICATOR_COLUMNS
from boligmonitor.schema.area_statistics import read_area_statistics

COUNT = Figure(("persons", "convicted"), "persons")


def _table() -> pd.DataFrame:
    # one unit of 2 persons; the total row would give it away by subtraction
    return pd.DataFrame(
        {
            "unit": ["U1", "U2", "U3", "total"],
            "persons": [2, 10, 20, 32],
            "convicted": [1, 1, 4, 6],
        }
    )


def test_naive_suppression_would_leak() -> None:
    naive = _table()
    naive.loc[0, ["persons", "convicted"]] = None
    recovered = naive.loc[3, "convicted"] - naive.loc[1:2, "convicted"].sum()
    assert recovered == 1  # exactly the hidden value: primary suppression alone is not enough


def test_secondary_suppression_hides_the_value() -> None:
    table = _table()
    out = suppress(table, [COUNT], total=table["unit"] == "total")
    assert out[MARK].tolist() == ["persons;convicted", "persons;convicted", "", ""]
    published = out.loc[out["convicted"].notna(), "convicted"]
    assert published.tolist() == [4, 6]
    # every split of the remaining 2 convicted over U1 and U2 fits the published figures
    consistent = [(a, b) for a, b in product(range(3), repeat=2) if a + b == 6 - 4]
    assert len(consistent) > 1


def test_no_secondary_without_a_published_total() -> None:
    out = suppress(_table().iloc[:3], [COUNT])
    assert out[MARK].tolist() == ["persons;convicted", "", ""]


def test_minimum_is_configurable_and_zero_is_not_suppressed() -> None:
    table = pd.DataFrame({"persons": [0, 4, 5], "convicted": [0, 1, 2]})
    assert suppress(table, [COUNT], min_persons=5)[MARK].tolist() == ["", "persons;convicted", ""]


def test_total_suppressed_when_no_other_unit_can_hide_it() -> None:
    table = pd.DataFrame(
        {"unit": ["U1", "U2", "total"], "persons": [2, 0, 2], "convicted": [1, 0, 1]}
    )
    out = suppress(table, [COUNT], total=table["unit"] == "total")
    assert out[MARK].tolist() == ["persons;convicted", "", "persons;convicted"]


def _units() -> pd.DataFrame:
    rows = []
    for unit, (n, k) in {"U1": (2, 1), "U2": (40, 5), "U3": (9, 3)}.items():
        row: dict[str, object] = {"unit_id": unit, "year": 2021, "residents": n}
        for name in ("living_area", "outside_labour", "low_income", "nonwestern", "no_education"):
            row[f"{name}_num"], row[f"{name}_den"] = k, n
            row[name] = 100 * k / n
        rows.append(row)
    return pd.DataFrame(rows)[list(UNIT_INDICATOR_COLUMNS)]


def test_unit_indicators_get_a_protected_city_total() -> None:
    out = disclose_unit_indicators(_units())
    total = out[out.unit_id == "I alt"].iloc[0]
    assert total.residents == 51 and total.outside_labour == 100 * 9 / 51
    by_unit = out.set_index("unit_id")[MARK]
    assert "residents" in by_unit["U1"] and "outside_labour" in by_unit["U1"]
    assert "outside_labour" in by_unit["U3"]  # the smallest other unit protects U1
    assert by_unit["U2"] == "" and by_unit["I alt"] == ""
    assert pd.isna(out.set_index("unit_id").loc["U3", "outside_labour_num"])


def test_marked_file_reads_back_as_missing(tmp_path: Path) -> None:
    statistics = pd.DataFrame(
        [
            {
                "area_id": "A",
                "year": 2021,
                "residents": 1200,
                "labour_pct": 41.5,
                "crime_pct": 1.0,
                "crime_national_pct": 0.9,
                "education_pct": 20.0,
                "income_pct_of_region": 70.0,
                "nonwestern_pct": 30.0,
                "outside_labour_pct": 40.0,
                "pop_18_64": 800,
                "pop_18_plus": 900,
                "pop_30_59": 2,
                "pop_15_64_taxpayers": 700,
            },
        ]
    )
    out = marked(disclose_area_statistics(statistics))
    assert out.loc[0, "education_pct"] == MARK and out.loc[0, "pop_30_59"] == MARK
    assert out.loc[0, "labour_pct"] == 41.5
    out.to_csv(tmp_path / "stats.csv", index=False)
    back = read_area_statistics(tmp_path / "stats.csv")
    assert pd.isna(back.loc[0, "education_pct"]) and back.loc[0, "labour_pct"] == 41.5
