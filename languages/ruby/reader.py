"""Ruby error output to ``ErrorEvent``s.

Formats: the interpreter's own report (``file:N:in `m': msg (Class)`` then ``from`` lines,
Ruby 3.4's ``'Klass#m'`` quoting, error_highlight snippets, did_you_mean, and the causes
Ruby 3.1+ prints after it), Ruby 2.5-2.7's reversed ``Traceback`` with ``N: from`` lines,
``Type: message`` + frames (rake, ``rails aborted!``, minitest errors), Rails request logs
(``Type (message):``), ``Caused by`` chains (rake, Airbrake, Sentry), and RSpec/minitest
failures (see ``reader_tests``). Frames are stored outermost first, as everywhere.
"""

from __future__ import annotations

import re
from dataclasses import replace

from homeostasis.languages.ruby import lines as L
from homeostasis.languages.ruby.block import Block
from homeostasis.languages.ruby.reader_tests import read_minitest_failure, read_rspec_failure
from homeostasis.model import ErrorEvent, Frame, Origin

# How far a header may be from its frames, its class, or the end of its message.
_LOOKAHEAD = 40
_MAX_MESSAGE_LINES = 200


def read_errors(text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
    """Every Ruby error in ``text``; never raises, [] when there is none."""
    try:
        blocks = _Reader(text).run()
    except Exception:  # a reader must never take the editor down; say nothing instead
        return []
    return [block.event(origin) for block in blocks]


class _Reader:
    def __init__(self, text: str) -> None:
        self.lines = [L.clean(line) for line in text.split("\n")]
        self.n = len(self.lines)
        self.blocks: list[Block] = []
        self.orphans: list[Frame] = []  # frames printed without a header, innermost first
        self.orphans_end = -10

    def run(self) -> list[Block]:
        i = 0
        while i < self.n:
            nxt = self._at(i)
            i = nxt if nxt is not None and nxt > i else i + 1
        return self.blocks

    # Dispatch -------------------------------------------------------------------------

    def _at(self, i: int) -> int | None:
        line = self.lines[i]
        if not line.strip():
            return None
        if "Traceback" in line and L.REVERSED_START_RE.match(line):
            return self._reversed(i)
        if ":in " in line and L.HEADER_RE.match(line) is not None:
            return self._native(i)
        if "Failure/Error:" in line or "Failure:" in line:
            block = read_rspec_failure(self.lines, i) or read_minitest_failure(self.lines, i)
            if block is not None:
                self.blocks.append(block)
                return block.end + 1
        if "Caused by" in line and (caused := L.CAUSED_BY_RE.match(line)) is not None:
            return self._caused_by(i, caused["rest"])
        if "(" in line and (rails := L.RAILS_HEADER_RE.match(line)) is not None:
            return self._rails(i, rails)
        if L.ABORTED_RE.match(line):
            return self._aborted(i)
        typed = L.TYPE_COLON_RE.match(line) if ": " in line else None
        if typed is not None and L.exception_like(typed["type"]):
            block = self._typed(i, typed["type"], typed["msg"])
            if block is not None:
                self.blocks.append(block)
                return block.end + 1
            return None
        parsed = L.parse_frame(line)
        if parsed is not None:
            if self.orphans_end != i - 1:
                self.orphans = []
            self.orphans.append(parsed.frame)
            self.orphans_end = i
        return None

    # The interpreter's report ---------------------------------------------------------

    def _native(self, i: int) -> int | None:
        block = self._native_block(i)
        if block is None:
            return None
        self.blocks.append(block)
        j = block.end + 1
        # Ruby 3.1+ prints each cause right after, in the same shape.
        while j < self.n and len(block.causes) < 50:
            match = L.HEADER_RE.match(self.lines[j]) if ":in " in self.lines[j] else None
            if match is None:
                break
            cause = self._native_block(j)
            if cause is None:
                break
            block.causes.append(cause)
            j = cause.end + 1
        return j

    def _native_block(self, i: int) -> Block | None:
        match = L.HEADER_RE.match(self.lines[i])
        if match is None:
            return None
        frame = L.header_frame(match)
        block, j = self._message(i, match["rest"], frame)
        frames, j = self._frames(j, block.frames)
        block.frames = frames
        block.end = max(block.end, j - 1)
        return block

    def _message(self, i: int, rest: str, frame: Frame) -> tuple[Block, int]:
        """The class, message, error_highlight and did_you_mean lines after a header."""
        notes: list[str] = []
        parts: list[str] = []
        j = i + 1
        tail_allowed = True
        at_end = L.CLASS_AT_END_RE.match(rest)
        if at_end is not None:
            error_type, parts = at_end["type"], [at_end["msg"]]
        else:
            found = self._class_below(i)
            if found is not None:
                k, error_type, last = found
                parts = [rest, *self.lines[i + 1 : k], last]
                j = k + 1
                tail_allowed = False
            else:
                error_type = L.infer_type(rest) or "RuntimeError"
                parts = [rest]
                notes.append("the class was not printed; inferred from the message")
                tail_allowed = False
        pending: list[str] = []
        while j < self.n and j - i < _MAX_MESSAGE_LINES:
            line = self.lines[j]
            if not line.strip():
                if L.highlight_at(self.lines, j):
                    frame = L.with_snippet(frame, self.lines[j + 1], self.lines[j + 2])
                    parts.extend(pending)
                    pending = []
                    j += 3
                    continue
                break
            if L.DID_YOU_MEAN_RE.match(line):
                parts.extend(pending)
                pending = []
                parts.append(line.rstrip())
                j += 1
                # The other candidates are aligned under the first, on lines of their own.
                while j < self.n and _is_candidate_line(self.lines[j]):
                    parts.append(self.lines[j].rstrip())
                    j += 1
                continue
            if L.parse_frame(line) is not None or (":in " in line and L.HEADER_RE.match(line)):
                break
            if not tail_allowed:
                break
            pending.append(line.rstrip())
            j += 1
        # Lines after the header belong to the message only when the report visibly goes on
        # (frames follow) or stops there; in a log they may be someone else's output.
        if pending and (j >= self.n or not self.lines[j].strip() or L.parse_frame(self.lines[j])):
            parts.extend(pending)
        else:
            j -= len(pending)
        message = "\n".join(parts).strip("\n")
        return Block(error_type, message, [frame], i, j - 1, notes), j

    def _class_below(self, i: int) -> tuple[int, str, str] | None:
        """Older Rubies print `(Class)` after the last line of a multi-line message."""
        for k in range(i + 1, min(self.n, i + _LOOKAHEAD)):
            line = self.lines[k]
            if not line.strip() or L.parse_frame(line) is not None:
                return None
            match = L.CLASS_AT_END_RE.match(line)
            if match is not None:
                return k, match["type"], match["msg"]
        return None

    def _frames(self, j: int, frames: list[Frame]) -> tuple[list[Frame], int]:
        """The frame lines from ``j`` on (``from`` lines, bare lines, elisions)."""
        while j < self.n:
            line = self.lines[j]
            parsed = L.parse_frame(line)
            if parsed is not None:
                frames.append(parsed.frame)
            elif not L.ELIDED_RE.match(line):
                break
            j += 1
        return frames, j

    # Ruby 2.5-2.7: `Traceback (most recent call last):`, `N: from` lines, report last --------

    def _reversed(self, i: int) -> int | None:
        j = i + 1
        if j >= self.n or not L.REVERSED_FRAME_RE.match(self.lines[j]):
            return None  # a Python traceback: not ours
        outer: list[Frame] = []
        while j < self.n:
            parsed = L.parse_frame(self.lines[j])
            if parsed is not None and L.REVERSED_FRAME_RE.match(self.lines[j]):
                outer.append(parsed.frame)
            elif not L.ELIDED_RE.match(self.lines[j]):
                break
            j += 1
        header = L.HEADER_RE.match(self.lines[j]) if j < self.n else None
        if header is None:
            return j  # truncated: the frames alone say nothing about the error
        block, end = self._message(j, header["rest"], L.header_frame(header))
        block.frames = [*block.frames, *reversed(outer)]
        block.start = i
        self.blocks.append(block)
        return end

    # `Type: message` then frames (rake, rails aborted!, minitest errors) ------------------

    def _typed(self, i: int, error_type: str, first: str) -> Block | None:
        parts = [first]
        j = i + 1
        limit = min(self.n, i + _LOOKAHEAD)
        snippet: tuple[str, str] | None = None
        while j < limit:
            line = self.lines[j]
            parsed = L.parse_frame(line)
            if parsed is not None and (parsed.frame.function is not None or parsed.prefixed):
                frames, end = self._frames(j, [])
                if snippet is not None:
                    frames[0] = L.with_snippet(frames[0], *snippet)
                return Block(error_type, "\n".join(parts).strip(), frames, i, end - 1)
            if L.highlight_at(self.lines, j):
                snippet = (self.lines[j + 1], self.lines[j + 2])
                j += 3
                if j < self.n and not self.lines[j].strip():
                    j += 1  # minitest leaves a blank line after the snippet
                continue
            if not line.strip() or (":in " in line and L.HEADER_RE.match(line)):
                return None
            parts.append(line.rstrip())
            j += 1
        return None

    def _aborted(self, i: int) -> int | None:
        # Rake prints a RuntimeError's message without its class.
        j = i + 1
        if j >= self.n:
            return None
        typed = L.TYPE_COLON_RE.match(self.lines[j])
        if typed is not None:
            block = self._typed(j, typed["type"], typed["msg"])
        else:
            block = self._typed(j, "RuntimeError", self.lines[j].strip())
        if block is None:
            return None
        block.start = i
        self.blocks.append(block)
        j = block.end + 1
        # rake: `Caused by:` then `Type: message` and frames, once per cause.
        while j + 1 < self.n and self.lines[j].strip() == "Caused by:":
            typed = L.TYPE_COLON_RE.match(self.lines[j + 1])
            cause = self._typed(j + 1, typed["type"], typed["msg"]) if typed else None
            if cause is None:
                break
            block.causes.append(cause)
            j = cause.end + 1
        return j

    # Rails request logs -------------------------------------------------------------------

    def _rails(self, i: int, match: re.Match[str]) -> int | None:
        error_type = match["type"]
        parts = [match["msg"]]
        j = i + 1
        if match["end"] is None:
            # A multi-line message: the `):` closes it on a later line.
            while j < min(self.n, i + _LOOKAHEAD):
                line = self.lines[j].rstrip()
                if line.endswith("):"):
                    parts.append(line[:-2])
                    break
                if L.parse_frame(line) is not None:
                    return None
                parts.append(line)
                j += 1
            else:
                return None
            j += 1
        # Blank lines and the template excerpt (`    1: <h1><%= @user.name %></h1>`).
        start_frames = j
        while j < min(self.n, start_frames + _LOOKAHEAD):
            line = self.lines[j]
            if line.strip() and L.parse_frame(line) is not None:
                break
            if line.strip() and not line[:1].isspace():
                break
            j += 1
        frames, end = self._frames(j, [])
        plausible = "::" in error_type or error_type.endswith(("Error", "Exception", "NotFound", "Invalid"))
        if not frames and not plausible:
            return None
        block = Block(error_type, "\n".join(parts).strip(), frames, i, (end - 1) if frames else j - 1)
        if match["cause"] and self.blocks and self.blocks[-1].end >= i - 3:
            self.blocks[-1].causes.append(block)
        else:
            self.blocks.append(block)
        return max(block.end + 1, i + 1)

    # `Caused by` (Airbrake, Sentry, RSpec) ------------------------------------------------

    def _caused_by(self, i: int, rest: str) -> int | None:
        j = i + 1
        typed = L.TYPE_COLON_RE.match(rest) if rest else None
        rails = L.RAILS_HEADER_RE.match(rest) if rest and typed is None else None
        if typed is not None:
            error_type, message = typed["type"], typed["msg"]
        elif rails is not None and rails["end"]:
            error_type, message = rails["type"], rails["msg"]
        elif not rest and j < self.n and (typed := L.TYPE_COLON_RE.match(self.lines[j])) is not None:
            error_type, message = typed["type"], typed["msg"]
            j += 1
        else:
            return None
        frames, end = self._frames(j, [])
        cause = Block(error_type, message.strip(), frames, i, end - 1 if frames else j - 1)
        previous = self.blocks[-1] if self.blocks else None
        near = previous is not None and previous.end >= i - 3 and previous.end > self.orphans_end
        if previous is not None and near:
            previous.causes.append(cause)
        elif self.orphans and self.orphans_end >= i - 3:
            # Airbrake prints the backtrace, then only the cause's class and message.
            start = max(0, self.orphans_end - len(self.orphans) + 1)
            note = "the wrapping exception's class is not printed; the cause is reported"
            self.blocks.append(replace(cause, frames=list(self.orphans), start=start, notes=[note]))
            self.orphans = []
        elif frames:
            self.blocks.append(cause)
        else:
            return None
        return cause.end + 1


def _is_candidate_line(line: str) -> bool:
    """did_you_mean's further candidates: an indented single word (`               upcase!`)."""
    stripped = line.strip()
    return bool(stripped) and line[:1] == " " and " " not in stripped and len(line) - len(stripped) >= 8
