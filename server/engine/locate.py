"""Finding the failing expression on a frame's line: the smallest right range."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeostasis.model import Document, Frame, NodeMatch
from homeostasis.plugins.syntax import node_text

if TYPE_CHECKING:
    import tree_sitter

_QUOTED = re.compile(r"""^[rRbBuUfF]{0,2}("{3}|'{3}|"|')(.*)\1$""", re.S)
# How far (in lines) to look for a printed source line that moved after an edit.
RELOCATE_WINDOW = 200


def normalize(text: str) -> str:
    """Text of a value with quotes and surrounding space removed, for comparing source with messages."""
    text = text.strip()
    match = _QUOTED.match(text)
    return match.group(2) if match else text


@dataclass(frozen=True)
class LineHit:
    line: int  # 0-based line in the document
    moved: bool  # the printed source was found on another line


def find_line(document: Document, frame: Frame) -> LineHit | None:
    """The document line a frame means, following the printed source if the file changed.

    None when the printed source is nowhere near: the diagnostic would be stale.
    """
    if frame.line is None or frame.line < 1:
        return None
    line = frame.line - 1
    if frame.source is None or not frame.source.strip():
        return LineHit(line, False) if line < document.line_count else None
    wanted = " ".join(frame.source.split())
    if line < document.line_count and " ".join(document.line(line).split()) == wanted:
        return LineHit(line, False)
    for distance in range(1, RELOCATE_WINDOW):
        for candidate in (line - distance, line + distance):
            if 0 <= candidate < document.line_count and " ".join(document.line(candidate).split()) == wanted:
                return LineHit(candidate, True)
    return None


@dataclass(frozen=True)
class NodeHit:
    target: tree_sitter.Node
    captures: Mapping[str, tree_sitter.Node]
    agrees: bool  # every `same` pair matched


def locate(
    tree: tree_sitter.Tree,
    query: tree_sitter.Query,
    spec: NodeMatch,
    line: int,
    message_captures: Mapping[str, str],
    column: int | None,
    end_column: int | None = None,
) -> NodeHit | None:
    """The best @target on ``line``: agreeing with the message, exactly the marked range,
    under the caret, smallest. Columns are byte columns of the document line."""
    import tree_sitter

    cursor = tree_sitter.QueryCursor(query)
    cursor.set_point_range((line, 0), (line + 1, 0))
    best: tuple[tuple[int, int, int, int, int], NodeHit] | None = None
    for _, captures in cursor.matches(tree.root_node):
        targets = captures.get("target")
        if not targets:
            continue
        target = targets[0]
        if not target.start_point.row <= line <= target.end_point.row:
            continue
        first = {name: nodes[0] for name, nodes in captures.items() if nodes}
        agrees = all(
            name in first and normalize(node_text(first[name])) == normalize(message_captures.get(msg, "\0"))
            for name, msg in spec.same
        )
        if spec.strict and spec.same and not agrees:
            continue
        under_caret = column is not None and target.start_point.column <= column < max(
            target.end_point.column, target.start_point.column + 1
        )
        # Python 3.11+ marks the failing expression exactly; nested ones share its start.
        exact = (
            column is not None
            and end_column is not None
            and target.start_point == (line, column)
            and target.end_point == (line, end_column)
        )
        size = target.end_byte - target.start_byte
        key = (int(agrees), int(exact), int(under_caret), int(target.start_point.row == line), -size)
        if best is None or key > best[0]:
            best = (key, NodeHit(target, first, agrees))
    return best[1] if best else None
