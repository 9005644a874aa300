"""Shared machinery of the Python precise fixer: parsing, positions, ranking and minimal edits.

Imported only lazily (from inside ``precise`` methods), so importing libcst here is fine.
"""

from __future__ import annotations

import ast
import keyword
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

import libcst as cst
from homeostasis.fixes.edits import file_hash
from homeostasis.model import Document, FileEdit, Pos, Span, TextEdit
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

N = TypeVar("N", bound=cst.CSTNode)


def parse(document: Document) -> MetadataWrapper | None:
    """The document's module wrapped for metadata, or None when libcst cannot parse it."""
    try:
        module = cst.parse_module(document.text)
    except (cst.ParserSyntaxError, RecursionError, ValueError):
        return None
    # The wrapper would otherwise deep-copy the fresh tree, which nobody else holds.
    return MetadataWrapper(module, unsafe_skip_copy=True)


def positions(wrapper: MetadataWrapper) -> Mapping[cst.CSTNode, CodeRange]:
    return wrapper.resolve(PositionProvider)


def to_span(code_range: CodeRange) -> Span:
    # libcst lines are 1-based; its columns already count code points like Pos does.
    return Span(
        Pos(code_range.start.line - 1, code_range.start.column),
        Pos(code_range.end.line - 1, code_range.end.column),
    )


def is_identifier(text: str) -> bool:
    return text.isidentifier() and not keyword.iskeyword(text)


def is_dotted(text: str) -> bool:
    return bool(text) and all(is_identifier(part) for part in text.split("."))


def rank(items: Iterable[tuple[N, Span]], span: Span) -> list[N]:
    """Candidates by how well they fit ``span``.

    Nodes inside the span come first (outermost, then earliest), then nodes
    that enclose the span (innermost first), then nodes that merely overlap.
    Nodes unrelated to the span are dropped: a fix must not wander off.
    """
    inside: list[tuple[N, Span]] = []
    around: list[tuple[N, Span]] = []
    overlapping: list[tuple[N, Span]] = []
    for node, node_span in items:
        if node_span.start != node_span.end and span.contains(node_span):
            inside.append((node, node_span))
        elif node_span.contains(span):
            around.append((node, node_span))
        elif node_span.overlaps(span):
            overlapping.append((node, node_span))
    inside.sort(key=lambda item: (item[1].start, -item[1].end.line, -item[1].end.col))
    around.sort(key=lambda item: (-item[1].start.line, -item[1].start.col, item[1].end))
    overlapping.sort(key=lambda item: item[1].start)
    return [node for node, _ in (*inside, *around, *overlapping)]


def nodes_of(wrapper: MetadataWrapper, kind: type[N]) -> list[tuple[N, Span]]:
    return [(node, to_span(rng)) for node, rng in positions(wrapper).items() if isinstance(node, kind)]


def dotted_name(node: cst.BaseExpression) -> tuple[str, ...] | None:
    """``a.b.c`` as ("a", "b", "c"); None for anything that is not a plain dotted name."""
    if isinstance(node, cst.Name):
        return (node.value,)
    if isinstance(node, cst.Attribute):
        head = dotted_name(node.value)
        return None if head is None else (*head, node.attr.value)
    return None


def callee_name(call: cst.Call) -> str | None:
    """The name a call's callee ends with: ``f`` for ``f()``, ``m`` for ``anything.m()``."""
    if isinstance(call.func, cst.Name):
        return call.func.value
    if isinstance(call.func, cst.Attribute):
        return call.func.attr.value
    return None


def callee_targets(function: str) -> frozenset[str]:
    """Names a call's callee may end with when the error names ``function``.

    ``Foo.__init__`` is reached by calling ``Foo``; ``obj.method`` by ``.method``.
    """
    parts = [p for p in function.strip().removesuffix("()").split(".") if p]
    if not parts:
        return frozenset()
    names = {parts[-1]}
    if parts[-1] in ("__init__", "__new__", "__call__") and len(parts) > 1:
        names.add(parts[-2])
    return frozenset(names)


def ranked_calls(wrapper: MetadataWrapper, span: Span, function: str = "") -> list[cst.Call]:
    """Calls at ``span``, only those whose callee matches ``function`` if any does."""
    calls = rank(nodes_of(wrapper, cst.Call), span)
    targets = callee_targets(function)
    if not targets:
        return calls
    # When some call here is the named one, the others are not candidates at all.
    return [c for c in calls if callee_name(c) in targets] or calls


def new_comma_whitespace(opening: cst.BaseParenthesizableWhitespace) -> cst.BaseParenthesizableWhitespace:
    """Whitespace after a separator comma, copied from the one after the opening bracket.

    A multi-line list keeps one item per line; a single-line one gets a plain space.
    """
    if isinstance(opening, cst.ParenthesizedWhitespace):
        return opening
    return cst.SimpleWhitespace(" ")


def _comma(node: cst.CSTNode) -> cst.Comma | cst.MaybeSentinel:
    value = getattr(node, "comma", cst.MaybeSentinel.DEFAULT)
    return value if isinstance(value, cst.Comma) else cst.MaybeSentinel.DEFAULT


def _with_comma(node: N, comma: cst.Comma | cst.MaybeSentinel) -> N:
    if isinstance(node, cst.ParamStar) and not isinstance(comma, cst.Comma):
        comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))  # a bare * always has one
    return node.with_changes(comma=comma)


def insert_item(
    items: Sequence[N], index: int, new: N, opening: cst.BaseParenthesizableWhitespace
) -> list[N]:
    """``items`` with ``new`` at ``index``, commas arranged like the surrounding layout.

    libcst prints a missing (DEFAULT) comma as ", " between items, so only explicit
    commas, which carry the multi-line layout and trailing commas, need moving.
    """
    out = list(items)
    prev = out[index - 1] if index > 0 else None
    if index < len(out):
        # In the middle: the new item separates itself from the next like its predecessor does.
        comma = _comma(prev) if prev is not None else cst.MaybeSentinel.DEFAULT
        out.insert(index, _with_comma(new, comma))
        return out
    if prev is None:
        out.append(_with_comma(new, cst.MaybeSentinel.DEFAULT))
        return out
    # Whitespace before the closing bracket belongs to the last item; it moves to the new one.
    for attr in ("whitespace_after_arg", "whitespace_after_param"):
        if hasattr(prev, attr) and hasattr(new, attr):
            new = new.with_changes(**{attr: getattr(prev, attr)})
            prev = prev.with_changes(**{attr: cst.SimpleWhitespace("")})
            out[index - 1] = prev
    before_prev = out[index - 2] if index > 1 else None
    separator = _comma(before_prev) if before_prev is not None else cst.MaybeSentinel.DEFAULT
    if not isinstance(separator, cst.Comma):
        separator = cst.Comma(whitespace_after=new_comma_whitespace(opening))
    prev_comma = _comma(prev)
    if isinstance(prev_comma, cst.Comma):
        # A trailing comma stays trailing: it moves to the new last item.
        out[index - 1] = _with_comma(prev, separator)
        out.append(_with_comma(new, prev_comma))
    else:
        if isinstance(separator.whitespace_after, cst.ParenthesizedWhitespace):
            out[index - 1] = _with_comma(prev, separator)
        out.append(_with_comma(new, cst.MaybeSentinel.DEFAULT))
    return out


def remove_item(items: Sequence[N], index: int) -> list[N]:
    """``items`` without the one at ``index``; a removed last item hands its comma on."""
    out = list(items)
    removed = out.pop(index)
    if index == len(out) and index > 0:
        prev = _with_comma(out[index - 1], _comma(removed))
        # The newline before the closing bracket lived on the removed item; keep it.
        for attr in ("whitespace_after_arg", "whitespace_after_param"):
            if hasattr(prev, attr) and hasattr(removed, attr):
                prev = prev.with_changes(**{attr: getattr(removed, attr)})
        out[index - 1] = prev
    return out


def replace_node(wrapper: MetadataWrapper, old: cst.CSTNode, new: cst.CSTNode) -> str:
    module = wrapper.module.deep_replace(old, new)
    assert isinstance(module, cst.Module)
    return module.code


def split_lines(text: str) -> list[str]:
    """Lines with their endings, split on "\\n" only, as Document counts lines."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def minimal_edit(document: Document, new_text: str) -> FileEdit | None:
    """One TextEdit replacing just the lines that differ, so diffs and merges stay small."""
    old_text = document.text
    if old_text.startswith("\ufeff") and not new_text.startswith("\ufeff"):
        new_text = "\ufeff" + new_text  # libcst drops the byte-order mark; the file keeps it
    if new_text == old_text or not still_valid(old_text, new_text):
        return None
    old_lines = split_lines(old_text)
    new_lines = split_lines(new_text)
    limit = min(len(old_lines), len(new_lines))
    prefix = 0
    while prefix < limit and old_lines[prefix] == new_lines[prefix]:
        prefix += 1
    suffix = 0
    while (
        suffix < limit - prefix
        and old_lines[len(old_lines) - 1 - suffix] == new_lines[len(new_lines) - 1 - suffix]
    ):
        suffix += 1
    start = sum(len(line) for line in old_lines[:prefix])
    end = len(old_text) - sum(len(line) for line in old_lines[len(old_lines) - suffix :])
    replacement = "".join(new_lines[prefix : len(new_lines) - suffix])
    if document.eol() == "\r\n":
        replacement = _to_crlf(replacement)
    span = Span(document.pos_at(start), document.pos_at(end))
    return FileEdit(document.path, (TextEdit(span, replacement),), file_hash(old_text))


def _to_crlf(text: str) -> str:
    # Normalising first keeps an existing CRLF from turning into CR CR LF.
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def still_valid(old_text: str, new_text: str) -> bool:
    """False when the edit turned code that compiled into code that does not."""
    if _compiles(new_text):
        return True
    # libcst accepts syntax newer than this interpreter; then the old text fails too.
    return not _compiles(old_text)


def _compiles(text: str) -> bool:
    try:
        ast.parse(text.removeprefix("\ufeff"))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def param(params: Mapping[str, str], name: str, default: str = "") -> str:
    value = params.get(name)
    return value.strip() if isinstance(value, str) and value.strip() else default


def parse_expression(text: str) -> cst.BaseExpression | None:
    try:
        return cst.parse_expression(text)
    except (cst.ParserSyntaxError, ValueError):
        return None


def tight_equal() -> cst.AssignEqual:
    """``=`` without spaces, as PEP 8 writes keyword arguments and unannotated defaults."""
    return cst.AssignEqual(
        whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
    )
