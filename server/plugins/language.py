"""What a language plugin provides. The core talks to languages only through this."""

from __future__ import annotations

import fnmatch
import re
from abc import ABC, abstractmethod
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from homeostasis.model import Document, ErrorEvent, FileEdit, Origin, Span

if TYPE_CHECKING:
    import tree_sitter


class Sources(Protocol):
    """Read access to workspace files, given to the engine by a front end."""

    def get(self, path: str) -> Document | None: ...


class PreciseFixer(Protocol):
    """Syntax-aware edits that text templates cannot express exactly."""

    def operations(self) -> frozenset[str]: ...

    def fix(
        self,
        operation: str,
        params: Mapping[str, str],
        document: Document,
        span: Span,
        sources: Sources,
    ) -> tuple[FileEdit, ...] | None:
        """Edits for ``operation`` at ``span``, or None when it does not apply."""
        ...


class Language(ABC):
    """A language plugin. Subclasses are registered under ``homeostasis.languages``."""

    id: str
    extensions: tuple[str, ...]
    # Files known by name rather than extension (fnmatch patterns), e.g. "Dockerfile", "Dockerfile.*".
    filenames: tuple[str, ...] = ()
    comment_prefix: str
    indent_unit: str = "    "
    # Path fragments that mark a frame as library code, never the project's.
    library_markers: tuple[str, ...] = ()

    @abstractmethod
    def grammar(self) -> tree_sitter.Language:
        """The tree-sitter grammar (from the language's own wheel)."""

    @abstractmethod
    def read_errors(self, text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
        """Every error event found in raw output. Never raises on bad input."""

    def sniff_errors(self, text: str) -> bool:
        """Cheap check whether ``text`` may hold this language's error output."""
        return True

    def exception_ancestors(self, error_type: str) -> tuple[str, ...]:
        """The type and its base classes, most specific first (short names)."""
        return (error_type.rsplit(".", 1)[-1],)

    @property
    def folder_patterns(self) -> tuple[str, ...]:
        """Name patterns that include folders (``.vscode/*.json``): ``claims_path`` looks at
        that many trailing components of a path, otherwise at the name alone."""
        return ()

    def claims_path(self, path: str) -> bool:
        """Whether the file is this language's by its name alone (``filenames`` patterns).

        Name claims win over extensions: ``tsconfig.json`` can belong to a JSON-with-
        comments plugin while other ``.json`` files stay strict JSON.
        """
        if not self.filenames:
            return False
        return self._filename_regex.match(path.replace("\\", "/").rpartition("/")[2]) is not None

    @cached_property
    def _filename_regex(self) -> re.Pattern[str]:
        # One compiled alternation: this runs for every file of every scanned tree.
        return re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in self.filenames))

    def is_statement(self, node_type: str) -> bool:
        return node_type.endswith("statement")

    def is_library_path(self, path: str) -> bool:
        normalized = path.replace("\\", "/")
        return any(marker in normalized for marker in self.library_markers)

    def suppression_comment(self, rule_ids: tuple[str, ...]) -> str:
        return f"{self.comment_prefix} homeostasis: ignore[{', '.join(rule_ids)}]"

    def enrich(
        self, error_type: str, captures: Mapping[str, str], document: Document | None
    ) -> dict[str, str]:
        """Language knowledge added to a finding's captures (e.g. a did-you-mean)."""
        return {}

    def syntax_problem(self, text: str, path: str, focus: tuple[int, int] | None = None) -> str | None:
        """A compiler-grade syntax check where the language has one cheaply; None if fine.

        ``focus`` (0-based first and last line) is the part of ``text`` that changed, whole
        top-level statements: a language may check only that part.
        """
        return None

    def imported_modules(self, document: Document) -> frozenset[str] | None:
        """Every module the document imports, read in one pass; None when the plugin cannot
        tell (then ``uses_framework`` is asked module by module)."""
        return None

    def uses_framework(self, document: Document, framework: str) -> bool:
        """Whether the document visibly uses ``framework`` (an import, a require...)."""
        return framework in document.text

    def rule_folders(self) -> tuple[Path, ...]:
        """Folders of rules (and a ``templates/`` folder) that ship with the plugin.

        Built-in languages keep theirs in the package's ``rules/`` data; a
        third-party plugin returns the folder it installs next to its code.
        """
        return ()

    def precise_fixer(self) -> PreciseFixer | None:
        return None

    @cached_property
    def grammar_cached(self) -> tree_sitter.Language:
        return self.grammar()

    @cached_property
    def parser(self) -> tree_sitter.Parser:
        import tree_sitter

        return tree_sitter.Parser(self.grammar_cached)

    def parse(self, document: Document) -> tree_sitter.Tree:
        return self.parser.parse(document.source)
