"""National benchmark: 6 million synthetic persons, 2 years → statutory indicators and lists.

Generates the synthetic nation once (in a child process, so its memory does not count) into
``--data`` (default ``$BOLIGMONITOR_BENCH_DATA`` or ``~/.cache/boligmonitor/nation-2y``), then in
this process:

1. Boligmonitor: load the microdata (without and, timed separately, with validation), compute
   every area's statistics for the last year with the Ibis engine, and designate them;
2. baseline: one hand-written DuckDB SQL query computing the same indicators from the same
   Parquet files on a fresh connection (raw SQL is fine here: it *is* the baseline).

It checks that both give the same values, and prints wall times, the ratio Boligmonitor /
SQL, and the peak resident memory of this process. Targets (2 cores, 24 GiB): ratio ≤ 1.5,
peak ≤ 3 GiB.

Usage::

    python benchmarks/national.py [--data DIR] [--persons 6000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from boligmonitor.indicators.statutory import area_statistics
from boligmonitor.rules.evaluate import evaluate
from boligmonitor.schema.microdata import load_microdata

YEARS = (2020, 2021)
LIST_YEAR = YEARS[-1]

BASELINE_SQL = """
WITH p AS (
  SELECT p.year, p.age, p.no_attachment_fraction, p.convicted, p.education, p.in_education,
         p.taxpayer, p.gross_income, p.origin, m.region_code, dep.area_id
  FROM read_parquet('{d}/persons/*.parquet') p
  JOIN read_parquet('{d}/addresses.parquet') a USING (address_id)
  JOIN read_parquet('{d}/municipalities.parquet') m USING (municipality_code)
  LEFT JOIN read_parquet('{d}/dwellings.parquet') dw USING (address_id)
  LEFT JOIN read_parquet('{d}/departments.parquet') dep USING (department_id)
), g AS (
  SELECT year, area_id, region_code, count(*) AS residents,
    sum(CASE WHEN age BETWEEN 18 AND 64 THEN no_attachment_fraction ELSE 0 END) AS lab_num,
    sum(CASE WHEN age BETWEEN 18 AND 64 THEN 1 ELSE 0 END) AS lab_den,
    sum(CASE WHEN age >= 18 AND convicted THEN 1 ELSE 0 END) AS cr_num,
    sum(CASE WHEN age >= 18 THEN 1 ELSE 0 END) AS cr_den,
    sum(CASE WHEN age BETWEEN 30 AND 59
             AND education IN ('basic', 'unknown', 'foreign_not_approved') THEN 1 ELSE 0 END)
        AS ed_num,
    sum(CASE WHEN age BETWEEN 30 AND 59 THEN 1 ELSE 0 END) AS ed_den,
    sum(CASE WHEN taxpayer AND age BETWEEN 15 AND 64 AND NOT in_education
             AND gross_income IS NOT NULL THEN gross_income ELSE 0 END) AS inc_num,
    sum(CASE WHEN taxpayer AND age BETWEEN 15 AND 64 AND NOT in_education
             AND gross_income IS NOT NULL THEN 1 ELSE 0 END) AS inc_den,
    sum(CASE WHEN origin IN ('nonwestern_immigrant', 'nonwestern_descendant') THEN 1 ELSE 0 END)
        AS nw_num
  FROM p WHERE year IN ({needed}) GROUP BY ALL
), region AS (
  SELECT year, region_code, sum(inc_num) / sum(inc_den) AS region_mean FROM g GROUP BY ALL
), nation AS (
  SELECT year, 100.0 * sum(cr_num) / sum(cr_den) AS crime FROM g GROUP BY ALL
), area AS (
  SELECT year, area_id, min(region_code) AS region_code, sum(residents) AS residents,
         sum(lab_num) AS lab_num, sum(lab_den) AS lab_den, sum(cr_num) AS cr_num,
         sum(cr_den) AS cr_den, sum(ed_num) AS ed_num, sum(ed_den) AS ed_den,
         sum(inc_num) AS inc_num, sum(inc_den) AS inc_den, sum(nw_num) AS nw_num
  FROM g WHERE area_id IS NOT NULL GROUP BY ALL
), shares AS (
  SELECT area.*, 100.0 * lab_num / lab_den AS labour, 100.0 * cr_num / cr_den AS crime,
         100.0 * ed_num / ed_den AS education,
         100.0 * (inc_num / inc_den) / region_mean AS income,
         100.0 * nw_num / residents AS ethnicity
  FROM area JOIN region USING (year, region_code)
)
SELECT area_id,
  avg(labour) AS labour_pct,
  avg(crime) AS crime_pct,
  (SELECT avg(crime) FROM nation) AS crime_national_pct,
  max(education) FILTER (WHERE year = {y}) AS education_pct,
  max(income) FILTER (WHERE year = {y}) AS income_pct_of_region,
  max(ethnicity) FILTER (WHERE year = {y}) AS nonwestern_pct,
  max(labour) FILTER (WHERE year = {y} - 1) AS outside_labour_pct,
  max(residents) FILTER (WHERE year = {y}) AS residents
FROM shares
GROUP BY area_id
HAVING max(residents) FILTER (WHERE year = {y}) IS NOT NULL
ORDER BY area_id
"""
COMPARED = (
    "labour_pct",
    "crime_pct",
    "crime_national_pct",
    "education_pct",
    "income_pct_of_region",
    "nonwestern_pct",
    "outside_labour_pct",
    "residents",
)


def peak_gib() -> float:
    """Peak resident set size of this process in GiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def ensure_data(folder: Path, persons: int) -> None:
    """Generate the synthetic nation in a child process unless it is already there."""
    if (folder / "ground_truth.json").is_file():
        return
    code = (
        "from boligmonitor.synth import generate; "
        f"generate({str(folder)!r}, scale='nation', years={list(YEARS)!r}, seed=2017, "
        f"persons={persons}, progress=True)"
    )
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    print(
        f"generated {persons:,} persons × {len(YEARS)} years in "
        f"{time.perf_counter() - started:.1f} s → {folder}"
    )


def run_boligmonitor(folder: Path) -> tuple[float, float, pd.DataFrame, int]:
    """Indicators (seconds), designations (seconds), statistics, designated areas."""
    started = time.perf_counter()
    microdata = load_microdata(folder, validate=False)
    statistics = area_statistics(microdata, [LIST_YEAR])
    indicators = time.perf_counter() - started
    started = time.perf_counter()
    results = evaluate(statistics, LIST_YEAR)
    designating = time.perf_counter() - started
    microdata.con.disconnect()
    return indicators, designating, statistics, sum(1 for r in results if r.designations)


def run_sql(folder: Path) -> tuple[float, pd.DataFrame]:
    """The hand-written baseline on a fresh DuckDB connection."""
    started = time.perf_counter()
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    frame = con.execute(
        BASELINE_SQL.format(d=folder, y=LIST_YEAR, needed=", ".join(map(str, YEARS)))
    ).df()
    con.close()
    return time.perf_counter() - started, frame


def check_equal(ours: pd.DataFrame, baseline: pd.DataFrame) -> None:
    """Both routes must give the same values (to the 6 decimals Boligmonitor keeps)."""
    mine = ours.set_index("area_id")[list(COMPARED)].astype("float64")
    theirs = baseline.set_index("area_id")[list(COMPARED)].astype("float64")
    if list(mine.index) != list(theirs.index):
        raise SystemExit("benchmark: the two routes found different areas")
    if not np.allclose(mine.to_numpy(), theirs.to_numpy(), atol=1e-5, equal_nan=True):
        raise SystemExit("benchmark: Boligmonitor and the SQL baseline disagree")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = os.environ.get(
        "BOLIGMONITOR_BENCH_DATA", str(Path.home() / ".cache" / "boligmonitor" / "nation-2y")
    )
    parser.add_argument("--data", type=Path, default=Path(default))
    parser.add_argument("--persons", type=int, default=6_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ensure_data(args.data, args.persons)
    ours, sql, designating = [], [], []
    for _ in range(args.repeat):
        seconds, designate_seconds, statistics, designated = run_boligmonitor(args.data)
        ours.append(seconds)
        designating.append(designate_seconds)
        baseline_seconds, baseline = run_sql(args.data)
        sql.append(baseline_seconds)
    check_equal(statistics, baseline)
    started = time.perf_counter()
    load_microdata(args.data, validate=True).con.disconnect()
    validation = time.perf_counter() - started
    best_ours, best_sql = min(ours), min(sql)
    print(
        f"national benchmark: {args.persons:,} persons × {len(YEARS)} years, "
        f"{len(statistics)} boligområder, {designated} with a designation in {LIST_YEAR}"
    )
    print(f"  Boligmonitor indicators  {best_ours:7.2f} s  (best of {args.repeat})")
    print(f"  hand-written DuckDB SQL  {best_sql:7.2f} s  (best of {args.repeat})")
    print(f"  ratio                    {best_ours / best_sql:7.2f}   (target ≤ 1.5)")
    print(f"  designations (evaluator) {min(designating):7.2f} s")
    print(f"  validation of all files  {validation:7.2f} s  (once per load, not in the ratio)")
    print(f"  peak memory              {peak_gib():7.2f} GiB (target ≤ 3)")


if __name__ == "__main__":
    main()
