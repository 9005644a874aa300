"""Open documents: their text, kept in step with the client's incremental changes, and
their tree-sitter tree, edited in place so the next parse is incremental.

The server keeps its own store rather than pygls's: applying a change here costs
a slice and a shift of the line-start table, and yields the byte and point
coordinates tree-sitter needs for ``Tree.edit``, which the pygls store cannot
give after the fact.
"""

from __future__ import annotations

import bisect
import re
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


# A word, a triple quote or any other character: enough to tell a line of one token from a
# line of several, in every grammar.
_TOKEN = re.compile(r"\w+|([\"'`])\1\1|\S")
_WIDEN_LINES = 200  # an edit's reuse bounds are looked for this many lines each way at most


def reuse_bounds(text: str, starts: list[int], begin: int, finish: int, comment: str) -> tuple[int, int]:
    """``[begin, finish)`` of ``text`` widened to what ``Tree.edit`` should be told was replaced.

    Telling tree-sitter a wider range than the one that changed is always correct (the
    text outside it is the same); told only the exact range, it can reparse most of a
    file. After an edit, tree-sitter reuses an old node only if the external scanner's
    state before it is unchanged, and on a mismatch skips the node whole, without looking
    inside. Indentation-aware scanners (Python's) emit zero-width newline, indent and
    dedent tokens at the end of a line's content: an edit at a line's end or start
    invalidates them, the parser reaches the next node (a block, the rest of the module)
    before it has lexed their replacements, the states differ and the node is skipped.
    The same happens at every later boundary after a dedent, so one keystroke at the end
    of ``try:`` reparsed a 20,000-line module almost in full (~55 ms).

    Widened, the range starts inside a line's content, past what the tokens of the line
    break before it looked at, and ends just after a line break: the nodes bordering the
    changed tokens then start inside the range, tree-sitter moves them to its end, where
    the parser never stops, and by the time the parser is past them it has lexed the line
    break itself; it descends into them and reuses what follows. The end goes past comment
    lines (Python's scanner keeps an absolute offset past them in its state) and lines of
    one token (whose end would again be a node's end, before its zero-width tokens).
    """
    count = len(starts)

    def content(index: int) -> str:
        end = starts[index + 1] - 1 if index + 1 < count else len(text)
        return text[starts[index] : end]

    def code(index: int) -> tuple[int, int, str] | None:
        """Line ``index``'s first and end content columns and its content; None for a
        blank or comment line."""
        line = content(index)
        body = line.strip()
        if not body or (comment and body.startswith(comment)):
            return None
        first = len(line) - len(line.lstrip())
        return first, first + len(body), body

    # The start: two characters or more into a code line's content, clear of the line
    # break before it (its tokens looked at the first character).
    first_line = bisect.bisect_right(starts, begin) - 1
    start: int | None = None
    found = code(first_line)
    column = begin - starts[first_line]
    if found is not None and found[1] - found[0] >= 3 and column >= found[0] + 2:
        start = starts[first_line] + min(column, found[1] - 1)
    index = first_line - 1
    while start is None and index >= 0 and first_line - index <= _WIDEN_LINES:
        found = code(index)
        if found is not None and found[1] - found[0] >= 3:
            start = starts[index] + found[1] - 1
        index -= 1
    if start is None:
        start = 0 if index < 0 else begin

    # The end: the start of the line after a code line whose next non-blank line is code
    # of more than one token.
    last_line = bisect.bisect_right(starts, finish) - 1
    limit = last_line + _WIDEN_LINES
    line = last_line
    while line < count and line < limit and code(line) is None:
        line += 1
    while line < count - 1 and line < limit:
        following = line + 1
        while following < count - 1 and not content(following).strip():
            following += 1
        found = code(following)
        token = _TOKEN.match(found[2]) if found is not None else None
        if token is not None and token.end() < len(token.string):
            break
        line = following
        while line < count and line < limit and code(line) is None:
            line += 1
    end = starts[line + 1] if line + 1 < count else len(text)
    return start, max(end, finish)


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
            self._edit_tree(self.tree, start, end, begin, finish, new_text)
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

    def _edit_tree(
        self, tree: tree_sitter.Tree, start: Pos, end: Pos, begin: int, finish: int, new_text: str
    ) -> None:
        """Tell the tree that ``[begin, finish)`` (``start``-``end``) of the current, old text
        becomes ``new_text``, over the wider range of ``reuse_bounds``."""
        text = self.text
        comment = self.language.comment_prefix if self.language is not None else ""
        first, last = reuse_bounds(text, self.line_starts, begin, finish, comment)
        start_byte = self.byte_offset(first)
        old_end_byte = start_byte + utf8_len(text[first:last])
        delta = utf8_len(new_text) - utf8_len(text[begin:finish])
        # Where the change's own end lands; the unchanged text after it moves with it.
        newlines = new_text.count("\n")
        if newlines:
            row, column = start.line + newlines, utf8_len(new_text[new_text.rfind("\n") + 1 :])
        else:
            row, column = start.line, self.byte_col(start) + utf8_len(new_text)
        old_end_point = self._point(last)
        if old_end_point[0] == end.line:
            column += old_end_point[1] - self.byte_col(end)
        else:
            row, column = old_end_point[0] + row - end.line, old_end_point[1]
        tree.edit(
            start_byte=start_byte,
            old_end_byte=old_end_byte,
            new_end_byte=old_end_byte + delta,
            start_point=self._point(first),
            old_end_point=old_end_point,
            new_end_point=(row, column),
        )

    def _point(self, offset: int) -> tuple[int, int]:
        """Tree-sitter's (row, byte column) of a code-point offset of the current text."""
        row = bisect.bisect_right(self.line_starts, offset) - 1
        return row, self.byte_col(Pos(row, offset - self.line_starts[row]))

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
