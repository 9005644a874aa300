"""Reading fix templates from rule folders into a TemplateLibrary."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from homeostasis.fixes.templates import TemplateLibrary
from homeostasis.ruleset.loader import builtin_rules_root


def load_templates(extra_roots: Iterable[Path] = ()) -> TemplateLibrary:
    """Built-in templates, overlaid by ``templates/`` folders of user rule directories.

    Names are paths under a ``templates`` folder, e.g. ``python/guard.j2``; a user's
    template of the same name replaces the built-in one.
    """
    sources: dict[str, str] = {}
    for root in (builtin_rules_root() / "templates", *(Path(r) / "templates" for r in extra_roots)):
        if not root.is_dir():
            continue
        for file in sorted(root.rglob("*.j2")):
            try:
                sources[file.relative_to(root).as_posix()] = file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
    return TemplateLibrary(sources)
