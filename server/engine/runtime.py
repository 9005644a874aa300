"""Runtime rules: matching an error (or one of its chained causes) to rules and a range."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from homeostasis.engine import confidence as C
from homeostasis.engine.confidence import Evidence
from homeostasis.engine.frameworks import FrameworkScope
from homeostasis.engine.locate import locate, normalize
from homeostasis.engine.queries import QueryCache
from homeostasis.model import Document, Frame, Rule, Span
from homeostasis.plugins.language import Language
from homeostasis.plugins.syntax import node_span, node_text

if TYPE_CHECKING:
    import tree_sitter


@dataclass(frozen=True)
class Failure:
    """One exception of a chain, as the rules see it."""

    error_type: str
    message: str
    frames: tuple[Frame, ...]
    role: str  # "root cause", "the error", "context", "group member"

    @property
    def frame(self) -> Frame | None:
        """The innermost frame that belongs to the project, else the innermost one."""
        for frame in reversed(self.frames):
            if frame.in_project:
                return frame
        return self.frames[-1] if self.frames else None


@dataclass(frozen=True)
class Site:
    """Where a failure happened in a workspace document (None when not in the workspace)."""

    document: Document | None
    tree: tree_sitter.Tree | None
    line: int | None
    moved: bool
    frame: Frame | None


@dataclass
class RuntimeHit:
    rule: Rule
    span: Span | None
    target: tree_sitter.Node | None
    captures: dict[str, str]
    capture_nodes: dict[str, tree_sitter.Node]
    evidence: Evidence
    superseded: bool = field(default=False)
    # A framework refinement where the framework is nowhere to be seen does not replace the
    # rule it refines: a plain dict's KeyError stays a dict's KeyError.
    framework_absent: bool = field(default=False)


@lru_cache(maxsize=1024)
def _regex(source: str) -> re.Pattern[str]:
    return re.compile(source, re.S)


def type_matches(ancestors: Sequence[str], event_type: str, wanted: Sequence[str]) -> bool:
    """Whether ``event_type`` (whose ``ancestors`` the language gave) is one of ``wanted``."""
    event_short = event_type.rsplit(".", 1)[-1]
    for name in wanted:
        if "." not in name:
            if name in ancestors:
                return True
            continue
        # A qualified rule type needs the same class from the same top-level package.
        same_class = event_short == name.rsplit(".", 1)[-1]
        same_package = "." not in event_type or event_type.split(".")[0] == name.split(".")[0]
        if event_type == name or (same_class and same_package):
            return True
    return False


def by_type_name(rules: Sequence[Rule]) -> dict[str, tuple[int, ...]]:
    """Positions in ``rules`` of the rules that name each error type (by its short name)."""
    index: dict[str, list[int]] = {}
    for position, rule in enumerate(rules):
        assert rule.runtime is not None
        for name in dict.fromkeys(n.rsplit(".", 1)[-1] for n in rule.runtime.error_types):
            index.setdefault(name, []).append(position)
    return {name: tuple(positions) for name, positions in index.items()}


def match_failure(
    failure: Failure,
    site: Site,
    rules: Sequence[Rule],
    language: Language,
    queries: QueryCache,
    scope: FrameworkScope,
    index: Mapping[str, tuple[int, ...]],
) -> list[RuntimeHit]:
    """Every rule that explains this failure, refined ones replacing what they require.

    Only the rules ``index`` (``by_type_name(rules)``) lists for the error's type or one of
    its ancestors are tried, in their order, instead of every rule of the language."""
    hits: dict[str, RuntimeHit] = {}
    ancestors = scope.ancestors(language, failure.error_type)
    names = {*ancestors, failure.error_type.rsplit(".", 1)[-1]}
    for position in sorted({i for name in names for i in index.get(name, ())}):
        rule = rules[position]
        assert rule.runtime is not None
        if not type_matches(ancestors, failure.error_type, rule.runtime.error_types):
            continue
        if any(req not in hits for req in rule.requires):
            continue
        captures: dict[str, str] = {}
        if rule.runtime.message is not None:
            match = _regex(rule.runtime.message).search(failure.message)
            if match is None:
                continue
            captures = {k: v for k, v in match.groupdict().items() if v is not None}
        hit = _place(rule, failure, site, captures, language, queries, scope)
        if hit is None:
            continue
        if not hit.framework_absent:
            for req in rule.requires:
                hits[req].superseded = True
        hits[rule.id] = hit
    return [h for h in hits.values() if not h.superseded]


def _place(
    rule: Rule,
    failure: Failure,
    site: Site,
    captures: dict[str, str],
    language: Language,
    queries: QueryCache,
    scope: FrameworkScope,
) -> RuntimeHit | None:
    assert rule.runtime is not None
    evidence = Evidence(rule.confidence)
    captures = {"error_type": failure.error_type, "message": failure.message, **captures}
    document = site.document
    spec = rule.runtime.node
    if document is None or site.tree is None or site.line is None:
        # Without the source, a rule that needs its node (or refines another rule by it) is unproven.
        if spec is not None and (spec.required or spec.strict or rule.requires):
            return None
        evidence = evidence.add("the failing frame is not in the workspace", C.NOT_IN_WORKSPACE)
        _add_missing(captures, language.enrich(failure.error_type, captures, None))
        return RuntimeHit(rule, None, None, captures, {}, evidence)
    if site.moved:
        evidence = evidence.add("the file changed; the printed line was found elsewhere", C.SOURCE_MOVED)
    presence = scope.in_document(document, language).presence(rule)
    if presence is not None and not presence.present:
        presence = scope.in_stack(rule, [f.file for f in failure.frames]) or presence
    if presence is not None:
        weight = C.FRAMEWORK_PRESENT if presence.present else C.FRAMEWORK_ABSENT
        evidence = evidence.add(presence.reason, weight)
    line = site.line
    column, end_column = _caret_columns(document, line, site.frame)
    nodes: dict[str, tree_sitter.Node] = {}
    target = None
    if spec is not None:
        hit = locate(site.tree, queries.get(language, spec.query), spec, line, captures, column, end_column)
        if hit is None and (spec.strict or spec.required):
            return None
        if hit is not None:
            target = hit.target
            nodes = dict(hit.captures)
            evidence = evidence.add(
                f"failing {target.type.replace('_', ' ')} located on line {line + 1}", C.LOCATED_NODE
            )
            if spec.same and hit.agrees:
                shown = ", ".join(normalize(captures.get(m, "")) for _, m in spec.same)
                evidence = evidence.add(
                    f"'{shown}' from the message appears in the source", C.CAPTURE_IN_SOURCE
                )
    if target is None:
        span = document.line_span(line)
        if spec is not None:
            evidence = evidence.add("the failing expression was not found; pointing at the line", C.LINE_ONLY)
    else:
        span = node_span(document, target)
    # Source text of node captures wins over the message's rendering (quotes, escapes).
    captures.update({name: node_text(node) for name, node in nodes.items()})
    _add_missing(captures, language.enrich(failure.error_type, captures, document))
    absent = presence is not None and not presence.present
    return RuntimeHit(rule, span, target, captures, nodes, evidence, framework_absent=absent)


def _add_missing(captures: dict[str, str], extra: Mapping[str, str]) -> None:
    # What the error itself said (e.g. Python's own "Did you mean") beats a guess.
    for name, value in extra.items():
        captures.setdefault(name, value)


def _caret_columns(document: Document, line: int, frame: Frame | None) -> tuple[int | None, int | None]:
    """The marked range as byte columns of the document line.

    Columns under a printed source line count in that (stripped) text; without a
    printed line they are the line's own columns (``file:line:col`` stacks).
    """
    if frame is None or frame.column is None:
        return None, None
    text = document.line(line)
    stripped = text.lstrip()
    indent = len(text) - len(stripped) if frame.source is not None else 0

    def to_bytes(col: int) -> int:
        return len(text[: indent + col].encode("utf-8", "surrogatepass"))

    end = to_bytes(frame.end_column) if frame.end_column is not None else None
    return to_bytes(frame.column), end


def captures_tuple(captures: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, v) for k, v in captures.items() if k not in ("message",)))
