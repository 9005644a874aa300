"""JavaScript error output (Node, browsers, test runners, logs) read into ErrorEvents.

Conventions of the events produced here:

* ``frames`` are outermost first: the printed stack (innermost first) is reversed.
* ``Frame.line`` is 1-based and ``Frame.column`` 0-based. When the source line was printed
  (``Frame.source``, stripped), the column counts in that stripped text, the engine's
  convention; without a printed source it is the column the JavaScript engine printed,
  which counts from the start of the file's line, indentation included.
* Node's source-context header (``/app/a.js:3`` / source / ``^``) gives the innermost
  frame its ``source``; for a ``SyntaxError`` it is the only location of the user's code,
  so it becomes the innermost frame.
* ``chain`` holds the causes (``[cause]:`` in Node's property block, ``Caused by:``) with
  the deepest first, then an AggregateError's members (``[errors]:``) as group members.
* An error ``code`` (``Error [ERR_X]:`` or ``code: 'ERR_X'``) and how the error surfaced
  (an unhandled rejection, an ``Uncaught`` in a console) go to ``notes``.
* Each event's ``language`` is ``typescript`` when the project frames it points into are
  TypeScript files (ts-node, tsx, source-mapped runs), else ``javascript``.

Reading is best effort and linear in the input: any text gives a list, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass

from homeostasis.languages.javascript import lines as L
from homeostasis.languages.javascript.block import BlockReader, Parsed, frame_at
from homeostasis.languages.javascript.frames import normalize_path
from homeostasis.languages.javascript.paths import is_library, stack_language
from homeostasis.model import ChainedError, ChainRelation, ErrorEvent, Frame, Origin

_REJECTED = "unhandled promise rejection"
# How far below a ``file:line`` location line Node's error header may be.
_CONTEXT_SPAN = 5


@dataclass(frozen=True, slots=True)
class Context:
    """Node's source-context header: where the throw happened, with the source line."""

    file: str
    line: int
    source: str | None
    caret: int | None  # 0-based column of ``^`` in the printed source line
    start: int


def read_events(text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
    """Every JavaScript/TypeScript runtime error found in ``text``, in the order they appear."""
    return read_events_guarded(text, origin, guard=True)


def read_events_guarded(text: str, origin: Origin, *, guard: bool) -> list[ErrorEvent]:
    """:func:`read_events`; ``guard=False`` lets internal errors surface (for fuzz tests)."""
    if not text or not text.strip():
        return []
    lines = L.split_lines(text)
    if _looks_like_test_run(text):
        origin = Origin.TEST_RUN
    scanner = _Scanner(lines)
    events: list[ErrorEvent] = []
    i = 0
    while i < len(lines):
        try:
            found, i = scanner.step(i)
        except Exception:
            if not guard:
                raise
            # Odd input must never make reading fail: give up on this line only.
            found, i = None, i + 1
        if found is not None:
            events.append(_event(found[0], found[1], _footer(lines, found[0].end), origin))
    return events


class _Scanner:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.plain = BlockReader(lines)

    def step(self, i: int) -> tuple[tuple[Parsed, Context | None] | None, int]:
        """What starts on line ``i`` (an error or nothing), and the next line to look at."""
        line = self.lines[i]
        if not line.strip() or len(line) > L.MAX_STRUCT_LEN:
            return None, i + 1
        location = L.context_location(line)
        if location is not None:
            found = self._context(i, location)
            if found is not None:
                context, k = found
                head = L.header(self.lines[k], anywhere=False)
                assert head is not None
                parsed = self.plain.read(k, head)
                return (parsed, context), parsed.end + 1
        head = L.header(line)
        if head is not None:
            parsed = self._reader(i, head).read(i, head)
            if _trusted(parsed):
                return (parsed, None), parsed.end + 1
        elif L.not_an_error(line):
            return None, self._skip_stack(i + 1)
        run = self._headerless(i)
        if run is not None:
            return (run, None), run.end + 1
        return None, i + 1

    def _reader(self, i: int, head: L.Header) -> BlockReader:
        """A reader that cuts the line prefix (``app_1  | ``) the header's block shares."""
        prefix = self.lines[i][: head.column]
        if head.rejection or not prefix.strip():
            return self.plain
        following = self.lines[i + 1] if i + 1 < len(self.lines) else ""
        return BlockReader(self.lines, prefix) if following.startswith(prefix) else self.plain

    def _context(self, i: int, location: tuple[str, int]) -> tuple[Context, int] | None:
        source: str | None = None
        caret: int | None = None
        for k in range(i + 1, min(i + 1 + _CONTEXT_SPAN, len(self.lines))):
            text = self.lines[k]
            if k == i + 1 and not L.is_caret(text):
                source = text if len(text) <= L.MAX_STRUCT_LEN else None
                continue
            if L.is_caret(text):
                caret = text.index("^")
                continue
            if not text.strip():
                continue
            head = L.header(text, anywhere=False)
            if head is None or head.indent > 0:
                return None
            return Context(location[0], location[1], source, caret, i), k
        return None

    def _skip_stack(self, k: int) -> int:
        """Past the stack of a warning or trace (React component stacks have file-less ``at li``)."""
        while k < len(self.lines) and (
            self.lines[k].lstrip().startswith("at ") or frame_at(self.lines[k]) is not None
        ):
            k += 1
        return k

    def _headerless(self, i: int) -> Parsed | None:
        """Two or more frame lines with no error line above (Firefox and Safari print
        ``error.stack`` without the message; a paste may have lost its first line)."""
        frames: list[Frame] = []
        k = i
        while k < len(self.lines) and (frame := frame_at(self.lines[k])) is not None:
            frames.append(frame)
            k += 1
        if len(frames) < 2:
            return None
        return Parsed(L.Header("Error", ""), i, k - 1, frames=frames, headerless=True)


def _trusted(parsed: Parsed) -> bool:
    """Whether a header is JavaScript's: a stack under it, Node's own shapes, or a message
    only a JavaScript engine prints."""
    head = parsed.header
    if parsed.frames or parsed.causes or parsed.members or head.bracket or head.rejection:
        return True
    return L.js_specific(head.error_type, head.message)


def _footer(lines: list[str], end: int) -> int:
    """The last line of an error, Node's ``Node.js v20.1.0`` footer included."""
    for k in range(end + 1, min(end + 4, len(lines))):
        if L.is_footer(lines[k]):
            return k
        if lines[k].strip():
            break
    return end


def _event(parsed: Parsed, context: Context | None, end: int, origin: Origin) -> ErrorEvent:
    head = parsed.header
    frames = _with_context(list(parsed.frames), context, head.error_type)
    notes = _notes(parsed, context)
    chain = _chain(parsed)
    if _REJECTED in notes and head.error_type != "UnhandledPromiseRejection":
        chain += (_rejection(frames),)
    return ErrorEvent(
        language=stack_language(frames, head.error_type),
        error_type=head.error_type,
        message=parsed.message,
        frames=tuple(reversed(frames)),
        chain=chain,
        origin=origin,
        text_start=context.start if context is not None else parsed.start,
        text_end=end,
        notes=notes,
    )


def _rejection(frames: list[Frame]) -> ChainedError:
    """How an error surfaced when no code handled the promise it rejected: as a context, at the
    outermost project frame (where the promise chain starts, which needs the ``.catch``)."""
    outer = next((f for f in reversed(frames) if not is_library(f.file)), None)
    return ChainedError(
        "UnhandledPromiseRejection",
        "the error rejected a promise that nothing handled (no .catch(), no await inside try/catch)",
        ChainRelation.CONTEXT,
        (outer,) if outer is not None else tuple(reversed(frames)),
    )


def _with_context(frames: list[Frame], context: Context | None, error_type: str) -> list[Frame]:
    """Printed frames (innermost first) with the source-context header folded in."""
    if context is None:
        return frames
    file = normalize_path(context.file)
    printed = context.source if context.source and context.source.strip() else None
    source = printed.strip() if printed else None
    # With the source line known, columns count in it (stripped), as the engine expects.
    indent = len(printed) - len(printed.lstrip()) if printed else 0
    if frames and frames[0].line == context.line and normalize_path(frames[0].file) == file:
        inner = frames[0]
        column = inner.column if inner.column is not None else context.caret
        if source is not None and column is not None:
            column = max(column - indent, 0)
        return [Frame(inner.file, inner.line, inner.function, source, column), *frames[1:]]
    if is_library(file):
        return frames
    if error_type == "SyntaxError" or not frames:
        # A compile error's stack is Node's loader; the header is where the user's code is.
        caret = max(context.caret - indent, 0) if context.caret is not None and source else context.caret
        return [Frame(file, context.line, None, source, caret), *frames]
    return frames


def _chain(parsed: Parsed) -> tuple[ChainedError, ...]:
    causes: list[Parsed] = []
    node = parsed
    while node.causes:
        node = node.causes[0]
        causes.append(node)
    chain = [_chained(cause, ChainRelation.CAUSE) for cause in reversed(causes)]
    chain.extend(_chained(member, ChainRelation.GROUP_MEMBER) for member in parsed.members)
    return tuple(chain)


def _chained(parsed: Parsed, relation: ChainRelation) -> ChainedError:
    return ChainedError(parsed.header.error_type, parsed.message, relation, tuple(reversed(parsed.frames)))


def _notes(parsed: Parsed, context: Context | None) -> tuple[str, ...]:
    head = parsed.header
    notes: list[str] = []
    code = head.code or parsed.code
    if code:
        notes.append(f"code: {code}")
    if head.rejection or head.error_type == "UnhandledPromiseRejection":
        notes.append(_REJECTED)
    if head.uncaught:
        notes.append("uncaught in a browser console")
    if parsed.emitted:
        notes.append("emitted as an 'error' event nobody listened to")
    if parsed.headerless:
        notes.append("the stack was printed without the error's name and message")
    if context is not None and context.file.startswith("node:internal/process/promises"):
        notes.append(_REJECTED)
    return tuple(dict.fromkeys(notes))


def _looks_like_test_run(text: str) -> bool:
    return "\u25cf " in text or " failing\n" in text or "Tests:  " in text
