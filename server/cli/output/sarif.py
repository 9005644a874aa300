"""SARIF 2.1.0 for code-scanning services (GitHub, Azure DevOps, IDE viewers).

Locations are relative to the ``%SRCROOT%`` base, columns are UTF-16 code
units as most consumers expect, and each result carries a fingerprint built
from the matched text rather than the line, so baselines survive code moving.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from homeostasis.cli.output import RuleMeta, display_path, dump_json, utf16_column
from homeostasis.model import Applicability, Document, Finding, Fix, Severity, Span

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "homeostasis/v1"

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note", Severity.HINT: "note"}


def sarif_level(severity: Severity) -> str:
    return _LEVELS[severity]


def _artifact(path: str, root: Path) -> dict[str, Any]:
    shown = display_path(path, root)
    if os.path.isabs(shown):
        # Outside the workspace (a library frame): an absolute URI with no base.
        return {"uri": Path(shown).as_uri()}
    return {"uri": quote(shown, safe="/"), "uriBaseId": SRCROOT}


def _region(span: Span, document: Document | None) -> dict[str, int]:
    return {
        "startLine": span.start.line + 1,
        "startColumn": utf16_column(span.start, document) + 1,
        "endLine": span.end.line + 1,
        "endColumn": utf16_column(span.end, document) + 1,
    }


def _location(path: str, span: Span, root: Path, docs: Mapping[str, Document]) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": _artifact(path, root),
            "region": _region(span, docs.get(path)),
        }
    }


def _rule(rule_id: str, meta: RuleMeta | None) -> dict[str, Any]:
    if meta is None:
        return {"id": rule_id, "shortDescription": {"text": rule_id}}
    rule: dict[str, Any] = {
        "id": rule_id,
        "shortDescription": {"text": meta.summary or rule_id},
        "defaultConfiguration": {"level": sarif_level(meta.severity)},
        "properties": {"category": meta.category, "tags": [meta.category]},
    }
    if meta.doc_url:
        rule["helpUri"] = meta.doc_url
    return rule


def _fix(fix: Fix, root: Path, docs: Mapping[str, Document]) -> dict[str, Any] | None:
    changes = [
        {
            "artifactLocation": _artifact(file_edit.path, root),
            "replacements": [
                {
                    "deletedRegion": _region(edit.span, docs.get(file_edit.path)),
                    "insertedContent": {"text": edit.new_text},
                }
                for edit in file_edit.edits
            ],
        }
        for file_edit in fix.files
        if file_edit.edits
    ]
    if not changes:
        return None
    return {"description": {"text": fix.title}, "artifactChanges": changes}


def fingerprint(finding: Finding, document: Document | None) -> str:
    """A hash of what matched, not where: rule, path and whitespace-normalised text."""
    matched = document.text_of(finding.span) if document is not None else finding.message
    material = "\0".join((finding.rule_id, finding.path, " ".join(matched.split())))
    return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _result(
    finding: Finding, rule_index: int, root: Path, docs: Mapping[str, Document], occurrence: int
) -> dict[str, Any]:
    document = docs.get(finding.path)
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": sarif_level(finding.severity),
        "message": {"text": finding.message},
        "locations": [_location(finding.path, finding.span, root, docs)] if finding.path else [],
        # The occurrence number keeps identical matches in one file apart.
        "partialFingerprints": {FINGERPRINT_KEY: f"{fingerprint(finding, document)}:{occurrence}"},
        "properties": {
            "category": finding.category,
            "kind": finding.kind,
            "confidence": round(finding.confidence.score, 4),
            "confidenceReasons": [r.text for r in finding.confidence.reasons],
        },
    }
    if finding.related:
        result["relatedLocations"] = [
            {"id": index, **_location(r.path, r.span, root, docs), "message": {"text": r.message}}
            for index, r in enumerate(finding.related)
        ]
    fixes = [
        rendered
        for fix in finding.fixes
        if fix.applicability is Applicability.SAFE and not fix.lazy
        if (rendered := _fix(fix, root, docs)) is not None
    ]
    if fixes:
        result["fixes"] = fixes
    return result


def build_sarif(
    findings: Sequence[Finding],
    *,
    root: Path,
    rules_meta: Mapping[str, RuleMeta],
    tool_version: str,
    documents: Mapping[str, Document],
) -> dict[str, Any]:
    rule_ids = sorted({f.rule_id for f in findings})
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    seen: dict[str, int] = {}
    results = []
    for finding in findings:
        key = fingerprint(finding, documents.get(finding.path))
        seen[key] = seen.get(key, 0) + 1
        results.append(_result(finding, index[finding.rule_id], root, documents, seen[key]))
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "homeostasis",
                        "version": tool_version,
                        "rules": [_rule(rule_id, rules_meta.get(rule_id)) for rule_id in rule_ids],
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": Path(os.path.abspath(root)).as_uri() + "/"}},
                "columnKind": "utf16CodeUnits",
                "results": results,
            }
        ],
    }


def render_sarif(
    findings: Sequence[Finding],
    *,
    root: Path,
    rules_meta: Mapping[str, RuleMeta],
    tool_version: str,
    documents: Mapping[str, Document],
    pretty: bool = True,
) -> str:
    sarif = build_sarif(
        findings, root=root, rules_meta=rules_meta, tool_version=tool_version, documents=documents
    )
    return dump_json(sarif, pretty)
