"""``homeostasis rules``: list, show, test, --update, coverage, docs, new, schema, run as a user would."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from homeostasis.ruleset.update import FixedUpdate, UpdateError, rewrite_fixed

from tests.cli import homeostasis

HEAD = "# yaml-language-server: $schema=../schema/rule.schema.json\nlanguage: python\nrules:\n"
RULE = """\
  # A comment the update must keep.
  - id: python.debugging.breakpoint
    kind: pattern
    message: "debugger call left in: {{ fn }}()"
    severity: warning
    category: debugging
    criticality: low
    complexity: low
    reliability: high
    confidence: 0.8
    match:
      query: '((call function: (identifier) @fn) @target (#eq? @fn "breakpoint"))'
    fixes:
      - title: Remove the debugger call
        applicability: safe
        region: statement
        template: "pass"
    tests:
      - name: at module level
        source: |
          x = 1
          breakpoint()
        message: "debugger call left in: breakpoint()"
        range: "2:1-2:13"
        fixed: |
          x = 1
          WRONG
      - name:   inside a function    # odd spacing, kept as written
        source: |
          def f():
              breakpoint()
              return 1
        fixed: "def f():\\n    breakpoint()\\n    return 1\\n"

      - name: a call that is not breakpoint
        source: |
          print()
        match: false
"""
TRACEBACK = """\
Traceback (most recent call last):
  File "/home/ada/shop/cart.py", line 31, in <module>
    checkout(cart)
  File "/home/ada/shop/cart.py", line 27, in checkout
    return totals["grand"] * rate
           ~~~~~~^^^^^^^^^
KeyError: 'grand'
"""


def rules_file(folder: Path, text: str = HEAD + RULE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "debugging.yaml"
    path.write_text(text)
    return path


def test_list_filters_and_formats(tmp_path: Path) -> None:
    result = homeostasis("rules", "list", "--kind", "pattern", "--language", "python", cwd=tmp_path)
    assert result.code == 0, result.err
    rows = result.out.splitlines()[1:-1]
    assert rows and all(row.split()[1] == "pattern" for row in rows)
    assert result.out.splitlines()[-1] == f"{len(rows)} rules"
    data = json.loads(
        homeostasis("rules", "list", "--category", "key-e*", "--format", "json", cwd=tmp_path).out
    )
    assert {r["category"] for r in data} == {"key-error"}
    assert "python.key-error.subscript" in {r["id"] for r in data}
    assert all({"id", "fixes", "tests", "file", "summary"} <= set(r) for r in data)
    own = homeostasis(
        "rules",
        "list",
        "--rules",
        str(rules_file(tmp_path / "mine")),
        "--category",
        "debugging",
        cwd=tmp_path,
    )
    assert own.out.splitlines()[1].startswith("python.debugging.breakpoint ")


def test_show_resolves_templates_through_the_hierarchy(tmp_path: Path) -> None:
    result = homeostasis("rules", "show", "python.key-error.subscript", cwd=tmp_path)
    assert result.code == 0, result.err
    assert "- id: python.key-error.subscript" in result.out, "the rule's own text"
    assert "name: literal key on a dict" in result.out, "its tests"
    assert "summary:" in result.out, "its docs"
    resolution = result.out.split("Fix templates", 1)[1]
    assert re.search(r"category\s+python/categories/key-error/guard\.j2\s+-", resolution)
    assert re.search(r"language\s+python/guard\.j2\s+<- used", resolution)
    assert "--- python/base.j2" in resolution, "the chain follows {% extends %}"
    data = json.loads(
        homeostasis("rules", "show", "python.key-error.subscript", "--format", "json", cwd=tmp_path).out
    )
    guard = data["templates"][1]
    assert [link["name"] for link in guard["chain"]] == ["python/guard.j2", "python/base.j2"]
    assert data["docs"].startswith("# python.key-error.subscript")
    missing = homeostasis("rules", "show", "key-error.subscrip", cwd=tmp_path)
    assert missing.code == 2 and "did you mean python.key-error.subscript" in missing.err


def test_builtin_rules_pass_their_tests(tmp_path: Path) -> None:
    """What CI runs: `homeostasis rules test` over the rules shipped with the package."""
    result = homeostasis("rules", "test", cwd=tmp_path, timeout=600)
    assert result.code == 0, result.out[-3000:]
    assert re.match(r"^\d+ rules, \d+ tests: (\d+) passed, 0 failed$", result.out.splitlines()[-1])


def test_failures_are_reported_as_missing_noisy_and_fix_diffs(tmp_path: Path) -> None:
    text = HEAD + RULE.replace("print()\n        match: false", "breakpoint()\n        match: false")
    text = text.replace("  x = 1\n          breakpoint()\n", "  x = 1\n          breakpoint\n", 1)
    path = rules_file(tmp_path / "mine", text)
    result = homeostasis("rules", "test", str(path), cwd=tmp_path)
    assert result.code == 1
    assert "MISSING     python.debugging.breakpoint :: at module level" in result.out
    assert "NOISY       python.debugging.breakpoint :: a call that is not breakpoint" in result.out
    assert "FIX         python.debugging.breakpoint :: inside a function" in result.out
    assert "-    breakpoint()\n    +    pass" in result.out.replace("\n    ", "\n    ")
    assert result.out.splitlines()[-1] == "1 rules, 3 tests: 0 passed, 3 failed (1 fix, 1 missing, 1 noisy)"
    by_id = homeostasis("rules", "test", "--rules", str(path.parent), "python.debugging.*", cwd=tmp_path)
    assert by_id.code == 1 and by_id.out.splitlines()[-1].startswith("1 rules, 3 tests")
    unknown = homeostasis("rules", "test", "python.nothing.*", cwd=tmp_path)
    assert unknown.code == 2


def test_update_rewrites_only_the_expected_outputs(tmp_path: Path) -> None:
    path = rules_file(tmp_path / "mine")
    before = path.read_text()
    result = homeostasis("rules", "test", str(path), "--update", cwd=tmp_path)
    assert result.code == 0, result.out
    assert "updated 2 expected output(s)" in result.out
    assert result.out.splitlines()[-1] == "1 rules, 3 tests: 3 passed, 0 failed"
    after = path.read_text()
    expected = before.replace("  x = 1\n          WRONG\n", "  x = 1\n          pass\n").replace(
        '"def f():\\n    breakpoint()\\n    return 1\\n"',
        "|\n          def f():\n              pass\n              return 1",
    )
    assert after == expected, "comments, spacing and blank lines elsewhere are untouched"
    again = homeostasis("rules", "test", str(path), "--update", cwd=tmp_path)
    assert again.code == 0 and "updated" not in again.out
    assert path.read_text() == after


@pytest.mark.parametrize(
    "value",
    [
        "a = 1",
        "a = 1\n\n\n",
        "    indented first\nline\n",
        "tab\there\n",
        "crlf\r\nline\n",
        "",
        "# x\n\n# y\n",
    ],
)
def test_rewrite_fixed_round_trips_awkward_values(value: str) -> None:
    text = HEAD + RULE
    update = FixedUpdate("python.debugging.breakpoint", 0, "at module level", None, "x = 1\nWRONG\n", value)
    result = rewrite_fixed(text, [update])
    data = yaml.safe_load(result)
    assert data["rules"][0]["tests"][0]["fixed"] == value
    original = yaml.safe_load(text)
    original["rules"][0]["tests"][0]["fixed"] = value
    assert data == original
    assert result.splitlines()[:3] == text.splitlines()[:3]


def test_rewrite_fixed_refuses_a_moved_test() -> None:
    update = FixedUpdate("python.debugging.breakpoint", 0, "renamed meanwhile", None, "", "x")
    with pytest.raises(UpdateError, match="moved"):
        rewrite_fixed(HEAD + RULE, [update])


def test_coverage_table_json_and_self_contained_html(tmp_path: Path) -> None:
    result = homeostasis("rules", "coverage", cwd=tmp_path)
    assert result.code == 0, result.err
    assert re.search(r"^key-error\s+\d+", result.out, re.M)
    summary = result.out.strip().splitlines()[-2]
    counts = json.loads(homeostasis("rules", "coverage", "--format", "json", "--no-html", cwd=tmp_path).out)
    assert summary.startswith(f"{counts['total']['rules']} rules: {counts['total']['with_tests']} with tests")
    assert counts["families"]["key-error"]["rules"] >= 6
    assert {"language": "python", "family": "key-error"}.items() <= next(
        m for m in counts["matrix"] if m["family"] == "key-error"
    ).items()
    html = (tmp_path / ".homeostasis" / "coverage.html").read_text()
    assert (tmp_path / ".homeostasis" / ".gitignore").exists()
    assert html.count("<svg") == 2 and "key-error" in html
    assert "<script" not in html and "@import" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//|url\(""", html), "no external assets"
    own = homeostasis(
        "rules", "coverage", str(rules_file(tmp_path / "mine")), "--html", "out/c.html", cwd=tmp_path
    )
    assert "debugging" in own.out and "1 rules:" in own.out and (tmp_path / "out/c.html").is_file()


def test_docs_are_generated_deterministically(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    out.mkdir()
    (out / "handwritten.md").write_text("# mine\n")
    (out / "python.gone.rule.md").write_text(
        "<!-- Generated by `homeostasis rules docs` from the rule file; x -->\n"
    )
    first = homeostasis("rules", "docs", "--output", str(out), cwd=tmp_path)
    assert first.code == 0, first.err
    assert re.match(r"^\d+ pages in .*: \d+ written, 1 removed$", first.out.strip())
    assert (out / "handwritten.md").exists() and not (out / "python.gone.rule.md").exists()
    snapshot = {p.name: p.read_text() for p in out.glob("*.md")}
    assert (
        homeostasis("rules", "docs", "--output", str(out), cwd=tmp_path)
        .out.strip()
        .endswith(": 0 written, 0 removed")
    )
    assert {p.name: p.read_text() for p in out.glob("*.md")} == snapshot
    assert homeostasis("rules", "docs", "--output", str(out), "--check", cwd=tmp_path).code == 0
    page = snapshot["python.key-error.subscript.md"]
    for section in ("## What it detects", "## Why it matters", "## Example", "## Fix", "## References"):
        assert section in page
    assert "**unsafe**" in page and "```diff" in page
    assert "[python.key-error.subscript](python.key-error.subscript.md)" in snapshot["README.md"]
    (out / "python.key-error.subscript.md").write_text("edited by hand\n")
    stale = homeostasis("rules", "docs", "--output", str(out), "--check", cwd=tmp_path)
    assert stale.code == 1 and "python.key-error.subscript.md" in stale.out


def test_new_scaffolds_a_rule_that_validates_and_passes(tmp_path: Path) -> None:
    printed = homeostasis("rules", "new", "--id", "python.key-error.totals", cwd=tmp_path, stdin=TRACEBACK)
    assert printed.code == 0, printed.err
    schema = json.loads(homeostasis("rules", "schema", cwd=tmp_path).out)
    jsonschema.validate(yaml.safe_load(printed.out), schema)
    assert printed.out.startswith("# yaml-language-server: $schema=")
    assert "python.key-error.subscript already explains this error" in printed.err
    target = tmp_path / "rules" / "mine.yaml"
    created = homeostasis("rules", "new", "-", "--output", str(target), cwd=tmp_path, stdin=TRACEBACK)
    assert created.code == 0 and "(its test matches the error)" in created.out
    text = target.read_text()
    assert "message: '^''(?P<quoted>[^'']*)''$'" in text
    assert "query: '(subscript value: (_) @value subscript: (_) @subscript) @target'" in text
    assert 'File "/home/ada/shop/cart.py", line 1, in checkout' in text, "renumbered to the test source"
    second = homeostasis(
        "rules",
        "new",
        "--id",
        "python.key-error.other",
        "--output",
        str(target),
        cwd=tmp_path,
        stdin=TRACEBACK,
    )
    assert second.code == 0 and "Added python.key-error.other" in second.out
    tested = homeostasis("rules", "test", str(target), cwd=tmp_path)
    assert tested.code == 0 and tested.out.splitlines()[-1] == "2 rules, 2 tests: 2 passed, 0 failed"
    assert homeostasis("rules", "validate", str(target), cwd=tmp_path).code in (0, 4), "valid, maybe shadowed"
    garbage = homeostasis("rules", "new", cwd=tmp_path, stdin="nothing to see here\n")
    assert garbage.code == 2 and "no error recognised" in garbage.err


def test_schema_and_help(tmp_path: Path) -> None:
    path = Path(homeostasis("rules", "schema", "--path", cwd=tmp_path).out.strip())
    assert path.is_file() and "yaml-language-server" in json.loads(path.read_text())["description"]
    assert "rules" in homeostasis("--help", cwd=tmp_path).out
    help_text = homeostasis("rules", "--help", cwd=tmp_path)
    assert help_text.code == 0 and "validate" in help_text.out and "coverage" in help_text.out


def test_rewrite_fixed_files_entries() -> None:
    files = (
        "        files: {lib.py: 'x = 1'}\n"
        "        fixed-files:\n"
        "          lib.py: |\n"
        "            old\n"
        "          # keep me\n"
    )
    text = HEAD + RULE.replace("        fixed: |\n          x = 1\n          WRONG\n", files)
    rule_id = "python.debugging.breakpoint"
    update = FixedUpdate(rule_id, 0, "at module level", "lib.py", "old\n", "new\ntext\n")
    result = rewrite_fixed(text, [update])
    assert "          lib.py: |\n            new\n            text\n          # keep me\n" in result
    assert yaml.safe_load(result)["rules"][0]["tests"][0]["fixed-files"] == {"lib.py": "new\ntext\n"}
