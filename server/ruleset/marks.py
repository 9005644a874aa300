"""YAML loading that remembers where each value was written, for precise error messages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml


@dataclass(frozen=True)
class Located:
    """A parsed YAML document and the node tree it came from."""

    data: Any
    node: yaml.Node | None

    def line_of(self, path: Sequence[str | int]) -> int | None:
        """1-based line of the value at ``path`` (the deepest existing part of it)."""
        import yaml

        node = self.node
        line = node.start_mark.line + 1 if node is not None else None
        for part in path:
            if isinstance(node, yaml.MappingNode):
                match = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
                if match is None:
                    break
                node = match
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
            else:
                break
            line = node.start_mark.line + 1
        return line


def load_located(text: str) -> Located:
    """Parse YAML safely (no tags that construct objects), composing the node tree once.

    Raises yaml.YAMLError.
    """
    # Imported here: a start-up served from the rule cache never parses YAML.
    import yaml

    # libyaml's loader when PyYAML has it: the pure-Python one is ~20x slower.
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Located(None, None)
        return Located(loader.construct_document(node), node)
    finally:
        loader.dispose()
