"""Every built-in rule passes its own tests, and the rule base loads without problems."""

from __future__ import annotations

import pytest
from homeostasis.engine import Engine
from homeostasis.model import RuleKind
from homeostasis.ruleset.testing import run_rule_tests
from homeostasis.workspace.project import build_project

PROJECT = build_project()
RULES = list(PROJECT.engine.rules)


def test_builtin_rules_load_cleanly() -> None:
    assert [str(p) for p in PROJECT.rule_problems] == []


def test_rule_counts() -> None:
    runtime = [r for r in RULES if r.language == "python" and r.kind is RuleKind.RUNTIME]
    pattern = [r for r in RULES if r.language == "python" and r.kind is RuleKind.PATTERN]
    assert len(runtime) >= 30
    assert len(pattern) >= 10


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_own_tests(rule: object, engine: Engine) -> None:
    from homeostasis.model import Rule

    assert isinstance(rule, Rule)
    assert rule.tests, f"{rule.id} has no tests"
    assert any(t.match for t in rule.tests), f"{rule.id} has no example that must match"
    assert any(not t.match for t in rule.tests), f"{rule.id} has no example that must not match"
    if rule.fixes:
        assert any(t.fixed is not None or t.fixed_files for t in rule.tests), f"{rule.id} never tests its fix"
    failures = [str(o) for o in run_rule_tests(engine, rule) if not o.ok]
    assert not failures, "\n".join(failures)
