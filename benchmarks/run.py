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

from benchmarks.generate import repository, terraform_estate  # noqa: E402

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


CHECKOV_VENV = Path(tempfile.gettempdir()) / "policycheck-bench" / "checkov-venv"


def _checkov() -> Path | str:
    """checkov from PyPI in its own venv under the temp folder (never a dependency of
    policycheck); the reason as text when it cannot be installed."""
    binary = CHECKOV_VENV / "bin" / "checkov"
    if binary.exists():
        return binary
    try:
        subprocess.run([sys.executable, "-m", "venv", str(CHECKOV_VENV)], check=True,
                       capture_output=True)
        subprocess.run([str(CHECKOV_VENV / "bin" / "pip"), "install", "-q", "checkov"],
                       check=True, capture_output=True, timeout=1800)
    except (subprocess.SubprocessError, OSError) as exc:
        return f"checkov could not be installed: {exc}"
    return binary


def _timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MB, the largest process) of one run."""
    start = time.perf_counter()
    measured = subprocess.run([sys.executable, "-c", _MEASURE, *command], env=env,
                              capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    code, rss = measured.stdout.split()[-2:]
    if int(code) > 2:
        raise SystemExit(f"{command} failed ({code}): {measured.stderr[-2000:]}")
    return seconds, int(rss) / 1024


def main() -> None:
    rows: list[dict[str, object]] = []

    def add(name: str, seconds: float, peak: float, target: float | None) -> None:
        rows.append({"case": name, "seconds": round(seconds, 3),
                     "peak_rss_mb": round(peak, 1), "target_seconds": target,
                     "met": None if target is None else seconds <= target and peak < 500})

    seconds, peak = _run(["--version"], repeat=5)
    add("startup (--version)", seconds, peak, 0.3)
    notes: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        counts = repository(repo)
        env = {**os.environ, "POLICYCHECK_CACHE_DIR": str(Path(tmp) / "cache")}
        scan = [POLICYCHECK, "scan", str(repo), "-f", "json", "-o", os.devnull]
        cold = _timed(scan, env)
        add(f"cold scan ({counts['root_modules']} roots, {counts['tf_files']} tf files, "
            f"{counts['templates']} templates)", *cold, None)
        add("warm scan (cache filled)", *_timed(scan, env), None)
        changed = repo / "terraform" / "service-0004" / "security.tf"
        changed.write_text(changed.read_text(encoding="utf-8") + "\n# edited\n",
                           encoding="utf-8")
        add("pre-commit: one changed file, warm", *_timed(
            [POLICYCHECK, "scan", str(changed), "-f", "json", "-o", os.devnull], env), 1.0)
        checkov = _checkov()
        if isinstance(checkov, Path):
            cost = _timed([str(checkov), "-d", str(repo), "--quiet", "--compact", "-o", "json"])
            add("checkov, same corpus (cold)", *cost, None)
            ratio = cost[0] / cold[0]
            rows.append({"case": "checkov / policycheck cold", "ratio": round(ratio, 2),
                         "target_ratio": 10, "met": ratio >= 10})
        else:
            notes.append(checkov)
        for count in (100, 1000):
            folder = terraform_estate(Path(tmp) / f"estate-{count}", instances=count)
            add(f"scan estate, {count} instances", *_run(
                ["scan", str(folder), "-f", "json", "--no-cache"], repeat=1), None)
    print(table(rows))
    for note in notes:
        print(note)
    from benchmarks.scale import report as scale_report
    from benchmarks.scale import run as scale_run

    scale_rows = scale_run()
    print("\nReachability analysis alone (benchmarks/scale.py):")
    print(scale_report(scale_rows))
    out = {"python": sys.version.split()[0], "cpus": os.cpu_count(), "results": rows,
           "notes": notes, "reachability_scale": scale_rows}
    (HERE / "results.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


def table(rows: list[dict[str, object]]) -> str:
    width = max(len(str(row["case"])) for row in rows)
    lines = [f"{'case':<{width}}  {'seconds':>8}  {'peak MB':>8}  target"]
    for row in rows:
        if "ratio" in row:
            verdict = "met" if row["met"] else "MISSED"
            lines.append(f"{row['case']!s:<{width}}  {row['ratio']!s:>8}  {'':>8}  "
                         f">= {row['target_ratio']}x: {verdict}")
            continue
        target = "" if row["target_seconds"] is None else (
            f"<= {row['target_seconds']} s, < 500 MB: {'met' if row['met'] else 'MISSED'}")
        lines.append(f"{row['case']!s:<{width}}  {row['seconds']!s:>8}  "
                     f"{row['peak_rss_mb']!s:>8}  {target}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
