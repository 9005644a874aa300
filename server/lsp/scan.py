"""Workspace diagnostics: pattern findings for files that are not open.

Behind the ``workspaceDiagnostics`` setting. The walk honours .gitignore and the
configured excludes (the same walk as ``homeostasis check``); progress is
reported with ``$/progress`` and the client can cancel it. Files are checked
one at a time on the event loop, yielding between files, so typing in an open
document is never stuck behind the scan.
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

from homeostasis.lsp.documents import OpenDocument
from homeostasis.lsp.folders import Folder, path_to_uri, uri_to_path
from homeostasis.lsp.testrun import _cancelled, _progress_begin, _progress_end
from homeostasis.model import Document
from homeostasis.workspace.files import SourceFile, read_source, walk
from lsprotocol import types

if TYPE_CHECKING:
    from homeostasis.lsp.server import HomeostasisServer

log = logging.getLogger("homeostasis.lsp")

REPORT_EVERY = 0.2  # seconds between progress reports


class Scanner:
    def __init__(self, server: HomeostasisServer) -> None:
        self.server = server
        self._task: asyncio.Task[int] | None = None

    def enabled(self, folder: Folder) -> bool:
        return self.server.ws.options(folder).workspace_diagnostics

    def restart(self) -> asyncio.Task[int] | None:
        """(Re)start the scan of every folder that wants it; clear results of those that do not."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
        for uri in list(self.server.disk_findings):
            if not self.enabled(self.server.ws.folder_for(uri_to_path(uri))):
                del self.server.disk_findings[uri]
                self.server.publish(uri)
        folders = [f for f in self.server.ws.folders.values() if self.enabled(f)]
        if not folders:
            self._task = None
            return None
        self._task = self.server.spawn(self._scan(folders), "workspace diagnostics")
        return self._task

    async def _scan(self, folders: list[Folder]) -> int:
        token = await _progress_begin(self.server, "Homeostasis: checking the workspace")
        checked = 0
        try:
            files: list[tuple[Folder, Path]] = []
            for folder in folders:
                view = await self.server.ws.folder_view(folder)
                exclude_root = self.server.ws.config(folder.root).root
                found = await asyncio.to_thread(
                    _list, folder.root, view.engine.registry.extensions, view.settings.exclude, exclude_root
                )
                files.extend((folder, path) for path in found)
            last_report = time.monotonic()
            for index, (folder, path) in enumerate(files):
                if _cancelled(self.server, token):
                    _progress_end(self.server, token, f"cancelled after {checked} file(s)")
                    token = None
                    return checked
                if time.monotonic() - last_report > REPORT_EVERY and token is not None:
                    last_report = time.monotonic()
                    percentage = int(100 * index / max(len(files), 1))
                    self.server.work_done_progress.report(
                        token,
                        types.WorkDoneProgressReport(
                            message=f"{index}/{len(files)} files", percentage=percentage
                        ),
                    )
                await self.check_file(folder, path)
                checked += 1
                await asyncio.sleep(0)
            return checked
        finally:
            if token is not None:
                _progress_end(self.server, token, f"{checked} file(s) checked")

    async def check_file(self, folder: Folder, path: Path) -> None:
        uri = path_to_uri(path)
        if self.server.documents.get(uri) is not None:
            return
        view = await self.server.ws.view(path)
        language = view.engine.registry.for_path(str(path))
        if language is None:
            return
        loaded = read_source(path, view.settings.max_file_bytes)
        if not isinstance(loaded, SourceFile):
            self.server.disk_findings.pop(uri, None)
            log.info("workspace diagnostics skip %s: %s", path, loaded.reason)
            self.server.publish(uri)
            return
        rel = self.server.ws.relative(path, uri, folder)
        document = Document(rel, loaded.text, language.id)
        try:
            findings = view.engine.check(document, with_fixes=False)
        except Exception as exc:  # one pathological file must not end the scan
            self.server.warn(f"workspace diagnostics: {path} could not be checked: {exc!r}")
            return
        if findings:
            self.server.disk_findings[uri] = (document, tuple(findings))
        else:
            self.server.disk_findings.pop(uri, None)
        self.server.publish(uri)

    async def file_changed(self, path: Path) -> None:
        folder = self.server.ws.folder_for(path)
        if not self.enabled(folder):
            return
        if path.exists():
            await self.check_file(folder, path)
        else:
            uri = path_to_uri(path)
            self.server.disk_findings.pop(uri, None)
            self.server.publish(uri)

    def closed(self, document: OpenDocument) -> None:
        """A closed file's findings come from the disk again (the editor may not have saved it)."""
        if document.path is None:
            return
        folder = self.server.ws.folder_for(document.path)
        if self.enabled(folder):
            self.server.spawn(self.check_file(folder, document.path), f"checking {document.path}")

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()


def _list(root: Path, extensions: frozenset[str], exclude: tuple[str, ...], exclude_root: Path) -> list[Path]:
    return [Path(p).absolute() for p in walk([root], extensions, exclude, True, exclude_root=exclude_root)]
