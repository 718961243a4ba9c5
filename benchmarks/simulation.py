"""Benchmark: allocation-policy microsimulation, households × years × runs.

Target (issue): 300 000 households × 10 years × 20 runs in under 60 s, peak memory ≤ 4 GiB, on
the 2-core machine. Run once, niced:

    nice python benchmarks/simulation.py --persons 600000 --runs 20 --years 10

The synthetic city is generated (or reused) in ``--data``; estimating the dynamics from the panel
is timed separately from the Monte Carlo runs, and the segregation indices (PySAL) separately
again. Peak memory is the process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from boligmonitor.schema.microdata import load_microdata
from boligmonitor.simulation import load_policy, run_policy
from boligmonitor.simulation.estimate import observe


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=600_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--policy", default="combined")
    parser.add_argument("--data", type=Path, default=Path("/tmp/boligmonitor-bench-city"))
    parser.add_argument("--segregation", action="store_true", help="also time PySAL indices")
    args = parser.parse_args()
    folder = args.data / str(args.persons)
    if not (folder / "dwellings.parquet").exists():
        from boligmonitor.synth import generate

        generate(folder, "city", persons=args.persons, progress=False)
    started = time.perf_counter()
    observed = observe(load_microdata(folder, validate=False))
    estimated = time.perf_counter()
    result = run_policy(
        observed,
        load_policy(args.policy),
        years=args.years,
        runs=args.runs,
        inference=0,
        segregation=args.segregation,
    )
    finished = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    households = observed.start.n_households
    run_years = args.years * args.runs
    print(
        f"households {households:,}  persons {len(observed.start.persons):,}  "
        f"areas {observed.city.n_areas}  years {args.years}  runs {args.runs}"
    )
    print(f"estimate from panel: {estimated - started:6.1f} s")
    print(
        f"monte carlo:         {finished - estimated:6.1f} s  "
        f"({(finished - estimated) / run_years * 1000:.0f} ms per run-year)"
    )
    print(f"peak RSS:            {peak:6.2f} GiB")
    print(f"rows: areas {len(result.areas):,}  flows {len(result.flows):,}")


if __name__ == "__main__":
    main()
