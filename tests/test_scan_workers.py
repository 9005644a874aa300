"""Scan workers are forked processes handing results back through a pipe: what comes back
equals an in-process scan, and a worker that fails is seen as lost (its share is then scanned
again by the parent), never as a share without findings."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from homeostasis.model import Settings
from homeostasis.workspace import scan

RISKY = "def f(x, items=[]):\n    return x == None\n"


def _tree(root: Path) -> list[str]:
    paths = []
    for i in range(5):
        path = root / f"m{i}.py"
        path.write_text(RISKY * (i + 1))
        paths.append(str(path))
    return paths


def test_a_forked_worker_returns_what_an_in_process_scan_finds(tmp_path: Path) -> None:
    files = _tree(tmp_path)
    here = scan.scan_files(files, str(tmp_path), Settings(), (), False)
    assert sum(len(r.findings) for r in here[0]) >= 10
    child = scan._fork_worker(files, str(tmp_path), Settings(), (), False)
    assert scan._collect(child) == here


def test_a_worker_that_fails_is_lost_not_empty(tmp_path: Path) -> None:
    files = _tree(tmp_path)
    # Settings the worker cannot use (unhashable): scan_files raises inside the child.
    broken = cast(Any, [Settings()])
    child = scan._fork_worker(files, str(tmp_path), broken, (), False)
    assert scan._collect(child) is None


def test_shares_hold_every_file_once_and_balance_bytes(tmp_path: Path) -> None:
    sizes = [50_000, 30_000, 20_000, 20_000, 10_000, 5_000, 5_000, 1_000]
    files = []
    for i, size in enumerate(sizes):
        path = tmp_path / f"f{i}.py"
        path.write_text("x" * size)
        files.append(str(path))
    shares = scan.balanced_shares(files, 2)
    assert sorted(p for share in shares for p in share) == sorted(files)
    loads = [sum(Path(p).stat().st_size for p in share) for share in shares]
    assert abs(loads[0] - loads[1]) <= max(sizes[-3:])
