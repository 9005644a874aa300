"""One printed JavaScript error: header, message lines, stack, Node's property block and causes.

Node prints an uncaught error as its ``stack`` (``Type: message`` then ``at`` lines, innermost
first) and, when the error has own properties, a ``{ ... }`` block glued to the last frame
line.  Inside it ``[cause]: Type: message`` starts the cause with its own (more indented)
stack and block, and ``[errors]: [ ... ]`` lists an AggregateError's members.  Libraries that
predate ``cause`` print ``Caused by: Type: message`` after the stack instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from homeostasis.languages.javascript import lines as L
from homeostasis.languages.javascript.frames import firefox_frame, located, v8_frame
from homeostasis.model import Frame

# Bounds that keep odd input linear: message lines one error may absorb, lines a property
# block may span, and how deep causes nest.
MAX_MESSAGE_LINES = 200
MAX_BLOCK_LINES = 20000
MAX_DEPTH = 12
_CODE_FRAME_RE = re.compile(r"\s*>?\s*\d+ \|(?: |$)|\s*\|\s*\^")
# Errors whose message runs over several lines even when no stack follows.
_MULTILINE_TYPES = frozenset({"TSError"})


@dataclass
class Parsed:
    """An error as printed, frames in printed order (innermost first). Built while reading."""

    header: L.Header
    start: int
    end: int
    message_lines: list[str] = field(default_factory=list)
    frames: list[Frame] = field(default_factory=list)
    code: str | None = None
    causes: list[Parsed] = field(default_factory=list)
    members: list[Parsed] = field(default_factory=list)
    emitted: bool = False  # Node's "Emitted 'error' event ... at:" second stack was printed
    headerless: bool = False  # frames with no error line above them

    @property
    def message(self) -> str:
        return "\n".join([self.header.message, *self.message_lines]).strip()


class BlockReader:
    """Reads errors out of ``lines`` (already cleaned); ``prefix`` is cut from every line
    (``app_1  | `` of docker compose), and a line without it ends the block."""

    def __init__(self, lines: list[str], prefix: str = "") -> None:
        self.lines = lines
        self.prefix = prefix

    def line(self, k: int) -> str | None:
        if k >= len(self.lines):
            return None
        text = self.lines[k]
        if not self.prefix:
            return text
        return text[len(self.prefix) :] if text.startswith(self.prefix) else None

    def read(self, i: int, head: L.Header, depth: int = 0) -> Parsed:
        """The error whose header is on line ``i``."""
        err = Parsed(head, i, i)
        if head.bracket:
            if head.opens_block:
                self._properties(err, i + 1, head.indent, depth)
            return err
        first = self._first_frame(i + 1, head)
        if first is None:
            err.end = self._message_without_stack(err, i + 1)
            return err
        err.message_lines = [
            text
            for text in (self.line(k) or "" for k in range(i + 1, first))
            if not _CODE_FRAME_RE.match(text)
        ]
        opener = self._frames(err, first)
        if opener is not None:
            self._properties(err, opener + 1, head.indent, depth)
        self._caused_by(err, depth)
        return err

    def _first_frame(self, k: int, head: L.Header) -> int | None:
        blanks = 0
        for j in range(k, min(k + MAX_MESSAGE_LINES, len(self.lines))):
            text = self.line(j)
            if text is None:
                return None
            if not text.strip():
                blanks += 1
                if blanks > 2:
                    return None
                continue
            blanks = 0
            if frame_at(text, v8_only=head.in_log_line) is not None:
                return j
            if L.is_footer(text) or L.foreign(text) or L.caused_by(text) is not None or L.not_an_error(text):
                return None
            if L.context_location(text) is not None and L.is_caret(self.line(j + 2) or ""):
                return None
            other = L.header(text, anywhere=False)
            if other is not None and L.indent_of(text) <= head.indent:
                return None
        return None

    def _message_without_stack(self, err: Parsed, k: int) -> int:
        """Message lines of an error printed without a stack; returns the last line read."""
        end = err.start
        following = self.line(k)
        if following is None:
            return end
        if err.header.error_type not in _MULTILINE_TYPES and following.strip() != "Require stack:":
            return end
        for j in range(k, min(k + MAX_MESSAGE_LINES, len(self.lines))):
            text = self.line(j)
            if text is None or not text.strip() or L.is_footer(text) or L.foreign(text):
                break
            err.message_lines.append(text)
            end = j
        err.end = end
        return end

    def _frames(self, err: Parsed, k: int) -> int | None:
        """Reads the stack from line ``k``; returns the line that opens a property block."""
        j = k
        while j < len(self.lines):
            text = self.line(j)
            if text is None:
                break
            frame = frame_at(text)
            if frame is not None:
                if not err.emitted:
                    err.frames.append(frame)
            elif L.is_elided(text):
                pass
            elif (mapped := L.mapped_location(text)) is not None and err.frames and not err.emitted:
                # Node 12-16 with --enable-source-maps: ``-> /src/a.ts:3:5`` under the frame.
                where = located(mapped, err.frames[-1].function)
                if where is not None:
                    err.frames[-1] = where
            elif L.is_emitted(text):
                err.emitted = True
            else:
                break
            err.end = j
            if text.endswith("{") and frame is not None:
                return j
            j += 1
        return None

    def _properties(self, err: Parsed, k: int, base: int, depth: int) -> None:
        """Node's ``{ ... }`` block from line ``k`` to the ``}`` at indentation ``base``."""
        j = k
        limit = min(len(self.lines), k + MAX_BLOCK_LINES)
        while j < limit:
            text = self.line(j)
            if text is None:
                return
            stripped = text.strip()
            indent = L.indent_of(text)
            if stripped.startswith(("}", "]")) and indent <= base:
                err.end = j
                return
            if stripped and indent <= base:
                return  # the block was cut off: what follows is something else
            err.end = j
            if stripped.startswith(("[cause]: ", "cause: ")) and depth < MAX_DEPTH:
                rest = stripped.split(": ", 1)[1]
                head = L.header(" " * indent + rest, anywhere=False)
                if head is not None and _is_error_name(head):
                    cause = self.read(j, head, depth + 1)
                    err.causes.append(cause)
                    err.end = max(err.end, cause.end)
                    j = cause.end + 1
                    continue
            elif stripped == "[errors]: [" and depth < MAX_DEPTH:
                j = self._members(err, j + 1, indent, depth)
                continue
            elif stripped.startswith("code: ") and err.code is None:
                err.code = L.prop_code(stripped)
            j += 1

    def _members(self, err: Parsed, k: int, base: int, depth: int) -> int:
        j = k
        limit = min(len(self.lines), k + MAX_BLOCK_LINES)
        while j < limit:
            text = self.line(j)
            if text is None:
                return j
            if text.strip().startswith("]") and L.indent_of(text) <= base:
                err.end = j
                return j + 1
            head = L.header(text, anywhere=False)
            if head is not None and _is_error_name(head):
                member = self.read(j, head, depth + 1)
                err.members.append(member)
                err.end = max(err.end, member.end)
                j = member.end + 1
                continue
            j += 1
        return j

    def _caused_by(self, err: Parsed, depth: int) -> None:
        """``Caused by: Type: message`` with its stack after the error's own (verror, pino)."""
        current = err
        while depth < MAX_DEPTH:
            text = self.line(current.end + 1)
            rest = L.caused_by(text) if text is not None else None
            head = L.header(rest, anywhere=False) if rest else None
            if head is None or not current.frames:
                return
            cause = self.read(current.end + 1, head, depth + 1)
            if not cause.frames:
                return
            current.causes.append(cause)
            err.end = cause.end
            current = cause
            depth += 1


def frame_at(text: str, *, v8_only: bool = False) -> Frame | None:
    """A frame line of any engine; ``v8_only`` for a header inside a log line, which Firefox
    and Safari never print."""
    stripped = text.lstrip()
    if stripped.startswith("at "):
        return v8_frame(text)
    if not v8_only and ("@" in text or "://" in text):
        return firefox_frame(text)
    return None


def _is_error_name(head: L.Header) -> bool:
    return head.error_type.endswith(("Error", "Exception")) or head.error_type in L.BUILTIN_TYPES
