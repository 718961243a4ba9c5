"""The columnar evaluation's table, lazy objects and exact flip_persons agree with the objects
and with the row-wise reference."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from boligmonitor.rules.columnar import Columns, criterion_columns
from boligmonitor.rules.criteria import apply_criterion
from boligmonitor.rules.evaluate import evaluate, evaluate_rowwise
from boligmonitor.rules.evaluation import Evaluation
from boligmonitor.rules.registry import shipped_rule_sets
from boligmonitor.workspace import Workspace


@pytest.fixture(scope="module")
def record() -> pd.DataFrame:
    ws = Workspace.memory()
    years = range(2010, 2018)
    return pd.concat([ws.record.record_statistics(y) for y in years], ignore_index=True)


def test_table_gives_the_objects_values(record: pd.DataFrame) -> None:
    evaluation = evaluate(record)
    table = evaluation.table()
    objects = list(evaluation)
    assert len(table) == len(objects) > 300
    expected = pd.DataFrame(
        {
            "area_id": [r.area_id for r in objects],
            "area_name": [r.area_name for r in objects],
            "municipality": [r.municipality for r in objects],
            "year": [r.year for r in objects],
            "rule_set": [r.rule_set for r in objects],
            "rule_set_version": [r.rule_set_version for r in objects],
            "residents": pd.array([r.residents for r in objects], dtype="Int64"),
            "designations": [";".join(r.designations) for r in objects],
        }
    )
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)
    assert evaluation.designations() == [r.designations for r in objects]
    assert sum(bool(d) for d in evaluation.designations()) > 100


def test_objects_read_one_at_a_time_equal_those_built_in_bulk(record: pd.DataFrame) -> None:
    lazy, bulk = evaluate(record), evaluate(record)
    positions = [0, 7, len(bulk) - 1, -1, -len(bulk)]
    assert [lazy[i].as_record() for i in positions] == [
        bulk.objects()[i].as_record() for i in positions
    ]
    assert lazy[3] is lazy[3]  # built once
    first = lazy[0]
    assert lazy.objects()[0] is first  # the bulk build keeps what was read before
    assert [r.as_record() for r in lazy[2:5]] == [r.as_record() for r in bulk.objects()[2:5]]
    with pytest.raises(IndexError):
        lazy[len(lazy)]


def test_groups_hold_the_entries_in_order(record: pd.DataFrame) -> None:
    evaluation = evaluate(record)
    groups = evaluation.groups("year", "rule_set")
    expected: dict[tuple[int, str], list[dict[str, object]]] = {}
    for result in evaluate(record):
        expected.setdefault((result.year, result.rule_set), []).append(result.as_record())
    assert list(groups) == list(expected)
    assert {k: [r.as_record() for r in g] for k, g in groups.items()} == expected
    by_area = evaluation.groups("area_id")
    assert sum(len(g) for g in by_area.values()) == len(evaluation)
    some = next(iter(by_area))
    assert {r.area_id for r in by_area[some]} == {some[0]}


def test_an_empty_evaluation() -> None:
    empty = evaluate(pd.DataFrame())
    assert isinstance(empty, Evaluation) and len(empty) == 0 and list(empty) == []
    assert list(empty.table().columns) == list(Evaluation.empty().table().columns)
    assert empty.table().empty and empty.designations() == []


def test_a_year_without_rows_gives_nothing(record: pd.DataFrame) -> None:
    assert len(evaluate(record, 2030)) == 0 == len(evaluate_rowwise(record, 2030))
    assert evaluate(record, 2030).table().empty


def _whole_step_cases() -> pd.DataFrame:
    """Income values whose ``100 − value`` prints with more than ten decimals, with taxpayer
    counts that make margin · taxpayers / (100 − value) a whole number of steps (and ±1 off)."""
    rows = []
    for hundredths in range(100, 9999, 7):
        value = hundredths / 100
        room, margin = 10_000 - hundredths, 5_500 - hundredths
        if margin == 0 or repr(100 - value) == repr(round(100 - value, 2)):
            continue
        whole = room // np.gcd(abs(margin), room)
        for people in (whole, 2 * whole, whole + 1, whole - 1):
            if 0 < people < 20_000:
                rows.append((value, int(people)))
    return pd.DataFrame(rows, columns=["income_pct_of_region", "pop_15_64_taxpayers"])


def test_flip_persons_when_the_income_room_prints_long() -> None:
    cases = _whole_step_cases()
    assert len(cases) > 500
    frame = cases.assign(
        area_id=[f"A{i}" for i in range(len(cases))],
        year=2021,
        residents=cases["pop_15_64_taxpayers"],
    )
    criterion = next(
        c
        for r in shipped_rule_sets()
        for c in r.criteria
        if c.unit == "pct_of_region" and c.threshold == 55
    )
    columns = criterion_columns(criterion, Columns(frame))
    rows = frame.to_dict("records")
    expected = [apply_criterion(criterion, row).flip_persons for row in rows]
    assert [None if f < 0 else int(f) for f in columns.flips] == expected


def test_a_repeated_area_year_keeps_its_last_row_at_its_first_place(
    record: pd.DataFrame,
) -> None:
    rows = record[record["year"].isin([2016, 2017])].reset_index(drop=True)
    repeated = rows.iloc[[3, 10]].assign(labour_pct=[99.0, 1.0], residents=[5000, 900])
    statistics = pd.concat([rows, repeated], ignore_index=True)
    columnar, rowwise = evaluate(statistics), evaluate_rowwise(statistics)
    assert len(columnar) == len(evaluate(rows))
    assert [r.as_record() for r in columnar] == [r.as_record() for r in rowwise]
    kept = {(r.area_id, r.year): r.residents for r in columnar}
    assert kept[(rows.loc[3, "area_id"], rows.loc[3, "year"])] == 5000
