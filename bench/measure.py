"""Timing one command: wall, CPU of its whole process tree, peak memory; best of N runs.

Each run goes through usage.py, a fresh process whose only child is the command, so
``getrusage(RUSAGE_CHILDREN)`` there is exactly the command's tree.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Run:
    name: str
    wall: float  # seconds, best of the repeats
    cpu: float  # user + system seconds of the process tree, for the best run
    peak_mb: float  # largest single process's peak resident set (any repeat)
    tree_mb: float  # largest sampled sum of the tree's resident sets (any repeat)
    files: int
    findings: Counter[str] | None = None
    repeats: int = 1
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def files_per_s(self) -> float:
        return self.files / self.wall if self.wall else 0.0

    @property
    def total(self) -> int | None:
        return None if self.findings is None else sum(self.findings.values())

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "wall_s": round(self.wall, 4),
            "cpu_s": round(self.cpu, 4),
            "peak_mb": round(self.peak_mb, 1),
            "tree_mb": round(self.tree_mb, 1),
            "files": self.files,
            "files_per_s": round(self.files_per_s, 1),
            "findings": self.total,
            "findings_by_rule": dict(sorted(self.findings.items())) if self.findings is not None else None,
            "repeats": self.repeats,
            **self.extra,
        }


def measure(
    name: str,
    command: list[str],
    files: int,
    repeat: int,
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    warmup: bool = False,
    read: Callable[[str], Counter[str] | None] | None = None,
) -> Run:
    """Best wall time of ``repeat`` runs of ``command`` (exit 0 or 1 accepted)."""
    environment = {**os.environ, **(env or {})}
    if warmup:
        subprocess.run(command, cwd=cwd, env=environment, capture_output=True)
    handle, name_json = tempfile.mkstemp(suffix=".json")
    os.close(handle)
    report = Path(name_json)
    best: tuple[float, float] | None = None
    peak = tree = 0.0
    findings: Counter[str] | None = None
    try:
        for _ in range(max(1, repeat)):
            wrapped = [sys.executable, str(HERE / "usage.py"), str(report), "--", *command]
            done = subprocess.run(wrapped, cwd=cwd, env=environment, capture_output=True, text=True)
            if done.returncode not in (0, 1):
                raise SystemExit(f"{name} failed ({done.returncode}): {done.stderr[-2000:]}")
            usage = json.loads(report.read_text())
            peak = max(peak, usage["peak_mb"])
            tree = max(tree, usage["tree_mb"])
            if read is not None:
                findings = read(done.stdout)
            if best is None or usage["wall"] < best[0]:
                best = (usage["wall"], usage["cpu"])
    finally:
        report.unlink(missing_ok=True)
    assert best is not None
    return Run(name, best[0], best[1], peak, tree, files, findings, max(1, repeat))


@dataclass(frozen=True)
class Options:
    """What a run of the suite measures, from run.py's flags."""

    quick: bool = False
    repeat: int = 3  # best of N for the fast commands
    slow_repeat: int = 1  # best of N for the slow ones (semgrep)
    corpora: tuple[str, ...] = ("django", "webpack", "docker")
