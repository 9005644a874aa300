"""A problem found in a rule or framework file."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong with a rule file, precise enough to fix without searching."""

    file: str
    line: int | None
    rule_id: str | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        rule = f" [{self.rule_id}]" if self.rule_id else ""
        return f"{where}:{rule} {self.field}: {self.message}"
