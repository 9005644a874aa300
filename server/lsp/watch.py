"""Files the server reacts to: error output the app writes, configuration, rules.

With clients that can watch files, the server registers its globs dynamically
(``workspace/didChangeWatchedFiles``) and re-registers them when settings
change. With clients that cannot (Neovim 0.7), it polls the same globs.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pathspec
from homeostasis.engine.manifests import PARSERS, parser_for
from homeostasis.lsp.folders import path_to_uri, uri_to_path
from homeostasis.lsp.ingest import ingest, read_error_file
from homeostasis.model import Origin
from homeostasis.workspace.manifests import MANIFEST_DEPTH, manifest_paths
from lsprotocol import types

if TYPE_CHECKING:
    from homeostasis.lsp.server import HomeostasisServer

log = logging.getLogger("homeostasis.lsp")

REGISTRATION_ID = "homeostasis-watched-files"
POLL_INTERVAL = 1.0
ERROR_FILE_SETTLE = 0.2  # an app may write its error file in several pieces
_CONFIG_NAMES = frozenset({"pyproject.toml"})
_RULE_SUFFIXES = frozenset({".yaml", ".yml", ".j2"})

Stamp = tuple[int, int]


def _error_spec(globs: Iterable[str]) -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines(list(globs))


class Watcher:
    def __init__(self, server: HomeostasisServer) -> None:
        self.server = server
        self._registered = False
        self._poller: asyncio.Task[None] | None = None
        self._stamps: dict[Path, Stamp] = {}
        self._pending: dict[Path, asyncio.TimerHandle] = {}

    # Setup -----------------------------------------------------------------------------

    async def start(self) -> None:
        if self.server.features.watch_dynamic:
            try:
                await self._register()
                return
            except Exception as exc:  # the client refused: watch the files ourselves
                self.server.warn(f"file watching not registered ({exc!r}); polling instead")
        if self._poller is None:
            self._stamps = self._scan()
            self._poller = self.server.spawn(self._poll(), "file polling")

    async def settings_changed(self) -> None:
        if self._poller is None and self.server.features.watch_dynamic:
            try:
                await self._register()
            except Exception as exc:
                self.server.warn(f"file watching not updated: {exc!r}")
        else:
            self._stamps = await asyncio.to_thread(_stamps, self._plan())

    def stop(self) -> None:
        if self._poller is not None:
            self._poller.cancel()
        for timer in self._pending.values():
            timer.cancel()

    def _watchers(self) -> list[types.FileSystemWatcher]:
        watchers: list[types.FileSystemWatcher] = []
        relative = self.server.features.relative_patterns
        for folder in self.server.ws.folders.values():
            options = self.server.ws.options(folder)
            manifests = [f"**/{glob}" for glob, _ in PARSERS if glob != "pyproject.toml"]
            globs = [*options.error_globs, "**/pyproject.toml", *manifests, ".homeostasis/rules/**"]
            globs.extend(f"{rule}/**" for rule in options.rules)
            # Source files: workspace diagnostics, and runtime errors of files that are not open
            # follow their edits on disk.
            globs.extend(f"**/*{ext}" for ext in sorted(self.server.ws.languages.extensions))
            for glob in globs:
                pattern: types.GlobPattern = (
                    types.RelativePattern(base_uri=folder.uri, pattern=glob)
                    if relative
                    else f"{folder.root.as_posix()}/{glob}"
                )
                watchers.append(types.FileSystemWatcher(glob_pattern=pattern))
        return watchers

    async def _register(self) -> None:
        if self._registered:
            await self.server.client_unregister_capability_async(
                types.UnregistrationParams(
                    [
                        types.Unregistration(
                            id=REGISTRATION_ID, method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES
                        )
                    ]
                )
            )
        options = types.DidChangeWatchedFilesRegistrationOptions(watchers=self._watchers())
        await self.server.client_register_capability_async(
            types.RegistrationParams(
                [
                    types.Registration(
                        id=REGISTRATION_ID,
                        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                        register_options=options,
                    )
                ]
            )
        )
        self._registered = True

    # Polling (clients without file watching) ---------------------------------------------

    def _plan(self) -> list[tuple[Path, tuple[str, ...], list[Path], list[Path]]]:
        """What to poll, read on the event loop's thread: (folder, error globs, rule folders,
        files with runtime errors that are not open)."""
        rule_dirs = self.server.ws.rule_folders()
        shown = [
            p
            for uri in self.server.runtime.uris()
            if self.server.documents.get(uri) is None and (p := uri_to_path(uri)) is not None
        ]
        plan = []
        for folder in self.server.ws.folders.values():
            mine = [d for d in rule_dirs if d == folder.root or folder.root in d.parents]
            files = [p for p in shown if folder.root in p.parents]
            plan.append((folder.root, self.server.ws.options(folder).error_globs, mine, files))
        return plan

    def _scan(self) -> dict[Path, Stamp]:
        return _stamps(self._plan())

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(POLL_INTERVAL)
            current = await asyncio.to_thread(_stamps, self._plan())
            events: list[types.FileEvent] = []
            for path, stamp in current.items():
                old = self._stamps.get(path)
                if old != stamp:
                    kind = types.FileChangeType.Created if old is None else types.FileChangeType.Changed
                    events.append(types.FileEvent(uri=path.as_uri(), type=kind))
            events.extend(
                types.FileEvent(uri=p.as_uri(), type=types.FileChangeType.Deleted)
                for p in self._stamps
                if p not in current
            )
            self._stamps = current
            if events:
                await self.changed(events)

    # Reacting ----------------------------------------------------------------------------

    async def changed(self, events: Iterable[types.FileEvent]) -> None:
        config = rules = False
        rescan: list[Path] = []
        for event in events:
            path = uri_to_path(event.uri)
            if path is None:
                continue
            folder = self.server.ws.folder_for(path)
            rel = _relative(path, folder.root)
            options = self.server.ws.options(folder)
            uri = path_to_uri(path)
            if self.server.runtime.for_uri(uri) and self.server.documents.get(uri) is None:
                self.server.follow.disk_changed(uri, path, event.type == types.FileChangeType.Deleted)
            # A manifest (at a folder's root or a few levels down) says which frameworks are used.
            manifest = (
                parser_for(path.name) is not None and rel is not None and rel.count("/") <= MANIFEST_DEPTH
            )
            if path.name in _CONFIG_NAMES or manifest:
                config = True
            elif path.suffix in _RULE_SUFFIXES and self._is_rule_file(path):
                rules = True
            elif rel is not None and _error_spec(options.error_globs).match_file(rel):
                self._error_file(path, event.type)
            elif options.workspace_diagnostics and self.server.ws.languages.for_path(str(path)) is not None:
                rescan.append(path)
        if rules:
            self.server.log_client("rule files changed: reloading rules")
            self.server.reload(rules=True)
        elif config:
            self.server.log_client("configuration changed: reloading")
            self.server.reload(rules=False)
        for path in rescan:
            await self.server.scanner.file_changed(path)

    def _is_rule_file(self, path: Path) -> bool:
        if ".homeostasis" in path.parts and "rules" in path.parts:
            return True
        return any(d == path or d in path.parents for d in self.server.ws.rule_folders())

    def _error_file(self, path: Path, kind: types.FileChangeType) -> None:
        source = str(path)
        timer = self._pending.pop(path, None)
        if timer is not None:
            timer.cancel()
        if kind == types.FileChangeType.Deleted:
            self.server.publish_runtime(self.server.runtime.clear(source))
            return
        loop = asyncio.get_running_loop()
        self._pending[path] = loop.call_later(
            ERROR_FILE_SETTLE, lambda: self.server.spawn(self._ingest_file(path), f"reading {path}")
        )

    async def _ingest_file(self, path: Path) -> None:
        self._pending.pop(path, None)
        text = await asyncio.to_thread(read_error_file, path)
        if text is None:
            self.server.warn(f"{path}: not a text file of error output; ignored")
            return
        folder = self.server.ws.folder_for(path)
        await ingest(
            self.server,
            text,
            str(path),
            Origin.FILE,
            [folder] if folder.uri in self.server.ws.folders else None,
        )


def _stamps(plan: list[tuple[Path, tuple[str, ...], list[Path], list[Path]]]) -> dict[Path, Stamp]:
    """Modification stamps of every polled file (runs in a worker thread: no server state)."""
    stamps: dict[Path, Stamp] = {}
    for root, globs, rule_dirs, files in plan:
        for path in files:
            if path.is_file():
                stamps[path] = _stamp(path)
        spec = _error_spec(globs)
        for base in {_glob_base(root, g) for g in globs}:
            for path in _files(base):
                if spec.match_file(path.relative_to(root).as_posix()):
                    stamps[path] = _stamp(path)
        rule_files = [p for d in rule_dirs for p in _files(d) if p.suffix in _RULE_SUFFIXES]
        manifests = manifest_paths(root)
        for path in (root / "pyproject.toml", *manifests, *rule_files):
            if path.is_file():
                stamps[path] = _stamp(path)
    return stamps


def _relative(path: Path, root: Path) -> str | None:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return None


def _glob_base(root: Path, glob: str) -> Path:
    """The deepest folder a glob cannot match outside of."""
    parts = []
    for part in glob.split("/"):
        if any(c in part for c in "*?[") or not part:
            break
        parts.append(part)
    return root.joinpath(*parts) if parts else root


def _files(base: Path) -> list[Path]:
    if not base.is_dir():
        return []
    try:
        return [p for p in base.rglob("*") if p.is_file()]
    except OSError:
        return []


def _stamp(path: Path) -> Stamp:
    try:
        info = path.stat()
    except OSError:
        return (0, -1)
    return (info.st_mtime_ns, info.st_size)
