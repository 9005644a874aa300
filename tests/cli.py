"""Running the real CLI as a subprocess, the way users and CI do."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def homeostasis(*args: str, cwd: Path, stdin: str | bytes | None = None, timeout: float = 120) -> Run:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    done = subprocess.run(
        [sys.executable, "-m", "homeostasis", *args],
        cwd=cwd,
        input=data,
        capture_output=True,
        timeout=timeout,
    )
    return Run(
        done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")
    )


def run_python(script: Path, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(script)], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )
