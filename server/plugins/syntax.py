"""Small helpers over tree-sitter trees, in the engine's own position terms."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from homeostasis.model import Document, Span

if TYPE_CHECKING:
    import tree_sitter


def node_span(document: Document, node: tree_sitter.Node) -> Span:
    (sr, sc), (er, ec) = node.start_point, node.end_point
    return Span(document.point_to_pos(sr, sc), document.point_to_pos(er, ec))


def node_text(node: tree_sitter.Node) -> str:
    return (node.text or b"").decode("utf-8", "replace")


def error_count(tree: tree_sitter.Tree) -> int:
    """How many ERROR or MISSING nodes the tree has (0 for a clean parse)."""
    root = tree.root_node
    if not root.has_error:
        return 0
    count = 0
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            count += 1
            continue
        if node.has_error:
            stack.extend(node.children)
    return count


def enclosing(node: tree_sitter.Node, accept: Callable[[str], bool]) -> tree_sitter.Node | None:
    current: tree_sitter.Node | None = node
    while current is not None:
        if accept(current.type):
            return current
        current = current.parent
    return None
