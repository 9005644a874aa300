"""Benchmark runner: every figure measured in one run, next to its baselines.

Usage: .venv/bin/python bench/run.py [--repeat N] [--only NAME] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpora  # noqa: E402


@dataclass(frozen=True)
class Measure:
    name: str
    wall: float  # seconds, best of the repeats
    cpu: float  # user + system seconds of the children, for the best run
    peak_mb: float  # peak resident set of the largest child
    files: int
    note: str = ""

    @property
    def files_per_s(self) -> float:
        return self.files / self.wall if self.wall else 0.0


def measure(name: str, command: list[str], files: int, repeat: int, cwd: Path | None = None) -> Measure:
    best: tuple[float, float] | None = None
    peak = 0.0
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{name} failed ({done.returncode}): {done.stderr[-2000:]}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        peak = max(peak, after.ru_maxrss / 1024)
        if best is None or wall < best[0]:
            best = (wall, cpu)
    assert best is not None
    return Measure(name, best[0], best[1], peak, files)


def count_files(root: Path, suffix: str) -> int:
    return sum(1 for _ in root.rglob(f"*{suffix}"))


def homeostasis() -> list[str]:
    exe = shutil.which("homeostasis", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "homeostasis"]


def scan_django(repeat: int) -> list[Measure]:
    root = corpora.django()
    files = count_files(root, ".py")
    floor = measure("parse-only (1 process)", [sys.executable, str(HERE / "parse_only.py"), str(root)], files, repeat)
    ours = measure(
        "homeostasis check (all rules)",
        [*homeostasis(), "check", "--exit-zero", "--format", "json", "--no-gitignore", str(root)],
        files,
        repeat,
        cwd=root.parent,
    )
    return [floor, ours]


BENCHMARKS = {"scan-django": scan_django}


def table(title: str, measures: list[Measure]) -> str:
    base = measures[0]
    lines = [
        f"## {title}",
        f"{'run':<34} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'files/s':>9} {'÷ floor':>8}",
    ]
    for m in measures:
        lines.append(
            f"{m.name:<34} {m.wall:>8.3f} {m.cpu:>8.3f} {m.peak_mb:>8.1f} {m.files_per_s:>9.0f} "
            f"{m.wall / base.wall:>8.2f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=sorted(BENCHMARKS))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    results: dict[str, list[dict[str, object]]] = {}
    for name, bench in BENCHMARKS.items():
        if args.only and name != args.only:
            continue
        measures = bench(args.repeat)
        print(table(name, measures))
        results[name] = [{**asdict(m), "files_per_s": m.files_per_s} for m in measures]
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
