"""Benchmark runner: every figure measured in one run, next to its baselines.

Usage: .venv/bin/python bench/run.py [--repeat N] [--only NAME] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpora  # noqa: E402
import peers  # noqa: E402


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


def measure(
    name: str, command: list[str], files: int, repeat: int, cwd: Path | None = None, warmup: bool = False
) -> Measure:
    best: tuple[float, float] | None = None
    peak = 0.0
    found = ""
    if warmup:
        subprocess.run(command, cwd=cwd, capture_output=True)
    report = Path(tempfile.mkstemp(suffix=".json")[1])
    for _ in range(repeat):
        wrapped = [sys.executable, str(HERE / "usage.py"), str(report), "--", *command]
        done = subprocess.run(wrapped, cwd=cwd, capture_output=True, text=True)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{name} failed ({done.returncode}): {done.stderr[-2000:]}")
        usage = json.loads(report.read_text())
        wall, cpu = usage["wall"], usage["cpu"]
        peak = max(peak, usage["peak_mb"])
        found = count_findings(done.stdout)
        if best is None or wall < best[0]:
            best = (wall, cpu)
    assert best is not None
    return Measure(name, best[0], best[1], peak, files, found)


def count_findings(stdout: str) -> str:
    """How many findings a JSON report holds, whichever tool wrote it ('' if not JSON)."""
    try:
        data = json.loads(stdout)
    except json.JSONDecodeError:
        return ""
    if isinstance(data, list):
        return str(len(data))  # ast-grep
    if "results" in data:
        return str(len(data["results"]))  # semgrep
    return str(len(data.get("findings", [])))


def count_files(root: Path, suffix: str) -> int:
    return sum(1 for _ in root.rglob(f"*{suffix}"))


def homeostasis() -> list[str]:
    exe = shutil.which("homeostasis", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "homeostasis"]


def ours(root: Path, *extra: str) -> list[str]:
    return [*homeostasis(), "check", "--exit-zero", "--format", "json", "--no-gitignore", *extra, str(root)]


def scan_django(repeat: int) -> list[tuple[str, list[Measure]]]:
    root = corpora.django()
    files = count_files(root, ".py")
    floor = measure(
        "parse-only floor (1 process)",
        [sys.executable, str(HERE / "parse_only.py"), str(root)],
        files,
        repeat,
    )
    enable = ["--rules", str(peers.OUR_RULES), "--enable", "python.bench.*"]
    equivalent = [
        floor,
        measure("homeostasis (same rules)", ours(root, "--no-cache", *enable), files, repeat),
        measure("ast-grep (same rules)", peers.astgrep_command(root), files, repeat),
        measure("semgrep (same rules)", peers.semgrep_command(root), files, max(1, repeat - 1)),
    ]
    # The floor parses the Python files; so does this scan (every built-in Python rule).
    python = ["--enable", "python.*"]
    full = [
        floor,
        measure("homeostasis cold (all python rules)", ours(root, "--no-cache", *python), files, repeat),
        measure("homeostasis warm (all python rules)", ours(root, *python), files, repeat, warmup=True),
    ]
    return [("scan django: equivalent rules vs peers", equivalent), ("scan django: full rule set", full)]


def growth(repeat: int) -> list[tuple[str, list[Measure]]]:
    root = corpora.django()
    python = ["--enable", "python.*"]
    rows = []
    for factor in (1, 2, 4, 8):
        tree = corpora.replicated(root, factor)
        files = count_files(tree, ".py")
        rows.append(
            measure(f"{factor}x django ({files} files)", ours(tree, "--no-cache", *python), files, repeat)
        )
    return [("growth: cold scan, all python rules", rows)]


def ingestion(repeat: int) -> list[tuple[str, list[Measure]]]:
    done = subprocess.run(
        [sys.executable, str(HERE / "ingest.py"), "20"], capture_output=True, text=True, check=True
    )
    data = json.loads(done.stdout)
    print(
        f"## runtime ingestion\n{data['megabytes']:.1f} MB mixed log: {data['events']} errors read in "
        f"{data['read_seconds']:.2f} s = {data['mb_per_s']:.1f} MB/s, {data['events_per_s']:.0f} errors/s; "
        f"10,000 events mapped to diagnostics in {data['map_10k_seconds']:.2f} s"
    )
    return []


BENCHMARKS = {"scan-django": scan_django, "growth": growth, "ingestion": ingestion}


def table(title: str, measures: list[Measure]) -> str:
    base = measures[0]
    lines = [
        f"## {title}",
        f"{'run':<36} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'files/s':>9} "
        f"{'findings':>9} {'÷ first':>8}",
    ]
    for m in measures:
        lines.append(
            f"{m.name:<36} {m.wall:>8.3f} {m.cpu:>8.3f} {m.peak_mb:>8.1f} {m.files_per_s:>9.0f} "
            f"{m.note:>9} {m.wall / base.wall:>8.2f}"
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
        for title, measures in bench(args.repeat):
            print(table(title, measures))
            results[title] = [{**asdict(m), "files_per_s": m.files_per_s} for m in measures]
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
