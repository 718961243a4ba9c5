"""Table reading and JSON writing: whole columns against cell by cell, orjson against ``json``.

Builds synthetic area statistics (``--areas`` areas x 5 list years, about 2 % of the indicator
cells ``diskretioneret``), then measures in this process, best of ``--repeat`` in CPU seconds:

1. ``read_area_statistics`` of the CSV and the Parquet file as the product reads them (columns
   screened at once) and with the per-cell rule alone (the reader before the screen);
2. writing the designation records of the 2021 list as JSON with ``json_bytes`` and with
   ``json.dumps(indent=2, default=str)`` (the writer before).

Both readers must give the same frame; both writers the same file (the records hold no NaN).

Usage::

    nice python benchmarks/table_io.py [--areas 1000] [--repeat 3] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from boligmonitor.io import tables
from boligmonitor.io.export import json_bytes
from boligmonitor.schema import columnar
from boligmonitor.schema.area_statistics import read_area_statistics
from boligmonitor.workspace import Workspace

YEARS = [2017, 2018, 2019, 2020, 2021]
PERCENT = ["labour_pct", "crime_pct", "education_pct", "nonwestern_pct", "outside_labour_pct"]


def synthetic_statistics(areas: int, seed: int = 7) -> pd.DataFrame:
    """Area statistics as an export holds them (numbers as text, some suppressed)."""
    rng = np.random.default_rng(seed)
    rows = len(YEARS) * areas
    frame = pd.DataFrame(
        {
            "area_id": [f"BO{i:04d}" for i in range(areas) for _ in YEARS],
            "area_name": [f"Område {i}" for i in range(areas) for _ in YEARS],
            "municipality": [f"Kommune {i % 98}" for i in range(areas) for _ in YEARS],
            "year": YEARS * areas,
            "residents": rng.integers(300, 5000, rows).astype(str),
            "crime_national_pct": np.full(rows, "0.79"),
            "income_pct_of_region": rng.uniform(40, 120, rows).round(6).astype(str),
        }
    )
    for column in PERCENT:
        values = rng.uniform(0, 70, rows).round(6).astype(str).astype(object)
        values[rng.random(rows) < 0.02] = "diskretioneret"
        frame[column] = values
    return frame


def best(repeat: int, task: Callable[[], object]) -> float:
    """The least CPU seconds of ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        task()
        times.append(time.process_time() - start)
    return min(times)


def cell_by_cell(path: Path) -> pd.DataFrame:
    """Read with the per-cell rule alone."""
    fast_column, fast_text = columnar.typed_column, tables._column_as_text
    columnar.typed_column = columnar.typed_column_by_cell  # type: ignore[assignment]
    tables._column_as_text = tables._cells_as_text
    try:
        return read_area_statistics(path)
    finally:
        columnar.typed_column, tables._column_as_text = fast_column, fast_text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--areas", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        csv_path, parquet_path = Path(folder) / "a.csv", Path(folder) / "a.parquet"
        statistics = synthetic_statistics(args.areas)
        statistics.to_csv(csv_path, index=False)
        statistics.to_parquet(parquet_path)
        for path in (csv_path, parquet_path):
            pd.testing.assert_frame_equal(read_area_statistics(path), cell_by_cell(path))
            kind = path.suffix[1:]
            results[f"read_{kind}_columns_s"] = best(
                args.repeat, lambda p=path: read_area_statistics(p)
            )
            results[f"read_{kind}_cells_s"] = best(args.repeat, lambda p=path: cell_by_cell(p))
        with Workspace.memory() as ws:
            ws.load_area_statistics(csv_path)
            records = [r.as_record() for r in ws.designate(year=2021)]
    before = json.dumps(records, ensure_ascii=False, indent=2, default=str).encode("utf-8")
    assert json_bytes(records) == before
    results["json_orjson_s"] = best(args.repeat, lambda: json_bytes(records))
    results["json_stdlib_s"] = best(
        args.repeat, lambda: json.dumps(records, ensure_ascii=False, indent=2, default=str)
    )
    results["load_average"] = os.getloadavg()[0]
    for name, value in results.items():
        print(f"{name:<24}{value:8.3f}")
    for kind in ("csv", "parquet"):
        ratio = results[f"read_{kind}_cells_s"] / results[f"read_{kind}_columns_s"]
        print(f"read {kind}: columns {ratio:.1f} x faster than cells")
    print(f"json: orjson {results['json_stdlib_s'] / results['json_orjson_s']:.1f} x faster")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
