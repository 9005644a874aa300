"""``homeostasis rules validate``: every kind of bad rule reported with its file, line and rule;
conflicts and shadowing found from examples; distinct exit codes; the built-in rules are clean."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from homeostasis.ruleset.redos import backtracking_risks

from tests.cli import homeostasis

HEAD = "language: python\nrules:\n"


def rule(rule_id: str, *, kind: str = "pattern", extra: str = "", confidence: float = 0.8) -> str:
    """A rule item; ``extra`` adds keys (match, fixes, tests...) at the item's indentation."""
    return (
        f"  - id: {rule_id}\n"
        f"    kind: {kind}\n"
        '    message: "debugger call {{ fn }}"\n'
        "    severity: warning\n"
        "    category: debugging\n"
        "    criticality: low\n"
        "    complexity: low\n"
        "    reliability: high\n"
        f"    confidence: {confidence}\n" + extra
    )


BREAKPOINT = (
    "    match:\n      query: '((call function: (identifier) @fn) @target (#eq? @fn \"breakpoint\"))'\n"
)


def fixing(template: str, title: str = "Remove the debugger call") -> str:
    return (
        "    fixes:\n"
        f'      - title: "{title}"\n'
        "        applicability: safe\n"
        f"        template: '{template}'\n"
    )


EXAMPLES = (
    "    tests:\n"
    "      - name: a breakpoint left in\n"
    "        source: |\n"
    "          breakpoint()\n"
    "      - name: other calls\n"
    "        source: |\n"
    "          print()\n"
    "        match: false\n"
)


def validate(*paths: Path, cwd: Path) -> tuple[int, list[str], dict[str, list[dict[str, object]]]]:
    text = homeostasis("rules", "validate", *map(str, paths), cwd=cwd)
    data = homeostasis("rules", "validate", *map(str, paths), "--format", "json", cwd=cwd)
    assert data.code == text.code, (text.out, data.out)
    return text.code, text.out.splitlines(), json.loads(data.out)


def line_of(file: Path, needle: str) -> int:
    return next(i for i, line in enumerate(file.read_text().splitlines(), 1) if needle in line)


def test_a_good_rule_validates(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(
        HEAD + rule("python.debugging.breakpoint", extra=BREAKPOINT + EXAMPLES)
    )
    code, lines, data = validate(tmp_path, cwd=tmp_path)
    assert code == 0, lines
    assert lines[-1] == "1 rules: 0 problems, 0 conflicts, 0 warnings"
    assert data["problems"] == data["conflicts"] == data["warnings"] == []


def test_every_bad_rule_is_reported_with_file_line_and_rule(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    redos = "    match:\n      error: [ValueError]\n      message: '^(\\w+\\s?)+$'\n"
    precise = "    fixes:\n      - {title: t, applicability: safe, precise: no_such_op}\n"
    pairs = [
        ("schema", BREAKPOINT, "fatal"),
        ("query", "    match:\n      query: '(call function: (nosuchnode)) @target'\n", ""),
        ("where", BREAKPOINT + "      where: {fn: '(unclosed'}\n", ""),
        ("capture", BREAKPOINT + fixing("{{ nothere }}"), ""),
        ("raises", BREAKPOINT + fixing("{{ 1 // 0 }}"), ""),
        ("reparse", BREAKPOINT + fixing("(((") + EXAMPLES, ""),
        ("requires", BREAKPOINT + "    requires: [python.x.nope]\n", ""),
        ("cycle-a", BREAKPOINT + "    after: [python.debugging.cycle-b]\n", ""),
        ("cycle-b", BREAKPOINT + "    after: [python.debugging.cycle-a]\n", ""),
        ("precise", BREAKPOINT + precise, ""),
        ("redos", redos, "runtime"),
        # A lookup keyed by a capture fails with stand-in values but works on the real example.
        ("lookup-proven", BREAKPOINT + fixing('{{ {"breakpoint": "pass"}[fn] }}') + EXAMPLES, ""),
        ("lookup-doubtful", BREAKPOINT + fixing('{{ {"breakpoint": "pass"}[fn] }}'), ""),
    ]
    texts = []
    for name, extra, variant in pairs:
        text = rule(
            f"python.debugging.{name}", kind="runtime" if variant == "runtime" else "pattern", extra=extra
        )
        if variant == "fatal":
            text = text.replace("severity: warning", "severity: fatal")
        texts.append(text.replace("{{ fn }}", "x") if variant == "runtime" else text)
    bad.write_text(HEAD + "".join(texts))
    (tmp_path / "dup.yaml").write_text(HEAD + rule("python.debugging.raises", extra=BREAKPOINT))
    (tmp_path / "broken.yaml").write_text(HEAD + "  - id: [unclosed\n")
    good = tmp_path / "zgood.yaml"
    good.write_text(HEAD + rule("python.debugging.breakpoint", extra=BREAKPOINT + EXAMPLES))
    code, lines, data = validate(tmp_path, cwd=tmp_path)
    assert code == 1, "\n".join(lines)

    def reported(rule_id: str, field: str, pattern: str, *, label: str = "error", file: Path = bad) -> None:
        line = line_of(file, f"id: {rule_id}")
        wanted = re.compile(
            rf"^{label}: {file.name}:(\d+): \[{re.escape(rule_id)}\] {re.escape(field)}: .*{pattern}"
        )
        hits = [m for m in map(wanted.match, lines) if m]
        assert hits, f"no {label} for {rule_id} {field} ~ {pattern}:\n" + "\n".join(lines)
        assert all(line <= int(m.group(1)) < line + 25 for m in hits), (line, hits[0].group(0))

    reported("python.debugging.schema", "severity", "is not one of")
    reported("python.debugging.query", "match.query", "does not compile")
    reported("python.debugging.where", "match.where", "invalid regex")
    reported("python.debugging.capture", "fixes[0].template", "uses 'nothere'")
    reported("python.debugging.raises", "fixes[0].template", "division")
    reported("python.debugging.reparse", "fixes", "introduce a syntax error")
    reported("python.debugging.requires", "requires", "python.x.nope")
    reported("python.debugging.cycle-a", "requires", "cycle")
    reported("python.debugging.cycle-b", "requires", "cycle")
    reported("python.debugging.precise", "fixes[0].precise", "no precise operation 'no_such_op'")
    reported("python.debugging.redos", "match.message", "backtrack catastrophically", label="warning")
    reported("python.debugging.lookup-doubtful", "fixes[0].template", "stand-in captures", label="warning")
    assert not any("lookup-proven] fixes" in line for line in lines), lines
    reported("python.debugging.raises", "id", "duplicate id", file=tmp_path / "dup.yaml")
    assert any(re.match(r"^error: broken\.yaml:\d+: yaml: ", line) for line in lines), lines
    # The good rule (in a later file) loaded, validated and still passes its tests.
    assert not any("python.debugging.breakpoint" in line for line in lines if line.startswith("error"))
    assert len(data["problems"]) >= 12 and all(p["line"] for p in data["problems"] if p["field"] != "yaml")
    tested = homeostasis("rules", "test", str(good), "-v", cwd=tmp_path)
    assert tested.code == 0, tested.out
    assert tested.out.count("ok ") == 2


def test_conflicts_and_shadowing_exit_4(tmp_path: Path) -> None:
    rules = (
        rule("python.debugging.remove", extra=BREAKPOINT + fixing("pass") + EXAMPLES)
        + rule(
            "python.debugging.comment",
            extra=BREAKPOINT + fixing("...", "Replace with an ellipsis") + EXAMPLES,
        )
        + rule("python.debugging.weak", extra=BREAKPOINT + EXAMPLES, confidence=0.5)
    )
    file = tmp_path / "conflicts.yaml"
    file.write_text(HEAD + rules)
    code, lines, data = validate(file, cwd=tmp_path)
    assert code == 4, "\n".join(lines)
    (conflict,) = data["conflicts"][:1]
    assert conflict["field"] == "conflict"
    assert "python.debugging.comment and python.debugging.remove" in str(conflict["message"])
    assert "same priority" in str(conflict["message"]) and "different fixes" in str(conflict["message"])
    shadowed = [c for c in data["conflicts"] if c["field"] == "shadowed"]
    assert [c["rule"] for c in shadowed] == ["python.debugging.weak"]
    assert shadowed[0]["line"] == line_of(file, "id: python.debugging.weak")
    assert lines[-1].startswith("3 rules: 0 problems, 2 conflicts")

    # Different confidences resolve the tie; the loser is then reported as shadowed instead.
    file.write_text(HEAD + rules.replace("confidence: 0.8\n    match", "confidence: 0.85\n    match", 1))
    code, lines, data = validate(file, cwd=tmp_path)
    assert [(c["field"], c["rule"]) for c in data["conflicts"]] == [
        ("shadowed", "python.debugging.comment"),
        ("shadowed", "python.debugging.weak"),
    ], lines


def test_two_rules_reporting_the_same_thing_are_a_warning(tmp_path: Path) -> None:
    same = BREAKPOINT + fixing("pass") + EXAMPLES
    file = tmp_path / "twins.yaml"
    one, two = rule("python.debugging.one", extra=same), rule("python.debugging.two", extra=same)
    file.write_text(HEAD + one + two)
    code, lines, data = validate(file, cwd=tmp_path)
    assert code == 0, lines
    (twin,) = [w for w in data["warnings"] if w["field"] == "duplicate"]
    assert twin["rule"] == "python.debugging.one"
    assert "the user sees the problem twice" in str(twin["message"])


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert homeostasis("rules", "validate", "missing-folder", cwd=tmp_path).code == 2
    assert homeostasis("rules", "frobnicate", cwd=tmp_path).code == 2


def test_builtin_rules_validate_cleanly(tmp_path: Path) -> None:
    """What CI runs: `homeostasis rules validate` over the rules shipped with the package."""
    result = homeostasis("rules", "validate", cwd=tmp_path, timeout=300)
    assert result.code == 0, result.out + result.err
    assert re.match(r"^\d+ rules: 0 problems, 0 conflicts, \d+ warnings$", result.out.splitlines()[-1])


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a+)+$",
        r"^(\w+\s?)+$",
        r"(a|a)*b",
        r"(a|aa)+c",
        r"(\w+\d+)+x",
        r"(.*,)*end",
        r"((ab)*)+c",
        r"(x+x+)+y",
    ],
)
def test_catastrophic_regexes_are_flagged(pattern: str) -> None:
    assert backtracking_risks(pattern), pattern


@pytest.mark.parametrize(
    "pattern",
    [
        r"^(?P<key>.+)$",
        r"'(?P<name>[^']+)' object has no attribute '(?P<attr>[^']+)'",
        r"^(?:\s*,\s*\w+)*$",
        r"(?:x+)++y",
        r"(?>a+)+b",
        r"(\d|\w)+!",  # sre merges the alternatives into one character set: no backtracking
        r"(ab|cd)*e",
        r"[a-z]{2,5}",
        r"(unclosed",
    ],
)
def test_safe_regexes_are_not_flagged(pattern: str) -> None:
    assert backtracking_risks(pattern) == [], pattern
