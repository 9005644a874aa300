"""Pattern rules: one combined query pass over a parsed file."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from homeostasis.engine.confidence import Evidence
from homeostasis.engine.queries import CombinedQuery
from homeostasis.model import Document, Rule, Span
from homeostasis.plugins.syntax import node_span, node_text

if TYPE_CHECKING:
    import tree_sitter


@dataclass(frozen=True)
class PatternHit:
    rule: Rule
    target: tree_sitter.Node
    span: Span
    captures: dict[str, str]
    capture_nodes: dict[str, tree_sitter.Node]
    evidence: Evidence


@lru_cache(maxsize=512)
def _regex(source: str) -> re.Pattern[str]:
    return re.compile(source)


def scan(
    document: Document,
    tree: tree_sitter.Tree,
    combined: CombinedQuery,
    byte_range: tuple[int, int] | None = None,
) -> Iterator[PatternHit]:
    if combined.query is None:
        return
    import tree_sitter

    cursor = tree_sitter.QueryCursor(combined.query)
    if byte_range is not None:
        cursor.set_byte_range(*byte_range)
    best: dict[tuple[str, int, int], PatternHit] = {}
    by_pattern, contexts = combined.by_pattern, combined.contexts
    # Per rule, not per hit: a corpus can have tens of thousands of hits of a few rules.
    evidence: dict[str, Evidence] = {}
    for pattern_index, captures in cursor.matches(tree.root_node):
        targets = captures.get("target")
        if not targets:
            continue
        rule = by_pattern[pattern_index]
        target = targets[0]
        key = (rule.id, target.start_byte, target.end_byte)
        known = best.get(key)
        # Alternatives of one rule may hit the same node; tree-sitter's order among them is
        # unspecified, so keep the most informative (most captures), deterministically.
        if known is not None and len(known.capture_nodes) >= len(captures):
            continue
        nodes = {name: found[0] for name, found in captures.items() if found}
        texts = {name: node_text(node) for name, node in nodes.items()}
        assert rule.pattern is not None
        if (rule.pattern.where or rule.pattern.where_not) and not _constraints_hold(rule, texts):
            continue
        if rule.id in contexts and not _context_holds(rule, target, contexts[rule.id]):
            continue
        found = evidence.get(rule.id)
        if found is None:
            found = evidence[rule.id] = Evidence(rule.confidence)
        best[key] = PatternHit(
            rule=rule,
            target=target,
            span=node_span(document, target),
            captures=texts,
            capture_nodes=nodes,
            evidence=found,
        )
    yield from sorted(best.values(), key=lambda h: (h.target.start_byte, h.rule.id))


def _constraints_hold(rule: Rule, texts: dict[str, str]) -> bool:
    assert rule.pattern is not None
    for capture, regex in rule.pattern.where:
        if capture not in texts or not _regex(regex).search(texts[capture]):
            return False
    return all(
        not (capture in texts and _regex(regex).search(texts[capture]))
        for capture, regex in rule.pattern.where_not
    )


def _context_holds(
    rule: Rule,
    target: tree_sitter.Node,
    queries: tuple[tree_sitter.Query | None, tree_sitter.Query | None],
) -> bool:
    assert rule.pattern is not None
    inside, not_inside = queries
    pattern = rule.pattern
    if (
        inside is not None
        and pattern.inside is not None
        and not _matches_at(_nearest(target, pattern.inside.nearest), inside)
    ):
        return False
    return not (
        not_inside is not None
        and pattern.not_inside is not None
        and _matches_at(_nearest(target, pattern.not_inside.nearest), not_inside)
    )


def _nearest(node: tree_sitter.Node, types: tuple[str, ...]) -> tree_sitter.Node | None:
    parent = node.parent
    while parent is not None and parent.type not in types:
        parent = parent.parent
    return parent


def _matches_at(node: tree_sitter.Node | None, query: tree_sitter.Query) -> bool:
    """Whether ``query`` matches rooted at ``node`` itself (not somewhere in its subtree)."""
    if node is None:
        return False
    import tree_sitter

    cursor = tree_sitter.QueryCursor(query)
    cursor.set_max_start_depth(0)
    return any(True for _ in cursor.matches(node))
