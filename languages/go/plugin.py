"""Go: grammar, goroutine-dump/compiler/go-test reader, conventions and Go knowledge."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from homeostasis.languages.go.paths import LIBRARY_MARKERS
from homeostasis.languages.go.paths import is_library_path as go_library_path
from homeostasis.model import Document, ErrorEvent, Origin
from homeostasis.plugins.language import Language

if TYPE_CHECKING:
    import tree_sitter


class GoLanguage(Language):
    id = "go"
    extensions = (".go",)
    comment_prefix = "//"
    indent_unit = "\t"
    library_markers = LIBRARY_MARKERS

    def grammar(self) -> tree_sitter.Language:
        import tree_sitter
        import tree_sitter_go

        return tree_sitter.Language(tree_sitter_go.language())

    def read_errors(self, text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
        # The reader, the exception hierarchy and the like are imported where they are used:
        # every start-up imports all the plugins, and a scan needs none of them.
        from homeostasis.languages.go.reader import read_errors

        return read_errors(text, origin)

    def sniff_errors(self, text: str) -> bool:
        from homeostasis.languages.go.reader import sniff

        return sniff(text)

    def exception_ancestors(self, error_type: str) -> tuple[str, ...]:
        from homeostasis.languages.go import exceptions

        return exceptions.ancestors(error_type)

    def is_statement(self, node_type: str) -> bool:
        return node_type.endswith("statement") or node_type in _STATEMENTS

    def is_library_path(self, path: str) -> bool:
        return go_library_path(path)

    def enrich(
        self, error_type: str, captures: Mapping[str, str], document: Document | None
    ) -> dict[str, str]:
        from homeostasis.languages.go.knowledge import enrich

        return enrich(error_type, captures, document)

    def uses_framework(self, document: Document, framework: str) -> bool:
        return f'"{framework}"' in document.text or f'"{framework}/' in document.text


_STATEMENTS = frozenset({"short_var_declaration", "var_declaration", "const_declaration", "type_declaration"})
