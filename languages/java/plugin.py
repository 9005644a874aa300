"""Java: grammar, JVM stack-trace reader, conventions and JDK knowledge."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from homeostasis.languages.jvm.paths import LIBRARY_PREFIXES
from homeostasis.languages.jvm.paths import is_library_path as jvm_library_path
from homeostasis.model import Document, ErrorEvent, Origin
from homeostasis.plugins.language import Language

if TYPE_CHECKING:
    import tree_sitter


class JavaLanguage(Language):
    id = "java"
    extensions = (".java",)
    comment_prefix = "//"
    indent_unit = "    "
    library_markers = LIBRARY_PREFIXES

    def grammar(self) -> tree_sitter.Language:
        import tree_sitter
        import tree_sitter_java

        return tree_sitter.Language(tree_sitter_java.language())

    def read_errors(self, text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
        # The reader, the exception hierarchy and the like are imported where they are used:
        # every start-up imports all the plugins, and a scan needs none of them.
        from homeostasis.languages.java.reader import read_errors

        return read_errors(text, origin)

    def sniff_errors(self, text: str) -> bool:
        from homeostasis.languages.jvm.reader import sniff  # its patterns compile on first use

        return sniff(text)

    def exception_ancestors(self, error_type: str) -> tuple[str, ...]:
        from homeostasis.languages.java import exceptions

        return exceptions.ancestors(error_type)

    def is_statement(self, node_type: str) -> bool:
        return node_type.endswith("statement") or node_type in _STATEMENTS

    def is_library_path(self, path: str) -> bool:
        # Library markers are package prefixes of derived paths, not substrings.
        return jvm_library_path(path)

    def enrich(
        self, error_type: str, captures: Mapping[str, str], document: Document | None
    ) -> dict[str, str]:
        from homeostasis.languages.java import knowledge

        return knowledge.enrich(error_type, captures, document)

    def uses_framework(self, document: Document, framework: str) -> bool:
        text = document.text
        return f"import {framework}" in text or f"import static {framework}" in text


_STATEMENTS = frozenset({"local_variable_declaration", "explicit_constructor_invocation"})
