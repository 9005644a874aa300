"""Moving positions and line intervals through a text change, in engine coordinates.

A finding computed for one version of a document stays meaningful in the next
one if no change touched it: it only moves. Findings a change touches are not
moved but re-examined (pattern findings are re-queried, runtime ones
relocated by their printed source line).
"""

from __future__ import annotations

from dataclasses import dataclass

from homeostasis.model import Pos, Span


@dataclass(frozen=True, slots=True)
class Change:
    """``[start, old_end)`` of the old text became ``[start, new_end)`` of the new one."""

    start: Pos
    old_end: Pos
    new_end: Pos

    @property
    def line_delta(self) -> int:
        return self.new_end.line - self.old_end.line


def shift_pos(pos: Pos, change: Change) -> Pos:
    """Where a position at or after the change's old end lands in the new text."""
    if pos.line == change.old_end.line:
        return Pos(change.new_end.line, change.new_end.col + (pos.col - change.old_end.col))
    return Pos(pos.line + change.line_delta, pos.col)


def touches(span: Span, change: Change) -> bool:
    """The span overlaps the replaced text or borders it (an insertion next to it)."""
    return span.start <= change.old_end and change.start <= span.end


def map_span(span: Span, change: Change) -> Span | None:
    """The span in the new text, or None when the change touches it."""
    if span.end < change.start:
        return span
    if touches(span, change):
        return None
    return Span(shift_pos(span.start, change), shift_pos(span.end, change))


def clamp_span(span: Span, change: Change) -> Span:
    """A touched span's best guess in the new text: its start, kept out of the replaced part."""
    start = span.start if span.start <= change.start else change.start
    return Span(start, start)


Interval = tuple[int, int]  # inclusive 0-based line range


def map_interval(interval: Interval, change: Change) -> Interval:
    first, last = interval
    if last < change.start.line:
        return interval
    if first > change.old_end.line:
        return (first + change.line_delta, last + change.line_delta)
    new_last = last + change.line_delta if last > change.old_end.line else change.new_end.line
    return (min(first, change.start.line), max(new_last, change.new_end.line))


def merge_intervals(intervals: list[Interval]) -> list[Interval]:
    """Sorted, with overlapping or adjacent intervals joined."""
    merged: list[Interval] = []
    for first, last in sorted(intervals):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def intersects(span: Span, intervals: list[Interval]) -> bool:
    return any(first <= span.end.line and span.start.line <= last for first, last in intervals)
