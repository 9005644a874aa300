"""Building an engine for a workspace: plugins, rules, templates and settings together."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from homeostasis.engine import Engine
from homeostasis.engine.frameworks import with_declared
from homeostasis.model import Settings
from homeostasis.plugins.registry import Registry, load_registry
from homeostasis.ruleset.cache import load_keyed
from homeostasis.ruleset.loader import Problem, builtin_rule_paths, builtin_rules_root, load_rules
from homeostasis.ruleset.templates import load_templates
from homeostasis.workspace.manifests import declared_frameworks


@dataclass(frozen=True)
class Project:
    engine: Engine
    registry: Registry
    rule_problems: tuple[Problem, ...]
    rules_key: str | None = None  # changes whenever a rule file (built-in, plugin or user) does


_PREDICATE = re.compile(rb"\(#[^()]*\)")


def query_checker(registry: Registry) -> object:
    def check(language_id: str, source: str) -> str | None:
        language = registry.get(language_id)
        if language is None:
            return f"no language plugin '{language_id}'"
        import tree_sitter

        try:
            query = tree_sitter.Query(language.grammar_cached, source)
        except Exception as exc:  # tree-sitter reports query errors with several exception types
            return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        # A predicate written outside the pattern's parentheses becomes a pattern of its
        # own that matches everything; every pattern must report an @target.
        encoded = source.encode("utf-8")
        for index in range(query.pattern_count):
            text = encoded[query.start_byte_for_pattern(index) : query.end_byte_for_pattern(index)]
            if b"@target" not in _PREDICATE.sub(b"", text):
                snippet = text.decode("utf-8", "replace").strip().splitlines()[0][:60]
                return (
                    f"pattern {index + 1} ({snippet!r}) has no @target capture; "
                    "wrap predicates in its parentheses"
                )
        return None

    return check


def build_project(
    settings: Settings | None = None, rule_dirs: Sequence[Path] = (), root: Path | None = None
) -> Project:
    """The built-in rules plus ``rule_dirs`` (user rules; trusted by the caller).

    With a ``root``, the frameworks its manifests declare join the settings' own.
    """
    registry = load_registry()
    plugin_dirs = [folder for language in registry for folder in language.rule_folders()]
    paths = [*builtin_rule_paths(), *plugin_dirs, *rule_dirs]
    checker = query_checker(registry)
    builtin = builtin_rules_root().resolve()

    def shipped(path: Path) -> bool:
        return path.resolve().is_relative_to(builtin)

    result, key = load_keyed(
        paths,
        lambda files: load_rules(files, check_query=checker, shipped=shipped),  # type: ignore[arg-type]
    )
    templates = load_templates([*plugin_dirs, *rule_dirs])
    settings = settings or Settings()
    if root is not None:
        settings = with_declared(settings, declared_frameworks([root], result.rules.frameworks))
    engine = Engine(registry, result.rules, settings, templates)
    return Project(engine, registry, result.problems, key)
