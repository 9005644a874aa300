"""Kotlin: grammar, JVM stack-trace reader (shared with Java) and conventions."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING

from homeostasis.languages.jvm.paths import LIBRARY_PREFIXES
from homeostasis.languages.jvm.paths import is_library_path as jvm_library_path
from homeostasis.model import Document, ErrorEvent, Origin
from homeostasis.plugins.language import Language

if TYPE_CHECKING:
    import tree_sitter


class KotlinLanguage(Language):
    id = "kotlin"
    extensions = (".kt", ".kts")
    comment_prefix = "//"
    indent_unit = "    "
    library_markers = LIBRARY_PREFIXES

    def grammar(self) -> tree_sitter.Language:
        import tree_sitter
        import tree_sitter_kotlin

        return tree_sitter.Language(tree_sitter_kotlin.language())

    def read_errors(self, text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
        # The reader, the exception hierarchy and the like are imported where they are used:
        # every start-up imports all the plugins, and a scan needs none of them.
        from homeostasis.languages.kotlin.reader import read_errors

        return read_errors(text, origin)

    def sniff_errors(self, text: str) -> bool:
        from homeostasis.languages.jvm.reader import sniff  # its patterns compile on first use

        return sniff(text)

    def exception_ancestors(self, error_type: str) -> tuple[str, ...]:
        from homeostasis.languages.kotlin import exceptions

        return exceptions.ancestors(error_type)

    def is_statement(self, node_type: str) -> bool:
        # Kotlin's grammar has no statement node: calls and ifs are expressions that may
        # sit inside other expressions, so only declarations, assignments and loops count.
        return node_type in _STATEMENTS

    def is_library_path(self, path: str) -> bool:
        return jvm_library_path(path)

    def enrich(
        self, error_type: str, captures: Mapping[str, str], document: Document | None
    ) -> dict[str, str]:
        from homeostasis.languages.jvm.knowledge import dependency_hint
        from homeostasis.languages.kotlin import exceptions

        out: dict[str, str] = {}
        if exceptions.short_name(error_type) in ("ClassNotFoundException", "NoClassDefFoundError"):
            out["suggestion"] = dependency_hint(captures.get("message", ""))
        if document is not None and exceptions.short_name(error_type) == "TimeoutCancellationException":
            out.update(visible_names(document.text))
        return out

    def uses_framework(self, document: Document, framework: str) -> bool:
        return f"import {framework}" in document.text


# Top-level functions fix templates write: capture ``fq_<name>`` is the simple name when the
# file imports it (or its package with ``*``), else the qualified name, which compiles
# without an import.
_FUNCTIONS: Mapping[str, str] = {"withTimeoutOrNull": "kotlinx.coroutines"}


def visible_names(text: str) -> dict[str, str]:
    imported = set(_import_re().findall(text[:20000]))
    return {
        f"fq_{name}": name if f"{pkg}.{name}" in imported or f"{pkg}.*" in imported else f"{pkg}.{name}"
        for name, pkg in _FUNCTIONS.items()
    }


@cache
def _import_re() -> re.Pattern[str]:
    # Compiled on first use, not at import: every start-up imports the plugins.
    return re.compile(r"^\s*import\s+([\w.]*\w(?:\.\*)?)", re.M)


_STATEMENTS = frozenset(
    {"property_declaration", "assignment", "for_statement", "while_statement", "do_while_statement"}
)
