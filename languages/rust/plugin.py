"""Rust: grammar, panic/backtrace/rustc reader, conventions and Rust knowledge."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from homeostasis.languages.rust.paths import LIBRARY_MARKERS
from homeostasis.languages.rust.paths import is_library_path as rust_library_path
from homeostasis.model import Document, ErrorEvent, Origin
from homeostasis.plugins.language import Language

if TYPE_CHECKING:
    import tree_sitter


class RustLanguage(Language):
    id = "rust"
    extensions = (".rs",)
    comment_prefix = "//"
    indent_unit = "    "
    library_markers = LIBRARY_MARKERS

    def grammar(self) -> tree_sitter.Language:
        import tree_sitter
        import tree_sitter_rust

        return tree_sitter.Language(tree_sitter_rust.language())

    def read_errors(self, text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
        # The reader, the exception hierarchy and the like are imported where they are used:
        # every start-up imports all the plugins, and a scan needs none of them.
        from homeostasis.languages.rust.reader import read_errors

        return read_errors(text, origin)

    def sniff_errors(self, text: str) -> bool:
        from homeostasis.languages.rust.reader import sniff

        return sniff(text)

    def exception_ancestors(self, error_type: str) -> tuple[str, ...]:
        from homeostasis.languages.rust import exceptions

        return exceptions.ancestors(error_type)

    def is_statement(self, node_type: str) -> bool:
        return node_type in _STATEMENTS

    def is_library_path(self, path: str) -> bool:
        return rust_library_path(path)

    def enrich(
        self, error_type: str, captures: Mapping[str, str], document: Document | None
    ) -> dict[str, str]:
        from homeostasis.languages.rust.knowledge import enrich

        return enrich(error_type, captures, document, self.parser)

    def uses_framework(self, document: Document, framework: str) -> bool:
        text = document.text
        return f"use {framework}" in text or f"{framework}::" in text


# A macro call is a statement only inside an expression_statement; a block's tail expression
# is no statement at all (fixes then see its line).
_STATEMENTS = frozenset({"let_declaration", "expression_statement", "empty_statement"})
