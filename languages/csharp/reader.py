""".NET exceptions (console, ASP.NET, test runners, Visual Studio, logs) read into ErrorEvents.

Conventions of the events produced here:

* ``frames`` are outermost first: .NET prints the innermost frame first, so every group is
  reversed. Frames without a file (framework code, release builds) get ``<unknown>``.
* ``Outer: msg ---> Inner: msg`` chains: the event is the outermost exception; ``chain``
  holds the inner ones, the innermost (the root cause) first. Frame groups separated by
  ``--- End of inner exception stack trace ---`` belong, in printed order, to the innermost
  exception first and to the outermost last.
* The ASP.NET Core developer page repeats an error (short type name, then the raw details
  with the full name): one event is kept, the one with more located frames.
* ``text_start``/``text_end`` are the first and last (inclusive) 0-based input lines.

Reading is best effort and linear in the input: any text gives a result, never an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from homeostasis.languages.csharp import lines as L
from homeostasis.model import ChainedError, ChainRelation, ErrorEvent, Frame, Origin

_MESSAGE_WINDOW = 20
# How far apart the two renderings of one error on the developer page may be.
_PAGE_DISTANCE = 400
_STACK_OVERFLOW = re.compile(r"^\s*Stack overflow\.\s*$")
_REPEAT = re.compile(r"^\s*(?:Repeat \d+ times:|-{8,}|\.\.\.)\s*$")
_SNIFF = re.compile(
    r"\.cs(?::line |, line )\d+"
    r"|--- End of inner exception stack trace ---"
    r"|Unhandled [eE]xception[.:] "
    # Possessive quantifiers: a long argument list without ")" must not backtrack.
    r"|^[ \t]*+at [\w.`<>$+|\[\],]++\((?:[\w.`<>\[\]&*]++ [\w@]++(?:, [\w.`<>\[\]&*]++ [\w@]++)*+)?\)[ \t]*$"
    r"|\b(?:System|Microsoft)\.(?:\w+\.)*\w*Exception\b"
    r"|^\s*Stack overflow\.\s*$",
    re.M,
)


# `dotnet test` (VSTest) failure blocks: the output of a test run.
_TEST_RUN = re.compile(r"^\s*Failed [\w.`+<>]+(?:\(.*\))? \[[^\]]+\]\s*$|^\s*Error Message:\s*$", re.M)


def sniff(text: str) -> bool:
    return _SNIFF.search(text) is not None


def read_errors(text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
    """Every .NET exception in ``text``, in input order."""
    return read_guarded(text, origin, guard=True)


def read_guarded(text: str, origin: Origin, *, guard: bool) -> list[ErrorEvent]:
    """:func:`read_errors`; ``guard=False`` lets internal errors surface (for tests)."""
    if not text or not sniff(text):
        return []
    if origin is Origin.PASTE and _TEST_RUN.search(text):
        origin = Origin.TEST_RUN
    scan = _Scan([raw.rstrip("\r") for raw in text.split("\n")])
    events: list[ErrorEvent] = []
    i = 0
    while i < scan.n:
        try:
            event, nxt = scan.event_at(i)
        except Exception:
            if not guard:
                raise
            event, nxt = None, i + 1  # odd input must never make reading fail
        if event is not None:
            events.append(replace(event, origin=origin))
        i = max(nxt, i + 1)
    return _merge_page_duplicates(events)


@dataclass
class _Trace:
    """The exceptions of one printed chain and its frame groups, while it is being read."""

    chain: list[tuple[str, str]]  # outermost first
    start: int
    end: int
    groups: list[list[Frame]] = field(default_factory=lambda: [[]])  # each innermost first


class _Scan:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.n = len(lines)

    def event_at(self, i: int) -> tuple[ErrorEvent | None, int]:
        text = self.lines[i]
        if not text.strip():
            return None, i + 1
        if _STACK_OVERFLOW.match(text):
            found: L.Header | None = L.Header("System.StackOverflowException", "Stack overflow.", True, 0)
        else:
            found = L.header(text)
        if found is None:
            return None, i + 1
        trace: _Trace | None
        if not found.message and i + 1 < self.n and L.dialog_field(self.lines[i + 1]) is not None:
            trace = self._dialog(i, found)
        else:
            trace = self._standard(i, found)
        if trace is None:
            return None, i + 1
        return _event(trace), trace.end + 1

    # -- the usual shape: header (with ---> chain), frames, separators ------------------------

    def _standard(self, i: int, found: L.Header) -> _Trace | None:
        extra: list[str] = []
        body: int | None = None
        page = "." not in found.error_type
        for j in range(i + 1, min(self.n, i + 1 + _MESSAGE_WINDOW)):
            text = self.lines[j]
            if L.frame(text) or (page and L.page_frame(text)) or L.is_end_inner(text):
                body = j
                break
            if L.is_skip(text):
                continue
            if L.header(text) is not None or not text.strip() or text.lstrip().startswith("at "):
                break
            extra.append(text)
        header_text = "\n".join([self._header_text(found, i), *extra])
        if body is None:
            if not (L.trusted_alone(found) or " ---> " in header_text):
                return None
            chain = L.split_chain(self._header_text(found, i)) or [(found.error_type, found.message)]
            return _Trace(chain, i, i)
        chain = L.split_chain(header_text) or [(found.error_type, found.message)]
        trace = _Trace(chain, i, body - 1)
        self._frames(trace, body, page)
        return trace

    def _header_text(self, found: L.Header, i: int) -> str:
        text = self.lines[i].strip()
        at = text.find(found.error_type)
        return text[at:] if at >= 0 else text

    def _frames(self, trace: _Trace, j: int, page: bool) -> None:
        while j < self.n:
            text = self.lines[j]
            found = L.frame(text) or (L.page_frame(text) if page else None)
            if found is not None:
                trace.groups[-1].append(found)
            elif L.is_end_inner(text):
                trace.groups.append([])
            elif not (L.is_async_separator(text) or L.is_skip(text) or _REPEAT.match(text)) and (
                text.strip() or not self._continues(j)
            ):
                return
            trace.end = j
            j += 1

    def _continues(self, j: int) -> bool:
        """After a blank line: do frames go on?"""
        for k in range(j + 1, min(self.n, j + 3)):
            text = self.lines[k]
            if text.strip():
                return L.frame(text) is not None or L.is_end_inner(text)
        return False

    # -- Visual Studio's "copy details": type, HResult=, Message=, StackTrace: --------------------

    def _dialog(self, i: int, found: L.Header) -> _Trace:
        message: list[str] = []
        trace = _Trace([(found.error_type, "")], i, i)
        j = i + 1
        in_message = False
        while j < self.n:
            text = self.lines[j]
            field_ = L.dialog_field(text)
            if field_ is not None:
                key, value = field_
                in_message = key == "Message"
                if in_message:
                    message.append(value)
                trace.end = j
                j += 1
                if key == "StackTrace":
                    break
                continue
            if not in_message:
                break
            message.append(text.strip())
            trace.end = j
            j += 1
        trace.chain = [(found.error_type, "\n".join(message).strip())]
        if j < self.n and L.frame(self.lines[j]) is not None:
            self._frames(trace, j, page=False)
        self._dialog_inner(trace)
        return trace

    def _dialog_inner(self, trace: _Trace) -> None:
        """``Inner Exception 1:`` sections that follow the dialog text."""
        j = trace.end + 1
        limit = min(self.n, j + 60)
        while j < limit:
            text = self.lines[j]
            if L.is_inner_dialog(text) and j + 1 < self.n:
                inner = L.header(self.lines[j + 1])
                if inner is None:
                    return
                trace.chain.append((inner.error_type, inner.message))
                trace.groups.insert(0, [])
                trace.end = j + 1
                j += 2
                continue
            if text.strip() and not text.startswith((" ", "\t")):
                return
            j += 1


def _event(trace: _Trace) -> ErrorEvent:
    chain = trace.chain
    groups = trace.groups
    frames_of: list[list[Frame]] = [[] for _ in chain]  # innermost first, like the groups
    inner_first = list(reversed(chain))
    for index in range(len(inner_first)):
        if index == len(inner_first) - 1:
            frames_of[index] = groups[-1]
        elif index < len(groups) - 1:
            frames_of[index] = groups[index]
    outer_type, outer_message = chain[0]
    chained = tuple(
        ChainedError(error_type, message, ChainRelation.CAUSE, tuple(reversed(frames_of[index])))
        for index, (error_type, message) in enumerate(inner_first[:-1])
    )
    return ErrorEvent(
        language="csharp",
        error_type=outer_type,
        message=outer_message,
        frames=tuple(reversed(frames_of[-1])),
        chain=chained,
        text_start=trace.start,
        text_end=trace.end,
    )


def _merge_page_duplicates(events: list[ErrorEvent]) -> list[ErrorEvent]:
    """The developer page shows ``NullReferenceException: ...`` and, further down, the raw
    ``System.NullReferenceException: ...``: keep the rendering with more located frames."""
    dropped: set[int] = set()
    for index, event in enumerate(events):
        if "." in event.error_type:
            continue
        for other_index in range(index + 1, len(events)):
            other = events[other_index]
            if other.text_start - event.text_end > _PAGE_DISTANCE:
                break
            same = other.error_type.endswith("." + event.error_type) and _first_line(
                other.message
            ) == _first_line(event.message)
            if not same:
                continue
            if _located(other) >= _located(event):
                dropped.add(index)
            else:
                dropped.add(other_index)
            break
    return [event for index, event in enumerate(events) if index not in dropped]


def _located(event: ErrorEvent) -> int:
    return sum(1 for frame in event.frames if frame.line is not None)


def _first_line(text: str) -> str:
    return text.strip().split("\n", 1)[0]
