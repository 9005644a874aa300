"""Workspace files on disk as Documents, for the engine's ``Sources`` protocol."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable
from pathlib import Path

from homeostasis.model import Document
from homeostasis.workspace.files import SourceFile, read_source

__all__ = ["DiskSources"]


def _no_language(path: str) -> str | None:
    return None


class DiskSources:
    """Read-only, cached access to the text files under ``root``.

    Only files inside the root (after resolving symlinks) are served, so a
    traceback naming ``/etc/passwd`` or ``../other`` can never become an edit
    target. Missing, binary, oversize and non-UTF-8 files are None;
    :meth:`skip_reason` says why.
    """

    def __init__(
        self,
        root: Path,
        max_bytes: int,
        language_for: Callable[[str], str | None] = _no_language,
    ) -> None:
        self.root = Path(os.path.abspath(root))
        self._real_root = self.root.resolve()
        self._max_bytes = max_bytes
        self._language_for = language_for
        # Per instance on purpose: one scan or one request sees one consistent snapshot.
        self._cache: dict[str, Document | None] = {}
        self._by_name: dict[str, list[str]] = {}
        self._reasons: dict[str, str] = {}

    def relative(self, path: str) -> str | None:
        """``path`` as a normalised root-relative POSIX path, or None when it lies outside."""
        if not path:
            return None
        candidate = Path(path)
        if not candidate.is_absolute():
            rel = posixpath.normpath(path.replace("\\", "/"))
            return None if rel == ".." or rel.startswith("../") else rel
        normal = Path(os.path.normpath(candidate))
        for base in (self.root, self._real_root):
            try:
                return normal.relative_to(base).as_posix()
            except ValueError:
                continue
        try:
            return normal.resolve().relative_to(self._real_root).as_posix()
        except (ValueError, OSError, RuntimeError):
            return None

    def get(self, path: str) -> Document | None:
        rel = self.relative(path)
        if rel is None or rel == ".":
            return None
        if rel in self._cache:
            return self._cache[rel]
        document = self._load(rel)
        self._cache[rel] = document
        return document

    def find_by_suffix(self, suffix: str) -> Document | None:
        """The workspace file whose path ends with ``/suffix`` (the shortest such path).

        For stacks that print paths relative to a source root, like Java's package
        paths. The tree is walked once per file name, honouring .gitignore.
        """
        name = suffix.rsplit("/", 1)[-1]
        if name not in self._by_name:
            from homeostasis.workspace.files import walk

            found = walk([self.root], frozenset(), (), accept=lambda n: n == name)
            self._by_name[name] = sorted((p.relative_to(self.root).as_posix() for p in found), key=len)
        for rel in self._by_name[name]:
            if rel == suffix or rel.endswith("/" + suffix):
                return self.get(rel)
        return None

    def skip_reason(self, path: str) -> str | None:
        """Why ``get(path)`` gave None, once it has been asked; None for a served file."""
        rel = self.relative(path)
        if rel is None:
            return "outside the workspace root"
        self.get(path)
        return self._reasons.get(rel)

    def _load(self, rel: str) -> Document | None:
        lexical = self.root / rel
        try:
            real = lexical.resolve()
            real.relative_to(self._real_root)
        except (ValueError, OSError, RuntimeError):
            # A symlink out of the workspace is as out of bounds as an absolute path.
            self._reasons[rel] = "outside the workspace root"
            return None
        if not real.is_file():
            self._reasons[rel] = "not a file in the workspace"
            return None
        source = read_source(real, self._max_bytes)
        if not isinstance(source, SourceFile):
            self._reasons[rel] = source.reason
            return None
        return Document(rel, source.text, self._language_for(rel) or "")
