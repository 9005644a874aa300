"""What the rule base covers: error families, languages, frameworks and rule sets, as plain data.

An *error family* is a rule's ``category`` (``key-error``, ``comparison``...); a *rule
set* is a folder of rule files, named by its path under the rules root
(``python/runtime``, ``python/django``). Nothing here prints or reads files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from homeostasis.model import Rule

GENERIC = "(any framework)"


@dataclass(frozen=True)
class Tally:
    """Counts for a group of rules."""

    rules: int = 0
    with_fixes: int = 0
    with_tests: int = 0
    fix_tested: int = 0  # rules with a fix and a test that checks the fixed output
    fixes: int = 0
    tests: int = 0
    runtime: int = 0
    pattern: int = 0

    def add(self, rule: Rule) -> Tally:
        return replace(
            self,
            rules=self.rules + 1,
            with_fixes=self.with_fixes + bool(rule.fixes),
            with_tests=self.with_tests + bool(rule.tests),
            fix_tested=self.fix_tested + fix_tested(rule),
            fixes=self.fixes + len(rule.fixes),
            tests=self.tests + len(rule.tests),
            runtime=self.runtime + (rule.kind.value == "runtime"),
            pattern=self.pattern + (rule.kind.value == "pattern"),
        )

    def to_json(self) -> dict[str, int]:
        return {
            "rules": self.rules,
            "with_fixes": self.with_fixes,
            "with_tests": self.with_tests,
            "fix_tested": self.fix_tested,
            "fixes": self.fixes,
            "tests": self.tests,
            "runtime": self.runtime,
            "pattern": self.pattern,
        }


def fix_tested(rule: Rule) -> bool:
    return bool(rule.fixes) and any(t.fixed is not None or t.fixed_files for t in rule.tests)


@dataclass(frozen=True)
class Coverage:
    total: Tally
    languages: tuple[str, ...]
    families: tuple[str, ...]
    cells: Mapping[tuple[str, str], Tally]  # (language, family)
    by_language: Mapping[str, Tally]
    by_family: Mapping[str, Tally]
    by_framework: Mapping[str, Tally]
    by_ruleset: Mapping[str, Tally]
    error_types: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # language -> types

    def cell(self, language: str, family: str) -> Tally:
        return self.cells.get((language, family), Tally())

    def to_json(self) -> dict[str, Any]:
        def table(groups: Mapping[str, Tally]) -> dict[str, dict[str, int]]:
            return {name: tally.to_json() for name, tally in groups.items()}

        return {
            "total": self.total.to_json(),
            "languages": table(self.by_language),
            "families": table(self.by_family),
            "frameworks": table(self.by_framework),
            "rule_sets": table(self.by_ruleset),
            "matrix": [
                {"language": language, "family": family, **tally.to_json()}
                for (language, family), tally in sorted(self.cells.items())
            ],
            "error_types": {language: list(types) for language, types in self.error_types.items()},
        }


def compute_coverage(rules: Iterable[Rule], ruleset_of: Callable[[Rule], str]) -> Coverage:
    total = Tally()
    cells: dict[tuple[str, str], Tally] = {}
    languages: dict[str, Tally] = {}
    families: dict[str, Tally] = {}
    frameworks: dict[str, Tally] = {}
    rulesets: dict[str, Tally] = {}
    error_types: dict[str, set[str]] = {}
    for rule in rules:
        total = total.add(rule)
        key = (rule.language, rule.category)
        cells[key] = cells.get(key, Tally()).add(rule)
        for groups, name in (
            (languages, rule.language),
            (families, rule.category),
            (rulesets, ruleset_of(rule)),
        ):
            groups[name] = groups.get(name, Tally()).add(rule)
        for framework in rule.frameworks or (GENERIC,):
            frameworks[framework] = frameworks.get(framework, Tally()).add(rule)
        if rule.runtime is not None:
            error_types.setdefault(rule.language, set()).update(rule.runtime.error_types)
    return Coverage(
        total=total,
        languages=tuple(sorted(languages)),
        # Most-covered families first: the heat map reads top-down from strengths to gaps.
        families=tuple(sorted(families, key=lambda f: (-families[f].rules, f))),
        cells=dict(sorted(cells.items())),
        by_language=dict(sorted(languages.items())),
        by_family=dict(sorted(families.items(), key=lambda item: (-item[1].rules, item[0]))),
        by_framework=dict(sorted(frameworks.items())),
        by_ruleset=dict(sorted(rulesets.items())),
        error_types={language: tuple(sorted(types)) for language, types in sorted(error_types.items())},
    )


def ruleset_namer(roots: Iterable[Path]) -> Callable[[Rule], str]:
    """Names a rule's set by its folder's path under the first root that holds it."""
    resolved = [Path(r).absolute() for r in roots]

    def name(rule: Rule) -> str:
        folder = Path(rule.source_file).absolute().parent
        for root in resolved:
            if folder.is_relative_to(root):
                relative = folder.relative_to(root).as_posix()
                return root.name if relative == "." else relative
        return folder.name

    return name
