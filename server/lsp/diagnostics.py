"""Findings as LSP diagnostics: ranges in the client's encoding, severity, code, stack frames."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from homeostasis.lsp.capabilities import ClientFeatures
from homeostasis.lsp.positions import to_client
from homeostasis.lsp.runtime import RuntimeEntry, first_line
from homeostasis.model import Finding, Related, Severity, Span
from lsprotocol import types

SOURCE = "homeostasis"

SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
    Severity.HINT: types.DiagnosticSeverity.Hint,
}


class Lines(Protocol):
    def line(self, index: int) -> str: ...


def to_range(lines: Lines, span: Span, encoding: str) -> types.Range:
    start_line = lines.line(span.start.line)
    end_line = start_line if span.end.line == span.start.line else lines.line(span.end.line)
    return types.Range(
        start=types.Position(span.start.line, to_client(start_line, span.start.col, encoding)),
        end=types.Position(span.end.line, to_client(end_line, span.end.col, encoding)),
    )


class Context:
    """What converting a finding needs besides the finding."""

    def __init__(
        self,
        features: ClientFeatures,
        encoding: str,
        docs_url: Callable[[str], str | None],
        related_location: Callable[[Related, Path], types.Location | None],
    ) -> None:
        self.features = features
        self.encoding = encoding
        self.docs_url = docs_url
        self.related_location = related_location


def _code_description(context: Context, rule_id: str) -> types.CodeDescription | None:
    if not context.features.code_description:
        return None
    url = context.docs_url(rule_id)
    return types.CodeDescription(href=url) if url else None


def pattern_diagnostic(
    finding: Finding, lines: Lines, context: Context, version: int | None
) -> types.Diagnostic:
    data: Any = None
    if context.features.diagnostic_data or context.features.pull_diagnostics:
        data = {"kind": "pattern", "rule": finding.rule_id}
    return types.Diagnostic(
        range=to_range(lines, finding.span, context.encoding),
        message=finding.message,
        severity=SEVERITY[finding.severity],
        code=finding.rule_id,
        code_description=_code_description(context, finding.rule_id),
        source=SOURCE,
        data=data,
    )


def runtime_message(entry: RuntimeEntry) -> str:
    finding = entry.finding
    event = entry.event
    error = finding.error_type or event.error_type
    seen = entry.seen_at.strftime("%H:%M:%S")
    text = finding.message
    short = error.rsplit(".", 1)[-1]
    if not text.startswith(short) and not text.startswith(error):
        text = f"{text} ({error}: {first_line(event.message)})"
    text += f" [seen {seen} in {entry.label}]"
    if entry.stale:
        text += " (stale: this line changed since the error was seen)"
    return text


def runtime_diagnostic(entry: RuntimeEntry, lines: Lines, context: Context) -> types.Diagnostic:
    finding = entry.finding
    related = None
    if context.features.related_information:
        related = []
        for item in finding.related:
            location = context.related_location(item, entry.root)
            if location is not None:
                related.append(types.DiagnosticRelatedInformation(location=location, message=item.message))
    data: Any = None
    if context.features.diagnostic_data or context.features.pull_diagnostics:
        data = {"kind": "runtime", "rule": finding.rule_id, "key": entry.key}
    severity = SEVERITY[finding.severity]
    if entry.stale:
        severity = types.DiagnosticSeverity.Information
    return types.Diagnostic(
        range=to_range(lines, finding.span, context.encoding),
        message=runtime_message(entry),
        severity=severity,
        code=finding.rule_id,
        code_description=_code_description(context, finding.rule_id),
        source=SOURCE,
        related_information=related or None,
        data=data,
    )
