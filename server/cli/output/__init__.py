"""Findings rendered for people and machines: text, JSON, SARIF and GitHub annotations.

Every format sorts findings the same way (path, position, rule), so equal input
gives byte-equal output, and a format module is imported only when chosen.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from homeostasis.model import Document, Finding, Pos, Severity

__all__ = ["FORMATS", "RuleMeta", "display_path", "render", "sorted_findings", "utf16_column"]

FORMATS = ("text", "json", "sarif", "github")


@dataclass(frozen=True, slots=True)
class RuleMeta:
    """What the output formats say about a rule beyond its findings."""

    id: str
    summary: str
    severity: Severity
    category: str
    doc_url: str = ""


def render(
    findings: Iterable[Finding],
    format: str,
    *,
    root: Path,
    rules_meta: Mapping[str, RuleMeta],
    tool_version: str,
    documents: Mapping[str, Document] | None = None,
    files_scanned: int | None = None,
    pretty: bool = True,
) -> str:
    """``findings`` in ``format`` (one of :data:`FORMATS`).

    ``documents`` (finding path -> Document) lets SARIF count columns in UTF-16
    and fingerprint the matched text; ``files_scanned`` makes the text summary
    count scanned files rather than files with findings. ``pretty`` indents JSON and SARIF
    (for a person); compact output is written several times faster (for a pipe or a file).
    """
    ordered = sorted_findings(findings)
    docs = documents or {}
    if format == "text":
        from homeostasis.cli.output import text

        return text.render_text(ordered, root=root, files_scanned=files_scanned)
    if format == "json":
        from homeostasis.cli.output import json_format

        return json_format.render_json(ordered, root=root, tool_version=tool_version, pretty=pretty)
    if format == "sarif":
        from homeostasis.cli.output import sarif

        return sarif.render_sarif(
            ordered,
            root=root,
            rules_meta=rules_meta,
            tool_version=tool_version,
            documents=docs,
            pretty=pretty,
        )
    if format == "github":
        from homeostasis.cli.output import github

        return github.render_github(ordered, root=root)
    raise ValueError(f"unknown output format {format!r}; expected one of {', '.join(FORMATS)}")


def dump_json(data: object, pretty: bool) -> str:
    """The report as JSON text, indented for a terminal, compact otherwise.

    orjson writes 12,000 findings in 10 ms where the standard library takes 60 ms compact
    and 220 ms indented; it is imported here so only JSON and SARIF reports pay for it.
    """
    import orjson

    text = orjson.dumps(data, option=orjson.OPT_INDENT_2 if pretty else 0).decode("utf-8")
    if not text.isascii():
        # ASCII escapes keep the output writable whatever the terminal encoding; orjson
        # has no such option, and reports with other characters are rare.
        return (
            json.dumps(data, indent=2 if pretty else None, separators=None if pretty else (",", ":")) + "\n"
        )
    return text + "\n"


def sorted_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=_order)


def _order(f: Finding) -> tuple[str, int, int, int, int, str, str]:
    # Plain values, not Pos objects: their generated comparisons cost more than the sort.
    start, end = f.span.start, f.span.end
    return (f.path, start.line, start.col, end.line, end.col, f.rule_id, f.message)


def display_path(path: str, root: Path) -> str:
    """``path`` relative to ``root`` in POSIX form when it lies inside, else unchanged."""
    if not os.path.isabs(path):
        # Most paths are already workspace-relative POSIX paths: skip pathlib for those.
        plain = path.replace("\\", "/")
        if (
            "//" not in plain
            and "/./" not in plain
            and not plain.startswith("./")
            and not plain.endswith(("/", "/."))
        ):
            return plain
        return PurePosixPath(plain).as_posix()
    try:
        return Path(os.path.normpath(path)).relative_to(os.path.abspath(root)).as_posix()
    except ValueError:
        return path


def utf16_column(pos: Pos, document: Document | None) -> int:
    """0-based column of ``pos`` in UTF-16 code units, given the line text if known."""
    if document is None:
        return pos.col
    prefix = document.line(pos.line)[: pos.col]
    if prefix.isascii():
        return pos.col
    # Columns past the end of the line (if any) count one unit each, as code points do.
    return len(prefix.encode("utf-16-le", "surrogatepass")) // 2 + pos.col - len(prefix)
