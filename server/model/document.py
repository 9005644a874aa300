"""A source document as the engine sees it: text plus fast position lookups."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from homeostasis.model.span import Pos, Span


@dataclass(frozen=True)
class Document:
    """Immutable text of one file. ``path`` is workspace-relative or absolute, as given."""

    path: str
    text: str
    language: str
    version: int | None = None
    _starts: list[tuple[int, ...]] = field(init=False, repr=False, compare=False)
    _encoded: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", [])
        object.__setattr__(self, "_encoded", self.text.encode("utf-8", "surrogatepass"))

    @staticmethod
    def with_line_starts(
        path: str, text: str, language: str, version: int | None, starts: Sequence[int]
    ) -> Document:
        """A document whose line offsets the caller already keeps (an editor's open buffer)."""
        document = Document(path, text, language, version)
        document._starts.append(tuple(starts))
        return document

    @property
    def _line_starts(self) -> tuple[int, ...]:
        # Computed on first use: most files of a scan report nothing and never need positions.
        if not self._starts:
            starts = [0]
            find = self.text.find
            i = find("\n")
            while i != -1:
                starts.append(i + 1)
                i = find("\n", i + 1)
            self._starts.append(tuple(starts))
        return self._starts[0]

    @cached_property
    def _ascii(self) -> bool:
        return self._encoded.isascii()

    @property
    def source(self) -> bytes:
        return self._encoded

    @property
    def line_count(self) -> int:
        return len(self._line_starts)

    def line(self, index: int) -> str:
        """Text of line ``index`` without its line ending; '' when out of range."""
        if index < 0 or index >= len(self._line_starts):
            return ""
        start = self._line_starts[index]
        end = self._line_starts[index + 1] if index + 1 < len(self._line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def offset(self, pos: Pos) -> int:
        """String offset of ``pos``, clamped into the document."""
        if pos.line < 0:
            return 0
        if pos.line >= len(self._line_starts):
            return len(self.text)
        return min(self._line_starts[pos.line] + max(pos.col, 0), self._line_end(pos.line))

    def pos_at(self, offset: int) -> Pos:
        offset = min(max(offset, 0), len(self.text))
        line = bisect_right(self._line_starts, offset) - 1
        return Pos(line, offset - self._line_starts[line])

    def text_of(self, span: Span) -> str:
        return self.text[self.offset(span.start) : self.offset(span.end)]

    def point_to_pos(self, row: int, byte_col: int) -> Pos:
        """Convert a tree-sitter point (row, UTF-8 byte column) to a code-point position."""
        if self._ascii:
            # Bytes are characters: no need for the line (nor to find every line start).
            return Pos(row, byte_col)
        line = self.line(row)
        if line.isascii():
            return Pos(row, byte_col)
        return Pos(row, len(line.encode("utf-8", "surrogatepass")[:byte_col].decode("utf-8", "ignore")))

    def line_span(self, index: int) -> Span:
        """The line without its leading indentation and trailing whitespace."""
        text = self.line(index)
        stripped = text.lstrip()
        start = len(text) - len(stripped)
        return Span(Pos(index, start), Pos(index, start + len(stripped.rstrip())))

    def eol(self) -> str:
        """The document's dominant line ending."""
        crlf = self.text.count("\r\n")
        return "\r\n" if crlf and crlf * 2 >= self.text.count("\n") else "\n"

    def _line_end(self, line: int) -> int:
        if line + 1 < len(self._line_starts):
            end = self._line_starts[line + 1] - 1
            if end > 0 and self.text[end - 1] == "\r":
                end -= 1
            return end
        return len(self.text)
