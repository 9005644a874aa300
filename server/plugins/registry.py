"""Discovery of language plugins through the ``homeostasis.languages`` entry points."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from importlib.metadata import entry_points

from homeostasis.plugins.language import Language

ENTRY_POINT_GROUP = "homeostasis.languages"


@dataclass(frozen=True)
class Registry:
    languages: Mapping[str, Language]
    # Plugins that failed to load, as "name: reason", for `homeostasis doctor`-style reporting.
    errors: tuple[str, ...] = ()

    def get(self, language_id: str) -> Language | None:
        return self.languages.get(language_id)

    def for_path(self, path: str) -> Language | None:
        for language in self.languages.values():
            if language.claims_path(path):
                return language
        name = path.replace("\\", "/").rpartition("/")[2]
        suffix = os.path.splitext(name)[1].lower()
        return self._by_suffix.get(suffix) if suffix else None

    @cached_property
    def _by_suffix(self) -> dict[str, Language]:
        table: dict[str, Language] = {}
        for language in self.languages.values():
            for extension in language.extensions:
                table.setdefault(extension, language)
        return table

    def __iter__(self) -> Iterator[Language]:
        return iter(self.languages.values())

    @property
    def extensions(self) -> frozenset[str]:
        return frozenset(ext for lang in self for ext in lang.extensions)


def load_registry(extra: Iterable[Language] = ()) -> Registry:
    """Every installed language plugin. A plugin that fails to load is skipped, not fatal."""
    found: dict[str, Language] = {}
    errors: list[str] = []
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            plugin = entry.load()
            language = plugin() if isinstance(plugin, type) else plugin
        except Exception as exc:  # a broken third-party plugin must not take the tool down
            errors.append(f"{entry.name}: {exc}")
            continue
        if isinstance(language, Language):
            found[language.id] = language
        else:
            errors.append(f"{entry.name}: not a homeostasis Language")
    for language in extra:
        found[language.id] = language
    return Registry(found, tuple(errors))
