"""A language plugin from another distribution works through the entry point alone.

The test writes a tiny Starlark plugin package (Starlark is Python-like, so it reuses
the Python grammar), installs it into a separate folder with pip, and runs the real
CLI with that folder on the path: the core is not touched.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PLUGIN = """
from pathlib import Path

from homeostasis.model import ErrorEvent, Origin
from homeostasis.plugins.language import Language


class StarlarkLanguage(Language):
    id = "starlark"
    extensions = (".star", ".bzl")
    filenames = ("BUILD", "BUILD.bazel", "WORKSPACE")
    comment_prefix = "#"

    def grammar(self):
        import tree_sitter
        import tree_sitter_python

        return tree_sitter.Language(tree_sitter_python.language())

    def read_errors(self, text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
        return []

    def sniff_errors(self, text: str) -> bool:
        return False

    def rule_folders(self) -> tuple[Path, ...]:
        return (Path(__file__).parent / "rules",)
"""

RULE = """
language: starlark
rules:
  - id: starlark.glob.recursive
    kind: pattern
    message: "glob({{ pattern }}) walks the whole tree; list the files or narrow the pattern"
    severity: warning
    category: performance
    criticality: low
    complexity: low
    reliability: high
    confidence: 0.8
    match:
      query: |
        ((call function: (identifier) @fn arguments: (argument_list (list (string) @pattern))) @target
         (#eq? @fn "glob") (#match? @pattern "\\\\*\\\\*"))
    fixes:
      - title: "Only this folder: {{ pattern }} without **/"
        applicability: unsafe
        region: pattern
        template: "{{ pattern | replace('**/', '') }}"
    tests:
      - name: recursive glob
        path: BUILD
        source: |
          srcs = glob(["**/*.py"])
        fixed: |
          srcs = glob(["*.py"])
      - name: flat glob
        path: BUILD
        source: |
          srcs = glob(["*.py"])
        match: false
"""

PYPROJECT = """
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "homeostasis-starlark"
version = "0.0.1"

[project.entry-points."homeostasis.languages"]
starlark = "homeostasis_starlark:StarlarkLanguage"

[tool.setuptools]
packages = ["homeostasis_starlark"]

[tool.setuptools.package-data]
homeostasis_starlark = ["rules/*.yaml"]
"""


def _install_plugin(tmp_path: Path) -> Path:
    source = tmp_path / "plugin"
    package = source / "homeostasis_starlark"
    (package / "rules").mkdir(parents=True)
    (package / "__init__.py").write_text(textwrap.dedent(PLUGIN))
    (package / "rules" / "glob.yaml").write_text(textwrap.dedent(RULE))
    (source / "pyproject.toml").write_text(textwrap.dedent(PYPROJECT))
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(site),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    return site


def test_installed_plugin_is_used_by_the_cli(tmp_path: Path) -> None:
    site = _install_plugin(tmp_path)
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (workspace / "pyproject.toml").write_text("[tool.homeostasis]\n")
    (workspace / "BUILD").write_text('srcs = glob(["**/*.py"])\n')
    (workspace / "defs.bzl").write_text('x = glob(["src/**"])\n')
    env = {**os.environ, "PYTHONPATH": str(site), "HOMEOSTASIS_NO_CACHE": "1"}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "homeostasis", *args],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
        )

    check = cli("check", ".")
    assert check.returncode == 1, check.stderr
    assert "BUILD:1:8: warning [starlark.glob.recursive]" in check.stdout
    assert "defs.bzl:1:5: warning [starlark.glob.recursive]" in check.stdout
    assert "plugin not loaded: starlark" not in check.stderr
    fixed = cli("check", "--fix", "--unsafe-fixes", "BUILD")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert (workspace / "BUILD").read_text() == 'srcs = glob(["*.py"])\n'
    rules = cli("rules", "test", "starlark.glob.recursive")
    assert rules.returncode == 0, rules.stdout + rules.stderr


@pytest.mark.asyncio
async def test_installed_plugin_is_used_by_the_language_server(tmp_path: Path) -> None:
    from tests.lsp.session import Session

    site = _install_plugin(tmp_path)
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (workspace / "BUILD").write_text('srcs = glob(["**/*.py"])\n')
    session = await Session.start(
        workspace,
        "vscode",
        env={"PYTHONPATH": str(site), "HOMEOSTASIS_CACHE_DIR": str(tmp_path / "cache")},
    )
    try:
        uri = session.open("BUILD", language="starlark")
        (found,) = await session.diagnostics(uri)
        assert found.code == "starlark.glob.recursive"
        assert found.range == session.range_of(uri, 'glob(["**/*.py"])')
    finally:
        await session.stop()
