"""Parse errors as findings, shared by the configuration plugins.

Two sources, best first: the language's reference parser (PyYAML, json, tomllib: an
exact position and the parser's own words), else the ERROR and MISSING nodes of the
tree-sitter tree. The engine runs only rules today, so the built-in rules
``<id>.syntax.parse-error`` express the tree-sitter part as queries; these functions
are what an engine hook (a language contributing findings of its own) would call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeostasis.model import Confidence, Document, Finding, Reason, Severity, Span
from homeostasis.plugins.syntax import node_span, node_text

if TYPE_CHECKING:
    import tree_sitter
    from homeostasis.languages.config.base import ConfigLanguage

# A file with more parse errors than this has one real problem and many echoes of it.
MAX_PROBLEMS = 20
_SHOWN = 40


@dataclass(frozen=True)
class ParseProblem:
    span: Span
    message: str
    source: str  # "parser" (the reference parser) or "tree-sitter"
    # The rule id's tail: "syntax.parse-error", or "key.duplicate" for a repeated key.
    rule: str = "syntax.parse-error"


def shorten(text: str, limit: int = _SHOWN) -> str:
    first = text.strip().split("\n", 1)[0].strip()
    return first if len(first) <= limit else first[: limit - 1] + "…"


def _last_leaf(node: tree_sitter.Node) -> tree_sitter.Node:
    while node.child_count:
        last = node.children[-1]
        if last.end_byte == last.start_byte and node.child_count > 1:
            last = node.children[-2]
        node = last
    return node


def _missing_message(node: tree_sitter.Node) -> str:
    if node.is_named:
        what = node.type.replace("_", " ")
        previous = node.prev_sibling
        if previous is not None and node_text(previous) == ",":
            return f"a {what} is expected after this `,` (a trailing comma?)"
        return f"a {what} is expected here"
    return f"missing `{node.type}`"


def tree_problems(
    document: Document, tree: tree_sitter.Tree, limit: int = MAX_PROBLEMS
) -> list[ParseProblem]:
    """ERROR and MISSING nodes, outermost only, in document order."""
    problems: list[ParseProblem] = []
    if not tree.root_node.has_error:
        return problems
    stack = [tree.root_node]
    while stack and len(problems) < limit:
        node = stack.pop()
        if node.is_missing:
            problems.append(ParseProblem(node_span(document, node), _missing_message(node), "tree-sitter"))
            continue
        if node.is_error:
            if node.start_point.row != node.end_point.row:
                # Recovery swallowed what came before; the parser gave up where the node ends.
                leaf = _last_leaf(node)
                message = f"syntax error: the file stops parsing at `{shorten(node_text(leaf))}`"
                problems.append(ParseProblem(node_span(document, leaf), message, "tree-sitter"))
            else:
                message = f"syntax error: unexpected `{shorten(node_text(node))}`"
                problems.append(ParseProblem(node_span(document, node), message, "tree-sitter"))
            continue
        if node.has_error:
            stack.extend(reversed(node.children))
    problems.sort(key=lambda p: (p.span.start, p.span.end))
    return problems


def parse_problems(
    language: ConfigLanguage, document: Document, tree: tree_sitter.Tree
) -> list[ParseProblem]:
    """The reference parser's error when it has one, else what the tree shows; then keys
    that repeat within a mapping (which most parsers accept silently)."""
    strict = language.strict_problem(document.text, document.path)
    problems = [strict] if strict is not None else tree_problems(document, tree)
    reported = {p.span.start.line for p in problems}
    # A reference parser that rejects duplicates (tomllib) already named the line.
    duplicates = [
        d
        for d in duplicate_keys(document, tree, language.mapping_entries)
        if d.span.start.line not in reported
    ]
    return problems + duplicates


def parse_error_findings(
    language: ConfigLanguage,
    document: Document,
    tree: tree_sitter.Tree,
    severity: Severity = Severity.ERROR,
) -> list[Finding]:
    """Parse problems as findings: ``<language>.syntax.parse-error`` and ``<language>.key.duplicate``
    (the ids of the rules that express the same checks as queries, so settings that
    enable, disable or re-rate those rules apply to these findings too)."""
    findings = []
    for problem in parse_problems(language, document, tree):
        exact = problem.source == "parser"
        score = 0.95 if exact else 0.85
        duplicate = problem.rule == "key.duplicate"
        if exact:
            reason = "reported by the reference parser"
        else:
            reason = (
                "the key appears earlier in this mapping" if duplicate else "tree-sitter could not parse this"
            )
        findings.append(
            Finding(
                rule_id=f"{language.id}.{problem.rule}",
                kind="pattern",
                path=document.path,
                span=problem.span,
                message=problem.message,
                severity=severity,
                confidence=Confidence(score, (Reason(reason, score),)),
                category="keys" if duplicate else "syntax",
            )
        )
    return findings


def _key_text(node: tree_sitter.Node) -> str:
    text = node_text(node).strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def duplicate_keys(
    document: Document, tree: tree_sitter.Tree, entries: tuple[tuple[str, str], ...]
) -> list[ParseProblem]:
    """Keys that repeat within one mapping, in linear time (a query pairing keys is quadratic).

    ``entries`` maps a mapping's node type to its entries' node type, e.g.
    ``(("object", "pair"),)`` for JSON; an entry's key is its ``key`` field, else its
    first named child. Quotes are ignored, so `"a"` and `a` are the same key.
    """
    wanted = dict(entries)
    problems: list[ParseProblem] = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        stack.extend(node.named_children)
        entry_type = wanted.get(node.type)
        if entry_type is None:
            continue
        seen: dict[str, tree_sitter.Node] = {}
        for child in node.named_children:
            if child.type != entry_type:
                continue
            key = child.child_by_field_name("key") or (
                child.named_children[0] if child.named_children else None
            )
            if key is None:
                continue
            text = _key_text(key)
            first = seen.setdefault(text, key)
            if first is not key and text != "<<":
                message = f"duplicate key `{text}` (first defined on line {first.start_point.row + 1})"
                problems.append(
                    ParseProblem(node_span(document, key), message, "tree-sitter", "key.duplicate")
                )
    problems.sort(key=lambda p: (p.span.start, p.span.end))
    return problems
