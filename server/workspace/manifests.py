"""Reading a folder's dependency manifests (the parsing itself is pure: engine/manifests.py)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from homeostasis.engine.manifests import packages_in, parser_for
from homeostasis.model import Declared, FrameworkCatalog
from homeostasis.workspace.files import ALWAYS_SKIPPED_DIRS

_MAX_BYTES = 2_000_000
MANIFEST_DEPTH = 2  # how deep below a workspace root manifests are looked for


def manifest_paths(root: Path, depth: int = MANIFEST_DEPTH) -> list[Path]:
    """Manifests at ``root`` and in its folders down to ``depth`` levels (a monorepo's
    ``backend/``, ``services/api/``); hidden folders, virtualenvs and dependencies skipped."""
    try:
        entries = sorted(root.iterdir())
    except OSError:
        return []
    found = [e for e in entries if parser_for(e.name) is not None and e.is_file()]
    if depth <= 0:
        return found
    for folder in entries:
        skipped = folder.name.startswith(".") or folder.name in ALWAYS_SKIPPED_DIRS
        if skipped or not folder.is_dir() or folder.is_symlink() or (folder / "pyvenv.cfg").exists():
            continue
        found.extend(manifest_paths(folder, depth - 1))
    return found


def manifests_under(root: Path, depth: int = MANIFEST_DEPTH) -> dict[str, str]:
    """The texts of ``manifest_paths``, keyed by their path relative to ``root``; unreadable or
    huge ones are skipped."""
    found: dict[str, str] = {}
    for path in manifest_paths(root, depth):
        try:
            if path.stat().st_size <= _MAX_BYTES:
                found[path.relative_to(root).as_posix()] = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
    return found


def declared_frameworks(roots: Iterable[Path], catalog: FrameworkCatalog) -> tuple[Declared, ...]:
    files: dict[str, str] = {}
    for root in roots:
        files.update(manifests_under(root))
    return catalog.declared_by(packages_in(files))
