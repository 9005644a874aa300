"""Bad input gets a clear message and a sensible exit code; nothing crashes, no file is lost."""

from __future__ import annotations

from pathlib import Path

from homeostasis.workspace.stats import StatsStore

from tests.cli import homeostasis

TRACEBACK = """Traceback (most recent call last):
  File "{path}", line 2, in <module>
    port = config["port"]
KeyError: 'port'
"""


def _project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.homeostasis]\n")
    (tmp_path / "app.py").write_text('config = {"host": "x"}\nport = config["port"]\n')
    return tmp_path


def test_explain_binary_input(tmp_path: Path) -> None:
    blob = tmp_path / "core.bin"
    blob.write_bytes(bytes(range(256)) * 64)
    run = homeostasis("explain", str(blob), cwd=tmp_path)
    assert run.code == 2
    assert "binary" in run.err
    assert "Traceback" not in run.err  # a message, not a crash


def test_explain_empty_input(tmp_path: Path) -> None:
    run = homeostasis("explain", "-", cwd=tmp_path, stdin="")
    assert run.code == 2
    assert "empty" in run.err


def test_explain_no_traceback(tmp_path: Path) -> None:
    run = homeostasis("explain", "-", cwd=tmp_path, stdin="all tests passed\nnothing to see\n")
    assert run.code == 3
    assert "No error output recognised" in run.out


def test_explain_missing_file(tmp_path: Path) -> None:
    run = homeostasis("explain", str(tmp_path / "nope.log"), cwd=tmp_path)
    assert run.code == 2
    assert "cannot read" in run.err


def test_explain_invalid_utf8_around_a_traceback(tmp_path: Path) -> None:
    root = _project(tmp_path)
    data = b"\xff\xfe garbage \xc3\x28\n" + TRACEBACK.format(path="app.py").encode() + b"\x80\x81 trailing\n"
    run = homeostasis("explain", "-", cwd=root, stdin=data)
    assert run.code == 0, run.err
    assert "KeyError" in run.out
    assert "app.py:2" in run.out


def test_explain_huge_input_is_refused_clearly(tmp_path: Path) -> None:
    big = tmp_path / "big.log"
    with big.open("wb") as handle:
        handle.truncate(65 * 1024 * 1024)  # sparse: cheap to make, NUL bytes inside
    run = homeostasis("explain", str(big), cwd=tmp_path)
    assert run.code == 2
    assert "larger than" in run.err


def test_traceback_outside_workspace_is_diagnosed_never_edited(tmp_path: Path) -> None:
    root = _project(tmp_path)
    outside = tmp_path.parent / f"{tmp_path.name}-elsewhere.py"
    outside.write_text('config = {}\nport = config["port"]\n')
    before = outside.read_text()
    text = TRACEBACK.format(path="/opt/other/service/elsewhere_module.py")
    explain = homeostasis("explain", "-", cwd=root, stdin=text)
    assert explain.code == 0
    assert "not in the workspace" in explain.out
    fix = homeostasis("fix", "--unsafe", "-", cwd=root, stdin=text)
    assert fix.code == 1
    assert "not fixed" in fix.out
    assert outside.read_text() == before
    outside.unlink()


def test_check_skips_binary_invalid_and_oversize_files(tmp_path: Path) -> None:
    (tmp_path / "ok.py").write_text("x = 1\n")
    (tmp_path / "blob.py").write_bytes(b"\0\1\2binary\0")
    (tmp_path / "latin.py").write_bytes("name = 'caf\xe9'\n".encode("latin-1"))
    (tmp_path / "pyproject.toml").write_text("[tool.homeostasis]\nmax-file-bytes = 1000\n")
    (tmp_path / "huge.py").write_text("x = 1\n" * 1000)
    run = homeostasis("check", ".", cwd=tmp_path)
    assert run.code == 0, run.err
    assert "blob.py: binary file" in run.err
    assert "latin.py: not valid UTF-8" in run.err
    assert "huge.py: larger than 1000 bytes" in run.err
    assert "in 2 files" in run.out  # ok.py and pyproject.toml


def test_check_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    run = homeostasis("check", "does-not-exist", cwd=tmp_path)
    assert run.code == 2
    assert "no such file or directory" in run.err


def test_malformed_rule_files_are_reported_with_file_rule_and_field(tmp_path: Path) -> None:
    rules = tmp_path / "myrules"
    rules.mkdir()
    (rules / "broken.yaml").write_text("language: python\nrules:\n  - id: python.mine.x\n    kind: pattern\n")
    (rules / "bad_yaml.yaml").write_text("language: python\nrules: [\n")
    (rules / "bad_query.yaml").write_text(
        "language: python\nrules:\n  - id: python.mine.query\n    kind: pattern\n    message: m\n"
        "    severity: warning\n    category: style\n    criticality: low\n    complexity: low\n"
        "    reliability: low\n    confidence: 0.5\n    match:\n      query: '(no_such_node) @target'\n"
    )
    (tmp_path / "a.py").write_text("x = 1\n")
    run = homeostasis("check", "--rules", str(rules), "a.py", cwd=tmp_path)
    assert run.code == 0, run.err
    assert "broken.yaml:3: [python.mine.x]" in run.err
    assert "required property" in run.err
    assert "bad_yaml.yaml" in run.err and "yaml" in run.err
    assert "[python.mine.query] match.query: query does not compile" in run.err


def test_failed_validation_rolls_back(tmp_path: Path) -> None:
    root = _project(tmp_path)
    before = (root / "app.py").read_text()
    run = homeostasis(
        "fix", "--unsafe", "--validate", "exit 3", "-", cwd=root, stdin=TRACEBACK.format(path="app.py")
    )
    assert run.code == 1
    assert "restored" in run.err
    assert (root / "app.py").read_text() == before
    rates = StatsStore.for_root(root).rates()["python.key-error.subscript"]
    assert (rates.fired, rates.applied, rates.rolled_back, rates.validated) == (1, 1, 1, 0)
    ok = homeostasis(
        "fix", "--unsafe", "--validate", "true", "-", cwd=root, stdin=TRACEBACK.format(path="app.py")
    )
    assert ok.code == 0, ok.out + ok.err
    assert StatsStore.for_root(root).rates()["python.key-error.subscript"].validated == 1
