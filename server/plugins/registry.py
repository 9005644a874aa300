"""Discovery of language plugins through the ``homeostasis.languages`` entry points."""

from __future__ import annotations

import fnmatch
import importlib
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from homeostasis.plugins.language import Language

ENTRY_POINT_GROUP = "homeostasis.languages"
MAX_REMEMBERED = 1 << 16


@dataclass(frozen=True)
class Registry:
    languages: Mapping[str, Language]
    # Plugins that failed to load, as "name: reason", for `homeostasis doctor`-style reporting.
    errors: tuple[str, ...] = ()
    # Claims depend only on a path's last few components, and a scan asks about every file
    # of the tree (names repeat: __init__.py, index.js): answers are kept per tail.
    _answers: dict[str, Language | None] = field(default_factory=dict, compare=False, repr=False)

    def get(self, language_id: str) -> Language | None:
        return self.languages.get(language_id)

    def for_path(self, path: str) -> Language | None:
        path = path.replace("\\", "/")
        tail = path.rpartition("/")[2]
        depth, names = self._folder_claims
        if names is not None and names.match(tail) and "/" in path:
            # A name a folder pattern could claim (".vscode/*.json"): its folders count too.
            tail = "/".join(path.rsplit("/", depth)[-depth:])
        try:
            return self._answers[tail]
        except KeyError:
            pass
        if len(self._answers) >= MAX_REMEMBERED:
            self._answers.clear()
        language = self._answers[tail] = self._claimant(tail)
        return language

    @cached_property
    def _folder_claims(self) -> tuple[int, re.Pattern[str] | None]:
        """The most trailing components a folder pattern spans, and the names it may claim."""
        patterns = [p for language in self.languages.values() for p in language.folder_patterns]
        if not patterns:
            return 1, None
        depth = max(p.count("/") + 1 for p in patterns)
        names = "|".join(f"(?:{fnmatch.translate(p.rpartition('/')[2])})" for p in patterns)
        return depth, re.compile(names)

    def _claimant(self, path: str) -> Language | None:
        for language in self.languages.values():
            if language.claims_path(path):
                return language
        name = path.rpartition("/")[2]  # for_path normalised the separators
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
    for name, target in entry_points(ENTRY_POINT_GROUP):
        try:
            plugin = _load(target)
            language = plugin() if isinstance(plugin, type) else plugin
        except Exception as exc:  # a broken third-party plugin must not take the tool down
            errors.append(f"{name}: {exc}")
            continue
        if isinstance(language, Language):
            found[language.id] = language
        else:
            errors.append(f"{name}: not a homeostasis Language")
    for language in extra:
        found[language.id] = language
    return Registry(found, tuple(errors))


def entry_points(group: str) -> list[tuple[str, str]]:
    """(name, "module:attribute") of each entry point in ``group``, from the distributions on
    ``sys.path`` in order; when two distributions declare the same name, the first wins.

    Read directly from the ``entry_points.txt`` files: importing ``importlib.metadata`` costs
    more than a whole cached start-up of the rules. Zipped ``sys.path`` entries, which only
    it can read, send us back to it.
    """
    points: dict[str, str] = {}
    distributions: set[str] = set()
    for folder in sys.path:
        if os.path.isfile(folder):
            from importlib.metadata import entry_points as metadata_entry_points

            return [(e.name, e.value) for e in metadata_entry_points(group=group)]
        try:
            with os.scandir(folder or ".") as entries:
                names = sorted(e.name for e in entries if e.name.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
        for name in names:
            distribution = name.partition("-")[0].lower().replace("-", "_").replace(".", "_")
            if distribution in distributions:
                continue  # shadowed by the same distribution earlier on the path
            distributions.add(distribution)
            text = _read(os.path.join(folder or ".", name, "entry_points.txt"))
            for point, target in _section(text, group):
                points.setdefault(point, target)
    return list(points.items())


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError):
        return ""


def _section(text: str, group: str) -> Iterator[tuple[str, str]]:
    """The ``name = value`` lines of the INI section ``[group]``."""
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
        elif current == group and "=" in line:
            name, _, value = line.partition("=")
            yield name.strip(), value.strip()


def _load(target: str) -> object:
    """The object an entry point names: ``module``, ``module:attr`` or ``module:attr.attr``."""
    module_name, _, attributes = target.partition(":")
    attributes = attributes.split("[", 1)[0].strip()  # drop any "[extras]"
    value: object = importlib.import_module(module_name.strip())
    for attribute in filter(None, attributes.split(".")):
        value = getattr(value, attribute)
    return value
