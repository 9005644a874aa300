"""Strict suppression comments: ``# homeostasis: ignore[rule-id, ...]``.

A comment silences only the rules it names, on its own line or the line below.
A blanket comment with no ids, or an id no rule has, silences nothing and is
itself reported, so a typo can never hide every finding on a line.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass

from homeostasis.model import Confidence, Document, Finding, Reason, Severity, Span

_MARK = "homeostasis:"
_COMMENT = re.compile(r"homeostasis:\s*ignore(?:\[(?P<ids>[^\]]*)\])?")

UNKNOWN_ID = "homeostasis.suppression.unknown-rule"
BLANKET = "homeostasis.suppression.blanket"


@dataclass(frozen=True)
class Suppressions:
    by_line: dict[int, frozenset[str]]
    problems: tuple[Finding, ...]

    def silences(self, finding: Finding) -> bool:
        line = finding.span.start.line
        for candidate in (line, line - 1):
            if finding.rule_id in self.by_line.get(candidate, frozenset()):
                return True
        return False


def read_suppressions(document: Document, comment_prefix: str, known_ids: Container[str]) -> Suppressions:
    if _MARK not in document.text:
        return Suppressions({}, ())
    by_line: dict[int, frozenset[str]] = {}
    problems: list[Finding] = []
    for index in range(document.line_count):
        line = document.line(index)
        if _MARK not in line:
            continue
        comment_at = line.find(comment_prefix)
        if comment_at < 0:
            continue
        for match in _COMMENT.finditer(line, comment_at):
            start = match.start()
            span = Span.of(index, start, index, match.end())
            ids_text = match.group("ids")
            if ids_text is None or not ids_text.strip():
                problems.append(
                    _problem(document, span, BLANKET, "suppression names no rule: it silences nothing")
                )
                continue
            ids = [i.strip() for i in ids_text.split(",") if i.strip()]
            unknown = [i for i in ids if i not in known_ids]
            for rule_id in unknown:
                problems.append(
                    _problem(document, span, UNKNOWN_ID, f"suppression names unknown rule '{rule_id}'")
                )
            by_line[index] = frozenset(by_line.get(index, frozenset()) | {i for i in ids if i in known_ids})
    return Suppressions(by_line, tuple(problems))


def _problem(document: Document, span: Span, rule_id: str, message: str) -> Finding:
    return Finding(
        rule_id=rule_id,
        kind="pattern",
        path=document.path,
        span=span,
        message=message,
        severity=Severity.WARNING,
        confidence=Confidence(1.0, (Reason("suppression comment as written", 1.0),)),
        category="suppression",
    )
