"""Open documents: their text, kept in step with the client's incremental changes, and
their tree-sitter tree, edited in place so the next parse is incremental.

The server keeps its own store rather than pygls's: applying a change here costs
a slice and a shift of the line-start table, and yields the byte and point
coordinates tree-sitter needs for ``Tree.edit``, which the pygls store cannot
give after the fact.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from homeostasis.lsp.positions import from_client, to_client, utf8_len
from homeostasis.lsp.shifts import Change, Interval
from homeostasis.model import Document, Finding, Pos, Span
from homeostasis.plugins.language import Language

if TYPE_CHECKING:
    import tree_sitter


def _line_starts(text: str) -> list[int]:
    starts = [0]
    find = text.find
    index = find("\n")
    while index != -1:
        starts.append(index + 1)
        index = find("\n", index + 1)
    return starts


@dataclass
class OpenDocument:
    """Mutable on purpose, and touched only from the event loop's thread."""

    uri: str
    path: Path | None  # on disk, when the URI is a file
    rel: str  # the path the engine sees: relative to the folder root
    root: Path  # the workspace folder (or stand-in) the document belongs to
    language_id: str | None  # the engine's language id ("python"), None when no plugin knows it
    version: int
    text: str
    language: Language | None = None  # the plugin instance of the engine checking it
    line_starts: list[int] = field(default_factory=list)
    ascii: bool = True
    tree: tree_sitter.Tree | None = None
    # Pattern analysis, in the coordinates of the current text.
    patterns: list[Finding] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)  # suppression-comment problems
    dirty: list[Interval] = field(default_factory=list)  # must be re-queried before publishing
    verify: list[Interval] = field(default_factory=list)  # the pause-time full pass still to do
    needs_full: bool = True
    analyzed_version: int | None = None
    cross_checked: bool = False  # the last full pass saw this version's findings
    skip_reason: str | None = None
    last_edit_line: int = 0
    _snapshot: Document | None = None

    def __post_init__(self) -> None:
        self._reset_text(self.text)

    # Text ------------------------------------------------------------------------

    def _reset_text(self, text: str) -> None:
        self.text = text
        self.line_starts = _line_starts(text)
        self.ascii = text.isascii()
        self._snapshot = None

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def line(self, index: int) -> str:
        """Line ``index`` without its line ending; '' out of range."""
        if index < 0 or index >= len(self.line_starts):
            return ""
        start = self.line_starts[index]
        end = self.line_starts[index + 1] if index + 1 < len(self.line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def offset(self, pos: Pos) -> int:
        if pos.line < 0:
            return 0
        if pos.line >= len(self.line_starts):
            return len(self.text)
        return self.line_starts[pos.line] + min(max(pos.col, 0), len(self.line(pos.line)))

    def clamp(self, pos: Pos) -> Pos:
        if pos.line >= len(self.line_starts):
            last = len(self.line_starts) - 1
            return Pos(last, len(self.line(last)))
        if pos.line < 0:
            return Pos(0, 0)
        return Pos(pos.line, min(max(pos.col, 0), len(self.line(pos.line))))

    def byte_offset(self, offset: int) -> int:
        return offset if self.ascii else utf8_len(self.text[:offset])

    def byte_col(self, pos: Pos) -> int:
        return pos.col if self.ascii else utf8_len(self.line(pos.line)[: pos.col])

    # Client coordinates ------------------------------------------------------------

    def from_client(self, line: int, character: int, encoding: str) -> Pos:
        """A client position as a code-point position inside the document (clamped)."""
        if line >= len(self.line_starts):
            return self.clamp(Pos(line, 0))
        if line < 0:
            return Pos(0, 0)
        return Pos(line, from_client(self.line(line), character, encoding))

    def to_client(self, pos: Pos, encoding: str) -> tuple[int, int]:
        pos = self.clamp(pos)
        return pos.line, to_client(self.line(pos.line), pos.col, encoding)

    # Changes -----------------------------------------------------------------------

    def replace_all(self, text: str, version: int) -> None:
        self._reset_text(text)
        self.version = version
        self.tree = None
        self.needs_full = True
        self.dirty = []

    def apply_change(self, start: Pos, end: Pos, new_text: str, version: int) -> Change:
        """Replace ``[start, end)`` (already clamped) and edit the tree to match."""
        if end < start:
            start, end = end, start
        text = self.text
        begin, finish = self.offset(start), self.offset(end)
        if self.tree is not None:
            start_byte = self.byte_offset(begin)
            old_end_byte = start_byte + utf8_len(text[begin:finish])
            inserted = utf8_len(new_text)
            start_point = (start.line, self.byte_col(start))
            old_end_point = (end.line, self.byte_col(end))
            newlines = new_text.count("\n")
            if newlines:
                tail = new_text[new_text.rfind("\n") + 1 :]
                new_end_point = (start.line + newlines, utf8_len(tail))
            else:
                new_end_point = (start.line, start_point[1] + inserted)
            self.tree.edit(
                start_byte=start_byte,
                old_end_byte=old_end_byte,
                new_end_byte=start_byte + inserted,
                start_point=start_point,
                old_end_point=old_end_point,
                new_end_point=new_end_point,
            )
        self.text = text[:begin] + new_text + text[finish:]
        delta = len(new_text) - (finish - begin)
        starts = self.line_starts
        inserted_starts = []
        index = new_text.find("\n")
        while index != -1:
            inserted_starts.append(begin + index + 1)
            index = new_text.find("\n", index + 1)
        self.line_starts = [
            *starts[: start.line + 1],
            *inserted_starts,
            *[s + delta for s in starts[end.line + 1 :]],
        ]
        if self.ascii and not new_text.isascii():
            self.ascii = False
        self.version = version
        self._snapshot = None
        self.last_edit_line = start.line
        newlines = len(inserted_starts)
        tail_len = len(new_text) - (new_text.rfind("\n") + 1) if newlines else len(new_text)
        new_end = Pos(start.line + newlines, tail_len if newlines else start.col + len(new_text))
        return Change(start, end, new_end)

    # Engine view -------------------------------------------------------------------

    def parsed(self) -> tree_sitter.Tree | None:
        """The tree of the current text, parsed again if it was dropped to save memory."""
        if self.tree is None and self.language is not None and self.analyzed_version == self.version:
            self.tree = self.language.parse(self.snapshot())
        return self.tree

    def release(self) -> None:
        """Forget the tree and the snapshot (the largest parts); the next edit parses in full."""
        self.tree = None
        self.needs_full = True
        self._snapshot = None

    def snapshot(self) -> Document:
        """The current text as an engine Document (built once per version)."""
        if self._snapshot is None or self._snapshot.version != self.version:
            self._snapshot = Document.with_line_starts(
                self.rel, self.text, self.language_id or "", self.version, self.line_starts
            )
        return self._snapshot

    def span_text(self, span: Span) -> str:
        return self.text[self.offset(span.start) : self.offset(span.end)]


class DocumentStore:
    """Open documents by URI."""

    def __init__(self) -> None:
        self._documents: dict[str, OpenDocument] = {}

    def get(self, uri: str) -> OpenDocument | None:
        return self._documents.get(uri)

    def put(self, document: OpenDocument) -> None:
        self._documents[document.uri] = document

    def remove(self, uri: str) -> OpenDocument | None:
        return self._documents.pop(uri, None)

    def __iter__(self) -> Iterator[OpenDocument]:
        return iter(list(self._documents.values()))

    def __len__(self) -> int:
        return len(self._documents)

    def by_path(self, path: Path) -> OpenDocument | None:
        for document in self._documents.values():
            if document.path is not None and document.path == path:
                return document
        return None
