"""Pure text-edit arithmetic: applying, hashing, diffing and merging fixes.

Nothing here touches the disk; the workspace transaction and the front ends
build on these functions so that "what a fix does to a text" has one answer.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from homeostasis.model import Document, FileEdit, Fix, Span, TextEdit

__all__ = [
    "EditConflict",
    "MergedFixes",
    "apply_edits",
    "file_hash",
    "merge_fixes",
    "unified_diff",
]

_NO_NEWLINE = "\\ No newline at end of file\n"


class EditConflict(ValueError):
    """Two edits of one batch touch the same text, so no order of applying them is right."""

    def __init__(self, first: TextEdit, second: TextEdit) -> None:
        self.first = first
        self.second = second
        super().__init__(
            f"overlapping edits: {first.span} (-> {first.new_text!r:.40}) "
            f"and {second.span} (-> {second.new_text!r:.40})"
        )


class MergedFixes(NamedTuple):
    # A NamedTuple rather than a dataclass so callers can unpack ``files, dropped``.
    files: tuple[FileEdit, ...]
    dropped: tuple[Fix, ...]


def file_hash(text: str) -> str:
    """sha256 of the UTF-8 text; ``FileEdit.base_hash`` holds this."""
    # surrogatepass mirrors Document.source, so a lone surrogate hashes instead of raising.
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _resolve(document: Document, edits: Sequence[TextEdit]) -> list[tuple[int, int, int, TextEdit]]:
    """Offsets of every edit, in application order; the index keeps equal positions stable."""
    resolved = []
    for index, edit in enumerate(edits):
        start = document.offset(edit.span.start)
        end = document.offset(edit.span.end)
        if end < start:
            raise ValueError(f"edit range ends before it starts: {edit.span}")
        resolved.append((start, end, index, edit))
    resolved.sort(key=lambda item: (item[0], item[1], item[2]))
    # Sorted by start, any overlap shows up between neighbours. Ranges sharing only a
    # boundary are fine, and so are several insertions at one point (they keep their
    # given order, as LSP specifies).
    for before, after in itertools.pairwise(resolved):
        if after[0] < before[1]:
            raise EditConflict(before[3], after[3])
    return resolved


def apply_edits(text: str, edits: Sequence[TextEdit]) -> str:
    """The text after all ``edits``, every position taken relative to the original ``text``.

    Raises :class:`EditConflict` when two edits overlap.
    """
    if not edits:
        return text
    document = Document("", text, "")
    pieces: list[str] = []
    cursor = 0
    for start, end, _, edit in _resolve(document, edits):
        pieces.append(text[cursor:start])
        pieces.append(edit.new_text)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def unified_diff(path: str, old: str, new: str) -> str:
    """A unified diff with git's ``a/`` and ``b/`` headers that ``git apply`` accepts; '' if equal."""
    if old == new:
        return ""
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    out: list[str] = []
    for line in lines:
        if line.endswith("\n"):
            out.append(line)
        else:
            # difflib leaves a missing final newline unmarked, which patch tools misread.
            out.append(line + "\n" + _NO_NEWLINE)
    return f"diff --git a/{path} b/{path}\n" + "".join(out)


def _spans_conflict(a: Span, b: Span) -> bool:
    if a.overlaps(b):
        return True
    # Two fixes inserting at one point have no agreed order: treat as a conflict.
    return a.start == a.end == b.start == b.end


class _PathEdits:
    """The edits accepted so far for one path, and the text version they target."""

    __slots__ = ("base_hash", "edits")

    def __init__(self, base_hash: str) -> None:
        self.base_hash = base_hash
        self.edits: list[TextEdit] = []


def _fix_edits(fix: Fix) -> dict[str, tuple[str, list[TextEdit]]] | None:
    """The fix's edits grouped per path, or None when the fix contradicts itself."""
    grouped: dict[str, tuple[str, list[TextEdit]]] = {}
    for file_edit in fix.files:
        base, edits = grouped.get(file_edit.path, (file_edit.base_hash, []))
        if base and file_edit.base_hash and base != file_edit.base_hash:
            return None
        grouped[file_edit.path] = (base or file_edit.base_hash, [*edits, *file_edit.edits])
    for _, edits in grouped.values():
        for i, a in enumerate(edits):
            if any(a.span.overlaps(b.span) for b in edits[i + 1 :]):
                return None
    return grouped


def merge_fixes(fixes: Iterable[Fix]) -> MergedFixes:
    """Combine fixes into one FileEdit per path, first come first served.

    A fix that overlaps an already accepted fix, or that was computed against
    a different version of a file, is dropped whole (never half-applied). An
    edit identical to one already accepted is shared rather than a conflict,
    so two fixes adding the same import both survive.
    """
    accepted: dict[str, _PathEdits] = {}
    dropped: list[Fix] = []
    for fix in fixes:
        grouped = _fix_edits(fix)
        if grouped is None or not _fits(grouped, accepted):
            dropped.append(fix)
            continue
        for path, (base, edits) in grouped.items():
            slot = accepted.setdefault(path, _PathEdits(base))
            slot.base_hash = slot.base_hash or base
            slot.edits.extend(e for e in edits if e not in slot.edits)
    files = tuple(
        FileEdit(path, tuple(sorted(slot.edits, key=lambda e: (e.span.start, e.span.end))), slot.base_hash)
        for path, slot in accepted.items()
    )
    return MergedFixes(files, tuple(dropped))


def _fits(grouped: dict[str, tuple[str, list[TextEdit]]], accepted: dict[str, _PathEdits]) -> bool:
    for path, (base, edits) in grouped.items():
        slot = accepted.get(path)
        if slot is None:
            continue
        if base and slot.base_hash and base != slot.base_hash:
            return False
        for edit in edits:
            if edit in slot.edits:
                continue
            if any(_spans_conflict(edit.span, other.span) for other in slot.edits):
                return False
    return True
