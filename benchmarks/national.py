"""National benchmark: 6 million synthetic persons × 10 years, against DuckDB SQL and Polars.

Measured on the same Parquet files, each value checked equal to Boligmonitor's
(:mod:`baselines`):

1. indicators for 2 years (list year 2021, which reads 2020–2021), for 6 years (list years
   2017–2021, what designating 2021 computes) and for 10 years (every list year 2012–2021,
   reading all ten years): Boligmonitor (Ibis on DuckDB), one hand-written
   DuckDB SQL query, Polars lazy; best of ``--repeat``;
2. the whole user command end to end, ``boligmonitor designate --microdata DIR --year 2021
   --out x.json`` (validation, indicators, designation, writing, start-up), and the same for
   every list year, each in a child process whose peak resident memory is read from the kernel;
3. the rule evaluator on 2 000 synthetic areas × 14 years, checked equal to the row-wise one on
   a sample;
4. CLI start-up (``--help`` and ``designate --help``) in fresh interpreters;
5. with ``--spark``, the indicators on local-mode Spark for a small synthetic city (Spark's fixed
   costs dominate at that size; say so beside the number).

The synthetic nation is generated once into ``--data`` (default ``$BOLIGMONITOR_BENCH_DATA`` or
``~/.cache/boligmonitor/nation-10y``; minutes and ~4 GiB of memory). ``--json`` writes the
numbers for ``run_all.py``.

Usage::

    python benchmarks/national.py [--data DIR] [--repeat 2] [--spark] [--json out.json]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from baselines import BASELINES, check_equal
from boligmonitor.indicators.statutory import area_statistics, needed_years, windows
from boligmonitor.rules.evaluate import evaluate, evaluate_rowwise
from boligmonitor.schema.microdata import load_microdata
from synthetic import area_statistics_frame, validated

YEARS = tuple(range(2012, 2022))
LIST_YEAR = YEARS[-1]
PERSONS = 6_000_000
#: Indicator cases: list year 2021 (reads 2020–2021); the list years designating 2021 computes
#: (2017–2021: the consecutive-year designations look back four years; reads 2016–2021); every
#: list year (reads all ten years).
CASES = {"2 years": [LIST_YEAR], "6 years": list(YEARS[-5:]), "10 years": list(YEARS)}
GIB = 1024**3


def ensure_data(folder: Path, persons: int) -> None:
    """Generate the synthetic nation in a child process unless it is there with these years.

    Raises
    ------
    SystemExit
        When the folder holds another synthetic data set.
    """
    truth = folder / "ground_truth.json"
    if truth.is_file():
        found = json.loads(truth.read_text())
        if found.get("persons") != persons or tuple(found.get("years", ())) != YEARS:
            raise SystemExit(
                f"benchmark: {folder} holds {found.get('persons')} persons × "
                f"{found.get('years')}; expected {persons} × {list(YEARS)} (use another --data)"
            )
        return
    code = (
        "from boligmonitor.synth import generate; "
        f"generate({str(folder)!r}, scale='nation', years={list(YEARS)!r}, seed=2017, "
        f"persons={persons}, progress=True)"
    )
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    seconds = time.perf_counter() - started
    print(f"generated {persons:,} persons × {len(YEARS)} years in {seconds:.0f} s")


def best(repeat: int, run: Callable[[], pd.DataFrame]) -> tuple[float, pd.DataFrame]:
    """The best wall time of ``repeat`` runs, and the last result."""
    times, result = [], pd.DataFrame()
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return min(times), result


def boligmonitor_indicators(folder: Path, list_years: list[int]) -> pd.DataFrame:
    """Boligmonitor's area statistics, loading the microdata (unvalidated) as part of the run."""
    microdata = load_microdata(folder, validate=False)
    try:
        return area_statistics(microdata, list_years)
    finally:
        microdata.con.disconnect()


def indicators(folder: Path, repeat: int) -> dict[str, dict[str, float]]:
    """Seconds per case and route; every baseline checked equal to Boligmonitor."""
    out: dict[str, dict[str, float]] = {}
    for case, list_years in CASES.items():
        regimes = windows(list_years)
        needed = needed_years(list_years, list(YEARS))
        ours_s, ours = best(repeat, partial(boligmonitor_indicators, folder, list_years))
        out[case] = {"boligmonitor": ours_s}
        for name, (label, baseline) in BASELINES.items():
            out[case][name], frame = best(repeat, partial(baseline, folder, regimes, needed))
            check_equal(label, ours, frame)
        print(
            f"  indicators {case}: Boligmonitor {ours_s:.2f} s, "
            + ", ".join(
                f"{BASELINES[k][0]} {v:.2f} s" for k, v in out[case].items() if k in BASELINES
            )
            + f" ({len(ours)} area-years, equal)",
            flush=True,
        )
    return out


#: Runs a command and prints its wall seconds, peak resident memory (KiB) and CPU seconds. The
#: command is started from this small interpreter: the kernel counts the memory of the process
#: a command is forked from in the command's peak, and the benchmark's own process holds GiBs
#: by then (the baselines' results).
_LAUNCHER = """
import json, os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
error = child.stderr.read().decode()
_, status, usage = os.wait4(child.pid, 0)
seconds = time.perf_counter() - started
print(json.dumps({"status": status, "error": error, "seconds": seconds,
                  "peak_kib": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime}))
"""


def run_child(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, peak resident memory (GiB) and CPU seconds of a child process (output
    discarded, as when piped), started from a small launcher (see :data:`_LAUNCHER`)."""
    done = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *command], capture_output=True, text=True, check=True
    )
    run = json.loads(done.stdout)
    if run["status"] != 0:
        raise SystemExit(f"benchmark: {' '.join(command)} failed: {run['error']}")
    return run["seconds"], run["peak_kib"] * 1024 / GIB, run["cpu"]


def _cli(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "boligmonitor.cli", *arguments]


def end_to_end(folder: Path) -> dict[str, dict[str, float]]:
    """The user command, piped like a script would, for the list year and for every year."""
    out = {}
    with tempfile.TemporaryDirectory() as scratch:
        for case, year in (("2 years", ["--year", str(LIST_YEAR)]), ("10 years", [])):
            target = Path(scratch) / f"{case.replace(' ', '')}.json"
            seconds, peak, _ = run_child(
                _cli("designate", "--microdata", str(folder), *year, "--out", str(target))
            )
            if not json.loads(target.read_text()):
                raise SystemExit("benchmark: designate wrote no designations")
            out[case] = {"seconds": seconds, "peak_gib": peak}
            print(
                f"  designate --microdata, {case}: {seconds:.2f} s, peak {peak:.2f} GiB", flush=True
            )
    return out


def evaluator(areas: int = 2000, years: int = 14, sample: int = 150) -> dict[str, float]:
    """Columnar evaluation of every area and year; equal to row-wise on a sample of areas.

    ``seconds`` is :func:`evaluate`: every criterion (with exact ``flip_persons``) and every
    designation of every area-year, as columns. Beside it: the table of who is designated
    (what storing, the simulation and the lists read) and every per-area result object with
    its criteria (what an explanation shows; built only when read).
    """
    statistics = validated(area_statistics_frame(areas, range(2010, 2010 + years)))
    seconds = cpu = table = objects = float("inf")
    results = None
    for _ in range(3):
        started, cpu_started = time.perf_counter(), time.process_time()
        results = evaluate(statistics)
        seconds = min(seconds, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - cpu_started)
        started = time.perf_counter()
        results.table()
        table = min(table, time.perf_counter() - started)
        started = time.perf_counter()
        results.objects()
        objects = min(objects, time.perf_counter() - started)
    assert results is not None
    subset = statistics[statistics["area_id"].isin(statistics["area_id"].unique()[:sample])]
    started = time.perf_counter()
    reference = [r.as_record() for r in evaluate_rowwise(subset)]
    rowwise = (time.perf_counter() - started) * areas / sample
    columnar = evaluate(subset)
    if (
        reference != [r.as_record() for r in columnar]
        or [r["designations"] for r in reference] != columnar.designations()
    ):
        raise SystemExit("benchmark: columnar and row-wise evaluation disagree")
    print(
        f"  evaluator {areas} areas × {years} years: {seconds:.3f} s, {cpu:.3f} s CPU "
        f"({len(results)} results; table of designations +{table:.3f} s, every result object "
        f"+{objects:.3f} s; row-wise ≈ {rowwise:.1f} s)",
        flush=True,
    )
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "table_seconds": table,
        "objects_seconds": objects,
        "rowwise_seconds": rowwise,
    }


def startup() -> tuple[dict[str, float], dict[str, float]]:
    """Best of three fresh interpreters for ``--help`` and ``designate --help``, with the
    package's bytecode compiled as an installation has it: wall time, and CPU time (what the
    wall time would be on an idle machine)."""
    import boligmonitor

    # as installed: pip compiles the package's bytecode, which a source checkout run with
    # PYTHONDONTWRITEBYTECODE would recompile on every start
    compileall.compile_dir(Path(boligmonitor.__file__).parent, quiet=1)
    wall, cpu = {}, {}
    for name, arguments in (("--help", ["--help"]), ("designate --help", ["designate", "--help"])):
        runs = [run_child(_cli(*arguments)) for _ in range(3)]
        wall[name] = min(r[0] for r in runs)
        cpu[name] = min(r[2] for r in runs)
    print(
        f"  start-up: {', '.join(f'{k} {v:.2f} s ({cpu[k]:.2f} s CPU)' for k, v in wall.items())}",
        flush=True,
    )
    return wall, cpu


_SPARK = """
import json, sys, time
from pathlib import Path
from boligmonitor.synth import generate
from boligmonitor.schema.microdata import load_microdata
from boligmonitor.indicators.statutory import area_statistics
folder = Path(sys.argv[1])
if not (folder / "ground_truth.json").is_file():
    generate(folder, scale="city", persons=int(sys.argv[2]), years=range(2017, 2022),
             progress=False)
times = {}
for engine in ("duckdb", "pyspark"):
    import os; os.environ["BOLIGMONITOR_ENGINE"] = engine
    microdata = load_microdata(folder, validate=False)
    area_statistics(microdata, [2021])  # the first run starts the engine
    started = time.perf_counter()
    frame = area_statistics(microdata, [2021])
    times[engine] = time.perf_counter() - started
    times[engine + "_rows"] = len(frame)
print(json.dumps(times))
"""


def spark(persons: int = 100_000) -> dict[str, float]:
    """Indicators on local-mode Spark and on DuckDB for a small city (warm engines)."""
    folder = Path.home() / ".cache" / "boligmonitor" / f"city-{persons}"
    done = subprocess.run(
        [sys.executable, "-c", _SPARK, str(folder), str(persons)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        print(f"  Spark: not measured ({done.stderr.strip().splitlines()[-1:]})")
        return {}
    times: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    print(
        f"  Spark local mode, {persons:,} persons, list year 2021: {times['pyspark']:.2f} s "
        f"(DuckDB {times['duckdb']:.2f} s)",
        flush=True,
    )
    return {"persons": persons, **times}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    default = os.environ.get(
        "BOLIGMONITOR_BENCH_DATA", str(Path.home() / ".cache" / "boligmonitor" / "nation-10y")
    )
    parser.add_argument("--data", type=Path, default=Path(default))
    parser.add_argument("--persons", type=int, default=PERSONS)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--spark", action="store_true", help="also time local-mode Spark")
    parser.add_argument("--json", type=Path, help="write the numbers here")
    args = parser.parse_args()
    ensure_data(args.data, args.persons)
    print(
        f"national benchmark: {args.persons:,} persons × {len(YEARS)} years "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)",
        flush=True,
    )
    results: dict[str, Any] = {"persons": args.persons, "load_before": os.getloadavg()[0]}
    results["startup"], results["startup_cpu"] = startup()
    results["evaluator"] = evaluator()
    results["indicators"] = indicators(args.data, args.repeat)
    results["end_to_end"] = end_to_end(args.data)
    if args.spark:
        results["spark"] = spark()
    results["load_after"] = os.getloadavg()[0]
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
