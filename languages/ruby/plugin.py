"""Ruby: grammar, error-output reader and the language's conventions."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING

from homeostasis.languages.ruby import paths
from homeostasis.model import Document, ErrorEvent, Origin
from homeostasis.plugins.language import Language

if TYPE_CHECKING:
    import tree_sitter


# Cheap and specific: a Ruby frame (`:12:in `), a reversed-traceback line, test-runner
# markers, or a Rails request-log header. Python, Java, JS and PHP print none of these.
# Compiled on first use, not at import: every start-up imports the plugins.
@cache
def _sniff_re() -> re.Pattern[str]:
    return re.compile(
        r":\d+:in [`'<\w]"
        r"|^\s*\d+: from "
        r"|Failure/Error:"
        r"|^\s*(?:\d+\) )?Failure:\s*$"
        r"|^\s*(?:Information for: )?[A-Z]\w*(?:::[A-Z]\w*)+ \(.*\):\s*$"
        r"|\.(?:rb|rake):\d+\b",
        re.M,
    )


# Nodes that are statements wherever they appear (Ruby has no `*_statement` node types).
_STATEMENTS = frozenset(
    {
        "assignment",
        "operator_assignment",
        "if_modifier",
        "unless_modifier",
        "while_modifier",
        "until_modifier",
        "rescue_modifier",
        "return",
        "if",
        "unless",
        "case",
        "while",
        "until",
        "for",
        "begin",
        "method",
        "singleton_method",
        "class",
        "module",
    }
)


class RubyLanguage(Language):
    id = "ruby"
    # Files are matched by suffix only: Gemfile, Rakefile and Guardfile (no suffix) cannot be
    # claimed through `extensions`.
    extensions = (".rb", ".rake", ".gemspec", ".ru")
    filenames = ("Gemfile", "Rakefile", "Guardfile", "Capfile", "Vagrantfile")
    comment_prefix = "#"
    indent_unit = "  "
    library_markers = paths.LIBRARY_MARKERS

    def grammar(self) -> tree_sitter.Language:
        import tree_sitter
        import tree_sitter_ruby

        return tree_sitter.Language(tree_sitter_ruby.language())

    def read_errors(self, text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
        # The reader, the exception hierarchy and the like are imported where they are used:
        # every start-up imports all the plugins, and a scan needs none of them.
        from homeostasis.languages.ruby.reader import read_errors

        return read_errors(text, origin)

    def sniff_errors(self, text: str) -> bool:
        return _sniff_re().search(text) is not None

    def exception_ancestors(self, error_type: str) -> tuple[str, ...]:
        from homeostasis.languages.ruby import exceptions

        return exceptions.ancestors(error_type)

    def is_statement(self, node_type: str) -> bool:
        return node_type in _STATEMENTS

    def is_library_path(self, path: str) -> bool:
        return paths.is_library(path)

    def enrich(
        self, error_type: str, captures: Mapping[str, str], document: Document | None
    ) -> dict[str, str]:
        from homeostasis.languages.ruby import knowledge

        return knowledge.enrich(error_type, captures, document)

    def uses_framework(self, document: Document, framework: str) -> bool:
        if framework == "rails":
            from homeostasis.languages.ruby import knowledge

            return knowledge.uses_rails(document.text)
        return f'require "{framework}"' in document.text or f"require '{framework}'" in document.text
