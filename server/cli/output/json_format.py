"""The JSON format: a stable, versioned document for scripts.

Shape (``schema`` changes only when a field changes meaning or goes away;
new fields may be added)::

    {
      "schema": "homeostasis-findings/1",
      "tool": {"name": "homeostasis", "version": "0.1.0"},
      "findings": [
        {
          "path": "src/app.py",              # root-relative POSIX path when inside the root
          "range": {"start": {"line": 3, "column": 5},
                    "end": {"line": 3, "column": 12}},   # 1-based, code points, end exclusive
          "rule": "python.runtime.key-error",
          "kind": "runtime",                 # or "pattern"
          "category": "correctness",
          "severity": "error",               # error | warning | info | hint
          "message": "...",
          "confidence": {"score": 0.82, "reasons": [{"text": "...", "delta": 0.2}]},
          "located": true,                   # false: the failing file is not in the workspace
          "error_type": "KeyError",          # runtime findings, else null
          "fixes": [{"title": "...", "applicability": "safe", "confidence": 0.9,
                     "explanation": "...", "lazy": false,
                     "edits": [{"path": "...", "base_hash": "<sha256>", "range": {...},
                                "new_text": "..."}]}],
          "related": [{"path": "...", "range": {...}, "message": "..."}]
        }
      ],
      "summary": {"findings": 1, "errors": 1, "warnings": 0, "info": 0, "hints": 0, "files": 1}
    }
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from homeostasis.cli.output import display_path, dump_json
from homeostasis.model import Confidence, Finding, Fix, Severity, Span

SCHEMA = "homeostasis-findings/1"


def json_range(span: Span) -> dict[str, Any]:
    return {
        "start": {"line": span.start.line + 1, "column": span.start.col + 1},
        "end": {"line": span.end.line + 1, "column": span.end.col + 1},
    }


def _fix(fix: Fix, root: Path) -> dict[str, Any]:
    return {
        "title": fix.title,
        "applicability": fix.applicability.value,
        "confidence": round(fix.confidence, 4),
        "explanation": fix.explanation,
        "lazy": fix.lazy,
        "edits": [
            {
                "path": display_path(file_edit.path, root),
                "base_hash": file_edit.base_hash,
                "range": json_range(edit.span),
                "new_text": edit.new_text,
            }
            for file_edit in fix.files
            for edit in file_edit.edits
        ],
    }


def finding_json(
    finding: Finding, root: Path, shown: Callable[[str, Path], str] = display_path
) -> dict[str, Any]:
    return {
        "path": shown(finding.path, root),
        "range": json_range(finding.span),
        "rule": finding.rule_id,
        "kind": finding.kind,
        "category": finding.category,
        "severity": finding.severity.value,
        "message": finding.message,
        "confidence": confidence_json(finding.confidence),
        "located": finding.located,
        "error_type": finding.error_type,
        "fixes": [_fix(fix, root) for fix in finding.fixes] if finding.fixes else [],
        "related": [
            {"path": shown(r.path, root), "range": json_range(r.span), "message": r.message}
            for r in finding.related
        ]
        if finding.related
        else [],
    }


@lru_cache(maxsize=4096)
def confidence_json(confidence: Confidence) -> dict[str, Any]:
    """Shared between findings of equal confidence (the encoder writes it each time it
    appears): built once per rule instead of once per finding. Not to be edited in place."""
    return {
        "score": round(confidence.score, 4),
        "reasons": [{"text": r.text, "delta": round(r.delta, 4)} for r in confidence.reasons],
    }


def render_json(findings: Sequence[Finding], *, root: Path, tool_version: str, pretty: bool = True) -> str:
    shown = lru_cache(maxsize=None)(display_path)  # findings of one file share its path

    def count(severity: Severity) -> int:
        return sum(1 for f in findings if f.severity is severity)

    document = {
        "schema": SCHEMA,
        "tool": {"name": "homeostasis", "version": tool_version},
        "findings": [finding_json(f, root, shown) for f in findings],
        "summary": {
            "findings": len(findings),
            "errors": count(Severity.ERROR),
            "warnings": count(Severity.WARNING),
            "info": count(Severity.INFO),
            "hints": count(Severity.HINT),
            "files": len({f.path for f in findings}),
        },
    }
    # ASCII escapes keep the output writable whatever the terminal encoding.
    return dump_json(document, pretty)
