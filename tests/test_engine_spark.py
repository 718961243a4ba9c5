"""The same Ibis indicator expressions on DuckDB and on local-mode Spark give the same lists."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from boligmonitor.engine import ENGINE_ENV, engine_name
from boligmonitor.errors import InputError
from boligmonitor.indicators.statutory import area_statistics
from boligmonitor.rules.evaluate import evaluate
from boligmonitor.schema.microdata import load_microdata
from boligmonitor.synth import generate

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (extra 'spark')")
if shutil.which("java") is None:
    pytest.skip(
        "no Java runtime: `make test` installs Debian's default-jre-headless",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("city")
    generate(folder, scale="city", persons=20_000, years=range(2017, 2022), progress=False)
    return folder


def test_unknown_engine_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENGINE_ENV, "oracle")
    with pytest.raises(InputError, match="unknown engine"):
        engine_name()


@pytest.mark.slow
def test_indicators_and_designations_equal_on_duckdb_and_spark(
    city: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_duckdb = area_statistics(load_microdata(city))
    monkeypatch.setenv(ENGINE_ENV, "pyspark")
    microdata = load_microdata(city)  # validated on Spark: no DuckDB-only options
    assert microdata.con.name == "pyspark"
    on_spark = area_statistics(microdata)
    assert len(on_duckdb) > 10
    pd.testing.assert_frame_equal(on_spark, on_duckdb, check_dtype=False, atol=1e-6)
    duck = [r.as_record() for r in evaluate(on_duckdb)]
    spark = [r.as_record() for r in evaluate(on_spark)]
    assert duck == spark
    assert any(r["designations"] for r in duck)


@pytest.mark.slow
def test_bad_file_is_reported_on_spark(
    city: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(city, broken)
    municipalities = pd.read_parquet(broken / "municipalities.parquet")
    municipalities.loc[0, "region_code"] = 9999  # not a region
    municipalities.to_parquet(broken / "municipalities.parquet", index=False)
    monkeypatch.setenv(ENGINE_ENV, "pyspark")
    with pytest.raises(InputError) as caught:
        load_microdata(broken)
    assert any("region_code" in str(p) for p in caught.value.problems)
