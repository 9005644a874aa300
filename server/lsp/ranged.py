"""Pattern findings for part of a document, and fixes for one finding.

``Engine.check`` queries the whole tree and builds fixes for every finding; on a
5,000-line file that is ~150 ms for the query and ~15 ms per fix, far over a
keystroke's budget. The engine's pieces already support less: ``patterns.scan``
takes a byte range, ``build_fixes`` takes one site. This module assembles
findings from them exactly as ``Engine.check`` does (tests/lsp/test_ranged.py
pins the two to the same answers) until the engine offers
``check(..., byte_ranges=)`` and ``fixes_for(finding)`` itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeostasis.engine import Engine, patterns
from homeostasis.engine.runtime import captures_tuple
from homeostasis.engine.suppression import read_suppressions
from homeostasis.fixes.build import FixSite, build_fixes, substitute
from homeostasis.model import Document, Finding, Fix
from homeostasis.plugins.language import Sources

if TYPE_CHECKING:
    import tree_sitter


@dataclass(frozen=True)
class Scan:
    findings: tuple[Finding, ...]  # pattern findings in the scanned ranges, suppressions applied
    problems: tuple[Finding, ...]  # suppression-comment problems of the whole document


def known_ids(engine: Engine) -> frozenset[str]:
    return frozenset(rule.id for rule in engine.rules)


def _hits(
    engine: Engine, document: Document, tree: tree_sitter.Tree, byte_ranges: Iterable[tuple[int, int]] | None
) -> Iterable[patterns.PatternHit]:
    language = engine.registry.get(document.language)
    if language is None:
        return
    seen: set[tuple[str, int, int]] = set()
    for byte_range in byte_ranges if byte_ranges is not None else (None,):
        for hit in engine.pattern_hits(document, language, tree, byte_range):
            key = (hit.rule.id, hit.target.start_byte, hit.target.end_byte)
            if key not in seen:
                seen.add(key)
                yield hit


def scan(
    engine: Engine,
    document: Document,
    tree: tree_sitter.Tree,
    byte_ranges: Iterable[tuple[int, int]] | None,
    ids: frozenset[str],
) -> Scan:
    """Findings whose matches intersect ``byte_ranges`` (None: the whole document)."""
    language = engine.registry.get(document.language)
    if language is None:
        return Scan((), ())
    found: list[Finding] = []
    for hit in _hits(engine, document, tree, byte_ranges):
        captures = dict(hit.captures)
        found.append(
            Finding(
                rule_id=hit.rule.id,
                kind="pattern",
                path=document.path,
                span=hit.span,
                message=substitute(hit.rule.message, captures),
                severity=engine.settings.severity_for(hit.rule.id, hit.rule.severity),
                confidence=hit.evidence.score(),
                category=hit.rule.category,
                captures=captures_tuple(captures),
            )
        )
    suppressions = read_suppressions(document, language.comment_prefix, ids)
    threshold = engine.settings.confidence_threshold
    kept = [f for f in found if not suppressions.silences(f) and f.confidence.score >= threshold]
    kept.sort(key=lambda f: (f.span.start, f.rule_id))
    return Scan(tuple(kept), suppressions.problems)


def fixes_for(
    engine: Engine,
    document: Document,
    tree: tree_sitter.Tree,
    finding: Finding,
    sources: Sources | None,
) -> tuple[tuple[Fix, ...], tuple[str, ...]]:
    """The fixes ``Engine.check(with_fixes=True)`` would attach to ``finding``, and notes."""
    language = engine.registry.get(document.language)
    if language is None or finding.kind != "pattern":
        return (), ()
    start = document.offset(finding.span.start)
    end = document.offset(finding.span.end)
    source = document.text
    start_byte = len(source[:start].encode("utf-8", "surrogatepass"))
    end_byte = start_byte + len(source[start:end].encode("utf-8", "surrogatepass"))
    for hit in _hits(engine, document, tree, [(start_byte, max(end_byte, start_byte + 1))]):
        if hit.rule.id != finding.rule_id or hit.span != finding.span or not hit.rule.fixes:
            continue
        site = FixSite(
            hit.rule,
            language,
            document,
            tree,
            hit.target,
            hit.span,
            dict(hit.captures),
            hit.capture_nodes,
            finding.confidence.score,
            sources,
        )
        return build_fixes(site, engine.templates)
    return (), ()
