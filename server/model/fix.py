"""Fixes: titled, rated edits to one or more files."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from homeostasis.model.span import Span


class Applicability(StrEnum):
    SAFE = "safe"  # keeps behaviour except for removing the failure; applied by fix-all
    UNSAFE = "unsafe"  # likely right, but may change behaviour; needs opting in
    SUGGESTION = "suggestion"  # a starting point the user must finish; never auto-applied

    @property
    def rank(self) -> int:
        return {"safe": 0, "unsafe": 1, "suggestion": 2}[self.value]


@dataclass(frozen=True, slots=True)
class TextEdit:
    span: Span
    new_text: str


@dataclass(frozen=True, slots=True)
class FileEdit:
    """Edits to one file, computed against the text whose hash is ``base_hash``."""

    path: str
    edits: tuple[TextEdit, ...]
    base_hash: str = ""


@dataclass(frozen=True, slots=True)
class Fix:
    title: str
    applicability: Applicability
    confidence: float
    files: tuple[FileEdit, ...]
    rule_id: str
    # Why this fix looks the way it does: the template chosen and why, or the precise fixer.
    explanation: str = ""
    # A precise fix too expensive to compute eagerly carries its recipe instead of edits.
    lazy: bool = False

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(f.path for f in self.files)
