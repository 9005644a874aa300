"""Reading Rust failures from raw output: panics (both formats), backtraces, aborts, rustc.

Panics:

* since 1.73: ``thread 'main' panicked at src/main.rs:5:10:`` then the message on its own lines
  (several for ``assert_eq!``: ``  left: 1`` / `` right: 2``); 1.90+ adds the thread id
  (``thread 'main' (12345) panicked at``);
* before: ``thread 'main' panicked at 'message', src/main.rs:5:10`` (the message may span lines);
* then ``note: run with `RUST_BACKTRACE=1` ...`` or ``stack backtrace:`` with numbered frames
  (``   3: app::main`` and ``             at ./src/main.rs:5:10``), innermost first.

Frames are outermost first. The panic location printed in the header (the caller of ``unwrap``,
the indexing expression: ``#[track_caller]``) carries the column; it is merged into the
backtrace frame at the same place, or given to the innermost frame of the program when the
backtrace prints no locations, or else added as the innermost frame. ``Frame.column`` is
0-based, counted in characters from the start of the line, as rustc counts.

The reader never raises and is linear in the size of its input.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from homeostasis.languages.rust import exceptions
from homeostasis.languages.rust.diagnostics import read_diagnostics
from homeostasis.languages.rust.paths import is_library_function
from homeostasis.model import ErrorEvent, Frame, Origin

LANGUAGE = "rust"
MAX_LINE = 4000
_THREAD = r"thread '(?P<thread>[^']{0,300})'(?: \(\d+\))?"
_LOCATION = r"(?P<path>[^\s'](?:[^']*?[^\s'])?):(?P<line>\d+)(?::(?P<col>\d+))?"
_NEW = re.compile(rf"^(?P<prefix>.{{0,200}}?){_THREAD} panicked at {_LOCATION}:\s*$")
_OLD = re.compile(rf"^(?P<prefix>.{{0,200}}?){_THREAD} panicked at '(?P<rest>.*)$")
_OLD_END = re.compile(rf"^(?P<tail>.*)', {_LOCATION}\s*$")
_OVERFLOW = re.compile(rf"^(?P<prefix>.{{0,200}}?){_THREAD} has overflowed its stack\s*$")
_FATAL = re.compile(r"^(?P<prefix>.{0,200}?)fatal runtime error: (?P<message>.+?)(?:, aborting)?\s*$")
_ALLOC = re.compile(r"^(?P<prefix>.{0,200}?)(?P<message>memory allocation of \d+ bytes failed)\s*$")
_BACKTRACE = re.compile(r"^\s*stack backtrace:\s*$")
_FRAME = re.compile(r"^\s*(?P<number>\d+):\s+(?:0x[0-9a-fA-F]+ - )?(?P<function>\S.*?)\s*$")
_AT = re.compile(rf"^\s+at {_LOCATION}\s*$")
_HASH = re.compile(r"::h[0-9a-f]{16}$|\[[0-9a-f]{16}\]")
# Lines that end a panic message: what the runtime or the test harness prints next.
_MESSAGE_END = re.compile(
    r"^(?:note: |stack backtrace:|thread '|---- .* stdout ----|failures:$|test result: |test .* \.\.\. "
    r"|error: test failed|error: process didn't exit|\s*Running |\[?\d{4}-\d\d-\d\d)"
)
_MAX_MESSAGE_LINES = 60
_MAX_FRAMES = 400

SNIFF = ("panicked at", "error[E", "--> ", "fatal runtime error", "overflowed its stack", "warning: ")


def sniff(text: str) -> bool:
    if "panicked at" in text or "error[E" in text or "fatal runtime error" in text:
        return True
    return ".rs:" in text and ("--> " in text or "overflowed its stack" in text)


def read_errors(text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
    try:
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        events = _read_panics(lines, origin)
        consumed = bytearray(len(lines))
        for event in events:
            consumed[event.text_start : event.text_end + 1] = b"\x01" * (
                event.text_end + 1 - event.text_start
            )
        events.extend(read_diagnostics(lines, consumed, origin))
    except Exception:  # a reader must never take the front end down with it
        return []
    events.sort(key=lambda e: e.text_start)
    return events


def _read_panics(lines: Sequence[str], origin: Origin) -> list[ErrorEvent]:
    events: list[ErrorEvent] = []
    index = 0
    count = len(lines)
    while index < count:
        line = lines[index]
        event: ErrorEvent | None = None
        if len(line) <= MAX_LINE:
            if "panicked at" in line:
                event = _panic(lines, index, origin)
            elif "overflowed its stack" in line or "fatal runtime error: " in line:
                event = _abort(lines, index, origin)
            elif "memory allocation of " in line and (alloc := _ALLOC.match(line)) is not None:
                event = ErrorEvent(
                    LANGUAGE,
                    exceptions.FATAL,
                    alloc.group("message"),
                    origin=origin,
                    text_start=index,
                    text_end=index,
                )
        if event is None:
            index += 1
            continue
        events.append(event)
        index = event.text_end + 1
    return events


def _panic(lines: Sequence[str], start: int, origin: Origin) -> ErrorEvent | None:
    line = lines[start]
    new = _NEW.match(line)
    if new is not None:
        prefix, thread = new.group("prefix"), new.group("thread")
        location = _location(new)
        message, end = _new_message(lines, start + 1, prefix)
    else:
        old = _OLD.match(line)
        if old is None:
            return None
        prefix, thread = old.group("prefix"), old.group("thread")
        found = _old_message(lines, start, old.group("rest"), prefix)
        if found is None:
            return None
        message, location, end = found
    notes = [f"thread '{thread}'"]
    frames: list[Frame] = []
    index = end + 1
    while index < len(lines) and index <= end + 3:
        text = _strip(lines[index], prefix)
        if _BACKTRACE.match(text):
            frames, end = _backtrace(lines, index + 1, prefix)
            break
        if text.startswith("note: ") and "RUST_BACKTRACE" in text:
            end = index
        elif text.strip():
            break
        index += 1
    frames = _place(frames, location)
    return ErrorEvent(
        language=LANGUAGE,
        error_type=exceptions.PANIC,
        message=message,
        frames=tuple(frames),
        origin=origin,
        text_start=start,
        text_end=end,
        notes=tuple(notes),
    )


def _strip(line: str, prefix: str) -> str:
    return line[len(prefix) :] if prefix and line.startswith(prefix) else line


def _location(match: re.Match[str]) -> Frame:
    column = match.group("col")
    return Frame(
        match.group("path"), int(match.group("line")), None, column=int(column) - 1 if column else None
    )


def _new_message(lines: Sequence[str], index: int, prefix: str) -> tuple[str, int]:
    """The message lines after a 1.73+ header, and the last of them.

    A message may hold blank lines (``panic!("a\\n\\nb")``); it ends at what the runtime prints
    next (``note:``, ``stack backtrace:``), or at a blank line when nothing of the sort follows.
    """
    parts: list[str] = []
    blank_at: int | None = None
    last = index - 1
    limit = min(len(lines), index + _MAX_MESSAGE_LINES)
    while index < limit:
        text = _strip(lines[index], prefix)
        if _MESSAGE_END.match(text) or len(text) > MAX_LINE:
            break
        if not text.strip():
            if not parts:
                break  # `panic!("")`: an empty message
            blank_at = blank_at if blank_at is not None else len(parts)
        else:
            if blank_at is not None and not _continues(lines, index, prefix, limit):
                break
            blank_at = None
            last = index
        parts.append(text)
        index += 1
    if blank_at is not None:
        parts = parts[:blank_at]
    return "\n".join(parts).rstrip(), last


def _continues(lines: Sequence[str], index: int, prefix: str, limit: int) -> bool:
    """After a blank line inside a message: does the runtime's own next line still follow?"""
    for look in range(index, limit):
        text = _strip(lines[look], prefix)
        if text.startswith("note: ") or _BACKTRACE.match(text):
            return True
        if _MESSAGE_END.match(text):
            return False
    return False


def _old_message(lines: Sequence[str], start: int, rest: str, prefix: str) -> tuple[str, Frame, int] | None:
    """``'message', path:line:col`` of a pre-1.73 header; the message may go on for lines."""
    parts: list[str] = []
    index = start
    text = rest
    limit = min(len(lines), start + _MAX_MESSAGE_LINES)
    while True:
        end = _OLD_END.match(text)
        if end is not None:
            parts.append(end.group("tail"))
            return "\n".join(parts), _location(end), index
        parts.append(text)
        index += 1
        if index >= limit:
            return None
        text = _strip(lines[index], prefix)
        if _MESSAGE_END.match(text):
            return None


def _backtrace(lines: Sequence[str], index: int, prefix: str) -> tuple[list[Frame], int]:
    """Frames of ``stack backtrace:`` (innermost first as printed), reversed; and the last line."""
    frames: list[Frame] = []
    end = index - 1
    count = len(lines)
    while index < count:
        text = _strip(lines[index], prefix)
        found = _FRAME.match(text) if len(text) <= MAX_LINE else None
        if found is None:
            break
        function = _HASH.sub("", found.group("function"))
        frame = Frame("<unknown>", None, function)
        end = index
        if index + 1 < count and (at := _AT.match(_strip(lines[index + 1], prefix))) is not None:
            frame = replace(_location(at), function=function)
            end = index = index + 1
        if (function != "<unknown>" or frame.line is not None) and len(frames) < _MAX_FRAMES:
            frames.append(frame)
        index += 1
    frames.reverse()
    return frames, end


def _same_place(frame: Frame, location: Frame) -> bool:
    if frame.line != location.line:
        return False
    a = frame.file.replace("\\", "/").removeprefix("./")
    b = location.file.replace("\\", "/").removeprefix("./")
    return a == b or a.endswith("/" + b) or b.endswith("/" + a)


def _place(frames: list[Frame], location: Frame) -> list[Frame]:
    """Put the header's location (with its column) on the right frame; see the module doc."""
    for index in range(len(frames) - 1, -1, -1):
        if _same_place(frames[index], location):
            frames[index] = replace(frames[index], column=location.column)
            return frames
    if not any(f.line is not None for f in frames):
        for index in range(len(frames) - 1, -1, -1):
            function = frames[index].function or ""
            if not is_library_function(function):
                frames[index] = replace(location, function=function)
                return frames
    # No frame of the backtrace is that place: the location is deeper than all of them.
    return [*frames, location]


def _abort(lines: Sequence[str], start: int, origin: Origin) -> ErrorEvent | None:
    line = lines[start]
    notes: list[str] = []
    end = start
    if (overflow := _OVERFLOW.match(line)) is not None:
        notes.append(f"thread '{overflow.group('thread')}' has overflowed its stack")
        fatal = _FATAL.match(lines[start + 1]) if start + 1 < len(lines) else None
        message = fatal.group("message") if fatal is not None else "stack overflow"
        end = start + 1 if fatal is not None else start
    elif (fatal := _FATAL.match(line)) is not None:
        message = fatal.group("message")
    else:
        return None
    return ErrorEvent(
        LANGUAGE, exceptions.FATAL, message, origin=origin, text_start=start, text_end=end, notes=tuple(notes)
    )
