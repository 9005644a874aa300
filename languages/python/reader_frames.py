"""Stack frames of a Python traceback: standard, SyntaxError and IPython renderings.

Frame lines cut by a narrow console are joined back here; the width seen doing so is kept
in ``wrap_width`` so that the traceback reader can join the exception line the same way.
"""

from __future__ import annotations

from homeostasis.languages.python.reader_text import (
    MAX_STRUCT_LEN,
    Doc,
    FrameHead,
    caret_span,
    exception_shape,
    indent_of,
    ipython7_frame_head,
    ipython_frame_head,
    ipython_numbered,
    is_blank,
    is_ipython_elision,
    is_terminator,
    note_line,
    separator,
    skip_blanks,
    std_frame_head,
    tb_header,
)
from homeostasis.model import Frame


class FrameReader:
    """Reads frames forward from a line; every method returns the first unread line."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.lines = doc.lines
        # Width at which the console hard-wrapped lines, once a wrapped frame line shows it.
        self.wrap_width: int | None = None

    def frames(self, i: int, end: int, floor: int) -> tuple[list[Frame], list[str], int, int | None]:
        """Frames from ``i``; returns them, notes, the next line and their least indentation."""
        lines = self.lines
        frames: list[Frame] = []
        notes: list[str] = []
        least: int | None = None
        blanks = 0
        j = i
        while j < end and (j == i or j not in self.doc.breaks):
            line = lines[j]
            if is_blank(line):
                blanks += 1
                if blanks > 2:
                    break
                j += 1
                continue
            head, used = self.frame_head(j, end)
            if head is not None:
                frame, j = self.frame_body(head, j + used, end)
                frames.append(frame)
                least = head.indent if least is None else min(least, head.indent)
                blanks = 0
                continue
            note = note_line(line, _where(frames[-1]) if frames else None)
            if note is not None:
                notes.append(note)
                j += 1
                blanks = 0
                continue
            ind = indent_of(line)
            if floor >= 0 and ind > floor + 1 and (least is None or ind > least):
                # A source line whose frame line was elided ("..." pastes): skip it.
                j += 1
                blanks = 0
                continue
            break
        # Hand back the first unread line, not trailing blank lines we only peeked at.
        while j > i and blanks > 0 and is_blank(lines[j - 1]):
            j -= 1
            blanks -= 1
        return frames, notes, j, least

    def frame_head(self, j: int, end: int) -> tuple[FrameHead | None, int]:
        line = self.lines[j]
        head = std_frame_head(line)
        used = 1
        if head is None and 'File "' in line and len(line) <= MAX_STRUCT_LEN:
            # A console narrower than the path wrapped the frame line: join it back.
            joined = line
            for extra in (1, 2):
                if j + extra >= end or is_blank(self.lines[j + extra]):
                    break
                joined += self.lines[j + extra]
                head = std_frame_head(joined)
                if head is not None:
                    self.wrap_width = len(line)
                    used = 1 + extra
                    break
        if head is not None:
            # The cut may also fall after the line number or inside the function name.
            text = "".join(self.lines[j : j + used])
            while used < 4 and self._wrapped_tail(j + used, end, head.indent):
                longer = std_frame_head(text + self.lines[j + used])
                if longer is None:
                    break
                self.wrap_width = self.wrap_width or len(self.lines[j])
                text += self.lines[j + used]
                head = longer
                used += 1
            return head, used
        head = ipython_frame_head(line)
        if head is not None:
            return head, 1
        head = ipython7_frame_head(line)
        if head is not None and j + 1 < end and ipython_numbered(self.lines[j + 1]) is not None:
            return head, 1
        return None, 0

    def _wrapped_tail(self, k: int, end: int, frame_indent: int) -> bool:
        """Whether line ``k`` is the end of a frame line (``odule>``) a console wrapped."""
        if k >= end or frame_indent == 0:
            return False
        before = self.lines[k - 1]
        # A frame line ending in ", in " lost its function name to the cut, whatever the width.
        if len(before) < (self.wrap_width or 60) - 3 and not before.endswith((", in", ", in ")):
            return False
        tail = self.lines[k]
        if is_blank(tail) or tail[:1].isspace() or is_terminator(tail) or caret_span(tail) is not None:
            return False
        shape = exception_shape(tail, strict=False)
        if shape is None:
            return True
        # ``mai`` + ``n``: a bare name could also be the exception; the wrapped tail of a
        # frame line is followed by that frame's source line or by the next frame.
        if shape[1] or ":" in tail or k + 1 >= end:
            return False
        after = self.lines[k + 1]
        return indent_of(after) > 0 and not is_blank(after)

    def frame_body(self, head: FrameHead, j: int, end: int) -> tuple[Frame, int]:
        if head.ipython:
            return self._ipython_body(head, j, end)
        lines = self.lines
        source: str | None = None
        column: int | None = None
        end_column: int | None = None
        k = skip_blanks(self.doc, j, end, 2)
        if k < end and self._is_source(lines[k], head.indent):
            src_indent = indent_of(lines[k])
            text, used = self._source_unwrapped(k, end, head.indent)
            source = text.strip() or None
            j = k + used
            span = caret_span(lines[j]) if j < end else None
            if span is not None:
                # Markers line up with the printed (dedented) source line: keep the columns
                # relative to the stripped source text.
                column = max(0, span[0] - src_indent)
                end_column = max(column, span[1] - src_indent)
                j += 1
                while j < end and caret_span(lines[j]) is not None:
                    j += 1  # the rest of a marker line a narrow console wrapped
            # Python 3.13 prints every line of a multi-line statement, each with markers.
            while j < end and self._is_source(lines[j], head.indent, allow_caret=True):
                j += 1
        frame = Frame(head.file, head.line, head.function, source, column, end_column)
        return frame, j

    def _source_unwrapped(self, k: int, end: int, frame_indent: int) -> tuple[str, int]:
        """A source line joined with what a narrow console wrapped onto the next lines."""
        text = self.lines[k]
        used = 1
        width = self.wrap_width
        while width is not None and used < 4 and k + used < end:
            nxt = self.lines[k + used]
            if len(self.lines[k + used - 1]) < width - 3 or is_blank(nxt) or indent_of(nxt) > frame_indent:
                break
            if std_frame_head(nxt) is not None or caret_span(nxt) is not None or is_terminator(nxt):
                break
            shape = exception_shape(nxt, strict=False)
            if shape is not None and (shape[1] or ":" in nxt):
                break
            text += nxt
            used += 1
        return text, used

    def _is_source(self, line: str, frame_indent: int, *, allow_caret: bool = False) -> bool:
        if is_blank(line) or indent_of(line) <= frame_indent or len(line) > MAX_STRUCT_LEN:
            return False
        if std_frame_head(line) is not None or note_line(line, None) is not None:
            return False
        if tb_header(line) or separator(line):
            return False
        return allow_caret or caret_span(line) is None

    def _ipython_body(self, head: FrameHead, j: int, end: int) -> tuple[Frame, int]:
        number = head.line
        source: str | None = None
        while j < end:
            line = self.lines[j]
            numbered = ipython_numbered(line)
            if numbered is not None:
                is_arrow, n, code = numbered
                if is_arrow:
                    source = code or None
                    if number is None:
                        number = n
            elif not is_ipython_elision(line):
                break
            j += 1
        return Frame(head.file, number, head.function, source), j


def _where(frame: Frame) -> str:
    where = f"{frame.file}:{frame.line}"
    return f"{where} in {frame.function}" if frame.function else where
