"""An immutable, indexed collection of rules in dependency order."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter

from homeostasis.model import FrameworkCatalog, Rule, RuleKind, Settings


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    frameworks: FrameworkCatalog = field(default_factory=FrameworkCatalog)
    _by_id: Mapping[str, Rule] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {rule.id: rule for rule in self.rules})

    @staticmethod
    def ordered(rules: Iterable[Rule], frameworks: FrameworkCatalog | None = None) -> RuleSet:
        """Rules sorted so that every rule comes after its ``requires`` and ``after``.

        Raises ``CycleError`` on a dependency cycle (the loader reports it first).
        """
        by_id = {rule.id: rule for rule in rules}
        sorter: TopologicalSorter[str] = TopologicalSorter()
        for rule in sorted(by_id.values(), key=lambda r: r.id):
            deps = [d for d in (*rule.requires, *rule.after) if d in by_id]
            sorter.add(rule.id, *deps)
        return RuleSet(tuple(by_id[i] for i in sorter.static_order()), frameworks or FrameworkCatalog())

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, rule_id: str) -> Rule | None:
        return self._by_id.get(rule_id)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._by_id

    def select(self, language: str, kind: RuleKind, settings: Settings) -> tuple[Rule, ...]:
        return tuple(
            r for r in self.rules if r.language == language and r.kind is kind and settings.rule_enabled(r.id)
        )


__all__ = ["CycleError", "RuleSet"]
