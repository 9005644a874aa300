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
    declared: Mapping[str, str] = field(default_factory=dict)  # framework -> where it is declared

    @staticmethod
    def of(catalog: FrameworkCatalog, settings: Settings) -> FrameworkScope:
        return FrameworkScope(catalog, {d.framework: d.where for d in settings.frameworks})

    def ancestors(self, language: Language, error_type: str) -> tuple[str, ...]:
        return self.catalog.ancestors(language.id, error_type, language.exception_ancestors)

    def presence(self, rule: Rule, document: Document, language: Language) -> Presence | None:
        """None for a rule that is not scoped to a framework."""
        if not rule.frameworks:
            return None
        titles = []
        for name in rule.frameworks:
            framework = self.catalog.get(name, rule.language)
            title = framework.title if framework is not None and framework.title else name
            titles.append(title)
            modules = framework.modules if framework is not None else (name,)
            if any(language.uses_framework(document, module) for module in modules):
                return Presence(True, f"{title} is imported in {document.path}")
        for name, title in zip(rule.frameworks, titles, strict=True):
            if name in self.declared:
                return Presence(True, f"{title} is declared in {self.declared[name]}")
        shown = " or ".join(titles)
        return Presence(False, f"{shown} is neither imported in {document.path} nor declared by the project")


def with_declared(settings: Settings, declared: Sequence[Declared]) -> Settings:
    """``settings`` plus ``declared`` frameworks; what the user forced in the configuration wins."""
    forced = {d.framework for d in settings.frameworks}
    extra = tuple(d for d in declared if d.framework not in forced)
    return replace(settings, frameworks=(*settings.frameworks, *extra)) if extra else settings
