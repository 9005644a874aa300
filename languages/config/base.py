"""The base class of the configuration-language plugins."""

from __future__ import annotations

import fnmatch
import importlib
import re
import warnings
from functools import cached_property
from typing import TYPE_CHECKING

from homeostasis.model import ErrorEvent, Origin
from homeostasis.plugins.language import Language

if TYPE_CHECKING:
    import tree_sitter
    from homeostasis.languages.config.syntax import ParseProblem


class ConfigLanguage(Language):
    """Defaults for configuration files: no stack traces, two-space indents, `#` comments.

    Subclasses name their grammar module; a language whose tools print located
    parse errors overrides ``read_errors`` and ``sniff_errors`` (the default reads
    nothing, and never claims text, so other languages' output is left alone).
    """

    comment_prefix = "#"
    indent_unit = "  "
    # The grammar wheel's module and its language function: built lazily in grammar().
    grammar_module: str = ""
    grammar_function: str = "language"
    # Files recognised by name rather than suffix (a `Dockerfile` has none). Exact base
    # names, and fnmatch patterns: on the base name, or on the path's tail when the
    # pattern holds a `/` (".vscode/*.json"). Registry.for_path does not read these yet.
    filenames: tuple[str, ...] = ()
    filename_patterns: tuple[str, ...] = ()
    # Node types a fix's `statement` region may widen to (a whole key/value pair...).
    statement_types: frozenset[str] = frozenset()
    # Mapping node type -> entry node type, for duplicate-key detection (config.syntax).
    mapping_entries: tuple[tuple[str, str], ...] = ()

    def grammar(self) -> tree_sitter.Language:
        import tree_sitter

        module = importlib.import_module(self.grammar_module)
        with warnings.catch_warnings():
            # Older grammar wheels hand out a bare int pointer, which tree-sitter 0.25+ still
            # accepts with a DeprecationWarning; the grammar is the same.
            warnings.simplefilter("ignore", DeprecationWarning)
            return tree_sitter.Language(getattr(module, self.grammar_function)())

    def read_errors(self, text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
        return []

    def sniff_errors(self, text: str) -> bool:
        return False

    def is_statement(self, node_type: str) -> bool:
        return node_type in self.statement_types

    @property
    def folder_patterns(self) -> tuple[str, ...]:
        return tuple(p for p in self.filename_patterns if "/" in p)

    def claims_path(self, path: str) -> bool:
        """Whether ``path`` is this language's by its name (suffix aside)."""
        path = path.replace("\\", "/")
        name = path.rpartition("/")[2]
        if name in self.filenames:
            return True
        names, tails = self._pattern_regexes
        if names is not None and names.match(name):
            return True
        if not tails or "/" not in path:  # a tail pattern needs folders to match
            return False
        parts = path.split("/")
        return any(regex.match("/".join(parts[-depth:])) for depth, regex in tails)

    @cached_property
    def _pattern_regexes(self) -> tuple[re.Pattern[str] | None, tuple[tuple[int, re.Pattern[str]], ...]]:
        # Compiled once: this runs for every file of every scanned tree.
        plain = [fnmatch.translate(p) for p in self.filename_patterns if "/" not in p]
        names = re.compile("|".join(f"(?:{t})" for t in plain)) if plain else None
        tails = tuple(
            (p.count("/") + 1, re.compile(fnmatch.translate(p))) for p in self.filename_patterns if "/" in p
        )
        return names, tails

    def strict_problem(self, text: str, path: str) -> ParseProblem | None:
        """The first error of the language's reference parser, when one is at hand cheaply.

        Tree-sitter recovers from errors and is lenient in places (JSON comments, YAML
        tabs); a reference parser (PyYAML, json, tomllib) says exactly what is wrong.
        """
        return None

    def syntax_problem(self, text: str, path: str, focus: tuple[int, int] | None = None) -> str | None:
        problem = self.strict_problem(text, path)
        if problem is None:
            return None
        return f"{problem.message} (line {problem.span.start.line + 1})"
