"""GitHub Actions workflow commands: findings become annotations on the pull request."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from homeostasis.cli.output import display_path
from homeostasis.model import Finding, Severity

_COMMANDS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
    Severity.HINT: "notice",
}


def escape_data(text: str) -> str:
    """Escape a command's message, as the Actions runner's toolkit does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value; ':' and ',' would otherwise end it."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding, root: Path) -> str:
    start, end = finding.span.start, finding.span.end
    properties = {
        "file": display_path(finding.path, root),
        "line": str(start.line + 1),
        "col": str(start.col + 1),
        "endLine": str(end.line + 1),
        "endColumn": str(end.col + 1),
        "title": finding.rule_id,
    }
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{_COMMANDS[finding.severity]} {props}::{escape_data(finding.message)}"


def render_github(findings: Sequence[Finding], *, root: Path) -> str:
    return "".join(annotation(f, root) + "\n" for f in findings)
