"""Running a rule's own tests: examples that must (not) match, messages, ranges, fixed output."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from homeostasis.engine import Engine
from homeostasis.engine.frameworks import with_declared
from homeostasis.engine.manifests import packages_in
from homeostasis.fixes.edits import apply_edits, unified_diff
from homeostasis.model import Document, Finding, Fix, Rule, RuleKind, RuleTest


@dataclass(frozen=True)
class MemorySources:
    """Workspace files held in memory: what rule tests (and tests of the engine) run against."""

    documents: Mapping[str, Document]

    @staticmethod
    def of(files: Mapping[str, str], language: str) -> MemorySources:
        return MemorySources({p: Document(p, t, language) for p, t in files.items()})

    def get(self, path: str) -> Document | None:
        return self.documents.get(path.replace("\\", "/").removeprefix("./"))


@dataclass(frozen=True)
class Outcome:
    rule_id: str
    test: str
    ok: bool
    kind: str = "ok"  # ok | missing | noisy | message | range | fix | idempotence | invalid
    detail: str = ""

    def __str__(self) -> str:
        status = "ok" if self.ok else self.kind.upper()
        return f"{status:<11} {self.rule_id} :: {self.test}" + (f"\n{self.detail}" if self.detail else "")


def run_rule_tests(engine: Engine, rule: Rule) -> list[Outcome]:
    return [run_rule_test(engine, rule, test) for test in rule.tests]


def _findings(engine: Engine, rule: Rule, test: RuleTest, files: Mapping[str, str]) -> list[Finding]:
    sources = MemorySources.of(files, rule.language)
    declared = engine.rules.frameworks.declared_by(packages_in(dict(test.files)))
    if declared:
        # The example's manifests (requirements.txt, package.json...) declare frameworks.
        engine = engine.with_settings(with_declared(engine.settings, declared))
    if rule.kind is RuleKind.PATTERN:
        document = sources.get(test.path)
        assert document is not None
        found = engine.check(document, sources=sources)
    else:
        events = engine.read_errors(test.error or "", rule.language)
        # Only findings placed in the example count: an error outside it is diagnosed, not matched.
        # An error that names no frame at all (a log line, a CLI's message) cannot be placed.
        found = [
            f for d in engine.diagnose(events, sources) for f in d.findings if f.located or not d.event.frames
        ]
    return [f for f in found if f.rule_id == rule.id]


def _apply(fix: Fix, files: Mapping[str, str]) -> dict[str, str]:
    out = dict(files)
    for file_edit in fix.files:
        out[file_edit.path] = apply_edits(out[file_edit.path], file_edit.edits)
    return out


def run_rule_test(engine: Engine, rule: Rule, test: RuleTest) -> Outcome:
    def fail(kind: str, detail: str) -> Outcome:
        return Outcome(rule.id, test.name, False, kind, detail)

    # A runtime error that names no file (a CLI's or a logger's line) needs no source.
    if test.source is None and rule.kind is RuleKind.PATTERN:
        return fail("invalid", "the test has no source")
    if rule.kind is RuleKind.RUNTIME and not test.error:
        return fail("invalid", "a runtime rule's test needs the error output")
    files = {**dict(test.files), **({test.path: test.source} if test.source is not None else {})}
    found = _findings(engine, rule, test, files)
    if not test.match:
        if found:
            return fail("noisy", f"matched at {found[0].span} but should not: {found[0].message}")
        return Outcome(rule.id, test.name, True)
    if not found:
        return fail("missing", "should have matched but did not")
    finding = found[0]
    if test.message is not None and finding.message != test.message:
        return fail("message", f"expected message {test.message!r}\n     got {finding.message!r}")
    if test.range is not None and _range(finding) != test.range:
        return fail("range", f"expected range {test.range}, got {_range(finding)}")
    if test.fixed is None and not test.fixed_files:
        return Outcome(rule.id, test.name, True)
    if test.fix >= len(finding.fixes):
        notes = "; ".join(finding.notes) or "no fix was produced"
        return fail("fix", f"expected fix #{test.fix}, finding has {len(finding.fixes)} ({notes})")
    after = _apply(finding.fixes[test.fix], files)
    expected = {**({test.path: test.fixed} if test.fixed is not None else {}), **dict(test.fixed_files)}
    for path, text in expected.items():
        if after.get(path) != text:
            return fail("fix", unified_diff(path, text, after.get(path, "")))
    title = finding.fixes[test.fix].title
    for again in _findings(engine, rule, test, after):
        for fix in again.fixes:
            if fix.title == title and _apply(fix, after) != after:
                return fail("idempotence", "applying the fix a second time changes the code again")
    return Outcome(rule.id, test.name, True)


def _range(finding: Finding) -> str:
    s, e = finding.span.start, finding.span.end
    return f"{s.line + 1}:{s.col + 1}-{e.line + 1}:{e.col + 1}"
