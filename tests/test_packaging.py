"""The wheel, not only the checkout: build it, install it apart, and use it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_wheel_installs_and_carries_rules_templates_and_schema(tmp_path: Path) -> None:
    # Build from a copy: setuptools reuses an in-tree build/ folder, which can hold stale files.
    source = tmp_path / "src"
    skip = (
        ".git",
        ".venv",
        "build",
        "*.egg-info",
        "__pycache__",
        ".homeostasis",
        ".corpora",
        ".env",
        "node_modules",
    )
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(*skip))
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(dist),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("homeostasis-*.whl"))
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import homeostasis, json;"
            "from homeostasis.workspace.project import build_project;"
            "from homeostasis.ruleset.loader import schema_path;"
            "p = build_project();"
            "print(json.dumps({'file': homeostasis.__file__, 'rules': len(p.engine.rules),"
            " 'templates': len(p.engine.templates.sources), 'schema': schema_path().is_file(),"
            " 'languages': sorted(l.id for l in p.registry), 'problems': [str(x) for x in p.rule_problems]}))",
        ],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    import json

    info = json.loads(probe.stdout)
    assert info["file"].startswith(str(site)), info
    assert info["rules"] >= 40
    assert info["templates"] >= 5
    assert info["schema"] is True
    assert {"python", "javascript", "typescript", "java", "go", "rust", "ruby", "php", "csharp"} <= set(
        info["languages"]
    )
    assert info["problems"] == []

    (tmp_path / "a.py").write_text("def f(x):\n    return x == None\n")
    check = subprocess.run(
        [sys.executable, "-m", "homeostasis", "check", "a.py"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 1, check.stderr
    assert "a.py:2:" in check.stdout


def test_plugins_are_found_as_importlib_metadata_finds_them() -> None:
    # The registry reads entry_points.txt itself (importing importlib.metadata costs more
    # than a cached start-up); it must list what the standard library lists.
    from importlib.metadata import entry_points as standard

    from homeostasis.plugins.registry import entry_points

    for group in ("homeostasis.languages", "console_scripts"):
        ours = entry_points(group)
        theirs = [(e.name, e.value) for e in standard(group=group)]
        assert sorted(ours) == sorted(theirs), group
    assert len(entry_points("homeostasis.languages")) >= 16
