"""Scanning a tree with the pattern rules: parallel across processes, cached by content.

A warm re-scan of an unchanged tree costs a ``stat`` per file: results are kept in
``<root>/.homeostasis/cache/`` keyed by the rules, the settings and each file's
size, mtime and content hash. A file whose mtime is too recent to trust, or whose
size or mtime changed, is hashed; only files whose content changed are parsed.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from homeostasis import __version__
from homeostasis.model import Document, Finding, Settings
from homeostasis.workspace.files import SourceFile, read_source
from homeostasis.workspace.project import Project, build_project

# Below this many files to parse, a worker pool costs more than it saves.
PARALLEL_THRESHOLD = 200
CHUNK = 48
# An mtime this close to when the cache was written may hide a same-size edit.
MTIME_SLACK_NS = 2_000_000_000


@dataclass(frozen=True)
class FileResult:
    path: str  # root-relative POSIX path
    size: int
    mtime_ns: int
    digest: str
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class ScanResult:
    findings: tuple[Finding, ...]
    skipped: tuple[tuple[str, str], ...]  # (path, reason)
    scanned: int  # files analysed or served from the cache
    from_cache: int = 0


# Per process: forked workers inherit the parent's already-built engine, and a command
# that built one to read its settings hands it over (``adopt``) instead of loading twice.
_projects: dict[tuple[Settings, tuple[str, ...]], Project] = {}


def adopt(project: Project, rule_dirs: tuple[str, ...]) -> None:
    _projects[(project.engine.settings, rule_dirs)] = project


def _project(settings: Settings, rule_dirs: tuple[str, ...]) -> Project:
    key = (settings, rule_dirs)
    if key not in _projects:
        _projects[key] = build_project(settings, [Path(d) for d in rule_dirs])
    return _projects[key]


def relative(path: str, root: str) -> str:
    # String arithmetic, not pathlib: this runs for every file of a scan.
    full = os.path.abspath(path)
    base = os.path.abspath(root).rstrip(os.sep) + os.sep
    if full.startswith(base):
        return full[len(base) :].replace(os.sep, "/")
    return Path(path).as_posix()


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def scan_files(
    paths: Sequence[str], root: str, settings: Settings, rule_dirs: tuple[str, ...], with_fixes: bool
) -> tuple[list[FileResult], list[tuple[str, str]]]:
    project = _project(settings, rule_dirs)
    engine, registry = project.engine, project.registry
    results: list[FileResult] = []
    skipped: list[tuple[str, str]] = []
    for path in paths:
        language = registry.for_path(path)
        if language is None:
            continue
        loaded = read_source(Path(path), settings.max_file_bytes)
        if not isinstance(loaded, SourceFile):
            skipped.append((path, loaded.reason))
            continue
        rel = relative(path, root)
        try:
            stat = os.stat(path)
            found = engine.check(Document(rel, loaded.text, language.id), with_fixes=with_fixes)
        except Exception as exc:  # one pathological file must not lose the whole scan
            skipped.append((path, f"internal error while scanning: {exc!r}"))
            continue
        results.append(FileResult(rel, stat.st_size, stat.st_mtime_ns, digest(loaded.text), tuple(found)))
    return results, skipped


@dataclass
class ScanCache:
    """Per-file results of earlier scans with the same rules and settings."""

    target: Path | None
    written_at: int = 0
    entries: dict[str, FileResult] = field(default_factory=dict)

    @staticmethod
    def open(root: Path, fingerprint: str) -> ScanCache:
        target = root / ".homeostasis" / "cache" / f"scan-{fingerprint}.pickle"
        try:
            with target.open("rb") as handle:
                written_at, entries = pickle.load(handle)
            return ScanCache(target, written_at, dict(entries))
        except Exception:  # missing, corrupt or from another version: start empty
            return ScanCache(target)

    def lookup(self, path: str, rel: str) -> FileResult | None:
        entry = self.entries.get(rel)
        if entry is None:
            return None
        try:
            stat = os.stat(path)
        except OSError:
            return None
        trusted = entry.mtime_ns < self.written_at - MTIME_SLACK_NS
        if trusted and stat.st_size == entry.size and stat.st_mtime_ns == entry.mtime_ns:
            return entry
        try:
            with open(path, "rb") as handle:
                data = handle.read()
            text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        if digest(text) != entry.digest:
            return None
        refreshed = FileResult(rel, stat.st_size, stat.st_mtime_ns, entry.digest, entry.findings)
        self.entries[rel] = refreshed
        return refreshed

    def save(self, results: Sequence[FileResult]) -> None:
        if self.target is None:
            return
        self.entries.update((r.path, r) for r in results)
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
            gitignore = self.target.parent.parent / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("# Written by homeostasis: local caches and statistics.\n*\n")
            with tempfile.NamedTemporaryFile("wb", dir=self.target.parent, delete=False) as handle:
                pickle.dump((time.time_ns(), self.entries), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(handle.name, self.target)
        except OSError:
            pass  # a read-only checkout still scans, just without a cache


def fingerprint(settings: Settings, rule_dirs: tuple[str, ...], with_fixes: bool) -> str:
    # The project's rule fingerprint (computed when its rules were loaded) covers the plugins' too.
    rules = _project(settings, rule_dirs).rules_key
    text = f"{__version__}|{rules}|{settings!r}|{with_fixes}"
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def scan(
    files: list[str],
    root: str,
    settings: Settings,
    rule_dirs: tuple[str, ...],
    *,
    with_fixes: bool,
    jobs: int,
    use_cache: bool,
) -> ScanResult:
    cache = ScanCache.open(Path(root), fingerprint(settings, rule_dirs, with_fixes)) if use_cache else None
    hits: list[FileResult] = []
    todo: list[str] = []
    for path in files:
        hit = cache.lookup(path, relative(path, root)) if cache is not None else None
        if hit is None:
            todo.append(path)
        else:
            hits.append(hit)
    fresh, skipped = _analyse(todo, root, settings, rule_dirs, with_fixes, jobs)
    if cache is not None and fresh:
        cache.save(fresh)
    findings = tuple(f for r in (*hits, *fresh) for f in r.findings)
    return ScanResult(findings, tuple(skipped), len(hits) + len(fresh), len(hits))


def _analyse(
    files: list[str], root: str, settings: Settings, rule_dirs: tuple[str, ...], with_fixes: bool, jobs: int
) -> tuple[list[FileResult], list[tuple[str, str]]]:
    workers = jobs or (os.cpu_count() or 1)
    if workers <= 1 or len(files) < PARALLEL_THRESHOLD:
        return scan_files(files, root, settings, rule_dirs, with_fixes)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    project = _project(settings, rule_dirs)  # built once here, inherited by forked workers
    languages = {lang.id for lang in map(project.registry.for_path, files) if lang is not None}
    project.engine.prepare(languages)
    chunks = [files[i : i + CHUNK] for i in range(0, len(files), CHUNK)]
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    results: list[FileResult] = []
    skipped: list[tuple[str, str]] = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method)) as pool:
        futures = [pool.submit(scan_files, chunk, root, settings, rule_dirs, with_fixes) for chunk in chunks]
        for future in futures:
            part, part_skipped = future.result()
            results.extend(part)
            skipped.extend(part_skipped)
    return results, skipped


def in_shard(rel: str, index: int, count: int) -> bool:
    """Whether a file belongs to shard ``index`` (1-based) of ``count``: by path hash, so
    every machine splits the same tree the same way and shards stay balanced."""
    value = int.from_bytes(hashlib.sha1(rel.encode()).digest()[:8], "big")
    return value % count == index - 1
