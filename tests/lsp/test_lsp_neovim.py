"""A real editor: headless Neovim (Debian's package, 0.7+) with its built-in LSP client opens a
file, receives the server's diagnostic and applies the quick fix to the file on disk."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.lsp.session import SERVER, git_init

HERE = Path(__file__).resolve().parent


@pytest.mark.skipif(shutil.which("nvim") is None, reason="nvim is not installed (apt-get install neovim)")
def test_neovim_applies_the_quick_fix(tmp_path: Path, server_env: dict[str, str]) -> None:
    git_init(tmp_path)
    target = tmp_path / "app.py"
    target.write_text("def load(user=None):\n    if user == None:\n        user = 'guest'\n    return user\n")
    out = tmp_path / "report.json"
    env = {
        **os.environ,
        **server_env,
        "HOMEOSTASIS_TEST_FILE": str(target),
        "HOMEOSTASIS_TEST_OUT": str(out),
        "HOMEOSTASIS_TEST_CMD": json.dumps(SERVER),
        "HOMEOSTASIS_TEST_ACTION": "identity test",
        "XDG_STATE_HOME": str(tmp_path / "state"),  # keeps nvim's lsp.log out of the home folder
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    done = subprocess.run(
        ["nvim", "--headless", "--clean", "-n", "-c", f"luafile {HERE / 'nvim_quickfix.lua'}"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert out.exists(), f"nvim wrote no report (exit {done.returncode}): {done.stdout}\n{done.stderr}"
    report = json.loads(out.read_text())
    assert "error" not in report, report
    (diagnostic,) = report["diagnostics"]
    assert diagnostic["code"] == "python.comparison.none-equality"
    assert (diagnostic["lnum"], diagnostic["col"], diagnostic["end_col"]) == (1, 7, 19)
    assert "Ignore python.comparison.none-equality on this line" in report["titles"]
    assert report["applied"].endswith("(unsafe)")
    assert (
        target.read_text()
        == "def load(user=None):\n    if user is None:\n        user = 'guest'\n    return user\n"
    )
