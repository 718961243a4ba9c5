"""Register import benchmark: 6 million synthetic persons x 2 years of DST-layout files.

Writes the synthetic nation once (native, then as DST registers: bef, uddf, ind, akm, dream,
kraf, bol per year) into ``--data`` (default ``$BOLIGMONITOR_BENCH_REGISTERS`` or
``~/.cache/boligmonitor/registers-nation-2y``), reads every file once to warm the page cache,
then measures, each in its own child process (so peak memory is that step's own):

1. Boligmonitor: ``import_registers`` of both years (checks, translation, writing); it
   reports the files it read;
2. baseline: DuckDB reading exactly those files (registers and ``geo/`` tables) once, every
   value of every column hashed (``SELECT sum(hash(COLUMNS(*)))``).

Targets (2 shared cores): import time <= 2 x the plain read, peak <= 3 GiB. CPU seconds
(user + system, all threads) are printed beside the wall times: on a loaded machine they
compare the two steps better than wall times do.

Usage::

    nice python benchmarks/registers.py [--data DIR] [--persons 6000000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

YEARS = [2020, 2021]


def _child(step: str, data: Path, files: list[str]) -> dict[str, Any]:
    """Run one step in a fresh interpreter; return its wall and CPU time, peak RSS, files read."""
    code = (
        "import json, resource, sys, time\n"
        "from pathlib import Path\n"
        f"data = Path({str(data)!r})\n"
        f"files = {files!r}\n"
        "start = time.perf_counter()\n"
        f"step = {step!r}\n"
        "if step == 'read':\n"
        "    import duckdb\n"
        "    con = duckdb.connect()\n"
        "    con.execute('SET enable_progress_bar = false')\n"
        "    for f in files:\n"
        "        con.execute('SELECT sum(hash(COLUMNS(*))) FROM read_parquet(?)', [f]).fetchall()\n"
        "else:\n"
        "    from boligmonitor.registers import import_registers\n"
        f"    report = import_registers(data / 'dst', {YEARS}, 'dst', data / 'imported')\n"
        "    assert sum(report.persons.values()) > 0\n"
        "    files = [str(f) for f in report.files]\n"
        "wall = time.perf_counter() - start\n"
        "usage = resource.getrusage(resource.RUSAGE_SELF)\n"
        "peak, cpu = usage.ru_maxrss / 1024 / 1024, usage.ru_utime + usage.ru_stime\n"
        "print(json.dumps({'wall_s': wall, 'cpu_s': cpu, 'peak_gib': peak, 'files': files}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _warm(folder: Path) -> None:
    """Read every file once so that both steps find them in the page cache."""
    for path in sorted(folder.rglob("*.parquet")):
        with path.open("rb") as handle:
            while handle.read(1 << 24):
                pass


def _prepare(data: Path, persons: int) -> None:
    if (data / "dst" / f"bol{YEARS[-1]}.parquet").is_file():
        return
    code = (
        "from boligmonitor.synth import generate\n"
        "from boligmonitor.registers.synthetic import write_dst_layout\n"
        f"generate({str(data / 'native')!r}, 'nation', {YEARS}, 2017, {persons}, progress=True)\n"
        f"write_dst_layout({str(data / 'native')!r}, {str(data / 'dst')!r}, {YEARS})\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def main() -> None:
    """Prepare the data once, run both steps, print the numbers and the verdict."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = os.environ.get(
        "BOLIGMONITOR_BENCH_REGISTERS", str(Path.home() / ".cache/boligmonitor/registers-nation-2y")
    )
    parser.add_argument("--data", type=Path, default=Path(default))
    parser.add_argument("--persons", type=int, default=6_000_000)
    args = parser.parse_args()
    start = time.perf_counter()
    _prepare(args.data, args.persons)
    print(f"data ready in {time.perf_counter() - start:.0f} s: {args.data}", flush=True)
    _warm(args.data / "dst")
    imported = _child("import", args.data, [])
    read = _child("read", args.data, imported["files"])
    size = sum(Path(f).stat().st_size for f in imported["files"]) / 1e6
    print(f"files read by the import: {len(imported['files'])}, {size:.0f} MB")
    ratio = imported["wall_s"] / read["wall_s"]
    for label, step in (("DuckDB plain read", read), ("register import  ", imported)):
        print(
            f"{label}: {step['wall_s']:.1f} s wall, {step['cpu_s']:.1f} s CPU, "
            f"peak {step['peak_gib']:.2f} GiB"
        )
    print(f"ratio import / read: {ratio:.2f} (target <= 2), peak target <= 3 GiB")
    print(f"CPU ratio import / read: {imported['cpu_s'] / read['cpu_s']:.2f}")
    print(f"load average at the end: {os.getloadavg()}")
    print("OK" if ratio <= 2 and imported["peak_gib"] <= 3 else "TARGET MISSED")


if __name__ == "__main__":
    main()
