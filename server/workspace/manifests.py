"""Reading a folder's dependency manifests (the parsing itself is pure: engine/manifests.py)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from homeostasis.engine.manifests import packages_in, parser_for
from homeostasis.model import Declared, FrameworkCatalog

_MAX_BYTES = 2_000_000


def manifests_at(root: Path) -> dict[str, str]:
    """The manifests directly in ``root`` (name -> text); unreadable or huge ones are skipped."""
    found: dict[str, str] = {}
    try:
        entries = sorted(root.iterdir())
    except OSError:
        return found
    for entry in entries:
        if parser_for(entry.name) is None:
            continue
        try:
            if entry.is_file() and entry.stat().st_size <= _MAX_BYTES:
                found[entry.name] = entry.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
    return found


def declared_frameworks(roots: Iterable[Path], catalog: FrameworkCatalog) -> tuple[Declared, ...]:
    files: dict[str, str] = {}
    for root in roots:
        files.update(manifests_at(root))
    return catalog.declared_by(packages_in(files))
