"""Pinned outputs: the simulation of a small synthetic city gives exactly the outputs stored in
``tests/data/simulation_pinned/`` (computed once from the reference implementation).

Speed work must not change results: the same seed gives bit-identical estimates (every array of
:class:`~boligmonitor.simulation.estimate.Observed`), area criteria and designations, flows,
ledgers and segregation indices. Regenerate the data only for a deliberate change of the model:
``PYTHONPATH=src python tests/test_simulation_pinned.py``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields, is_dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from boligmonitor.indicators.statutory import area_statistics
from boligmonitor.schema.microdata import load_microdata
from boligmonitor.simulation import load_policy, run_policy
from boligmonitor.simulation.estimate import Observed, observe

DATA = Path(__file__).parent / "data" / "simulation_pinned"
POLICIES = ("baseline", "combined", "trappemodel", "fleksibel", "kombineret")
FRAMES = ("areas", "flows", "ledger", "segregation")
YEARS, RUNS, SEED = 5, 3, 11


def _city(folder: Path) -> tuple[Observed, pd.DataFrame]:
    from boligmonitor.synth import generate

    generate(folder, "city", years=range(2017, 2023), seed=5, persons=30000, progress=False)
    microdata = load_microdata(folder, validate=False)
    observed = observe(microdata)
    years = [y for y in microdata.years() if y < observed.start_year][-4:]
    return observed, area_statistics(microdata, years)


def _arrays(value: object, prefix: str) -> dict[str, np.ndarray]:  # type: ignore[type-arg]
    """Every numpy array inside the dataclass ``value``, by dotted name."""
    found: dict[str, np.ndarray] = {}  # type: ignore[type-arg]
    if isinstance(value, np.ndarray):
        found[prefix] = value
    elif isinstance(value, (int, float)):
        found[prefix] = np.asarray(value)
    elif isinstance(value, list):
        found[prefix] = np.asarray(value, dtype=str)
    elif is_dataclass(value):
        for f in fields(value):
            if f.name not in ("pools", "states"):
                found.update(_arrays(getattr(value, f.name), f"{prefix}.{f.name}"))
    return found


def _digests(arrays: dict[str, np.ndarray]) -> dict[str, str]:  # type: ignore[type-arg]
    """Dtype, shape and SHA-256 of each array's bytes (bit-exact, compact to store)."""
    found = {}
    for name, a in arrays.items():
        digest = hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()
        found[name] = f"{a.dtype.str} {a.shape} {digest}"
    return found


def _outputs(observed: Observed, history: pd.DataFrame) -> dict[str, pd.DataFrame]:
    frames: dict[str, list[pd.DataFrame]] = {name: [] for name in FRAMES}
    for policy in POLICIES:
        result = run_policy(
            observed,
            load_policy(policy),
            years=YEARS,
            runs=RUNS,
            seed=SEED,
            history=history,
            inference=0,
            segregation=True,
        )
        for name in FRAMES:
            frames[name].append(getattr(result, name).assign(policy=policy))
    return {name: pd.concat(parts, ignore_index=True) for name, parts in frames.items()}


@pytest.fixture(scope="module")
def pinned_city(tmp_path_factory: pytest.TempPathFactory) -> tuple[Observed, pd.DataFrame]:
    return _city(tmp_path_factory.mktemp("pinned"))


def test_estimates_are_unchanged(pinned_city: tuple[Observed, pd.DataFrame]) -> None:
    digests = _digests(_arrays(pinned_city[0], "observed"))
    stored = json.loads((DATA / "observed.json").read_text())
    assert digests == stored


def test_outputs_are_unchanged(pinned_city: tuple[Observed, pd.DataFrame]) -> None:
    outputs = _outputs(*pinned_city)
    for name, frame in outputs.items():
        stored = pd.read_parquet(DATA / f"{name}.parquet")
        pd.testing.assert_frame_equal(frame, stored, check_exact=True, obj=name)
    # the pinned case exercises lists, refusals and the trappemodel
    areas = outputs["areas"]
    assert areas["udsat_boligomraade"].any() and len(outputs["flows"])


def test_worker_processes_give_the_same_result(
    pinned_city: tuple[Observed, pd.DataFrame],
) -> None:
    observed, history = pinned_city
    policy = load_policy("combined")
    kwargs = {"years": 2, "runs": 3, "seed": SEED, "history": history, "inference": 0}
    one = run_policy(observed, policy, workers=1, **kwargs)  # type: ignore[arg-type]
    ticks: list[int] = []
    two = run_policy(observed, policy, workers=2, progress=ticks.append, **kwargs)  # type: ignore[arg-type]
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(one, name), getattr(two, name), check_exact=True)
    assert sum(ticks) == 2 * 3


def _regenerate() -> None:  # pragma: no cover - run by hand
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        observed, history = _city(Path(folder))
        DATA.mkdir(parents=True, exist_ok=True)
        digests = _digests(_arrays(observed, "observed"))
        (DATA / "observed.json").write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n")
        for name, frame in _outputs(observed, history).items():
            frame.to_parquet(DATA / f"{name}.parquet", index=False)


if __name__ == "__main__":
    _regenerate()


def test_list_engine_gives_the_lists_of_the_full_window_every_year() -> None:
    # The example areas 2014-2022 (ghetto lists under dk-2013/dk-2018, parallelsamfund and
    # omdannelse under dk-2021, § 51 b), as two "runs" (the second with labour shares moved):
    # the engine, evaluating all runs at once in one columnar call, gives every year exactly
    # the lists of the rule engine evaluated afresh on each run's five-year window.
    from boligmonitor.data import example_path
    from boligmonitor.rules.evaluate import evaluate_rowwise
    from boligmonitor.simulation.engine import LOOKBACK
    from boligmonitor.simulation.households import City
    from boligmonitor.simulation.rules import DESIGNATIONS, ListEngine, designate

    stats = pd.read_csv(example_path("omraader_2014_2022.csv"))
    other = stats.assign(labour_pct=stats["labour_pct"] - 6.0)
    areas = sorted(stats["area_id"].unique())
    none = np.zeros(0, dtype=np.int64)
    city = City(areas, areas, [], none, none, none, np.zeros(0, dtype=bool), np.zeros(0))
    engine = ListEngine(city, LOOKBACK)
    seen = set()
    for year in sorted(stats["year"].unique()):
        windows = [s[s["year"].between(year - LOOKBACK, year)] for s in (stats, other)]
        lists = engine.designate(windows, int(year))
        for window, held in zip(windows, lists, strict=True):
            expected = designate(window, int(year), city)
            reference = {
                (r.area_id, d) for r in evaluate_rowwise(window, int(year)) for d in r.designations
            }
            for name in DESIGNATIONS:
                np.testing.assert_array_equal(held[name], expected[name], err_msg=name)
                by_rows = [(area, name) in reference for area in areas]
                np.testing.assert_array_equal(held[name], by_rows, err_msg=name)
                if held[name].any():
                    seen.add(name)
    assert {"udsat_boligomraade", "parallelsamfund", "omdannelsesomraade"} <= seen
