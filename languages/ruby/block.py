"""An exception being read, before it becomes an ``ErrorEvent``."""

from __future__ import annotations

from dataclasses import dataclass, field

from homeostasis.model import ChainedError, ChainRelation, ErrorEvent, Frame, Origin


@dataclass
class Block:
    """One exception while reading: frames innermost first, as Ruby prints them."""

    error_type: str
    message: str
    frames: list[Frame]
    start: int
    end: int
    notes: list[str] = field(default_factory=list)
    causes: list[Block] = field(default_factory=list)  # outermost cause first

    def event(self, origin: Origin) -> ErrorEvent:
        chain = tuple(
            ChainedError(c.error_type, c.message, ChainRelation.CAUSE, tuple(reversed(c.frames)))
            for c in reversed(self.causes)
        )
        end = max([self.end, *(c.end for c in self.causes)])
        return ErrorEvent(
            language="ruby",
            error_type=self.error_type,
            message=self.message,
            frames=tuple(reversed(self.frames)),
            chain=chain,
            origin=origin,
            text_start=self.start,
            text_end=end,
            notes=tuple(self.notes),
        )
