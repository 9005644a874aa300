"""Shared helpers for the framework end-to-end tests.

Each test copies a small real app from ``tests/frameworks/apps/<name>/`` into a temporary
folder, runs it with the framework venv's interpreter (``build/frameworks/.venv``, made by
``tests/run`` from ``tests/frameworks/requirements.txt``) so it fails for real, feeds the
printed output to the real CLI, and runs the app again after the fix.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.cli import Run, homeostasis

ROOT = Path(__file__).resolve().parents[2]
APPS = Path(__file__).resolve().parent / "apps"
FRAMEWORK_VENV = ROOT / "build" / "frameworks" / ".venv"


def framework_python() -> Path:
    """The interpreter of the framework venv; fails the test with the way to make it if missing."""
    for candidate in (FRAMEWORK_VENV / "bin" / "python", FRAMEWORK_VENV / "Scripts" / "python.exe"):
        if candidate.exists():
            return candidate
    pytest.fail(
        f"the framework venv is missing ({FRAMEWORK_VENV}): run `bash tests/run`, or create it with "
        f"`python3 -m venv {FRAMEWORK_VENV} && {FRAMEWORK_VENV}/bin/pip install -r "
        "tests/frameworks/requirements.txt`"
    )


@dataclass(frozen=True)
class App:
    """A copy of an example app in a temporary workspace (its own homeostasis root)."""

    root: Path
    python: Path

    def run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """Runs ``python <args>`` in the app folder with the framework venv."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        return subprocess.run(
            [str(self.python), *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
        )

    def cli(self, *args: str, stdin: str | None = None) -> Run:
        """Runs the real ``homeostasis`` CLI in the app folder."""
        return homeostasis(*args, cwd=self.root, stdin=stdin)

    def explain(self, output: str) -> list[dict[str, Any]]:
        """The findings ``homeostasis explain --format json`` gives for ``output``."""
        run = self.cli("explain", "--format", "json", "-", stdin=output)
        assert run.code == 0, f"explain failed ({run.code}):\n{run.out}\n{run.err}"
        return [finding for diagnosis in json.loads(run.out) for finding in diagnosis["findings"]]

    def read(self, name: str) -> str:
        return (self.root / name).read_text(encoding="utf-8")

    def fix_once(self, output: str, changed: str) -> tuple[str, str]:
        """``changed`` before and after ``homeostasis fix --unsafe`` reads ``output``; a second
        run must change nothing (fixes are idempotent)."""
        before = self.read(changed)
        fixed = self.cli("fix", "--unsafe", "-", stdin=output)
        assert fixed.code == 0, f"fix failed:\n{fixed.out}\n{fixed.err}"
        after = self.read(changed)
        again = self.cli("fix", "--unsafe", "-", stdin=output)
        assert again.code in (0, 1)
        assert self.read(changed) == after, "the fix is not idempotent"
        return before, after

    def fix_located(
        self, output: str, rule: str, where: tuple[str, int, int, int, int], changed: str, expected: str
    ) -> str:
        """``rule`` explains ``output`` at ``where``; its fix puts ``expected`` in ``changed``.
        Returns the fixed text."""
        finding = finding_of(self.explain(output), rule)
        assert span(finding) == where, finding["message"]
        before, after = self.fix_once(output, changed)
        assert after != before and expected in after, after
        return after

    def reports(self, *args: str, problem: str, not_yet: str) -> subprocess.CompletedProcess[str]:
        """``python <args>`` prints ``problem`` on stderr and not yet ``not_yet`` (what it
        prints once fixed). Returns the run, whose stderr the fix reads."""
        done = self.run(*args)
        assert problem in done.stderr, f"{args[-1]} should report the problem:\n{done.stdout}\n{done.stderr}"
        assert not_yet not in done.stdout
        return done

    def runs_clean(self, *args: str, prints: str, fixed: str, quiet: bool = True) -> None:
        """``python <args>`` succeeds and prints ``prints``; with ``quiet``, nothing on stderr."""
        done = self.run(*args)
        assert done.returncode == 0, f"still failing after the fix:\n{done.stderr}\n--- fixed:\n{fixed}"
        assert done.stderr == "" if quiet else "Traceback" not in done.stderr, done.stderr
        assert prints in done.stdout, done.stdout


def copy_app(name: str, destination: Path) -> App:
    """Copies ``tests/frameworks/apps/<name>`` to ``destination/<name>`` and marks it as the workspace root."""
    source = APPS / name
    assert source.is_dir(), f"no example app {source}"
    root = destination / name
    shutil.copytree(source, root, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.sqlite3"))
    (root / "pyproject.toml").write_text("[tool.homeostasis]\n", encoding="utf-8")
    return App(root, framework_python())


def finding_of(findings: Sequence[dict[str, Any]], rule: str) -> dict[str, Any]:
    """The first finding of ``rule``; fails with every rule that did fire otherwise."""
    for finding in findings:
        if finding["rule"] == rule:
            return finding
    pytest.fail(f"no finding of {rule}; got {[f['rule'] for f in findings]}")


def span(finding: dict[str, Any]) -> tuple[str, int, int, int, int]:
    """(path, start line, start column, end line, end column) of a finding, 1-based as printed."""
    r = finding["range"]
    return (finding["path"], r["start"]["line"], r["start"]["column"], r["end"]["line"], r["end"]["column"])


@pytest.fixture
def app_copy(tmp_path: Path) -> Callable[[str], App]:
    """``app_copy("django")``: a fresh copy of an example app in this test's temporary folder."""
    return lambda name: copy_app(name, tmp_path)
