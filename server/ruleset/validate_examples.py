"""The checks of ``rules validate`` that run the rules' own examples through the whole rule base.

On every must-match example: fixes of the example's rule that fail to render or do not
re-parse (problems); two rules at the same place and priority with different fixes
(conflicts); a rule that ranks below another everywhere it matches (shadowed); two rules
that report the same thing the same way (duplicate diagnostics, a warning).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from homeostasis.engine import Engine
from homeostasis.fixes.edits import apply_edits
from homeostasis.model import Finding, Fix, Rule, RuleKind, RuleTest
from homeostasis.ruleset.loader import Problem
from homeostasis.ruleset.marks import load_located
from homeostasis.ruleset.ruleset import RuleSet
from homeostasis.ruleset.testing import MemorySources

# Templates decline a fix on purpose by failing with this text (see none_default.j2).
DECLINED = "fix not possible"
# Notes of fixes/build.py that mean the rule itself is wrong (not "does not apply here").
_BAD_NOTES = (
    "not offered: render failed",
    "not offered: cannot evaluate",
    "dropped: it would introduce a syntax error",
    "dropped: it would break",
)
_TITLE_REF = re.compile(r"\{\{.*?\}\}")


@dataclass
class Collector:
    problems: list[Problem] = field(default_factory=list)
    conflicts: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # Render failures with stand-in values, by (rule id, fix index): real problems only if
    # no example produced that fix (a plugin may add names the stand-ins do not know).
    unproven: dict[tuple[str, int], list[Problem]] = field(default_factory=dict)
    produced: set[tuple[str, int]] = field(default_factory=set)


class Lines:
    """Lines of rules and their parts in their files, parsed once per file."""

    def __init__(self) -> None:
        self._docs: dict[str, Any] = {}

    def of(self, rule: Rule, *path: str | int) -> int | None:
        located = self._docs.get(rule.source_file)
        if rule.source_file not in self._docs:
            try:
                located = load_located(Path(rule.source_file).read_text(encoding="utf-8"))
            except Exception:  # the loader already reported an unreadable file
                located = None
            self._docs[rule.source_file] = located
        if located is None or not isinstance(located.data, dict):
            return None
        items = located.data.get("rules") or []
        index = next((i for i, r in enumerate(items) if isinstance(r, dict) and r.get("id") == rule.id), None)
        return None if index is None else located.line_of(["rules", index, *path])  # type: ignore[no-any-return]


@dataclass(frozen=True)
class _Seen:
    """One finding on one example, as the conflict checks need it."""

    rule_id: str
    place: str  # findings with the same place compete for the same fix slot
    rank: tuple[int, float]  # lower is chosen first
    output: tuple[tuple[str, str], ...] | None  # files after the best fix
    title: str


def example_checks(
    engine: Engine, rules: RuleSet, lines: Lines, out: Collector, only: Container[str] | None = None
) -> None:
    """Run the examples of the rules written in the files ``only`` (all when None) through the engine."""
    fired: dict[str, list[str]] = {}
    beaten: dict[str, list[set[str]]] = {}
    pairs: dict[tuple[str, str], tuple[Rule, RuleTest, _Seen, _Seen]] = {}
    twins: dict[tuple[str, str], tuple[Rule, RuleTest, _Seen, _Seen]] = {}
    for rule in rules:
        if only is not None and rule.source_file not in only:
            continue
        for index, test in enumerate(rule.tests):
            if not test.match or test.source is None or (rule.kind is RuleKind.RUNTIME and not test.error):
                continue
            files = {**dict(test.files), test.path: test.source}
            try:
                findings = _all_findings(engine, rule, test, files)
            except Exception as exc:  # an engine failure on an example is the rule's problem
                message = f"example '{test.name}' crashed the engine: {exc!r}"
                out.problems.append(
                    Problem(rule.source_file, lines.of(rule, "tests", index), rule.id, "tests", message)
                )
                continue
            for _place, finding in findings:
                if finding.rule_id != rule.id:
                    continue
                out.produced |= {(rule.id, i) for i in _specs_of(rule, finding.fixes)}
                for note in finding.notes:
                    if any(bad in note for bad in _BAD_NOTES) and DECLINED not in note:
                        out.problems.append(
                            Problem(
                                rule.source_file,
                                lines.of(rule, "tests", index),
                                rule.id,
                                "fixes",
                                f"on example '{test.name}': {note}",
                            )
                        )
            seen = [_seen(place, f, files) for place, f in findings if f.rule_id in rules]
            for a in seen:
                rivals = {b.rule_id for b in seen if b.place == a.place and b.rule_id != a.rule_id}
                fired.setdefault(a.rule_id, []).append(test.name)
                beaten.setdefault(a.rule_id, []).append(
                    {
                        b.rule_id
                        for b in seen
                        if b.rule_id in rivals and b.place == a.place and b.rank < a.rank
                    }
                )
                for b in seen:
                    if b.place != a.place or not a.rule_id < b.rule_id or a.rank != b.rank:
                        continue
                    if a.output is not None and b.output is not None and a.output != b.output:
                        pairs.setdefault((a.rule_id, b.rule_id), (rule, test, a, b))
                    elif a.output == b.output:
                        twins.setdefault((a.rule_id, b.rule_id), (rule, test, a, b))
    for (first, second), (rule, test, _a, _b) in sorted(twins.items()):
        message = (
            f"{first} and {second} both report example '{test.name}' of {rule.id} at the same place "
            "and priority with the same fix (or none): the user sees the problem twice"
        )
        out.warnings.append(_about(rules.get(first) or rule, lines, "duplicate", message))
    for (first, second), (rule, test, a, b) in sorted(pairs.items()):
        message = (
            f"{first} and {second} both match example '{test.name}' of {rule.id} at the same priority "
            f"(confidence {-a.rank[1]:.2f}) with different fixes ('{a.title}' vs '{b.title}'); which one "
            "is applied depends on rule order: make one `requires` the other, or change a confidence"
        )
        out.conflicts.append(_about(rules.get(first) or rule, lines, "conflict", message))
    for rule_id, losses in sorted(beaten.items()):
        loser = rules.get(rule_id)
        if loser is None or not all(losses):
            continue
        # Never first anywhere it matches: its diagnostic comes second and its fix is never chosen.
        winners = Counter(winner for lost in losses for winner in lost).most_common()
        by = ", ".join(f"{winner} on {count}" for winner, count in winners)
        message = (
            f"on all {len(losses)} example(s) where it matches, another rule matches the same "
            f"place and ranks first ({by}); make this rule `requires` the broader one (a refinement "
            "replaces what it requires), narrow the broader rule, or raise this rule's confidence"
        )
        out.conflicts.append(Problem(loser.source_file, lines.of(loser, "id"), rule_id, "shadowed", message))


def _about(rule: Rule, lines: Lines, field: str, message: str) -> Problem:
    """A problem filed where ``rule`` is written (the example may belong to another rule)."""
    return Problem(rule.source_file, lines.of(rule, "id"), rule.id, field, message)


def _specs_of(rule: Rule, fixes: Sequence[Fix]) -> set[int]:
    """Indices of the rule's fix specs that ``fixes`` came from, recognised by their titles."""
    patterns = [
        re.compile(".*?".join(re.escape(part) for part in _TITLE_REF.split(spec.title)), re.S)
        for spec in rule.fixes
    ]
    return {i for fix in fixes for i, pattern in enumerate(patterns) if pattern.fullmatch(fix.title)}


def _all_findings(
    engine: Engine, rule: Rule, test: RuleTest, files: dict[str, str]
) -> list[tuple[str, Finding]]:
    """Every finding of every rule on the example, each with the place it competes for."""
    sources = MemorySources.of(files, rule.language)
    if rule.kind is RuleKind.PATTERN:
        document = sources.get(test.path)
        if document is None:
            return []
        found = engine.check(document, sources=sources)
        return [(_overlap_place(f, found), f) for f in found]
    events = engine.read_errors(test.error or "", rule.language)
    return [
        (f"{number}:{f.notes[0] if f.notes else ''}", f)
        for number, diagnosis in enumerate(engine.diagnose(events, sources))
        for f in diagnosis.findings
        if f.located
    ]


def _overlap_place(finding: Finding, found: Sequence[Finding]) -> str:
    # Pattern findings compete when their ranges overlap: name the place by the earliest overlap.
    first = min(
        (f.span for f in found if f.path == finding.path and _overlaps(f, finding)),
        key=lambda s: (s.start, s.end),
    )
    return f"{finding.path}:{first.start.line}:{first.start.col}"


def _overlaps(a: Finding, b: Finding) -> bool:
    return (a.span.start < b.span.end and b.span.start < a.span.end) or a.span == b.span


def _seen(place: str, finding: Finding, files: Mapping[str, str]) -> _Seen:
    role = finding.notes[0] if finding.notes and finding.kind == "runtime" else ""
    rank = (
        0 if role.startswith("root cause") else 1 if role.startswith("the error") else 2,
        -finding.confidence.score,
    )
    best = _best_fix(finding.fixes)
    output = None if best is None else tuple(sorted(_apply(best, files).items()))
    return _Seen(finding.rule_id, place, rank, output, best.title if best else "")


def _best_fix(fixes: Sequence[Fix]) -> Fix | None:
    # The order `homeostasis fix` chooses in: safest first, then most confident.
    ordered = sorted(fixes, key=lambda f: (f.applicability.rank, -f.confidence))
    return ordered[0] if ordered else None


def _apply(fix: Fix, files: Mapping[str, str]) -> dict[str, str]:
    out = dict(files)
    for file_edit in fix.files:
        out[file_edit.path] = apply_edits(out.get(file_edit.path, ""), file_edit.edits)
    return out
