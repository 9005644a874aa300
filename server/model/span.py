"""Positions in a document: 0-based lines, columns counted in code points."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Pos:
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.line + 1}:{self.col + 1}"


@dataclass(frozen=True, order=True)
class Span:
    start: Pos
    end: Pos

    @staticmethod
    def of(line: int, col: int, end_line: int, end_col: int) -> Span:
        return Span(Pos(line, col), Pos(end_line, end_col))

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def __str__(self) -> str:
        return f"{self.start}-{self.end}"
