"""Scanning a tree with the pattern rules: parallel across processes, cached by content.

A warm re-scan of an unchanged tree costs a ``stat`` per file: results are kept in
``<root>/.homeostasis/cache/`` keyed by the rules, the settings and each file's
size, mtime and content hash. A file whose mtime is too recent to trust, or whose
size or mtime changed, is hashed; only files whose content changed are parsed.
"""

from __future__ import annotations

import hashlib
import heapq
import os
import pickle
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from homeostasis import __version__
from homeostasis.fixes.edits import file_hash
from homeostasis.model import Document, Finding, Settings
from homeostasis.workspace.files import SourceFile, decode_source, read_source
from homeostasis.workspace.project import Project, build_project

# A worker is forked only for this many files to parse: fewer cost more to hand over than to scan.
MIN_FILES_PER_WORKER = 64
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
    return relative_to(root)(path)


def relative_to(root: str) -> Callable[[str], str]:
    """``relative`` for many files of one root, its prefix computed once."""
    base = os.path.abspath(root).rstrip(os.sep) + os.sep

    def rel(path: str) -> str:
        # String arithmetic, not pathlib: this runs for every file of a scan.
        full = os.path.abspath(path)
        if full.startswith(base):
            return full[len(base) :].replace(os.sep, "/")
        return Path(path).as_posix()

    return rel


def scan_files(
    paths: Sequence[str], root: str, settings: Settings, rule_dirs: tuple[str, ...], with_fixes: bool
) -> tuple[list[FileResult], list[tuple[str, str]]]:
    project = _project(settings, rule_dirs)
    engine, registry = project.engine, project.registry
    results: list[FileResult] = []
    skipped: list[tuple[str, str]] = []
    relative_path = relative_to(root)
    for path in paths:
        language = registry.for_path(path)
        if language is None:
            continue
        loaded = read_source(Path(path), settings.max_file_bytes)
        if not isinstance(loaded, SourceFile):
            skipped.append((path, loaded.reason))
            continue
        rel = relative_path(path)
        try:
            stat = os.stat(path)
            found = engine.check(Document(rel, loaded.text, language.id), with_fixes=with_fixes)
        except Exception as exc:  # one pathological file must not lose the whole scan
            skipped.append((path, f"internal error while scanning: {exc!r}"))
            continue
        results.append(FileResult(rel, stat.st_size, stat.st_mtime_ns, loaded.hash, tuple(found)))
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
            text, _ = decode_source(data)
        except (OSError, UnicodeDecodeError):
            return None
        # The same hash read_source gives a scanned file (FileResult.digest holds it).
        if file_hash(text) != entry.digest:
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
            import tempfile  # only a run that writes a cache pays for it

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
    rank: dict[str, int] = {}
    relative_path = relative_to(root)
    for path in files:
        rel = relative_path(path)
        rank[rel] = len(rank)
        hit = cache.lookup(path, rel) if cache is not None else None
        if hit is None:
            todo.append(path)
        else:
            hits.append(hit)
    fresh, skipped = _analyse(todo, root, settings, rule_dirs, with_fixes, jobs)
    if cache is not None and fresh:
        cache.save(fresh)
    # Workers and the cache return files in any order; the report follows the walk's.
    ordered = sorted((*hits, *fresh), key=lambda r: rank.get(r.path, len(rank)))
    findings = tuple(f for r in ordered for f in r.findings)
    skipped.sort(key=lambda item: rank.get(relative_path(item[0]), len(rank)))
    return ScanResult(findings, tuple(skipped), len(hits) + len(fresh), len(hits))


def _analyse(
    files: list[str], root: str, settings: Settings, rule_dirs: tuple[str, ...], with_fixes: bool, jobs: int
) -> tuple[list[FileResult], list[tuple[str, str]]]:
    workers = min(jobs or (os.cpu_count() or 1), len(files) // MIN_FILES_PER_WORKER)
    if workers <= 1 or not hasattr(os, "fork"):
        return scan_files(files, root, settings, rule_dirs, with_fixes)
    project = _project(settings, rule_dirs)  # built once here, inherited by the forked workers
    # By name only (answers the registry remembers): this only chooses what to compile early.
    names = {os.path.basename(path) for path in files}
    languages = {lang.id for lang in map(project.registry.for_path, names) if lang is not None}
    project.engine.prepare(languages)
    shares = balanced_shares(files, workers)
    children = [_fork_worker(share, root, settings, rule_dirs, with_fixes) for share in shares[1:]]
    # This process takes the first share itself instead of idling while the workers run.
    results, skipped = scan_files(shares[0], root, settings, rule_dirs, with_fixes)
    for child, share in zip(children, shares[1:], strict=True):
        part = _collect(child)
        if part is None:  # the worker died (killed, out of memory): its share is done here
            part = scan_files(share, root, settings, rule_dirs, with_fixes)
        results.extend(part[0])
        skipped.extend(part[1])
    return results, skipped


def balanced_shares(files: Sequence[str], count: int) -> list[list[str]]:
    """``files`` split into ``count`` shares of about equal bytes, biggest files placed first.

    Parsing and matching cost grows with a file's size, so equal bytes mean the workers
    finish together; a static split needs no coordination between processes.
    """
    sized = []
    for path in files:
        try:
            size = os.stat(path).st_size
        except OSError:
            size = 0
        sized.append((size, path))
    sized.sort(reverse=True)
    shares: list[list[str]] = [[] for _ in range(count)]
    loads = [(0, index) for index in range(count)]  # a heap of (bytes so far, share)
    for size, path in sized:
        load, index = heapq.heappop(loads)
        shares[index].append(path)
        heapq.heappush(loads, (load + size, index))
    return shares


def _fork_worker(
    share: list[str], root: str, settings: Settings, rule_dirs: tuple[str, ...], with_fixes: bool
) -> tuple[int, int]:
    """A forked process scanning ``share``; its results come back pickled through a pipe."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        status = 1
        try:
            payload = pickle.dumps(
                scan_files(share, root, settings, rule_dirs, with_fixes), pickle.HIGHEST_PROTOCOL
            )
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
            status = 0
        finally:
            # Never return into the parent's code, flush its buffers or run its exit handlers.
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def _collect(child: tuple[int, int]) -> tuple[list[FileResult], list[tuple[str, str]]] | None:
    pid, read_end = child
    with os.fdopen(read_end, "rb") as pipe:
        payload = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status != 0:
        return None
    try:
        part: tuple[list[FileResult], list[tuple[str, str]]] = pickle.loads(payload)
    except Exception:
        return None
    return part


def in_shard(rel: str, index: int, count: int) -> bool:
    """Whether a file belongs to shard ``index`` (1-based) of ``count``: by path hash, so
    every machine splits the same tree the same way and shards stay balanced."""
    value = int.from_bytes(hashlib.sha1(rel.encode()).digest()[:8], "big")
    return value % count == index - 1
