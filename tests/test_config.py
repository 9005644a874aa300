"""[tool.homeostasis] in pyproject.toml: discovery, validation, CLI overrides."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from homeostasis.model import Settings, Severity
from homeostasis.workspace.config import load_config, merge_settings
from homeostasis.workspace.files import find_git_root

FULL = """
[project]
name = "demo"

[tool.homeostasis]
enable = ["python.*"]
disable = ["python.style.*", "python.runtime.key-error"]
confidence-threshold = 0.6
unsafe-fixes = true
exclude = ["migrations/", "*_pb2.py"]
max-file-bytes = 500000

[tool.homeostasis.severity]
"python.runtime.*" = "error"
"python.style.*" = "Hint"

[tool.homeostasis.path-remaps]
"/app" = "."
"/srv/lib/" = "./src/lib/"
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_full_table(tmp_path: Path) -> None:
    config = write(tmp_path / "pyproject.toml", FULL)
    result = load_config(tmp_path)
    assert result.problems == ()
    assert result.root == tmp_path
    assert result.config_file == config
    assert result.settings == Settings(
        enable=("python.*",),
        disable=("python.style.*", "python.runtime.key-error"),
        severity=(("python.runtime.*", Severity.ERROR), ("python.style.*", Severity.HINT)),
        confidence_threshold=0.6,
        path_remaps=(("/app", "."), ("/srv/lib/", "src/lib")),
        unsafe_fixes=True,
        exclude=("migrations/", "*_pb2.py"),
        max_file_bytes=500000,
    )
    assert result.settings.severity_for("python.style.x", Severity.WARNING) is Severity.HINT


def test_found_from_a_nested_file_and_skips_pyprojects_without_the_table(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.homeostasis]\nunsafe-fixes = true\n")
    write(tmp_path / "pkg" / "pyproject.toml", "[tool.ruff]\nline-length = 100\n")
    source = write(tmp_path / "pkg" / "src" / "a.py", "")
    result = load_config(source)
    assert result.root == tmp_path
    assert result.settings.unsafe_fixes is True


def test_an_empty_table_counts(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.homeostasis]\n")
    write(tmp_path / "sub" / "pyproject.toml", "[tool.homeostasis]\n")
    result = load_config(tmp_path / "sub")
    assert (result.root, result.settings, result.problems) == (tmp_path / "sub", Settings(), ())


def test_without_config_the_root_is_the_git_root(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "a" / "b").mkdir(parents=True)
    result = load_config(tmp_path / "a" / "b")
    assert (result.root, result.settings, result.problems, result.config_file) == (
        tmp_path,
        Settings(),
        (),
        None,
    )


def test_search_stops_at_the_git_root(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.homeostasis]\nunsafe-fixes = true\n")
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    result = load_config(tmp_path / "repo")
    assert result.root == tmp_path / "repo"
    assert result.settings.unsafe_fixes is False


@pytest.mark.skipif(
    find_git_root(Path(tempfile.gettempdir())) is not None, reason="temp dir is inside a repo"
)
def test_without_config_or_git_the_root_is_the_start_folder(tmp_path: Path) -> None:
    source = write(tmp_path / "x" / "a.py", "")
    result = load_config(source)
    assert (result.root, result.config_file) == (tmp_path / "x", None)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (
            'confidence-threshold = "high"',
            "tool.homeostasis.confidence-threshold: expected a number between 0 and 1, got 'high'",
        ),
        (
            "confidence-threshold = 1.5",
            "tool.homeostasis.confidence-threshold: expected a number between 0 and 1, got 1.5",
        ),
        (
            "confidence-threshold = true",
            "tool.homeostasis.confidence-threshold: expected a number between 0 and 1, got true",
        ),
        ('enable = "python.*"', "tool.homeostasis.enable: expected a list of strings, got 'python.*'"),
        ("disable = [1]", "tool.homeostasis.disable[0]: expected a non-empty string, got 1"),
        ('unsafe-fixes = "yes"', "tool.homeostasis.unsafe-fixes: expected true or false, got 'yes'"),
        (
            "max-file-bytes = -1",
            "tool.homeostasis.max-file-bytes: expected a positive whole number of bytes, got -1",
        ),
        (
            'severity = "error"',
            "tool.homeostasis.severity: expected a table of rule-glob = severity, got 'error'",
        ),
        (
            'severity = { "a.*" = "fatal" }',
            "tool.homeostasis.severity.\"a.*\": expected one of error, warning, info, hint, got 'fatal'",
        ),
        (
            'path-remaps = { "/app" = "../elsewhere" }',
            'tool.homeostasis.path-remaps."/app": expected a path inside the workspace root, '
            "got '../elsewhere'",
        ),
        (
            'path-remaps = { "/app" = "/abs" }',
            "tool.homeostasis.path-remaps.\"/app\": expected a path inside the workspace root, got '/abs'",
        ),
        ('path-remaps = { "/app" = 3 }', 'tool.homeostasis.path-remaps."/app": expected a path relative'),
        (
            "confidence_threshold = 0.5",
            "tool.homeostasis.confidence_threshold: unknown key; did you mean 'confidence-threshold'?",
        ),
        ("exlude = []", "tool.homeostasis.exlude: unknown key; did you mean 'exclude'?"),
        ("zzz = 1", "tool.homeostasis.zzz: unknown key; known keys: enable, disable"),
    ],
)
def test_problems_are_readable_and_keep_defaults(tmp_path: Path, line: str, problem: str) -> None:
    config = write(tmp_path / "pyproject.toml", f"[tool.homeostasis]\n{line}\n")
    result = load_config(tmp_path)
    assert len(result.problems) == 1, result.problems
    assert result.problems[0].startswith(f"{config}: {problem}")
    assert result.settings == Settings()  # a bad value keeps the default


def test_good_entries_survive_next_to_bad_ones(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[tool.homeostasis]\ndisable = ["a", 2, "b"]\nseverity = { "x" = "info", "y" = "loud" }\n',
    )
    result = load_config(tmp_path)
    assert result.settings.disable == ("a", "b")
    assert result.settings.severity == (("x", Severity.INFO),)
    assert len(result.problems) == 2


def test_broken_toml_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.homeostasis\nenable = [\n")
    result = load_config(tmp_path)
    assert result.settings == Settings()
    assert result.root == tmp_path
    assert len(result.problems) == 1
    assert "not valid TOML" in result.problems[0]


def test_non_utf8_pyproject_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_bytes(b"[tool.homeostasis]\nexclude = ['\xff']\n")
    result = load_config(tmp_path)
    assert result.settings == Settings()
    assert len(result.problems) == 1


def test_table_that_is_not_a_table(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", 'tool = { homeostasis = "on" }\n')
    result = load_config(tmp_path)
    assert result.problems == (f"{tmp_path / 'pyproject.toml'}: tool.homeostasis must be a table",)


class TestMergeSettings:
    def test_overrides_replace_and_none_keeps(self) -> None:
        base = Settings(disable=("a",), confidence_threshold=0.5)
        merged = merge_settings(base, disable=["b", "c"], confidence_threshold=None, unsafe_fixes=True)
        assert merged == Settings(disable=("b", "c"), confidence_threshold=0.5, unsafe_fixes=True)
        assert base.disable == ("a",)  # values are immutable

    def test_mappings_and_severity_names(self) -> None:
        merged = merge_settings(
            Settings(), severity={"py.*": "warning", "x": Severity.ERROR}, path_remaps={"/app": "."}
        )
        assert merged.severity == (("py.*", Severity.WARNING), ("x", Severity.ERROR))
        assert merged.path_remaps == (("/app", "."),)

    def test_unknown_setting_is_an_error(self) -> None:
        with pytest.raises(TypeError, match="confidence"):
            merge_settings(Settings(), confidence=0.3)

    def test_bad_severity_name_is_an_error(self) -> None:
        with pytest.raises(ValueError):
            merge_settings(Settings(), severity={"x": "loud"})
