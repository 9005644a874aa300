"""`inside` / `not-inside`: a pattern rule tested against the nearest enclosing node of some types."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from tests.cli import homeostasis

RULES = """\
language: python
rules:
  - id: python.ctx.print-in-async
    kind: pattern
    message: "print in a coroutine"
    severity: info
    category: ctx
    criticality: low
    complexity: low
    reliability: high
    confidence: 0.8
    match:
      query: '((call function: (identifier) @f) @target (#eq? @f "print"))'
      inside:
        nearest: [function_definition, lambda]
        query: '(function_definition "async")'
  - id: python.ctx.open-outside-with
    kind: pattern
    message: "open() outside a with statement"
    severity: info
    category: ctx
    criticality: low
    complexity: low
    reliability: high
    confidence: 0.8
    match:
      query: '((call function: (identifier) @f) @target (#eq? @f "open"))'
      not-inside:
        nearest: [with_statement]
        query: '(with_statement)'
"""

SOURCE = """\
async def handler():
    print("direct")
    if True:
        for _ in range(2):
            print("deep")

    def helper():
        print("in a plain def nested in the coroutine")

    return lambda: print("in a lambda")


def plain():
    print("not a coroutine")


class Service:
    async def run(self):
        print("method")


with open("a") as f:
    pass
data = open("b")
"""


def _findings(tmp_path: Path, rules: str = RULES) -> list[tuple[str, int]]:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "ctx.yaml").write_text(rules)
    (tmp_path / "app.py").write_text(SOURCE)
    run = homeostasis(
        "check", "--rules", "rules", "--enable", "python.ctx.*", "--format", "json", "app.py", cwd=tmp_path
    )
    assert run.code in (0, 1), run.err
    return sorted((f["rule"], f["range"]["start"]["line"]) for f in json.loads(run.out)["findings"])


def test_inside_tests_the_nearest_enclosing_function_only(tmp_path: Path) -> None:
    assert _findings(tmp_path) == [
        ("python.ctx.open-outside-with", 24),
        ("python.ctx.print-in-async", 2),
        ("python.ctx.print-in-async", 5),
        ("python.ctx.print-in-async", 19),
    ]


def test_a_context_query_that_does_not_compile_is_reported_and_the_rule_skipped(tmp_path: Path) -> None:
    broken = RULES.replace(
        "query: '(function_definition \"async\")'", "query: '(function_definitio \"async\")'"
    )
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "ctx.yaml").write_text(broken)
    run = homeostasis("rules", "validate", "rules", cwd=tmp_path)
    assert run.code == 1
    assert "python.ctx.print-in-async" in run.out + run.err
    assert "match.inside.query: query does not compile" in textwrap.dedent(run.out + run.err)
