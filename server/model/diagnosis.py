"""The engine's answer for one error event."""

from __future__ import annotations

from dataclasses import dataclass

from homeostasis.model.error_event import ErrorEvent
from homeostasis.model.finding import Finding


@dataclass(frozen=True, slots=True)
class Diagnosis:
    event: ErrorEvent
    findings: tuple[Finding, ...]  # best first; the root cause leads
    problems: tuple[str, ...] = ()  # why nothing (or less) could be done, in words

    @property
    def best(self) -> Finding | None:
        return self.findings[0] if self.findings else None
