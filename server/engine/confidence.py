"""Confidence as a base value plus named evidence, so every score can be explained."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from homeostasis.model import Confidence, Reason

# How much each kind of evidence moves a score; documented in README "Confidence".
LOCATED_NODE = 0.10
CAPTURE_IN_SOURCE = 0.10
LINE_ONLY = -0.15
SOURCE_MOVED = -0.05
NOT_IN_WORKSPACE = -0.20
FRAMEWORK_PRESENT = 0.05
FRAMEWORK_ABSENT = -0.25
PATTERN_MATCH = 0.0


@dataclass(frozen=True)
class Evidence:
    base: float
    reasons: tuple[Reason, ...] = ()

    def add(self, text: str, delta: float) -> Evidence:
        return Evidence(self.base, (*self.reasons, Reason(text, delta)))

    def score(self) -> Confidence:
        return _score(self.base, self.reasons)


@lru_cache(maxsize=4096)
def _score(base: float, reasons: tuple[Reason, ...]) -> Confidence:
    # A rule's hits mostly carry the same evidence: one shared value instead of one per
    # finding (also pickled once when workers hand findings back).
    value = base + sum(r.delta for r in reasons)
    clamped = round(min(0.99, max(0.01, value)), 2)
    return Confidence(clamped, (Reason("rule's base confidence", base), *reasons))
