"""Compiled tree-sitter queries, built once per engine (compiling is the slow part)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from homeostasis.model import Rule
from homeostasis.plugins.language import Language

if TYPE_CHECKING:
    import tree_sitter


class QueryCache:
    def __init__(self) -> None:
        self._queries: dict[tuple[str, str], tree_sitter.Query] = {}
        self._combined: dict[tuple[str, tuple[str, ...]], CombinedQuery] = {}

    def get(self, language: Language, source: str) -> tree_sitter.Query:
        key = (language.id, source)
        query = self._queries.get(key)
        if query is None:
            import tree_sitter

            query = tree_sitter.Query(language.grammar_cached, source)
            self._queries[key] = query
        return query

    def combined(self, language: Language, rules: Sequence[Rule]) -> CombinedQuery:
        """All pattern rules of a language in one query, so a file is walked once."""
        key = (language.id, tuple(r.id for r in rules))
        combined = self._combined.get(key)
        if combined is None:
            combined = CombinedQuery.build(self, language, rules)
            self._combined[key] = combined
        return combined


@dataclass(frozen=True)
class CombinedQuery:
    query: tree_sitter.Query | None
    rules: tuple[Rule, ...]
    # rule id -> compiled (inside, not-inside) context queries, for rules that have them
    contexts: dict[str, tuple[tree_sitter.Query | None, tree_sitter.Query | None]] = field(
        default_factory=dict
    )
    # The rule of each pattern index, looked up once instead of for every match.
    by_pattern: tuple[Rule, ...] = ()

    @staticmethod
    def build(cache: QueryCache, language: Language, rules: Sequence[Rule]) -> CombinedQuery:
        parts: list[str] = []
        starts: list[int] = []  # byte offset in the combined source where each rule's query starts
        offset = 0
        for rule in rules:
            assert rule.pattern is not None
            starts.append(offset)
            chunk = rule.pattern.query.rstrip() + "\n"
            parts.append(chunk)
            offset += len(chunk.encode("utf-8"))
        query = cache.get(language, "".join(parts)) if parts else None
        contexts = {}
        for rule in rules:
            assert rule.pattern is not None
            inside, not_inside = rule.pattern.inside, rule.pattern.not_inside
            if inside is not None or not_inside is not None:
                contexts[rule.id] = (
                    cache.get(language, inside.query) if inside is not None else None,
                    cache.get(language, not_inside.query) if not_inside is not None else None,
                )
        by_pattern: tuple[Rule, ...] = ()
        if query is not None:
            by_pattern = tuple(
                rules[bisect.bisect_right(starts, query.start_byte_for_pattern(index)) - 1]
                for index in range(query.pattern_count)
            )
        return CombinedQuery(query, tuple(rules), contexts, by_pattern)
