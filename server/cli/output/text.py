"""The human format: one line per finding, its fixes indented, a summary last."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from homeostasis.cli.output import display_path
from homeostasis.model import Finding, Severity


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def format_finding(finding: Finding, root: Path) -> list[str]:
    start = finding.span.start
    # One finding, one "path:line:col:" line that editors and grep understand; the
    # rest of a multi-line message follows indented.
    first, *rest = finding.message.splitlines() or [""]
    head = (
        f"{display_path(finding.path, root)}:{start.line + 1}:{start.col + 1}: "
        f"{finding.severity.value} [{finding.rule_id}] {first} "
        f"(confidence {finding.confidence.score:.2f})"
    )
    lines = [head, *(f"    {line}" for line in rest)]
    for fix in finding.fixes:
        lines.append(f"    fix ({fix.applicability.value}): {fix.title}")
    return lines


def summary(findings: Sequence[Finding], files_scanned: int | None = None) -> str:
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = sum(1 for f in findings if f.severity is Severity.WARNING)
    files = files_scanned if files_scanned is not None else len({f.path for f in findings})
    return (
        f"{_plural(len(findings), 'finding')} ({_plural(errors, 'error')}, "
        f"{_plural(warnings, 'warning')}) in {_plural(files, 'file')}"
    )


def render_text(findings: Sequence[Finding], *, root: Path, files_scanned: int | None = None) -> str:
    lines: list[str] = []
    for finding in findings:
        lines.extend(format_finding(finding, root))
    if findings:
        lines.append("")
    lines.append(summary(findings, files_scanned))
    return "\n".join(lines) + "\n"
