"""A finding: a rule matched a document or an error event."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from homeostasis.model.fix import Fix
from homeostasis.model.span import Pos, Span


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    HINT = "hint"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1, "hint": 0}[self.value]


@dataclass(frozen=True)
class Reason:
    """One piece of evidence behind a confidence score."""

    text: str
    delta: float


@dataclass(frozen=True)
class Confidence:
    score: float
    reasons: tuple[Reason, ...]

    def explain(self) -> str:
        parts = [f"{r.text} ({r.delta:+.2f})" for r in self.reasons]
        return f"{self.score:.2f}: " + "; ".join(parts)


@dataclass(frozen=True)
class Related:
    """A location that explains a finding: a stack frame or a chained cause."""

    path: str
    span: Span
    message: str


@dataclass(frozen=True)
class Finding:
    rule_id: str
    kind: str  # "runtime" or "pattern"
    path: str
    span: Span
    message: str
    severity: Severity
    confidence: Confidence
    category: str
    fixes: tuple[Fix, ...] = ()
    related: tuple[Related, ...] = ()
    captures: tuple[tuple[str, str], ...] = ()
    # Set when the failing frame is not in the workspace: diagnose, never edit.
    located: bool = True
    error_type: str | None = None
    notes: tuple[str, ...] = field(default=())

    def capture(self, name: str) -> str | None:
        return dict(self.captures).get(name)

    def __reduce__(self) -> tuple[Any, ...]:
        # Scan workers and the result cache pickle findings by the ten thousand; as one flat
        # tuple (the span as four ints) they pickle and load in half the time of the default
        # (each object with its attribute dict). Every field must appear here, in order.
        start, end = self.span.start, self.span.end
        return (
            _finding,
            (
                self.rule_id,
                self.kind,
                self.path,
                start.line,
                start.col,
                end.line,
                end.col,
                self.message,
                self.severity,
                self.confidence,
                self.category,
                self.fixes,
                self.related,
                self.captures,
                self.located,
                self.error_type,
                self.notes,
            ),
        )


def _finding(
    rule_id: str,
    kind: str,
    path: str,
    start_line: int,
    start_col: int,
    end_line: int,
    end_col: int,
    *rest: Any,
) -> Finding:
    return Finding(rule_id, kind, path, Span(Pos(start_line, start_col), Pos(end_line, end_col)), *rest)
