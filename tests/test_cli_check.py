"""`homeostasis check` through the real CLI: formats, exit codes, fixes, cache, shards."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli import homeostasis

RISKY = "def f(x, items=[]):\n    if x is 1:\n        return items\n    return x == None\n"


def _tree(root: Path, files: int = 6) -> Path:
    (root / "pyproject.toml").write_text("[tool.homeostasis]\n")
    for i in range(files):
        (root / f"m{i}.py").write_text(RISKY)
    (root / "clean.py").write_text("x = 1\n")
    return root


def test_exit_codes_and_threshold(tmp_path: Path) -> None:
    root = _tree(tmp_path, 1)
    assert homeostasis("check", ".", cwd=root).code == 1
    assert homeostasis("check", "--exit-zero", ".", cwd=root).code == 0
    assert homeostasis("check", "--fail-on", "error", ".", cwd=root).code == 0
    assert homeostasis("check", "clean.py", cwd=root).code == 0
    assert homeostasis("check", "--format", "xml", ".", cwd=root).code == 2


def test_json_and_sarif_reports(tmp_path: Path) -> None:
    root = _tree(tmp_path, 1)
    report = json.loads(homeostasis("check", "--with-fixes", "--format", "json", "m0.py", cwd=root).out)
    rules = {f["rule"] for f in report["findings"]}
    assert {
        "python.comparison.is-literal",
        "python.comparison.none-equality",
        "python.functions.mutable-default",
    } <= rules
    literal = next(f for f in report["findings"] if f["rule"] == "python.comparison.is-literal")
    assert literal["range"]["start"] == {"line": 2, "column": 8}
    assert literal["fixes"] and literal["fixes"][0]["applicability"] == "safe"
    sarif = json.loads(homeostasis("check", "--format", "sarif", "m0.py", cwd=root).out)
    assert sarif["version"] == "2.1.0"
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} == rules


def test_github_annotations(tmp_path: Path) -> None:
    root = _tree(tmp_path, 1)
    out = homeostasis("check", "--format", "github", "m0.py", cwd=root).out
    assert "::warning file=m0.py,line=2" in out


def test_fix_applies_safe_fixes_and_diff_changes_nothing(tmp_path: Path) -> None:
    root = _tree(tmp_path, 1)
    diff = homeostasis("check", "--diff", "m0.py", cwd=root)
    assert diff.code == 1
    assert "+    if x == 1:" in diff.out
    assert (root / "m0.py").read_text() == RISKY
    fixed = homeostasis("check", "--fix", "m0.py", cwd=root)
    text = (root / "m0.py").read_text()
    assert "if x == 1:" in text
    assert "items=[]" in text and "x == None" in text, "unsafe fixes need --unsafe-fixes"
    assert "python.comparison.is-literal" not in fixed.out
    unsafe = homeostasis("check", "--fix", "--unsafe-fixes", "m0.py", cwd=root)
    assert unsafe.code == 0, unsafe.out
    assert "items=None" in (root / "m0.py").read_text()
    text = (root / "m0.py").read_text()
    again = homeostasis("check", "--fix", "--unsafe-fixes", "m0.py", cwd=root)
    assert (root / "m0.py").read_text() == text, "a second --fix must change nothing"
    assert again.code == 0


def test_warm_cache_gives_the_same_report_and_notices_edits(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    cold = homeostasis("check", "--format", "json", ".", cwd=root)
    assert (root / ".homeostasis" / "cache").is_dir()
    warm = homeostasis("check", "--format", "json", ".", cwd=root)
    assert json.loads(warm.out) == json.loads(cold.out)
    (root / "m3.py").write_text("x = 2\n")
    edited = json.loads(homeostasis("check", "--format", "json", ".", cwd=root).out)
    assert "m3.py" not in {f["path"] for f in edited["findings"]}
    assert len(edited["findings"]) < len(json.loads(cold.out)["findings"])


def test_shards_partition_the_tree_and_merge_back(tmp_path: Path) -> None:
    root = _tree(tmp_path, 12)
    whole = json.loads(homeostasis("check", "--no-cache", "--format", "json", ".", cwd=root).out)
    paths: list[set[str]] = []
    for index in (1, 2, 3):
        out = root / f"shard{index}.json"
        run = homeostasis(
            "check",
            "--no-cache",
            "--shard",
            f"{index}/3",
            "--format",
            "json",
            "--output",
            str(out),
            ".",
            cwd=root,
        )
        assert run.code in (0, 1), run.err
        paths.append({f["path"] for f in json.loads(out.read_text())["findings"]})
    assert not (paths[0] & paths[1] or paths[1] & paths[2] or paths[0] & paths[2])
    merged = homeostasis("merge", "shard1.json", "shard2.json", "shard3.json", cwd=root)
    assert merged.code == 0
    assert json.loads(merged.out)["findings"] == whole["findings"]
    assert homeostasis("check", "--shard", "4/3", ".", cwd=root).code == 2


def test_sarif_shards_merge(tmp_path: Path) -> None:
    root = _tree(tmp_path, 8)
    for index in (1, 2):
        homeostasis(
            "check",
            "--shard",
            f"{index}/2",
            "--format",
            "sarif",
            "--output",
            f"s{index}.sarif",
            ".",
            cwd=root,
        )
    merged = json.loads(homeostasis("merge", "s1.sarif", "s2.sarif", cwd=root).out)
    results = merged["runs"][0]["results"]
    assert len({r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}) == 8
    rules = [r["id"] for r in merged["runs"][0]["tool"]["driver"]["rules"]]
    assert all(rules[r["ruleIndex"]] == r["ruleId"] for r in results)


def test_gitignore_is_honoured(tmp_path: Path) -> None:
    root = _tree(tmp_path, 1)
    (root / "build").mkdir()
    (root / "build" / "gen.py").write_text(RISKY)
    (root / ".gitignore").write_text("build/\n")
    (root / ".git").mkdir()
    report = json.loads(homeostasis("check", "--format", "json", ".", cwd=root).out)
    assert "build/gen.py" not in {f["path"] for f in report["findings"]}
    report = json.loads(homeostasis("check", "--no-gitignore", "--format", "json", ".", cwd=root).out)
    assert "build/gen.py" in {f["path"] for f in report["findings"]}


def test_suppression_is_strict(tmp_path: Path) -> None:
    root = _tree(tmp_path, 0)
    (root / "s.py").write_text(
        "a = None\n"
        "if a == None:  # homeostasis: ignore[python.comparison.none-equality]\n    pass\n"
        "if a == None:  # homeostasis: ignore\n    pass\n"
        "if a == None:  # homeostasis: ignore[python.comparison.none-equalty]\n    pass\n"
    )
    report = json.loads(homeostasis("check", "--format", "json", "s.py", cwd=root).out)
    found = sorted((f["range"]["start"]["line"], f["rule"]) for f in report["findings"])
    assert (2, "python.comparison.none-equality") not in found
    assert (4, "python.comparison.none-equality") in found
    assert (4, "homeostasis.suppression.blanket") in found
    assert (6, "python.comparison.none-equality") in found
    assert (6, "homeostasis.suppression.unknown-rule") in found


def test_workers_report_exactly_what_one_process_does(tmp_path: Path) -> None:
    # Enough files (of very different sizes) for two forked workers; the report must not
    # depend on how the files were shared out.
    root = tmp_path
    (root / "pyproject.toml").write_text("[tool.homeostasis]\n")
    for i in range(180):
        folder = root / f"pkg{i % 7}"
        folder.mkdir(exist_ok=True)
        (folder / f"m{i}.py").write_text(RISKY * (1 + i % 13))
    (root / "bad.py").write_bytes(b"x = '\xff'\n")
    single = homeostasis("check", "--no-cache", "--jobs", "1", "--format", "json", ".", cwd=root)
    forked = homeostasis("check", "--no-cache", "--jobs", "2", "--format", "json", ".", cwd=root)
    assert single.code == forked.code == 1, forked.err
    assert json.loads(forked.out) == json.loads(single.out)
    assert len(json.loads(single.out)["findings"]) > 180
    # A file that cannot be read is reported once, whichever process met it.
    assert forked.err.count("bad.py") == single.err.count("bad.py") == 1


def test_a_language_with_no_enabled_rule_is_not_read(tmp_path: Path) -> None:
    root = _tree(tmp_path, 1)
    (root / "broken.js").write_bytes(b"const s = '\xff';\n")
    everything = homeostasis("check", "--exit-zero", "--format", "sarif", ".", cwd=root)
    assert "broken.js" in everything.err  # not valid UTF-8: skipped, with a warning
    python_only = homeostasis(
        "check", "--exit-zero", "--enable", "python.*", "--format", "sarif", ".", cwd=root
    )
    assert "broken.js" not in python_only.err
    results = json.loads(python_only.out)["runs"][0]["results"]
    assert results and {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results
    } == {"m0.py"}
