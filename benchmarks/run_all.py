"""Run every benchmark (``make bench``) and print one table of measured ratios against targets.

Each benchmark runs in its own process (so one's memory does not count against another's
peak) and writes its numbers as JSON; this script then prints the table. The machine's load
average is printed beside the numbers: on a shared machine wall times stretch with it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WEB_TARGET_MS = 150.0


def _run(script: str, out: Path, *extra: str) -> dict[str, Any] | None:
    print(f"== {script}", flush=True)
    command = [sys.executable, str(HERE / script), "--json", str(out), *extra]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
    }
    if subprocess.run(command, check=False, env=env).returncode != 0 or not out.is_file():
        return None
    data: dict[str, Any] = json.loads(out.read_text())
    return data


def _line(name: str, measured: str, target: str, ok: bool | None) -> str:
    verdict = {True: "met", False: "MISSED", None: "–"}[ok]
    return f"{name:<52}{measured:>24}  {target:<22}{verdict}"


def national_rows(n: dict[str, Any]) -> list[str]:
    """Table rows of the national benchmark."""
    rows = []
    best = {}
    for case, times in n["indicators"].items():
        name = min((k for k in times if k != "boligmonitor"), key=times.__getitem__)
        best[case] = times[name]
        ratio = times["boligmonitor"] / best[case]
        rows.append(
            _line(
                f"indicators {case}: Boligmonitor / best ({name})",
                f"{times['boligmonitor']:.2f}/{best[case]:.2f} s = {ratio:.2f}×",
                "≤ 1.2×",
                ratio <= 1.2,
            )
        )
    if "6 years" in best:  # what designating list year 2021 computes
        e2e = n["end_to_end"]["2 years"]["seconds"]
        rows.append(
            _line(
                "designate --year 2021 / best 6-year baseline",
                f"{e2e:.2f} s = {e2e / best['6 years']:.2f}×",
                "(the years it reads)",
                None,
            )
        )
    best_2y, best_10y = best["2 years"], best["10 years"]
    for case, baseline in (("2 years", best_2y), ("10 years", best_10y)):
        e2e = n["end_to_end"][case]
        ratio = e2e["seconds"] / baseline
        rows.append(
            _line(
                f"designate --microdata end to end, {case} / baseline",
                f"{e2e['seconds']:.2f} s = {ratio:.2f}×",
                "≤ 2×",
                ratio <= 2,
            )
        )
        rows.append(
            _line(
                f"designate --microdata peak memory, {case}",
                f"{e2e['peak_gib']:.2f} GiB",
                "≤ 1.5 GiB",
                e2e["peak_gib"] <= 1.5,
            )
        )
    ev = n["evaluator"]
    rows.append(
        _line(
            "evaluator 2 000 areas × 14 years (wall)",
            f"{ev['seconds']:.2f} s",
            "< 0.5 s",
            ev["seconds"] < 0.5,
        )
    )
    for name, seconds in n["startup"].items():
        rows.append(
            _line(f"CLI start-up {name} (wall)", f"{seconds:.2f} s", "< 0.5 s", seconds < 0.5)
        )
    for name, seconds in n.get("startup_cpu", {}).items():
        rows.append(
            _line(f"CLI start-up {name} (CPU time)", f"{seconds:.2f} s", "< 0.5 s", seconds < 0.5)
        )
    spark = n.get("spark") or {}
    if spark:
        rows.append(
            _line(
                f"Spark local mode indicators, {spark['persons']:,} persons",
                f"{spark['pyspark']:.2f} s (DuckDB {spark['duckdb']:.2f})",
                "reported",
                None,
            )
        )
    return rows


def web_rows(w: dict[str, Any]) -> list[str]:
    """Table rows of the web benchmark: p95 per endpoint, cold and warm."""
    rows = []
    for row in w["rows"]:
        if "skipped" in row:
            rows.append(_line(f"web {row['endpoint']}", "failed requests", "p95 < 150 ms", False))
            continue
        cold, warm = row["cold"]["p95"], row["warm"]["p95"]
        rows.append(
            _line(
                f"web {row['endpoint']} p95 cold / warm",
                f"{cold:.0f} / {warm:.0f} ms",
                "< 150 ms",
                max(cold, warm) < WEB_TARGET_MS,
            )
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--national", type=Path, help="print from this national.py --json file")
    parser.add_argument("--web", type=Path, help="print from this web.py --json file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        if args.national:
            national = json.loads(args.national.read_text())
        else:
            national = _run("national.py", Path(scratch) / "national.json", "--spark")
        if args.web:
            web = json.loads(args.web.read_text())
        else:
            web = _run("web.py", Path(scratch) / "web.json")
    print(f"\n== summary (load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"{'measure':<52}{'measured':>24}  {'target':<22}verdict")
    rows = (national_rows(national) if national else ["national benchmark failed"]) + (
        web_rows(web) if web else ["web benchmark failed"]
    )
    print("\n".join(rows))
    if national:
        print(
            f"load average during the national run: {national['load_before']:.1f} → "
            f"{national['load_after']:.1f}"
        )
    return 0 if national and web else 1


if __name__ == "__main__":
    sys.exit(main())
