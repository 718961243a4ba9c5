"""Benchmark: allocation-policy microsimulation, households × years × runs.

Target (issue): 300 000 households × 10 years × 20 runs in under 60 s, peak memory ≤ 4 GiB, on
the 2-core machine. Run once, niced:

    nice python benchmarks/simulation.py --persons 600000 --runs 20 --years 10

The synthetic city is generated (or reused) in ``--data``; estimating the dynamics from the panel
is timed separately from the Monte Carlo runs, and the segregation indices (PySAL) separately
again. The runs are spread over ``--workers`` forked processes (default: every available core).
Wall-clock and CPU seconds are both reported, with the load average before and after, because
the machine is shared. Peak memory is sampled every second as the proportional set size (PSS) of
this process and its workers together (pages the forked workers share with it are counted
once; reading it costs the kernel time, hence the coarse interval), next to this process's own
maximum resident set size. ``--plans FILE`` carries out udviklingsplaner (e.g. the shipped
``demo-folehavekvarteret`` example for the synthetic city's BO0005) to time them too.
"""

from __future__ import annotations

import argparse
import os
import resource
import threading
import time
from pathlib import Path

from boligmonitor.schema.microdata import load_microdata
from boligmonitor.simulation import load_policy, run_policy
from boligmonitor.simulation.development import development
from boligmonitor.simulation.estimate import observe
from boligmonitor.simulation.workers import available_cores

GIB = 1024**3


def _pss(pid: int) -> int:
    """Proportional set size of one process in bytes (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as listing:
                found.extend(int(c) for c in listing.read().split())
        except OSError:
            continue
    return found


class MemorySampler:
    """Peak PSS of this process and its descendants, sampled in a thread."""

    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            pids, total = [os.getpid()], 0
            while pids:
                pid = pids.pop()
                total += _pss(pid)
                pids.extend(_children(pid))
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=600_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--workers", type=int, default=available_cores())
    parser.add_argument("--policy", default="combined")
    parser.add_argument("--data", type=Path, default=Path("/tmp/boligmonitor-bench-city"))
    parser.add_argument("--segregation", action="store_true", help="also time PySAL indices")
    parser.add_argument("--plans", type=Path, help="udviklingsplan file (YAML/Excel) to carry out")
    args = parser.parse_args()
    folder = args.data / str(args.persons)
    if not (folder / "dwellings.parquet").exists():
        from boligmonitor.synth import generate

        generate(folder, "city", persons=args.persons, progress=False)
    load_before = os.getloadavg()
    with MemorySampler() as memory:
        started, cpu_started = time.perf_counter(), _cpu()
        observed = observe(load_microdata(folder, validate=False))
        plans = None
        if args.plans is not None:
            from boligmonitor.udviklingsplan.counting import default_rules
            from boligmonitor.udviklingsplan.plan import read_plans

            plans = development(observed, read_plans(args.plans).plans, default_rules())
        estimated, cpu_estimated = time.perf_counter(), _cpu()
        result = run_policy(
            observed,
            load_policy(args.policy),
            years=args.years,
            runs=args.runs,
            inference=0,
            segregation=args.segregation,
            workers=args.workers,
            development=plans,
        )
        finished, cpu_finished = time.perf_counter(), _cpu()
    own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / GIB
    households = observed.start.n_households
    run_years = args.years * args.runs
    monte_carlo = finished - estimated
    print(
        f"households {households:,}  persons {len(observed.start.persons):,}  "
        f"areas {observed.city.n_areas}  years {args.years}  runs {args.runs}  "
        f"workers {args.workers}"
    )
    print("load average before: " + " ".join(f"{v:.2f}" for v in load_before))
    print("load average after:  " + " ".join(f"{v:.2f}" for v in os.getloadavg()))
    print(
        f"estimate from panel: {estimated - started:6.1f} s wall  "
        f"{cpu_estimated - cpu_started:6.1f} s CPU"
    )
    print(
        f"monte carlo:         {monte_carlo:6.1f} s wall  "
        f"{cpu_finished - cpu_estimated:6.1f} s CPU  "
        f"({monte_carlo / run_years * 1000:.0f} ms wall, "
        f"{(cpu_finished - cpu_estimated) / run_years * 1000:.0f} ms CPU per run-year)"
    )
    print(
        f"total:               {finished - started:6.1f} s wall  "
        f"{cpu_finished - cpu_started:6.1f} s CPU"
    )
    print(f"peak PSS (all):      {memory.peak / GIB:6.2f} GiB")
    print(f"peak RSS (main):     {own_peak:6.2f} GiB")
    print(f"rows: areas {len(result.areas):,}  flows {len(result.flows):,}")
    if plans is not None:
        ledger = result.ledger
        print(
            f"udviklingsplaner: {len(plans.works)} measures  demolished "
            f"{ledger['dwellings_demolished'].sum() / args.runs:.0f}  re-housed "
            f"{ledger['households_rehoused'].sum() / args.runs:.0f}  per run"
        )


if __name__ == "__main__":
    main()
