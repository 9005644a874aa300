"""User settings, as the engine consumes them (front ends read them from files/editors)."""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

from homeostasis.model.finding import Severity
from homeostasis.model.framework import Declared


@dataclass(frozen=True, slots=True)
class Settings:
    enable: tuple[str, ...] = ()  # rule-id globs; empty means every rule
    disable: tuple[str, ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()  # rule-id glob -> severity
    confidence_threshold: float = 0.0
    path_remaps: tuple[tuple[str, str], ...] = ()  # printed prefix -> workspace path
    unsafe_fixes: bool = False
    exclude: tuple[str, ...] = ()  # gitignore-style patterns
    max_file_bytes: int = 2_000_000
    # Frameworks the project declares (manifests) or the user forces; files' imports add to these.
    frameworks: tuple[Declared, ...] = ()

    def rule_enabled(self, rule_id: str) -> bool:
        if self.enable and not any(fnmatchcase(rule_id, g) for g in self.enable):
            return False
        return not any(fnmatchcase(rule_id, g) for g in self.disable)

    def severity_for(self, rule_id: str, default: Severity) -> Severity:
        for pattern, severity in self.severity:
            if fnmatchcase(rule_id, pattern):
                return severity
        return default
