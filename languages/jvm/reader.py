"""JVM stack traces (Java, Kotlin, Android, log frameworks) read into ErrorEvents.

Conventions of the events produced here:

* ``frames`` are outermost first: the JVM prints the innermost frame first, so every
  block is reversed.
* ``Frame.file`` is the package-derived source path (``com/acme/app/Main.java``), so
  a path-suffix lookup finds it under any source root.
* ``Caused by:`` blocks go to ``chain``, the last printed (the root cause) first;
  ``Suppressed:`` exceptions of the top-level exception or of its causes follow them.
  Frames a block elides with ``... N more`` are restored from the block it is
  enclosed in, so a root cause keeps the application frames that called it.
* ``language`` is ``kotlin`` when the innermost application frame is a ``.kt`` file
  (or, without application frames, when the type is a Kotlin one), else ``java``.
* ``text_start``/``text_end`` are the first and last (inclusive) 0-based input lines.

Reading is best effort and linear in the input: any text gives a result, never an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from homeostasis.languages.jvm import lines as L
from homeostasis.languages.jvm.paths import language_of
from homeostasis.model import ChainedError, ChainRelation, ErrorEvent, Frame, Origin

# How far a multi-line message may run before its first frame.
_MESSAGE_WINDOW = 20
# How many lines of other logcat tags may interleave with one crash.
_INTERLEAVED = 50
# A line that starts a log record: the end of a message, never part of it.
_LOG_RECORD = re.compile(r"^(?:\d{2,4}[-/.:]\d\d|\[?(?:ERROR|WARN|WARNING|INFO|DEBUG|TRACE|SEVERE)\b)")
_SNIFF = re.compile(
    r"^[ \t]*at [\w$.]+(?:/[\w$./@]*)?\([\w$.-]*(?:\.(?:java|kt|kts|scala|groovy|clj)(?::\d+)?"
    r"|Native Method|Unknown Source(?::\d+)?|SourceFile:\d+)\)"
    r"|Exception in thread \""
    r"|^[ \t]*Caused by:? [\w$]+\.[\w$.]+"
    r"|\b(?:java|javax|jakarta|kotlin|kotlinx|android)\.(?:[\w$]+\.)*[A-Z][\w$]*(?:Exception|Error)\b",
    re.M,
)


# Maven Surefire's summary or a Gradle test failure line: the output of a test run.
_TEST_RUN = re.compile(r"^(?:\[ERROR\] )?Tests run: \d+, Failures: \d+|^\S.* > .*\bFAILED\s*$", re.M)


def sniff(text: str) -> bool:
    """Cheap check: an ``at pkg.Class.m(File.java:1)`` frame, or a JVM exception name."""
    return _SNIFF.search(text) is not None


def read_jvm_errors(text: str, origin: Origin = Origin.PASTE) -> tuple[ErrorEvent, ...]:
    """Every JVM exception in ``text``, Java's and Kotlin's alike, in input order."""
    return _read_cached(text, origin)


# Java and Kotlin plugins both read the same pasted text; reading it once serves both.
@lru_cache(maxsize=2)
def _read_cached(text: str, origin: Origin) -> tuple[ErrorEvent, ...]:
    if not text or not sniff(text):
        return ()
    if origin is Origin.PASTE and _TEST_RUN.search(text):
        origin = Origin.TEST_RUN
    return tuple(read_guarded(text, origin, guard=True))


def read_guarded(text: str, origin: Origin, *, guard: bool) -> list[ErrorEvent]:
    """:func:`read_jvm_errors`; ``guard=False`` lets internal errors surface (for tests)."""
    scan = _Scan([L.clean(raw) for raw in text.split("\n")])
    events: list[ErrorEvent] = []
    i = 0
    while i < len(scan.lines):
        try:
            event, nxt = scan.event_at(i)
        except Exception:
            if not guard:
                raise
            # Odd input must never make reading fail: give up on this line only.
            event, nxt = None, i + 1
        if event is not None:
            events.append(_with_origin(event, origin))
        i = max(nxt, i + 1)
    return events


@dataclass
class _Block:
    """One exception of a printed trace, while it is being read."""

    header: L.Header
    start: int
    end: int
    frames: list[Frame] = field(default_factory=list)  # printed order: innermost first
    more: int = 0
    restored: int = 0


class _Scan:
    def __init__(self, lines: list[L.Line]) -> None:
        self.lines = lines
        self.n = len(lines)

    def text(self, i: int) -> str:
        return self.lines[i].text

    # -- where an event starts ---------------------------------------------------------

    def event_at(self, i: int) -> tuple[ErrorEvent | None, int]:
        text = self.text(i)
        if not text.strip():
            return None, i + 1
        gradle = L.gradle_failure(text)
        if gradle is not None:
            return self._gradle(i, *gradle)
        found = L.header(text)
        if found is None and i + 1 < self.n and self._frame_at(i + 1) is not None:
            found = L.embedded_header(text)
        if found is None:
            return None, i + 1
        first, body = self._message(i, found)
        if body is None and not (found.explicit or L.trusted_alone(found)):
            return None, i + 1
        blocks = [_Block(first, i, body - 1 if body is not None else i)]
        j = self._read_blocks(blocks, body) if body is not None else i + 1
        return self._event(blocks, self._preamble(i)), j

    def _frame_at(self, i: int) -> L.FrameLine | None:
        return L.frame(self.text(i))

    def _message(self, i: int, found: L.Header) -> tuple[L.Header, int | None]:
        """The header with its message continued over the lines before its first frame,
        and the index of that frame (None when no frame, ``... more`` or cause follows)."""
        extra: list[str] = []
        for j in range(i + 1, min(self.n, i + 1 + _MESSAGE_WINDOW)):
            text = self.text(j)
            if self._frame_at(j) is not None or L.is_more(text) is not None or L.wrapped_frame_start(text):
                return _continued(found, extra), j
            nested = L.header(text)
            if nested is not None:
                return (_continued(found, extra), j) if nested.kind is not None else (found, None)
            if L.is_elision(text):
                continue
            if L.is_foreign_frame(text) or _LOG_RECORD.match(text):
                return found, None
            extra.append(text)
        return found, None

    def _preamble(self, i: int) -> tuple[int, list[str]]:
        """Android's ``FATAL EXCEPTION``/``Process:`` lines just above a trace."""
        start, notes = i, []
        for j in range(i - 1, max(-1, i - 4), -1):
            text = self.text(j)
            thread = L.android_crash(text)
            process = L.android_process(text)
            if thread is not None:
                start = j
                notes.append(f"Android crash on thread {thread}")
            elif process is not None:
                start = j
                notes.append(f"Android process {process}")
        return start, notes[::-1]

    # -- the blocks of one event ---------------------------------------------------------

    def _read_blocks(self, blocks: list[_Block], j: int) -> int:
        """Frames, causes and suppressed exceptions from line ``j`` on; the next line to read."""
        block = blocks[0]
        tag = self.lines[blocks[0].start].tag
        foreign = 0
        while j < self.n:
            line = self.lines[j]
            text = line.text
            if tag and line.tag and line.tag != tag:
                # Another logcat tag interleaved with the crash; a long run of them ends it.
                foreign += 1
                if foreign > _INTERLEAVED:
                    break
                j += 1
                continue
            foreign = 0
            found_frame = L.frame(text)
            if found_frame is not None:
                block.frames.append(found_frame.frame)
                block.end = j
                j += 1
                continue
            joined = self._join_wrapped(j)
            if joined is not None:
                block.frames.append(joined)
                block.end = j + 1
                j += 2
                continue
            more = L.is_more(text)
            if more is not None:
                block.more = more
                block.end = j
                j += 1
                continue
            if L.is_elision(text):
                block.end = j
                j += 1
                continue
            gradle = L.gradle_failure(text)
            if gradle is not None and gradle[0].kind is not None:
                block = _Block(gradle[0], j, j, [gradle[1]])
                blocks.append(block)
                j += 1
                continue
            nested = L.header(text)
            if nested is not None and nested.kind is not None:
                nested, body = self._message(j, nested)
                block = _Block(nested, j, j if body is None else body - 1)
                blocks.append(block)
                j = j + 1 if body is None else body
                continue
            if not text.strip() and self._continues_after_blank(j):
                j += 1
                continue
            break
        return blocks[-1].end + 1 if blocks else j

    def _join_wrapped(self, j: int) -> Frame | None:
        if j + 1 >= self.n or not L.wrapped_frame_start(self.text(j)):
            return None
        following = self.text(j + 1)
        if L.frame(following) is not None:
            return None
        joined = L.frame(self.text(j) + following.strip())
        return joined.frame if joined is not None else None

    def _continues_after_blank(self, j: int) -> bool:
        for k in range(j + 1, min(self.n, j + 3)):
            text = self.text(k)
            if not text.strip():
                continue
            nested = L.header(text)
            return (
                L.frame(text) is not None
                or L.is_more(text) is not None
                or (nested is not None and nested.kind is not None)
            )
        return False

    # -- assembling the event ----------------------------------------------------------------

    def _gradle(self, i: int, found: L.Header, frame: Frame) -> tuple[ErrorEvent | None, int]:
        blocks = [_Block(found, i, i, [frame])]
        j = self._read_blocks(blocks, i + 1)
        return self._event(blocks, (i, ["Gradle test summary: only the failing line is printed"])), j

    def _event(self, blocks: list[_Block], preamble: tuple[int, list[str]]) -> ErrorEvent:
        _restore_elided(blocks)
        main = blocks[0]
        causes, suppressed = _relations(blocks)
        chain = [
            ChainedError(b.header.error_type, b.header.message, ChainRelation.CAUSE, _outer_first(b))
            for b in reversed(causes)
        ]
        chain += [
            ChainedError(b.header.error_type, b.header.message, ChainRelation.SUPPRESSED, _outer_first(b))
            for b in suppressed
        ]
        notes = list(preamble[1])
        if main.header.thread is not None:
            notes.append(f'thread "{main.header.thread}"')
        if main.header.kind is not None:
            notes.append(
                f"the output starts at a '{main.header.kind}' block; the exceptions around it are missing"
            )
        restored = sum(b.restored for b in blocks)
        if restored:
            notes.append(f"{restored} frames elided by '... N more' were restored from the enclosing trace")
        frames = _outer_first(main)
        roots = [c.frames for c in chain if c.relation is ChainRelation.CAUSE]
        return ErrorEvent(
            language=language_of([*roots, frames], main.header.error_type),
            error_type=main.header.error_type,
            message=main.header.message,
            frames=frames,
            chain=tuple(chain),
            text_start=preamble[0],
            text_end=max(b.end for b in blocks),
            notes=tuple(notes),
        )


def _continued(found: L.Header, extra: list[str]) -> L.Header:
    while extra and not extra[-1].strip():
        extra.pop()
    if not extra:
        return found
    message = "\n".join([found.message, *extra])
    return L.Header(found.error_type, message, found.kind, found.indent, found.thread, found.explicit)


def _outer_first(block: _Block) -> tuple[Frame, ...]:
    return tuple(reversed(_without_synthetic(block.frames)))


def _without_synthetic(frames: list[Frame]) -> list[Frame]:
    """An enum's compiler-generated ``valueOf`` reports the line of the enum declaration;
    it is not where the bad name came from, so it is kept but not placed in any file."""
    out = list(frames)
    for index in range(1, len(out)):
        inner, frame = out[index - 1], out[index]
        if inner.function == "java.lang.Enum.valueOf" and (frame.function or "").endswith(".valueOf"):
            out[index] = Frame("<synthetic>", None, frame.function)
    return out


def _restore_elided(blocks: list[_Block]) -> None:
    """``... N more``: the last N frames equal the last N of the enclosing block's."""
    for index, block in enumerate(blocks):
        if index == 0 or block.more <= 0:
            continue
        enclosing = _enclosing(blocks, index)
        if enclosing is None:
            continue
        tail = enclosing.frames[-block.more :] if block.more <= len(enclosing.frames) else enclosing.frames
        block.frames.extend(tail)
        block.restored = len(tail)


def _enclosing(blocks: list[_Block], index: int) -> _Block | None:
    block = blocks[index]
    indent = block.header.indent
    for previous in reversed(blocks[:index]):
        if block.header.kind == "Suppressed":
            if previous.header.indent < indent or previous is blocks[0]:
                return previous
        elif previous.header.indent == indent or previous is blocks[0]:
            return previous
    return None


def _relations(blocks: list[_Block]) -> tuple[list[_Block], list[_Block]]:
    """Top-level causes (printed order) and the suppressed exceptions attached to them."""
    causes: list[_Block] = []
    suppressed: list[_Block] = []
    top = blocks[0].header.indent
    open_suppressed: int | None = None
    for index, block in enumerate(blocks[1:], start=1):
        indent = block.header.indent
        if block.header.kind == "Suppressed":
            owner = _enclosing(blocks, index)
            if owner is blocks[0] or owner in causes:
                suppressed.append(block)
            open_suppressed = indent if open_suppressed is None else min(open_suppressed, indent)
            continue
        if open_suppressed is not None and indent >= open_suppressed and indent > top:
            continue  # the cause of a suppressed exception
        open_suppressed = None
        causes.append(block)
    return causes, suppressed


def _with_origin(event: ErrorEvent, origin: Origin) -> ErrorEvent:
    if event.origin is origin:
        return event
    from dataclasses import replace

    return replace(event, origin=origin)
