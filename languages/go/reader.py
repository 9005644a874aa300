"""Reading Go failures from raw output: panics, fatal errors, compiler/vet diagnostics, go test.

Conventions (see ``homeostasis.model.error_event``):

* frames outermost first: goroutine dumps print the innermost frame first, so they are reversed;
* the goroutine printed first after ``panic:``/``fatal error:`` is the one that failed; the
  others are summarised in ``notes`` (a deadlock lists every blocked goroutine);
* ``panic: A [recovered]`` followed by ``\tpanic: B`` is a panic re-raised while handling
  another: B is the error and A its cause (chain[0]); when A and B are the same value (``go test``
  re-panics what the test raised) they are one event, placed where A happened;
* compiler columns are 1-based byte columns from the start of the line; ``Frame.column`` is
  0-based, from the start of the line too (no source line is printed). Panics print no columns.

The reader never raises and is linear in the size of its input.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from homeostasis.languages.go import exceptions
from homeostasis.languages.go.diagnostics import read_diagnostics, read_test_failures
from homeostasis.languages.go.goroutines import GOROUTINE, MAX_LINE, Goroutine, read_goroutine
from homeostasis.model import ChainedError, ChainRelation, ErrorEvent, Frame, Origin

LANGUAGE = "go"
_PANIC = re.compile(r"^(?P<prefix>.{0,200}?)panic: (?P<value>.*)$")
_NESTED = re.compile(r"^\s+panic: (?P<value>.*)$")
_FATAL = re.compile(r"^(?P<prefix>.{0,200}?)fatal error: (?P<value>.+)$")
_HTTP = re.compile(r"^(?P<prefix>.{0,200}?)http: panic serving (?P<addr>\S+): (?P<value>.*)$")
_RECOVERED = re.compile(r"\s*\[recovered(?:, repanicked)?\]\s*$")
_SIGNAL = re.compile(r"^\s*\[signal (?P<signal>[^\]]+)\]\s*$")
_EXIT = re.compile(r"^\s*exit status \d+\s*$")
_ANY_GOROUTINE = re.compile(r"goroutine \d+(?: gp=\S+ m=\S+(?: mp=\S+)?)? \[[^\]]*\]:\s*$")
_HEADS = ("panic: ", "fatal error: ", "http: panic serving ")
# How far below a header its goroutine dump may start (message lines, runtime stack, logs).
_WINDOW = 120
# Messages Go prints that are Go's own even without a goroutine dump (truncated pastes).
_CERTAINLY_GO = re.compile(
    r"^(?:runtime error: |all goroutines are asleep|concurrent map |assignment to entry in nil map"
    r"|send on closed channel|close of (?:closed|nil) channel|interface conversion: )"
)
_PANIC_FUNCTIONS = frozenset({"panic", "runtime.gopanic"})
_MAX_NOTED_GOROUTINES = 20

SNIFF = ("panic: ", "panic serving", "fatal error: ", "goroutine ", ".go:", "--- FAIL")


def sniff(text: str) -> bool:
    return any(marker in text for marker in SNIFF)


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
        events.extend(read_test_failures(lines, consumed, origin))
    except Exception:  # a reader must never take the front end down with it
        return []
    events.sort(key=lambda e: e.text_start)
    return events


@dataclass(frozen=True)
class _Value:
    text: str
    recovered: bool


def _read_panics(lines: Sequence[str], origin: Origin) -> list[ErrorEvent]:
    events: list[ErrorEvent] = []
    dumps = _next_dumps(lines)
    index = 0
    count = len(lines)
    while index < count:
        line = lines[index]
        if len(line) > MAX_LINE or ("panic" not in line and "fatal error: " not in line):
            index += 1
            continue
        event = _read_one(lines, index, origin, dumps)
        if event is None:
            index += 1
            continue
        events.append(event)
        index = event.text_end + 1
    return events


def _next_dumps(lines: Sequence[str]) -> list[int]:
    """For each line, the index of the next ``goroutine N [...]:`` header (len(lines) if none).

    Computed once, so deciding whether a ``panic:`` line has a dump below it costs nothing,
    however many false headers the text holds."""
    count = len(lines)
    out = [count] * (count + 1)
    following = count
    for index in range(count - 1, -1, -1):
        line = lines[index]
        if "goroutine " in line and len(line) <= MAX_LINE and _ANY_GOROUTINE.search(line):
            following = index
        out[index] = following
    return out


def _header(line: str) -> tuple[str, str, str] | None:
    """(kind, prefix, value) of a ``panic:``, ``http: panic serving`` or ``fatal error:`` line."""
    if "panic serving " in line and (http := _HTTP.match(line)):
        return "panic", http.group("prefix"), http.group("value")
    if "panic: " in line and (panic := _PANIC.match(line)):
        return "panic", panic.group("prefix"), panic.group("value")
    if "fatal error: " in line and (fatal := _FATAL.match(line)):
        return "fatal", fatal.group("prefix"), fatal.group("value")
    return None


def _read_one(lines: Sequence[str], start: int, origin: Origin, dumps: Sequence[int]) -> ErrorEvent | None:
    header = _header(lines[start])
    if header is None:
        return None
    kind, prefix, first = header
    has_dump = dumps[start] < start + _WINDOW
    if not has_dump and (prefix or not (_CERTAINLY_GO.match(first) or _confirmed(lines, start))):
        return None
    values = [_Value(_RECOVERED.sub("", first), bool(_RECOVERED.search(first)))]
    notes: list[str] = []
    message_lines: list[str] = []
    index = start + 1
    count = len(lines)
    limit = min(count, start + _WINDOW)

    def strip(line: str) -> str:
        return line[len(prefix) :] if prefix and line.startswith(prefix) else line

    # The panic value may span lines; nested panics follow as "\tpanic: ..." lines.
    while index < limit:
        line = strip(lines[index])
        if not line.strip() or GOROUTINE.match(line) or _SIGNAL.match(line) or _EXIT.match(line):
            break
        if line.strip() in ("runtime stack:", "running tests:") or line.startswith(_HEADS):
            break  # the runtime's next section, or another failure
        if nested := _NESTED.match(line):
            text = nested.group("value")
            values.append(_Value(_RECOVERED.sub("", text), bool(_RECOVERED.search(text))))
        elif len(values) == 1 and len(message_lines) < 40:
            message_lines.append(line)
        index += 1
    if message_lines:
        values[0] = _Value("\n".join([values[0].text, *message_lines]), values[0].recovered)
    goroutine: Goroutine | None = None
    others: list[Goroutine] = []
    end = index - 1
    while has_dump and index < limit:
        line = strip(lines[index])
        if signal := _SIGNAL.match(line):
            notes.append(f"signal {signal.group('signal')}")
        elif line.strip() in ("runtime stack:", "running tests:"):
            index = _skip_section(lines, index + 1, strip)
            continue
        elif GOROUTINE.match(line):
            goroutine = read_goroutine(lines, index, strip)
            break
        elif line.strip() and prefix == "" and _header(line) is not None:
            break  # another failure starts: this one had no dump
        index += 1
    if goroutine is not None:
        end = goroutine.end
        index = end + 1
        others, end = _other_goroutines(lines, index, end, strip)
    elif prefix or not (_CERTAINLY_GO.match(values[-1].text) or _confirmed(lines, start)):
        return None
    frames = goroutine.frames if goroutine else ()
    if goroutine is not None:
        notes.insert(0, f"goroutine {goroutine.number} [{goroutine.state}]")
        if goroutine.created_by is not None:
            made = goroutine.created_by
            notes.append(
                f"goroutine {goroutine.number} was created by {made.function} at {made.file}:{made.line}"
            )
    notes.extend(g.summary() for g in others[:_MAX_NOTED_GOROUTINES])
    if len(others) > _MAX_NOTED_GOROUTINES:
        notes.append(f"... and {len(others) - _MAX_NOTED_GOROUTINES} more goroutines")
    if end + 1 < count and _EXIT.match(strip(lines[end + 1])):
        end += 1
        notes.append(strip(lines[end]).strip())
    return _event(kind, values, frames, notes, origin, start, end)


def _confirmed(lines: Sequence[str], start: int) -> bool:
    """A bare ``panic: x`` counts when Go's trailer (``exit status 2``) follows it closely."""
    return any(_EXIT.match(lines[i]) for i in range(start + 1, min(len(lines), start + 4)))


def _skip_section(lines: Sequence[str], index: int, strip: Callable[[str], str]) -> int:
    """Past a ``runtime stack:`` block: the runtime's own frames, up to a blank line."""
    while index < len(lines) and (line := strip(lines[index])).strip() and not GOROUTINE.match(line):
        index += 1
    return index


def _other_goroutines(
    lines: Sequence[str], index: int, end: int, strip: Callable[[str], str]
) -> tuple[list[Goroutine], int]:
    others: list[Goroutine] = []
    count = len(lines)
    while index < count:
        line = strip(lines[index])
        if not line.strip():
            index += 1
            continue
        if len(line) > MAX_LINE or not GOROUTINE.match(line):
            break
        block = read_goroutine(lines, index, strip)
        if block is None:
            break
        others.append(block)
        end = block.end
        index = end + 1
    return others, end


def _event(
    kind: str,
    values: list[_Value],
    frames: tuple[Frame, ...],
    notes: list[str],
    origin: Origin,
    start: int,
    end: int,
) -> ErrorEvent:
    # Identical consecutive values are one panic re-raised (``go test``, ``recover(); panic(r)``).
    distinct: list[_Value] = []
    for value in values:
        if distinct and distinct[-1].text == value.text:
            distinct[-1] = _Value(value.text, distinct[-1].recovered or value.recovered)
            continue
        distinct.append(value)
    splits = [i for i, f in enumerate(frames) if f.function in _PANIC_FUNCTIONS]
    if len(distinct) == 1 and len(values) > 1 and splits:
        # Where the panic happened, not where a deferred handler re-raised it.
        site = frames[splits[0] - 1] if splits[0] > 0 else None
        handler = frames[-1]
        notes.append(f"re-panicked in {handler.function} at {handler.file}:{handler.line}")
        frames = frames[: splits[0]] if site is not None else frames
    last = distinct[-1]
    if kind == "fatal":
        error_type, message = exceptions.FATAL_ERROR, last.text
    else:
        error_type, message = exceptions.classify_panic(last.text)
    chain: list[ChainedError] = []
    for position, earlier in enumerate(distinct[:-1]):
        cut = splits[position] if position < len(splits) else len(frames)
        chained_type, chained_message = exceptions.classify_panic(earlier.text)
        relation = ChainRelation.CAUSE if earlier.recovered else ChainRelation.CONTEXT
        chain.append(ChainedError(chained_type, chained_message, relation, frames[:cut]))
    return ErrorEvent(
        language=LANGUAGE,
        error_type=error_type,
        message=message,
        frames=frames,
        chain=tuple(chain),
        origin=origin,
        text_start=start,
        text_end=end,
        notes=tuple(notes),
    )
