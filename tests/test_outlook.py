"""Outlook: calibration on synthetic areas with known trends, and the published backtest scores."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from boligmonitor.outlook.backtest import (
    record_backtest,
    reliability,
    score,
    synthetic_backtest,
)
from boligmonitor.outlook.simulate import outlook
from boligmonitor.rules.model import RuleSet

DATA = Path(__file__).parent / "data" / "outlook"
# The scores published in docs/outlook.md (rounded to 4 decimals).
RECORD_SCORES = {"brier": 0.1759, "log_loss": 0.596, "naive_brier": 0.2487, "naive_log_loss": 1.153}
SYNTHETIC_SCORES = {
    "brier": 0.0086,
    "log_loss": 0.0453,
    "naive_brier": 0.01,
    "naive_log_loss": 0.0562,
}

ONE_CRITERION = RuleSet.model_validate(
    {
        "id": "test-labour",
        "version": "1",
        "title_da": "Test",
        "title_en": "Test",
        "legal_basis": "test",
        "family": "test",
        "list_years": [2000, None],
        "population_minimum": 0,
        "criteria": [
            {
                "id": "labour",
                "label_da": "a",
                "label_en": "a",
                "indicator": "labour_pct",
                "comparison": "gt",
                "threshold": 40,
                "averaging_years": 1,
                "population": "pop_18_64",
            }
        ],
        "designations": [{"id": "listed", "label_da": "l", "label_en": "l", "all_of": ["labour"]}],
    }
)


def _known_trends(seed: int, areas: int = 1500) -> pd.DataFrame:
    """Areas whose true share moves linearly, observed through binomial sampling each year."""
    rng = np.random.default_rng(seed)
    size = rng.integers(150, 3000, areas)
    start = rng.uniform(0.30, 0.50, areas)
    slope = rng.normal(0.0, 0.01, areas)
    rows = []
    for t, year in enumerate(range(2015, 2021)):
        p = np.clip(start + slope * t, 0.01, 0.99)
        share = 100 * rng.binomial(size, p) / size
        rows.append(
            pd.DataFrame(
                {
                    "area_id": [f"A{i}" for i in range(areas)],
                    "area_name": "x",
                    "municipality": "m",
                    "year": year,
                    "residents": size * 2,
                    "pop_18_64": size,
                    "labour_pct": share,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


@pytest.mark.parametrize("seed", [1, 2])
def test_probabilities_are_calibrated_on_known_trends(seed: int) -> None:
    statistics = _known_trends(seed)
    predicted = outlook(statistics, 2020, [ONE_CRITERION], [ONE_CRITERION], draws=400, seed=seed)
    actual = statistics[statistics["year"] == 2020].set_index("area_id")["labour_pct"] > 40
    outcome = actual.loc[predicted["area_id"]].to_numpy()
    curve = reliability(predicted["probability"].to_numpy(), outcome)
    populated = curve[curve["cases"] >= 30]
    assert len(populated) >= 6
    # Each populated bin within 2 binomial standard errors (+0.02 for the Monte Carlo error).
    assert (populated["gap"] <= populated["tolerance"]).all(), populated
    weighted = float((curve["gap"] * curve["cases"]).sum() / curve["cases"].sum())
    assert weighted < 0.04
    # And the forecast is sharper than the base rate.
    base = float(np.mean(outcome))
    assert score(predicted["probability"], outcome, outcome).brier < base * (1 - base)


def test_small_areas_are_less_certain() -> None:
    statistics = _known_trends(3)
    predicted = outlook(statistics, 2020, [ONE_CRITERION], [ONE_CRITERION], draws=400)
    last = statistics[statistics["year"] == 2019].set_index("area_id")
    near = (last["labour_pct"] - 40).abs() < 1.0
    p = predicted.set_index("area_id")["probability"]
    small = p[near & (last["pop_18_64"] < 500)]
    large = p[near & (last["pop_18_64"] > 2500)]
    # Near the threshold, small areas sit closer to 1/2 than large ones on average.
    assert (small - 0.5).abs().mean() < (large - 0.5).abs().mean() + 0.05


def test_record_backtest_recomputes_published_scores() -> None:
    scores, cases = record_backtest()
    assert sorted(cases["year"].unique()) == [2011, 2012, 2013, 2015, 2016, 2017]
    published = scores.as_record()
    for name, value in RECORD_SCORES.items():
        assert published[name] == pytest.approx(value, abs=0.0005), name
    assert scores.brier < scores.naive_brier and scores.log_loss < scores.naive_log_loss


def test_synthetic_backtest_recomputes_published_scores() -> None:
    statistics = pd.read_csv(DATA / "synthetic-nation-600k-area-statistics.csv")
    scores, _ = synthetic_backtest(statistics, range(2019, 2025), draws=400)
    published = scores.as_record()
    for name, value in SYNTHETIC_SCORES.items():
        assert published[name] == pytest.approx(value, abs=0.0005), name
    assert scores.brier < scores.naive_brier and scores.log_loss < scores.naive_log_loss


def test_outlook_cli_and_watch_list(tmp_path: Path, run_cli: Any) -> None:
    statistics = pd.read_csv(DATA / "synthetic-nation-600k-area-statistics.csv")
    from boligmonitor.outlook.facet import OutlookFacet
    from boligmonitor.outlook.views import status_section
    from boligmonitor.store import Store, Table

    store = Store.create(tmp_path / "ws")
    store.write(Table.AREA_STATISTICS, statistics[statistics["year"] <= 2023])
    store.close()
    out = tmp_path / "outlook.csv"
    result = run_cli(
        "outlook", "--year", "2024", "--workspace", tmp_path / "ws", "--draws", "200", "--out", out
    )
    assert result.code == 0, result.err
    written = pd.read_csv(out)
    assert set(written["year"]) == {2024} and written["probability"].between(0, 1).all()
    facet = OutlookFacet(Store.open(tmp_path / "ws"))
    watched = facet.watch_list(2024, by="change")
    assert (watched["probability"].between(0.05, 0.95) | (watched["change"].abs() >= 0.5)).all()
    html = str(status_section(facet.stored(2024), watched, "da"))
    assert "Udsigt for 1. december 2024" in html


def test_watch_page_and_api_read_the_stored_outlook(tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from boligmonitor.outlook.facet import OutlookFacet
    from boligmonitor.store import Store, Table
    from boligmonitor.web.app import open_app

    statistics = pd.read_csv(DATA / "synthetic-nation-600k-area-statistics.csv")
    store = Store.create(tmp_path / "ws")
    store.write(Table.AREA_STATISTICS, statistics)
    stored = OutlookFacet(store, draws=100).compute(2024)
    store.close()
    client = TestClient(open_app(tmp_path / "ws"))
    page = client.get("/outlook?by=change")
    assert page.status_code == 200 and "watch-list" in page.text
    api = client.get("/api/outlook").json()
    assert len(api) == len(stored) and {r["year"] for r in api} == {2024}
    assert client.get("/api/outlook?year=1999").status_code == 404
