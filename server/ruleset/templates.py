"""Reading fix templates from rule folders into a TemplateLibrary."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from homeostasis.fixes.templates import TemplateLibrary
from homeostasis.ruleset.loader import builtin_rules_root


def load_templates(extra_roots: Iterable[Path] = ()) -> TemplateLibrary:
    """Built-in templates, overlaid by ``templates/`` folders of user rule directories.

    Names are paths under a ``templates`` folder, e.g. ``python/guard.j2``; a user's
    template of the same name replaces the built-in one.
    """
    roots = (builtin_rules_root() / "templates", *(Path(r) / "templates" for r in extra_roots))
    return TemplateLibrary(_OnFirstUse(roots))


class _OnFirstUse(Mapping[str, str]):
    """The templates under ``roots``, read when first looked up: most commands (a scan without
    fixes, a server until its first code action) never render one."""

    def __init__(self, roots: tuple[Path, ...]) -> None:
        self._roots = roots
        self._sources: dict[str, str] | None = None

    def _read(self) -> dict[str, str]:
        if self._sources is None:
            sources: dict[str, str] = {}
            for root in self._roots:
                if not root.is_dir():
                    continue
                for file in sorted(root.rglob("*.j2")):
                    try:
                        sources[file.relative_to(root).as_posix()] = file.read_text(encoding="utf-8")
                    except (OSError, UnicodeDecodeError):
                        continue
            self._sources = sources
        return self._sources

    def __getitem__(self, name: str) -> str:
        return self._read()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())
