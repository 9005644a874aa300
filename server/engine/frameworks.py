"""Whether a framework-scoped rule applies here: the file's imports, then the project's manifests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from homeostasis.model import Declared, Document, FrameworkCatalog, Rule, Settings
from homeostasis.plugins.language import Language


@dataclass(frozen=True)
class Presence:
    present: bool
    reason: str


@dataclass(frozen=True)
class FrameworkScope:
    catalog: FrameworkCatalog
    declared: Mapping[str, tuple[Declared, ...]] = field(default_factory=dict)  # framework -> declarations

    @staticmethod
    def of(catalog: FrameworkCatalog, settings: Settings) -> FrameworkScope:
        declared: dict[str, list[Declared]] = {}
        for item in settings.frameworks:
            declared.setdefault(item.framework, []).append(item)
        return FrameworkScope(catalog, {name: tuple(items) for name, items in declared.items()})

    def ancestors(self, language: Language, error_type: str) -> tuple[str, ...]:
        return self.catalog.ancestors(language.id, error_type, language.exception_ancestors)

    def in_document(self, document: Document, language: Language) -> DocumentFrameworks:
        return DocumentFrameworks(self, document, language)

    def in_stack(self, rule: Rule, files: Sequence[str]) -> Presence | None:
        """Whether the failing stack runs through one of the rule's frameworks' installed code
        (``site-packages/django/...``, ``node_modules/express/...``)."""
        for name in rule.frameworks:
            framework = self.catalog.get(name, rule.language)
            title = framework.title if framework is not None and framework.title else name
            modules = framework.modules if framework is not None else (name,)
            tops = {module.split(".", 1)[0] for module in modules}
            for file in files:
                parts = file.replace("\\", "/").split("/")
                for i, part in enumerate(parts[:-1]):
                    if part in _PACKAGE_FOLDERS and parts[i + 1] in tops:
                        return Presence(True, f"the stack runs through {title}'s code ({parts[i + 1]}/)")
        return None


# Where installed packages live, per ecosystem.
_PACKAGE_FOLDERS = frozenset({"site-packages", "dist-packages", "node_modules", "gems", "vendor"})


class DocumentFrameworks:
    """Framework presence for one document, its imports read once (this runs per keystroke)."""

    def __init__(self, scope: FrameworkScope, document: Document, language: Language) -> None:
        self._scope = scope
        self._document = document
        self._language = language
        self._modules: frozenset[str] | None = None
        self._read = False
        self._by_frameworks: dict[tuple[str, ...], Presence] = {}

    def _imports(self, module: str) -> bool:
        if not self._read:
            self._modules = self._language.imported_modules(self._document)
            self._read = True
        if self._modules is None:
            return self._language.uses_framework(self._document, module)
        prefix = module + "."
        return any(m == module or m.startswith(prefix) for m in self._modules)

    def presence(self, rule: Rule) -> Presence | None:
        """None for a rule that is not scoped to a framework."""
        if not rule.frameworks:
            return None
        known = self._by_frameworks.get(rule.frameworks)
        if known is None:
            known = self._presence(rule.frameworks, rule.language)
            self._by_frameworks[rule.frameworks] = known
        return known

    def _presence(self, names: tuple[str, ...], language: str) -> Presence:
        catalog, path = self._scope.catalog, self._document.path
        titles = []
        for name in names:
            framework = catalog.get(name, language)
            title = framework.title if framework is not None and framework.title else name
            titles.append(title)
            modules = framework.modules if framework is not None else (name,)
            if any(self._imports(module) for module in modules):
                return Presence(True, f"{title} is imported in {path}")
        for name, title in zip(names, titles, strict=True):
            for item in self._scope.declared.get(name, ()):
                if item.covers(path):
                    return Presence(True, f"{title} is declared in {item.where}")
        shown = " or ".join(titles)
        return Presence(False, f"{shown} is neither imported in {path} nor declared by the project")


def with_declared(settings: Settings, declared: Sequence[Declared]) -> Settings:
    """``settings`` plus ``declared`` frameworks; what the user forced in the configuration wins."""
    forced = {d.framework for d in settings.frameworks}
    extra = tuple(d for d in declared if d.framework not in forced)
    return replace(settings, frameworks=(*settings.frameworks, *extra)) if extra else settings
