"""Run every benchmark (``make bench``): the national indicator run, then the web latency run.

Each benchmark runs in its own process so that one's memory does not count against another's
peak. Extra arguments are not passed on; run a benchmark's own script for its options.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ("national.py", "web.py")


def main() -> int:
    failed = 0
    for name in BENCHMARKS:
        script = HERE / name
        if not script.is_file():
            continue
        print(f"== {name}", flush=True)
        failed += subprocess.run([sys.executable, str(script)], check=False).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
