"""Frameworks as values: how a project shows it uses one, and the exceptions it adds.

They come from catalog files (``rules/<language>/frameworks/<name>.yaml``); the engine
uses them to scope rules and to extend a language's exception hierarchy.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from homeostasis.model.hierarchy import lineage


@dataclass(frozen=True)
class Framework:
    name: str
    language: str
    title: str = ""
    imports: tuple[str, ...] = ()  # modules whose import marks a file as using it
    packages: tuple[str, ...] = ()  # names in dependency manifests
    exceptions: tuple[tuple[str, str], ...] = ()  # child -> parent, short class names
    source_file: str = ""

    @property
    def modules(self) -> tuple[str, ...]:
        return self.imports or (self.name,)


@dataclass(frozen=True)
class Declared:
    """A framework a project declares: in a manifest, or forced in the configuration."""

    framework: str
    where: str  # "requirements.txt", "backend/package.json", "[tool.homeostasis] frameworks"...
    folder: str = ""  # the workspace folder it covers (POSIX, relative); "" covers every file

    def covers(self, path: str) -> bool:
        return not self.folder or path == self.folder or path.startswith(self.folder + "/")


def normalize_package(name: str) -> str:
    # PyPI treats "-", "_" and "." alike and ignores case; the other ecosystems are lowercase anyway.
    return re.sub(r"[-_.]+", "-", name.strip().lower())


def package_matches(declared: str, wanted: str) -> bool:
    """Whether a manifest entry names ``wanted`` or something under it.

    Maven groups and Go modules are prefixes: ``org.springframework`` covers
    ``org.springframework.boot:spring-boot-starter-web``.
    """
    d, w = declared.strip().lower(), wanted.strip().lower()
    if d == w or normalize_package(d) == normalize_package(w):
        return True
    return any(d.startswith(w + sep) for sep in (".", ":", "/"))


@dataclass(frozen=True)
class FrameworkCatalog:
    frameworks: tuple[Framework, ...] = ()
    _parents: dict[str, dict[str, str]] = field(default_factory=dict, init=False, repr=False, compare=False)
    # (language, top-level module) -> that framework's own hierarchy, the first framework winning
    _owners: dict[tuple[str, str], dict[str, str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        for fw in self.frameworks:
            self._parents.setdefault(fw.language, {}).update(dict(fw.exceptions))
            if fw.exceptions:
                for module in fw.modules:
                    self._owners.setdefault((fw.language, module.split(".", 1)[0]), dict(fw.exceptions))

    def get(self, name: str, language: str) -> Framework | None:
        """The framework named ``name`` for ``language``, else one of that name for any language
        (TypeScript files use the JavaScript catalog)."""
        fallback = None
        for fw in self.frameworks:
            if fw.name == name:
                if fw.language == language:
                    return fw
                fallback = fallback or fw
        return fallback

    def names(self) -> frozenset[str]:
        return frozenset(fw.name for fw in self.frameworks)

    def ancestors(
        self, language: str, error_type: str, base: Callable[[str], tuple[str, ...]]
    ) -> tuple[str, ...]:
        """``error_type`` and its bases: the frameworks' classes first, then the language's own.

        A framework class whose parent the catalog does not know hands over to the
        language's hierarchy at that parent (``ObjectDoesNotExist`` -> ``Exception``).
        """
        parents = self._owner_parents(language, error_type) or self._parents.get(language)
        if not parents:
            return base(error_type)
        short = re.split(r"[.$]", error_type)[-1]
        if short not in parents:
            return base(error_type)
        chain = lineage(short, parents)
        out = list(chain[:-1])
        for name in base(chain[-1]):
            if name not in out:
                out.append(name)
        return tuple(out)

    def _owner_parents(self, language: str, error_type: str) -> dict[str, str] | None:
        """The hierarchy of the framework whose package the qualified ``error_type`` is from:
        Django's and pydantic's ``ValidationError`` are different classes."""
        top = error_type.split(".", 1)[0]
        if top == error_type:
            return None
        return self._owners.get((language, top))

    def declared_by(self, entries: Iterable[tuple[str, str]]) -> tuple[Declared, ...]:
        """The frameworks that manifest ``entries`` (package, manifest path relative to the
        workspace) declare; a manifest in a subfolder covers that folder (a monorepo's parts)."""
        found: dict[tuple[str, str], Declared] = {}
        entries = list(entries)
        for fw in self.frameworks:
            if not fw.packages:
                continue
            for package, where in entries:
                folder = where.replace("\\", "/").rpartition("/")[0]
                if (fw.name, folder) in found:
                    continue
                if any(package_matches(package, wanted) for wanted in fw.packages):
                    found[(fw.name, folder)] = Declared(fw.name, where, folder)
        return tuple(found[key] for key in sorted(found))
