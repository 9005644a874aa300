"""A cache of loaded rule sets, so a command starts in milliseconds, not a second.

Loading validates every file against the schema and compiles every query; the
result depends only on the rule files, the schema and this version, so it is
pickled under the user's cache folder keyed by their paths, sizes and mtimes.
Any problem with the cache (unwritable, corrupt, stale) means a normal load.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path

from homeostasis import __version__
from homeostasis.ruleset.loader import LoadResult, expand_paths, schema_path


def cache_dir() -> Path:
    configured = os.environ.get("HOMEOSTASIS_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "homeostasis"


def rules_fingerprint(files: Sequence[Path]) -> str | None:
    """A key that changes whenever a rule file, the schema, the rule model's code or this version does."""
    digest = hashlib.sha256(__version__.encode())
    # The pickled values' classes live in these modules: a changed class must not unpickle stale data.
    code = Path(__file__).parent
    sources = [*sorted(code.glob("*.py")), *sorted((code.parent / "model").glob("*.py"))]
    try:
        for file in (schema_path(), *sources, *files):
            # abspath, not resolve(): the key only needs to tell files apart, and resolving
            # every rule file's links costs more than the rest of a cached start-up.
            name = os.path.abspath(file)
            stat = os.stat(name)
            digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    except OSError:
        return None
    return digest.hexdigest()[:32]


def load_cached(paths: Sequence[Path], load: Callable[[list[Path]], LoadResult]) -> LoadResult:
    return load_keyed(paths, load)[0]


def load_keyed(
    paths: Sequence[Path], load: Callable[[list[Path]], LoadResult]
) -> tuple[LoadResult, str | None]:
    """The rules of ``paths`` and their fingerprint (None when a file cannot be read)."""
    files = expand_paths(paths)
    key = rules_fingerprint(files)
    return _load_cached(files, key, load), key


def _load_cached(files: list[Path], key: str | None, load: Callable[[list[Path]], LoadResult]) -> LoadResult:
    if key is None or os.environ.get("HOMEOSTASIS_NO_CACHE"):
        return load(files)
    target = cache_dir() / f"rules-{key}.pickle"
    try:
        with target.open("rb") as source:
            cached = pickle.load(source)
        if isinstance(cached, LoadResult):
            return cached
    except Exception:  # missing, truncated or from another version: load normally
        pass
    result = load(files)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # only a run that writes a cache pays for it

        with tempfile.NamedTemporaryFile("wb", dir=target.parent, delete=False) as handle:
            pickle.dump(result, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, target)
        _prune(target.parent, keep=target)
    except OSError:
        pass  # a read-only home is fine: we just load every time
    return result


def _prune(folder: Path, keep: Path, count: int = 8) -> None:
    """Drop all but the newest few rule caches: every edit of a rule file writes a new one."""
    caches = sorted(folder.glob("rules-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in caches[count:]:
        if old != keep:
            old.unlink(missing_ok=True)
