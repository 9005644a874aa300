"""PHP error output to ``ErrorEvent``s.

Formats: the engine's reports (``PHP Fatal error:  Uncaught X: msg in F:N``, ``Stack trace:``
with ``#N`` lines, ``thrown in``, ``Next X:`` blocks of previous exceptions, PHP 5's
``Uncaught exception 'X' with message '...'``, warnings/notices/deprecations ``in F on line N``,
TypeError's ``called in ... and defined in``), as logged (``PHP message:``, error_log
timestamps, nginx), rendered as HTML (tags, one-line traces), wrapped by a terminal, with
Xdebug's ``PHP Stack trace:``; Laravel and Symfony (Monolog) logs are in ``reader_logs``.
"""

from __future__ import annotations

import re

from homeostasis.languages.php import lines as L
from homeostasis.languages.php.block import Block, Entry
from homeostasis.languages.php.reader_logs import read_log_entry
from homeostasis.model import ErrorEvent, Origin

_LOOKAHEAD = 20
_MAX_TRACE = 5000
_CALLED_IN_RE = re.compile(
    r", called in (?P<file>.+?) on line (?P<line>\d+)(?P<defined> and defined)?$", re.S
)
_PASSED_IN_RE = re.compile(
    r"(?P<count>\d+) passed in (?P<file>.+?) on line (?P<line>\d+)"
    r" and (?:exactly|at least|at most) \d+ expected$"
)
# The function a TypeError/ArgumentCountError is about: PHP 8 `f(): Argument #1`, PHP 7
# `Argument 1 passed to f()`, `Too few arguments to function f()`.
_FUNCTION_RE = re.compile(
    r"^(?:(?P<new>[\w\\:>-]+)\(\): Argument #|Argument \d+ passed to (?P<old>[\w\\:>-]+)\(\)"
    r"|Too (?:few|many) arguments to function (?P<count>[\w\\:>-]+)\(\))"
)
_EXCEPTIONAL = ("Fatal error", "Recoverable fatal error", "Catchable fatal error")


def read_errors(text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
    """Every PHP error in ``text``; never raises, [] when there is none."""
    try:
        lines, where = L.expand(text.split("\n"))
        blocks = _Reader(lines).run()
    except Exception:  # a reader must never take the editor down; say nothing instead
        return []
    events: list[ErrorEvent] = []
    last: tuple[object, ...] | None = None
    for block in blocks:
        block.start, block.end = where[block.start], where[min(block.end, len(where) - 1)]
        for previous in block.previous:
            previous.start, previous.end = where[previous.start], where[min(previous.end, len(where) - 1)]
        event = block.event(origin)
        key = (event.error_type, event.message, event.frames, event.chain)
        if key == last:
            continue  # display_errors and log_errors both print it: one error, not two
        last = key
        events.append(event)
    return events


class _Reader:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.n = len(lines)
        self.blocks: list[Block] = []

    def run(self) -> list[Block]:
        i = 0
        while i < self.n:
            nxt = self._at(i)
            i = nxt if nxt is not None and nxt > i else i + 1
        return self.blocks

    def _at(self, i: int) -> int | None:
        line = self.lines[i]
        if line.startswith("["):
            found = read_log_entry(self.lines, i)
            if found is not None:
                block, end = found
                self.blocks.append(block)
                return end + 1
            return None
        if ":" not in line:
            return None
        header = L.HEADER_RE.match(line)
        if header is not None:
            severity, rest = header["sev"], header["rest"]
        else:
            glued = L.GLUED_HEADER_RE.search(line) if " in " in line or "PHP " in line else None
            if glued is None:
                return None
            severity, rest = glued["sev"] or glued["sev2"], glued["rest"] or glued["rest2"]
        first = self._header(i, severity, rest)
        if first is None:
            return None
        block = first
        j = self._after(block)
        # Previous exceptions come first; each `Next X:` block wraps the one before it.
        while j < self.n:
            k = j
            while k < self.n and k < j + 2 and not self.lines[k].strip():
                k += 1
            nxt = L.NEXT_RE.match(self.lines[k]) if k < self.n else None
            if nxt is None:
                break
            wrapper = self._exception(k, nxt["rest"], "Fatal error")
            if wrapper is None:
                break
            previous = block.previous
            block.previous = []
            wrapper.previous = [*previous, block]
            block = wrapper
            j = self._after(block)
        self.blocks.append(block)
        return j

    # The header and its message -------------------------------------------------------

    def _header(self, i: int, severity: str, rest: str) -> Block | None:
        if severity in _EXCEPTIONAL and (rest.startswith("Uncaught ") or rest.startswith("exception '")):
            return self._exception(i, rest, severity)
        located, end = self._located(i, rest, " ")
        if located is None:
            return None
        message = located.message
        block = Block(severity, message, located.file, located.line, i, end)
        return block

    def _exception(self, i: int, rest: str, severity: str) -> Block | None:
        if not rest.startswith(("Uncaught ", "exception '")):
            rest = "Uncaught " + rest  # a `Next X: ...` block
        located, end = self._located(i, rest, "\n")
        text = located.message if located is not None else rest
        old = L.UNCAUGHT5_RE.match(text)
        new = L.UNCAUGHT_RE.match(text) if old is None else None
        if old is not None:
            error_type, message = old["type"], old["msg"]
        elif new is not None:
            error_type, message = new["type"], (new["msg"] or "").strip()
        else:
            if located is None:
                return None
            error_type, message = severity, text
        block = Block(
            error_type,
            message,
            located.file if located else None,
            located.line if located else None,
            i,
            end if located else i,
        )
        if located is None:
            block.notes.append("the location was not printed (truncated output)")
        _call_site(block)
        return block

    def _located(self, i: int, rest: str, joiner: str) -> tuple[L.Located | None, int]:
        """The message with its `in FILE:LINE` / `in FILE on line N`, which a multi-line message
        or a terminal's wrapping may push onto a later line."""
        text = rest
        located = L.split_location(text)
        j = i
        while located is None and j + 1 < min(self.n, i + _LOOKAHEAD):
            line = self.lines[j + 1]
            if not line.strip() or L.TRACE_START_RE.match(line) or L.HEADER_RE.match(line):
                break
            j += 1
            glue = " " if text.endswith(" in") or line.startswith("in ") else joiner
            text = f"{text}{glue}{line.strip() if glue == ' ' else line}"
            located = L.split_location(text)
        if located is None:
            return None, i
        return located, j

    # Stack trace, `thrown in` ---------------------------------------------------------

    def _after(self, block: Block) -> int:
        j = block.end + 1
        if j < self.n and L.TRACE_START_RE.match(self.lines[j]):
            xdebug = self.lines[j].lstrip().startswith("PHP ")
            j = self._xdebug(block, j + 1) if xdebug else self._trace(block, j + 1)
        if j < self.n and L.THROWN_RE.match(self.lines[j]):
            block.end = j
            j += 1
        return j

    def _trace(self, block: Block, j: int) -> int:
        while j < self.n and len(block.entries) < _MAX_TRACE:
            match = L.TRACE_RE.match(self.lines[j])
            if match is None:
                break
            number = int(match["line"]) if match["line"] else None
            block.entries.append(Entry(match["file"], number, L.function_name(match["call"])))
            block.end = j
            j += 1
            if match["call"].startswith("{main}"):
                break
        return j

    def _xdebug(self, block: Block, j: int) -> int:
        outer_first: list[Entry] = []
        while j < self.n and len(outer_first) < _MAX_TRACE:
            match = L.XDEBUG_RE.match(self.lines[j])
            if match is None:
                break
            outer_first.append(Entry(match["file"], int(match["line"]), L.function_name(match["call"])))
            block.end = j
            j += 1
        block.entries = list(reversed(outer_first))
        return j


def _call_site(block: Block) -> None:
    """TypeError / ArgumentCountError name the caller's line in the message."""
    function = _FUNCTION_RE.match(block.message)
    if function is not None:
        block.function = function["new"] or function["old"] or function["count"]
    called = _CALLED_IN_RE.search(block.message)
    if called is not None:
        if called["defined"]:
            block.message = block.message[: called.start("defined")]
        block.call_site = (called["file"], int(called["line"]))
        return
    passed = _PASSED_IN_RE.search(block.message)
    if passed is not None:
        block.call_site = (passed["file"], int(passed["line"]))
