"""An exception being read, before it becomes an ``ErrorEvent``, and PHP's frame convention."""

from __future__ import annotations

from dataclasses import dataclass, field

from homeostasis.model import ChainedError, ChainRelation, ErrorEvent, Frame, Origin


@dataclass(frozen=True)
class Entry:
    """One printed trace line: where ``callee`` was called (``#0 file(line): callee()``)."""

    file: str | None
    line: int | None
    callee: str


@dataclass
class Block:
    error_type: str
    message: str
    file: str | None  # where it was raised (the header's `in FILE:LINE`)
    line: int | None
    start: int
    end: int
    entries: list[Entry] = field(default_factory=list)  # innermost first, as PHP prints `#N`
    call_site: tuple[str, int] | None = None  # `called in X on line N` when no trace says it
    function: str | None = None  # the function raising it, when the message names it
    notes: list[str] = field(default_factory=list)
    previous: list[Block] = field(default_factory=list)  # deepest first

    def frames(self) -> tuple[Frame, ...]:
        """Outermost first. PHP names the *called* function on each trace line; a frame here
        carries the function its line is in, which is the callee of the next line out."""
        inner: list[Frame] = []
        callees = [e.callee for e in self.entries]
        if self.file is not None:
            inner.append(Frame(self.file, self.line, callees[0] if callees else self.function))
        for index, entry in enumerate(self.entries):
            if entry.callee == "{main}":
                break
            within = callees[index + 1] if index + 1 < len(callees) else None
            file = entry.file if entry.file is not None else "[internal function]"
            inner.append(Frame(file, entry.line, within))
        if not self.entries and self.call_site is not None:
            inner.append(Frame(self.call_site[0], self.call_site[1], None))
        return tuple(reversed(inner))

    def event(self, origin: Origin) -> ErrorEvent:
        chain = tuple(
            ChainedError(b.error_type, b.message, ChainRelation.CAUSE, b.frames()) for b in self.previous
        )
        return ErrorEvent(
            language="php",
            error_type=self.error_type,
            message=self.message,
            frames=self.frames(),
            chain=chain,
            origin=origin,
            text_start=min([self.start, *(b.start for b in self.previous)]),
            text_end=max([self.end, *(b.end for b in self.previous)]),
            notes=tuple(self.notes),
        )
