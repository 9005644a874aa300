"""Python error output (tracebacks, pytest reports, IPython, logs) read into ErrorEvents.

Conventions of the events produced here:

* ``frames`` are outermost first, as Python prints them.
* ``Frame.source`` is the printed source line, stripped.  ``Frame.column`` and
  ``Frame.end_column`` come from the ``^^^^`` / ``~~~^^^`` marker line printed under it and
  are 0-based offsets into that *stripped* source text (the end exclusive): the original
  indentation is not printed, so whoever opens the file adds the indentation it finds.
* A chain (``raise ... from``, "During handling ...") gives one event for the exception
  printed last; ``chain`` holds the ones printed before it, the root cause first.  An
  exception group gives one event for the group with its members (flattened) in ``chain``.
* ``text_start``/``text_end`` are the first and last (inclusive) 0-based lines of the input
  the event was read from.
* Input that looks like a pytest run gives events with ``Origin.TEST_RUN``.

Reading is best effort and linear in the input: any text gives a list, never an error.
"""

from __future__ import annotations

import re
from collections import deque
from itertools import islice

from homeostasis.languages.python.reader_pytest import (
    Failure,
    PytestReader,
    Summary,
    is_e_line,
    looks_like_pytest,
    node_key,
    section_name,
    summary_line,
)
from homeostasis.languages.python.reader_text import (
    MAX_STRUCT_LEN,
    Doc,
    clean_lines,
    exception_shape,
    group_box_column,
    ipython_header,
    is_blank,
    is_dash_rule,
    tb_header,
)
from homeostasis.languages.python.reader_tools import (
    ALEMBIC_CONTEXT_LINES,
    ALEMBIC_ERROR,
    CSRF_ERROR,
    alembic_failed,
    alembic_logged,
    csrf_rejection,
    shows_alembic,
)
from homeostasis.languages.python.reader_traceback import Exc, Section, TracebackReader, flatten
from homeostasis.model import ChainedError, ChainRelation, ErrorEvent, Frame, Origin

# Stack lines of other languages (JS/Java/.NET, PHP, Ruby, Go): an ``XError: msg`` line
# next to them is not Python's.
_FOREIGN_AFTER_RE = re.compile(
    r"^(?:\s+at \S|\s*#\d+ \S|\s*from \S+:\d+|Caused by: |\s*goroutine \d|\s+HResult=|\s+StackTrace:)"
    r"|:\d+:in [`'\u2018]|:line \d+|\+<>c"
)
_FOREIGN_BEFORE_RE = re.compile(r"\S+\.(?:js|ts|mjs|cjs|jsx|tsx):\d+\s*$")


def _foreign_after(line: str) -> bool:
    return len(line) <= MAX_STRUCT_LEN and _FOREIGN_AFTER_RE.search(line) is not None


def _foreign_before(line: str) -> bool:
    line = line.rstrip()
    return line[-1:].isdigit() and len(line) <= MAX_STRUCT_LEN and _FOREIGN_BEFORE_RE.match(line) is not None


def read_errors(text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
    """Every Python error found in ``text``, in the order they appear."""
    return read_errors_guarded(text, origin, guard=True)


def read_errors_guarded(text: str, origin: Origin, *, guard: bool) -> list[ErrorEvent]:
    """:func:`read_errors`; ``guard=False`` lets internal errors surface (for fuzz tests)."""
    if not text or not text.strip():
        return []
    doc = clean_lines(text)
    lines = doc.lines
    pytest_like = looks_like_pytest(lines)
    if pytest_like:
        origin = Origin.TEST_RUN
    scan = _Scan(doc, pytest_like)
    i = 0
    while i < len(lines):
        try:
            i = max(scan.step(i), i + 1)
        except Exception:
            if not guard:
                raise
            # Odd input must never make reading fail: give up on this line only.
            i += 1
    found = [(_event(f, origin), f.test) for f in scan.failures if f.sections]
    events = [event for event, _ in found]
    events.extend(_uncovered_summaries(scan.summaries, found, origin))
    events.sort(key=lambda e: (e.text_start, e.text_end))
    return events


class _Scan:
    """Walks the lines once, handing each recognised block to the reader that knows it."""

    def __init__(self, doc: Doc, pytest_like: bool) -> None:
        self.doc = doc
        self.lines = doc.lines
        self.pytest_like = pytest_like
        self.traceback = TracebackReader(doc)
        self.pytest = PytestReader(doc)
        self.failures: list[Failure] = []
        self.summaries: list[Summary] = []
        # Last line that showed Alembic at work (its log lines, an ``alembic`` command).
        self.alembic_at = -ALEMBIC_CONTEXT_LINES - 1

    def step(self, i: int) -> int:
        """Read what starts on line ``i``; returns the next line to look at."""
        line = self.lines[i]
        n = len(self.lines)
        if is_blank(line):
            return i + 1
        if line.startswith("___") and section_name(line) is not None:
            failure, j = self.pytest.section(i)
            self._keep(failure)
            return j
        summary = summary_line(line, i)
        if summary is not None:
            self.summaries.append(summary)
            return i + 1
        if self.pytest_like and is_e_line(line):
            failure, j = self.pytest.e_run(i)
            self._keep(failure)
            return j
        if self._starts_traceback(i):
            sections, j = self.traceback.chain(i, n)
            self._keep(Failure(sections, None) if sections else None)
            return j
        located = self.pytest.line_event(i)
        if located is not None:
            self._keep(located)
            return i + 1
        warned, j = self.traceback.warning(i, n)
        if warned is not None:
            self._keep(Failure([warned], None))
            return j
        tool, j = self._tool_line(i)
        if tool is not None:
            self._keep(tool)
            return j
        shape = None if line[:1].isspace() else exception_shape(line, strict=True)
        if shape is None:
            return i + 1
        section, j = self.traceback.sentry(i, n, shape)
        if section is not None:
            self._keep(Failure([section], None))
            return j
        self._keep(self._bare(i, shape))
        return i + 1

    def _starts_traceback(self, i: int) -> bool:
        line = self.lines[i]
        if len(line) > MAX_STRUCT_LEN:
            return False
        if tb_header(line) or ipython_header(line) or group_box_column(line) is not None:
            return True
        if is_dash_rule(line):
            return i + 1 < len(self.lines) and ipython_header(self.lines[i + 1]) is not None
        return self.traceback.frame_head(i, len(self.lines))[0] is not None

    def _tool_line(self, i: int) -> tuple[Failure | None, int]:
        """Alembic's ``FAILED:`` / ``ERROR [alembic.util.messaging]`` lines, Django's CSRF log line."""
        line = self.lines[i]
        logged = alembic_logged(line)
        failed = None if logged is not None else alembic_failed(line, in_context=self._alembic_near(i))
        if shows_alembic(line):
            self.alembic_at = i
        message = logged if logged is not None else failed
        if message is not None:
            # The CLI logs the message and prints it again after ``FAILED:``: one error.
            j = i + 1
            k = i + 1 if i + 1 < len(self.lines) and not is_blank(self.lines[i + 1]) else i + 2
            if k < len(self.lines) and k not in self.doc.breaks:
                other = self.lines[k]
                twin = alembic_failed(other, in_context=True) if logged is not None else alembic_logged(other)
                if twin == message:
                    j = k + 1
            exc = Exc(ALEMBIC_ERROR, message, [], self.doc.at(i), self.doc.at(j - 1))
            return Failure([Section(exc)], None), j
        csrf = csrf_rejection(line)
        if csrf is not None:
            reason, path = csrf
            notes = [f"request path: {path}"] if path else []
            exc = Exc(CSRF_ERROR, reason, [], self.doc.at(i), self.doc.at(i), notes)
            return Failure([Section(exc)], None), i + 1
        return None, i + 1

    def _alembic_near(self, i: int) -> bool:
        return i - self.alembic_at <= ALEMBIC_CONTEXT_LINES

    def _bare(self, i: int, shape: tuple[str, str]) -> Failure | None:
        """A lone ``SomeError: message`` line, when nothing says it is another language's."""
        if any(_foreign_after(nxt) for nxt in self.lines[i + 1 : i + 7]):
            return None
        if any(_foreign_before(prev) for prev in self.lines[max(0, i - 3) : i]):
            return None
        at = self.doc.at(i)
        return Failure([Section(Exc(shape[0], shape[1], [], at, at))], None)

    def _keep(self, failure: Failure | None) -> None:
        if failure is not None and failure.sections:
            self.failures.append(failure)


def _event(failure: Failure, origin: Origin) -> ErrorEvent:
    final, chain = flatten(failure.sections)
    everything = [*chain, final]
    notes: list[str] = []
    for exc in everything:
        for note in exc.notes:
            if note not in notes:
                notes.append(note)
    chained = tuple(
        ChainedError(exc.error_type, exc.message, exc.relation or ChainRelation.CAUSE, tuple(exc.frames))
        for exc in chain
    )
    return ErrorEvent(
        language="python",
        error_type=final.error_type,
        message=final.message,
        frames=tuple(final.frames),
        chain=chained,
        origin=origin,
        text_start=min(exc.start for exc in everything),
        text_end=max(exc.end for exc in everything),
        notes=tuple(notes),
    )


def _uncovered_summaries(
    summaries: list[Summary], found: list[tuple[ErrorEvent, str | None]], origin: Origin
) -> list[ErrorEvent]:
    """Events for summary lines whose failure was not read in full elsewhere."""
    named = {test for _, test in found if test}
    # Failures read without a test name (``--tb=line``) are matched on type and message.
    unnamed: dict[str, deque[ErrorEvent]] = {}
    for event, test in found:
        if not test:
            unnamed.setdefault(event.short_type, deque()).append(event)
    events: list[ErrorEvent] = []
    for summary in summaries:
        if node_key(summary.nodeid) in named:
            continue
        candidates = unnamed.get(summary.error_type.rsplit(".", 1)[-1], deque())
        # Only the first few are tried, so that thousands of summary lines stay linear.
        first = islice(candidates, 50)
        match = next((n for n, e in enumerate(first) if _same_message(e, summary)), None)
        if match is not None:
            del candidates[match]
            continue
        path, _, rest = summary.nodeid.partition("::")
        function = rest.rsplit("::", 1)[-1].split("[", 1)[0] or None
        events.append(
            ErrorEvent(
                language="python",
                error_type=summary.error_type,
                message=summary.message,
                frames=(Frame(path, None, function),),
                origin=origin,
                text_start=summary.at,
                text_end=summary.at,
                notes=("read from the pytest short test summary only",),
            )
        )
    return events


def _same_message(event: ErrorEvent, summary: Summary) -> bool:
    short = summary.message.strip()
    if short.endswith("..."):
        # pytest cuts long summary messages to the terminal width.
        short = short[:-3]
    return event.message.startswith(short) or event.message.split("\n", 1)[0].strip() == short
