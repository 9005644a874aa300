"""PHP: grammar (PHP with HTML), error-output reader and the language's conventions."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING

from homeostasis.languages.php import paths
from homeostasis.model import Document, ErrorEvent, Origin
from homeostasis.plugins.language import Language

if TYPE_CHECKING:
    import tree_sitter


# Cheap and specific: a severity label with PHP's wording, a `#N file(line):` trace line, a
# `.php` location, or a Monolog exception object. Other languages print none of these.
# Compiled on first use, not at import: every start-up imports the plugins.
@cache
def _sniff_re() -> re.Pattern[str]:
    return re.compile(
        r"(?:PHP |^|\s|>)(?:Fatal error|Parse error|Warning|Notice|Deprecated"
        r"|Recoverable fatal error)(?:</b>)?:"
        r"|^\s*#\d+ \S.*\(\d+\): "
        r"|\.(?:php|phtml|inc)(?::\d+\b|\(\d+\)| on line \d+)"
        r"|\[object\] \(",
        re.M,
    )


_STATEMENTS = frozenset({"function_definition", "method_declaration", "class_declaration"})


class PhpLanguage(Language):
    id = "php"
    extensions = (".php", ".phtml")
    comment_prefix = "//"
    indent_unit = "    "
    library_markers = paths.LIBRARY_MARKERS

    def grammar(self) -> tree_sitter.Language:
        import tree_sitter
        import tree_sitter_php

        # PHP with HTML around it: templates and plain `<?php` files parse alike.
        return tree_sitter.Language(tree_sitter_php.language_php())

    def read_errors(self, text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
        # The reader, the exception hierarchy and the like are imported where they are used:
        # every start-up imports all the plugins, and a scan needs none of them.
        from homeostasis.languages.php.reader import read_errors

        return read_errors(text, origin)

    def sniff_errors(self, text: str) -> bool:
        return _sniff_re().search(text) is not None

    def exception_ancestors(self, error_type: str) -> tuple[str, ...]:
        from homeostasis.languages.php import exceptions

        return exceptions.ancestors(error_type)

    def is_statement(self, node_type: str) -> bool:
        return node_type.endswith("statement") or node_type in _STATEMENTS

    def is_library_path(self, path: str) -> bool:
        return paths.is_library(path)

    def enrich(
        self, error_type: str, captures: Mapping[str, str], document: Document | None
    ) -> dict[str, str]:
        from homeostasis.languages.php import knowledge

        return knowledge.enrich(error_type, captures, document)

    def uses_framework(self, document: Document, framework: str) -> bool:
        text = document.text[:100_000]
        markers = {
            "laravel": ("Illuminate\\", "use App\\", "Route::"),
            "symfony": ("Symfony\\",),
            "wordpress": ("add_action(", "add_filter(", "wp_", "WP_"),
        }.get(framework.lower(), (framework,))
        return any(marker in text for marker in markers)
