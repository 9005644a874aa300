"""TypeScript: the TSX grammar, compiler diagnostics and the JavaScript runtime conventions.

One grammar serves every file: the engine compiles a language's queries for one grammar, and
a query compiled for the ``typescript`` grammar cannot run on a ``tsx`` tree (node ids
differ).  TSX is a superset of TypeScript except for angle-bracket casts (``<T>value``),
which TSX reads as JSX: in a ``.ts`` file using them, that expression parses with errors
(fixes elsewhere in the file still validate, as validation compares error counts).
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from homeostasis.languages.javascript.plugin import JavaScriptLanguage
from homeostasis.model import ErrorEvent, Origin

if TYPE_CHECKING:
    import tree_sitter


# Compiled on first use, not at import: every start-up imports the plugins.
@cache
def _sniff_re() -> re.Pattern[str]:
    return re.compile(
        r"error TS\d|TSError|TS\d{4,5}: |\.[cm]?tsx?:\d+|\.[cm]?tsx?\(\d+,\d+\)|\.[cm]?tsx? \(\d+,\d+\)"
    )


class TypeScriptLanguage(JavaScriptLanguage):
    id = "typescript"
    extensions = (".ts", ".mts", ".cts", ".tsx")

    def grammar(self) -> tree_sitter.Language:
        import tree_sitter
        import tree_sitter_typescript

        return tree_sitter.Language(tree_sitter_typescript.language_tsx())

    def read_errors(self, text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
        # The reader, the exception hierarchy and the like are imported where they are used:
        # every start-up imports all the plugins, and a scan needs none of them.
        from homeostasis.languages.typescript.reader import read_errors

        return read_errors(text, origin)

    def sniff_errors(self, text: str) -> bool:
        return _sniff_re().search(text) is not None

    def exception_ancestors(self, error_type: str) -> tuple[str, ...]:
        from homeostasis.languages.typescript import exceptions

        return exceptions.ancestors(error_type)
