"""`homeostasis explain` through the real CLI, on real interpreter output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.cli import homeostasis, run_python

CHAINED = """import json


def load(text):
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise RuntimeError("bad config") from exc


settings = {"debug": True}
print(settings["port"] if load("{}") else None)
load("")
"""


def _project(root: Path, files: dict[str, str]) -> Path:
    (root / "pyproject.toml").write_text("[tool.homeostasis]\n")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_json_report_of_a_real_traceback(tmp_path: Path) -> None:
    root = _project(tmp_path, {"app.py": 'config = {"a": 1}\nvalue = config["missing"]\n'})
    crash = run_python(root / "app.py", root)
    run = homeostasis("explain", "--format", "json", "-", cwd=root, stdin=crash.stderr)
    assert run.code == 0, run.err
    [diagnosis] = json.loads(run.out)
    assert diagnosis["error"]["type"] == "KeyError"
    best = diagnosis["findings"][0]
    assert best["rule"] == "python.key-error.subscript"
    assert best["path"] == "app.py"
    assert best["range"] == {"start": {"line": 2, "column": 9}, "end": {"line": 2, "column": 26}}
    assert best["located"] is True
    assert best["confidence"]["reasons"][0]["text"] == "rule's base confidence"
    assert any("located" in r["text"] for r in best["confidence"]["reasons"])
    assert best["fixes"][0]["edits"][0]["new_text"] == 'config.get("missing")'


def test_chained_exception_root_cause_leads(tmp_path: Path) -> None:
    root = _project(
        tmp_path, {"app.py": CHAINED.replace('print(settings["port"] if load("{}") else None)\n', "")}
    )
    crash = run_python(root / "app.py", root)
    assert "direct cause" in crash.stderr
    run = homeostasis("explain", "--format", "json", "-", cwd=root, stdin=crash.stderr)
    [diagnosis] = json.loads(run.out)
    assert diagnosis["error"]["type"] == "RuntimeError"
    assert [c["relation"] for c in diagnosis["error"]["chain"]] == ["cause"]
    best = diagnosis["findings"][0]
    assert best["rule"].startswith("python.json.")
    assert best["range"]["start"]["line"] == 6
    assert any("led to RuntimeError" in r["message"] for r in best["related"])


def test_container_paths_are_remapped(tmp_path: Path) -> None:
    root = _project(tmp_path, {"src/app.py": 'row = {}\nprint(row["id"])\n'})
    text = (
        "Traceback (most recent call last):\n"
        '  File "/app/src/app.py", line 2, in <module>\n'
        '    print(row["id"])\n'
        "KeyError: 'id'\n"
    )
    flag = json.loads(
        homeostasis("explain", "--remap", "/app=.", "--format", "json", "-", cwd=root, stdin=text).out
    )
    assert flag[0]["findings"][0]["path"] == "src/app.py"
    assert flag[0]["error"]["frames"][0]["resolved"] == "src/app.py"
    (root / "pyproject.toml").write_text('[tool.homeostasis]\npath-remaps = { "/app" = "." }\n')
    config = json.loads(homeostasis("explain", "--format", "json", "-", cwd=root, stdin=text).out)
    assert config[0]["findings"][0]["path"] == "src/app.py"


def test_pytest_failures_are_read(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            "calc.py": "def ratio(a, b):\n    return a / b\n",
            "test_calc.py": "from calc import ratio\n\n\ndef test_ratio():\n    assert ratio(1, 0) == 0\n",
        },
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_calc.py"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    run = homeostasis("explain", "--format", "json", "-", cwd=root, stdin=done.stdout)
    assert run.code == 0, run.err
    diagnoses = json.loads(run.out)
    zero = [d for d in diagnoses if d["error"]["type"] == "ZeroDivisionError"]
    assert zero, diagnoses
    best = zero[0]["findings"][0]
    assert best["path"] == "calc.py"
    assert best["range"]["start"]["line"] == 2


def test_text_report_shows_location_caret_and_fix_diff(tmp_path: Path) -> None:
    root = _project(tmp_path, {"app.py": 'config = {"a": 1}\nvalue = config["missing"]\n'})
    crash = run_python(root / "app.py", root)
    out = homeostasis("explain", "-", cwd=root, stdin=crash.stderr).out
    assert "==> app.py:2:9" in out
    assert "^^^^^^^^^^^^^^^^^" in out
    assert '+value = config.get("missing")' in out
    assert "why this fix:" in out
