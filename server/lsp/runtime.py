"""Runtime diagnostics: what the engine made of error output, kept per source.

A source is where error output came from: ``paste`` (the ingest command), an
error file the app wrote, or a test run. A newer batch from a source replaces
the older one; ``homeostasis.clearRuntime`` drops one source or all.
Entries follow edits of their file (see ``relocate``) and turn stale when the
printed source line is gone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from homeostasis.engine.locate import find_line
from homeostasis.model import (
    Confidence,
    Diagnosis,
    Document,
    ErrorEvent,
    Finding,
    Frame,
    Pos,
    Reason,
    Related,
    Severity,
    Span,
)

UNEXPLAINED = "homeostasis.runtime.unexplained"


@dataclass(frozen=True, slots=True)
class RuntimeEntry:
    key: int
    source: str
    seen_at: datetime
    event: ErrorEvent
    finding: Finding  # span in the coordinates of the file's current text
    uri: str
    root: Path  # the folder whose files the finding's paths are relative to
    expected: str  # the finding's first line as it read when the error was seen (whitespace-normalised)
    seen_span: Span  # the finding's span in the text the error was diagnosed against
    seen_indent: int = 0  # leading whitespace of its line then: re-indenting moves the columns
    stale: bool = False

    @property
    def label(self) -> str:
        if self.source == "paste":
            return "a pasted error"
        if self.source.startswith("tests"):
            return "the test run"
        return Path(self.source).name


def normalized(text: str) -> str:
    return " ".join(text.split())


def first_line(text: str) -> str:
    return text.strip().split("\n", 1)[0][:200]


def unexplained(diagnosis: Diagnosis, get: Callable[[str], Document | None]) -> Finding | None:
    """A finding for an error no rule explains, on its innermost project frame's line.

    Not a rule's verdict: it only puts the raw error where it happened, which is
    the point of runtime diagnostics even when no fix is known.
    """
    event = diagnosis.event
    frame = event.innermost_in_project
    if frame is None or frame.resolved is None or diagnosis.findings:
        return None
    document = get(frame.resolved)
    if document is None:
        return None
    hit = find_line(document, frame)
    if hit is None:
        return None
    return Finding(
        rule_id=UNEXPLAINED,
        kind="runtime",
        path=document.path,
        span=document.line_span(hit.line),
        message=f"{event.error_type}: {first_line(event.message)}",
        severity=Severity.ERROR,
        confidence=Confidence(1.0, (Reason("the error was raised here", 1.0),)),
        category="runtime",
        related=tuple(_frame_related(f) for f in event.frames),
        located=True,
        error_type=event.error_type,
        notes=("the error: no rule explains it",),
    )


def _frame_related(frame: Frame) -> Related:
    line = max((frame.line or 1) - 1, 0)
    where = f"in {frame.function}" if frame.function else "frame"
    return Related(
        frame.resolved or frame.file, Span.of(line, 0, line, 0), f"{where}: {frame.source or ''}".strip()
    )


def failing_frame(entry: RuntimeEntry) -> Frame | None:
    """The frame whose printed line the entry's finding sits on."""
    frames = [*entry.event.frames, *(f for c in entry.event.chain for f in c.frames)]
    for frame in reversed(frames):
        if frame.resolved == entry.finding.path and frame.line is not None:
            return frame
    return None


def relocate(entry: RuntimeEntry, document: Document) -> RuntimeEntry:
    """The entry checked against the file's current text: kept, moved or stale.

    Its (moved) line still reads as when the error was seen: kept, with the
    columns it had. Otherwise the printed source line is searched near the old
    place (the engine's ``find_line``); found, the finding moves there whole; not
    found, it stays where the edits moved it and is marked stale, so it never
    lands on an unrelated line.
    """
    line = entry.finding.span.start.line
    if normalized(document.line(line)) != entry.expected:
        frame = failing_frame(entry)
        hit = (
            find_line(document, replace(frame, line=line + 1)) if frame is not None and frame.source else None
        )
        if hit is None or normalized(document.line(hit.line)) != entry.expected:
            return replace(entry, stale=True)
        line = hit.line
    seen = entry.seen_span
    delta = line - seen.start.line
    text = document.line(line)
    shift = (len(text) - len(text.lstrip())) - entry.seen_indent
    end_col = seen.end.col + shift if seen.end.line == seen.start.line else seen.end.col
    span = Span(Pos(line, max(seen.start.col + shift, 0)), Pos(seen.end.line + delta, max(end_col, 0)))
    return replace(entry, finding=replace(entry.finding, span=span), stale=False)


class RuntimeStore:
    """Runtime entries by key; read and written on the event loop's thread only."""

    def __init__(self) -> None:
        self._entries: dict[int, RuntimeEntry] = {}
        self._next = 1

    def next_key(self) -> int:
        key = self._next
        self._next += 1
        return key

    def replace_source(self, source: str, entries: Iterable[RuntimeEntry]) -> set[str]:
        """Swap a source's entries for a newer batch; the URIs whose diagnostics changed."""
        touched = self.clear(source)
        for entry in entries:
            self._entries[entry.key] = entry
            touched.add(entry.uri)
        return touched

    def clear(self, source: str | None = None) -> set[str]:
        gone = [k for k, e in self._entries.items() if source is None or e.source == source]
        touched = {self._entries[k].uri for k in gone}
        for key in gone:
            del self._entries[key]
        return touched

    def update(self, entry: RuntimeEntry) -> None:
        if entry.key in self._entries:
            self._entries[entry.key] = entry

    def get(self, key: int) -> RuntimeEntry | None:
        return self._entries.get(key)

    def for_uri(self, uri: str) -> list[RuntimeEntry]:
        return [e for e in self._entries.values() if e.uri == uri]

    def uris(self) -> set[str]:
        return {e.uri for e in self._entries.values()}

    def sources(self) -> set[str]:
        return {e.source for e in self._entries.values()}

    def __len__(self) -> int:
        return len(self._entries)
