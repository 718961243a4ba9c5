"""The columnar evaluator gives exactly the row-wise evaluator's designations and reasons."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from boligmonitor.indicators.statutory import area_statistics
from boligmonitor.rules.evaluate import AreaDesignation, evaluate, evaluate_rowwise
from boligmonitor.rules.registry import shipped_rule_sets
from boligmonitor.schema.microdata import load_microdata
from boligmonitor.synth import generate
from boligmonitor.workspace import Workspace


def _records(results: list[AreaDesignation]) -> list[dict[str, object]]:
    return [r.as_record() for r in results]


def _flips(results: list[AreaDesignation]) -> list[int | None]:
    return [c.flip_persons for r in results for c in r.criteria.values()]


@pytest.fixture(scope="module")
def nation(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    folder = tmp_path_factory.mktemp("nation")
    generate(folder, scale="nation", persons=300_000, years=range(2012, 2022), progress=False)
    microdata = load_microdata(folder, validate=False)
    return area_statistics(microdata)


@pytest.mark.slow
def test_national_synthetic_data_every_year_and_regime(nation: pd.DataFrame) -> None:
    columnar, rowwise = evaluate(nation), evaluate_rowwise(nation)
    assert len(columnar) == len(rowwise) > 2 * nation["area_id"].nunique()
    assert _records(columnar) == _records(rowwise)
    assert _flips(columnar) == _flips(rowwise)
    assert any(r.designations for r in columnar)
    assert any(r.history for r in columnar)  # consecutive-year designations were judged


@pytest.mark.slow
def test_national_synthetic_data_with_published_history(nation: pd.DataFrame) -> None:
    ws = Workspace.memory()
    ws.record.load_history("official")
    history = ws.record.history()
    assert history is not None
    known = tuple(shipped_rule_sets())
    latest = int(nation["year"].max())
    columnar = evaluate(nation, latest, None, known, history)
    rowwise = evaluate_rowwise(nation, latest, None, known, history)
    assert _records(columnar) == _records(rowwise)


def test_published_record_2010_to_2017() -> None:
    ws = Workspace.memory()
    statistics = pd.concat(
        [ws.record.record_statistics(year) for year in range(2010, 2018)], ignore_index=True
    )
    ws.record.load_history("official")
    history = ws.record.history()
    known = tuple(shipped_rule_sets())
    for history_used in (None, history):
        columnar = evaluate(statistics, None, None, known, history_used)
        rowwise = evaluate_rowwise(statistics, None, None, known, history_used)
        assert len(columnar) == len(rowwise) > 300
        assert _records(columnar) == _records(rowwise)
        assert _flips(columnar) == _flips(rowwise)
        assert sum(bool(r.designations) for r in columnar) > 100


def test_named_rule_set_and_one_year(tmp_path: Path) -> None:
    ws = Workspace.memory()
    statistics = pd.concat(
        [ws.record.record_statistics(year) for year in (2016, 2017)], ignore_index=True
    )
    rule_set = ws.designations.rule_set("dk-2013")
    columnar = evaluate(statistics, 2017, [rule_set])
    rowwise = evaluate_rowwise(statistics, 2017, [rule_set])
    assert {r.year for r in columnar} == {2017}
    assert _records(columnar) == _records(rowwise)
