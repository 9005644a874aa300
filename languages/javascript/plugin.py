"""JavaScript: grammar, Node/browser error reader and the language's conventions."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING

from homeostasis.languages.javascript import paths
from homeostasis.model import Document, ErrorEvent, Origin
from homeostasis.plugins.language import Language

if TYPE_CHECKING:
    import tree_sitter


# Cheap and specific: a V8 frame (``at fn (file:1:2)`` / ``at file:1:2``, not Java's
# ``at a.B.c(B.java:1)``), a Firefox/Safari frame, or wording only JavaScript prints.
# Compiled on first use, not at import: every start-up imports the plugins.
@cache
def _sniff_re() -> re.Pattern[str]:
    return re.compile(
        r"^[ \t]*at (?:\S[^\n(]* \(|[^\s(]+:\d+)"
        r"|^\S*@\S+:\d+:\d+$"
        r"|^\S+:\d+:\d+$"
        r"|Uncaught |UnhandledPromiseRejection|Node\.js v\d"
        r"|Cannot (?:read|set) propert|is not (?:a function|defined|iterable)$"
        r"|\[(?:[A-Z]\w*)?Error: ",
        re.M,
    )


# Declarations and other statements a guard or an inserted line may sit next to.
_STATEMENTS = frozenset(
    {
        "lexical_declaration",
        "variable_declaration",
        "function_declaration",
        "generator_function_declaration",
        "class_declaration",
        "import_statement",
        "export_statement",
    }
)


class JavaScriptLanguage(Language):
    id = "javascript"
    extensions = (".js", ".mjs", ".cjs", ".jsx")
    comment_prefix = "//"
    indent_unit = "  "
    library_markers = paths.LIBRARY_MARKERS

    def grammar(self) -> tree_sitter.Language:
        import tree_sitter
        import tree_sitter_javascript

        return tree_sitter.Language(tree_sitter_javascript.language())

    def read_errors(self, text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
        # The reader, the exception hierarchy and the like are imported where they are used:
        # every start-up imports all the plugins, and a scan needs none of them.
        from homeostasis.languages.javascript.reader import read_events

        return [event for event in read_events(text, origin) if event.language == self.id]

    def sniff_errors(self, text: str) -> bool:
        return _sniff_re().search(text) is not None

    def exception_ancestors(self, error_type: str) -> tuple[str, ...]:
        from homeostasis.languages.javascript import exceptions

        return exceptions.ancestors(error_type)

    def is_statement(self, node_type: str) -> bool:
        return node_type.endswith("statement") or node_type in _STATEMENTS

    def is_library_path(self, path: str) -> bool:
        return paths.is_library(path)

    def enrich(
        self, error_type: str, captures: Mapping[str, str], document: Document | None
    ) -> dict[str, str]:
        from homeostasis.languages.javascript import knowledge

        return knowledge.enrich(error_type, captures, document)

    def imported_modules(self, document: Document) -> frozenset[str]:
        # One pass for every framework: a regex per framework over the whole file cost more
        # than parsing it on large bundles.
        from homeostasis.languages.javascript.imports import imported_modules

        return imported_modules(document.text)

    def uses_framework(self, document: Document, framework: str) -> bool:
        return framework in self.imported_modules(document)
