"""Speed and memory of policycheck, measured end to end through the CLI.

Prints a table and writes benchmarks/results.json. Targets live here, never in the
test suite: each row says whether its target was met.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import terraform_estate  # noqa: E402

POLICYCHECK = str(Path(sys.executable).with_name("policycheck"))


_MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], capture_output=True).returncode\n"
    "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def _run(args: list[str], repeat: int = 3) -> tuple[float, float]:
    """Best wall time (s) over ``repeat`` runs, and the peak RSS (MB) of one run, each
    run in a fresh process so the peak belongs to that case alone."""
    best, peak_mb = float("inf"), 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        completed = subprocess.run([POLICYCHECK, *args], capture_output=True, check=False)
        best = min(best, time.perf_counter() - start)
        if completed.returncode > 1:
            raise SystemExit(f"{args} failed ({completed.returncode}):\n"
                             f"{completed.stderr.decode()[-2000:]}")
    measured = subprocess.run([sys.executable, "-c", _MEASURE, POLICYCHECK, *args],
                              capture_output=True, text=True, check=True)
    peak_mb = int(measured.stdout.split()[1]) / 1024
    return best, peak_mb


def main() -> None:
    rows: list[dict[str, object]] = []

    def record(name: str, args: list[str], target: float | None, repeat: int = 3) -> None:
        seconds, peak = _run(args, repeat)
        rows.append({"case": name, "seconds": round(seconds, 3),
                     "peak_rss_mb": round(peak, 1), "target_seconds": target,
                     "met": None if target is None else seconds <= target})

    record("startup (--version)", ["--version"], 0.3, repeat=5)
    record("scan examples/insecure-web", ["scan", str(ROOT / "examples/insecure-web"),
                                          "-f", "json"], None)
    with tempfile.TemporaryDirectory() as tmp:
        for count in (100, 1000):
            folder = terraform_estate(Path(tmp) / f"estate-{count}", instances=count)
            record(f"scan estate, {count} instances", ["scan", str(folder), "-f", "json"],
                   None, repeat=1)
    width = max(len(str(row["case"])) for row in rows)
    print(f"{'case':<{width}}  {'seconds':>8}  {'peak MB':>8}  target")
    for row in rows:
        target = "" if row["target_seconds"] is None else (
            f"<= {row['target_seconds']} s: {'met' if row['met'] else 'MISSED'}")
        print(f"{row['case']!s:<{width}}  {row['seconds']:>8}  "
              f"{row['peak_rss_mb']:>8}  {target}")
    from benchmarks.scale import report as scale_report
    from benchmarks.scale import run as scale_run

    scale_rows = scale_run()
    print("\nReachability analysis alone (benchmarks/scale.py):")
    print(scale_report(scale_rows))
    out = {"python": sys.version.split()[0], "cpus": os.cpu_count(), "results": rows,
           "reachability_scale": scale_rows}
    (HERE / "results.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
