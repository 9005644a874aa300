"""Runtime diagnostics follow edits of their file.

Every change moves the entries it does not touch; the ones it touches are
checked again a moment later against the new text (``runtime.relocate``):
same line text, they stay; the printed source line found nearby, they move
there; otherwise they are marked stale. They never jump to an unrelated line.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from homeostasis.lsp.documents import OpenDocument
from homeostasis.lsp.runtime import relocate
from homeostasis.lsp.shifts import Change, clamp_span, map_span
from homeostasis.model import Document
from homeostasis.workspace.files import SourceFile, read_source

if TYPE_CHECKING:
    from homeostasis.lsp.server import HomeostasisServer

RECHECK_DELAY = 0.25
MAX_FOLLOW_BYTES = 2_000_000


class Follower:
    def __init__(self, server: HomeostasisServer) -> None:
        self.server = server
        self._timers: dict[str, asyncio.TimerHandle] = {}

    def opened(self, document: OpenDocument) -> None:
        # The file may have changed on disk since the error was seen.
        if self.server.runtime.for_uri(document.uri):
            self._schedule(document.uri, 0.0)

    def changed(self, document: OpenDocument, changes: list[Change]) -> None:
        entries = self.server.runtime.for_uri(document.uri)
        if not entries:
            return
        touched = False
        for entry in entries:
            span = entry.finding.span
            for change in changes:
                moved = map_span(span, change)
                if moved is None:
                    touched = True
                    moved = clamp_span(span, change)
                span = moved
            if span != entry.finding.span:
                self.server.runtime.update(replace(entry, finding=replace(entry.finding, span=span)))
        if touched:
            self._schedule(document.uri, RECHECK_DELAY)

    def replaced(self, document: OpenDocument) -> None:
        if self.server.runtime.for_uri(document.uri):
            self._schedule(document.uri, RECHECK_DELAY)

    def closed(self, uri: str) -> None:
        timer = self._timers.pop(uri, None)
        if timer is not None:
            timer.cancel()

    def disk_changed(self, uri: str, path: Path, deleted: bool) -> None:
        """A file that is not open changed on disk: its runtime errors are checked against the
        new text (kept, moved with their line, or stale), as edits in the editor would."""
        entries = self.server.runtime.for_uri(uri)
        if not entries or self.server.documents.get(uri) is not None:
            return
        loaded = None if deleted else read_source(path, MAX_FOLLOW_BYTES)
        current = (
            Document(entries[0].finding.path, loaded.text, "") if isinstance(loaded, SourceFile) else None
        )
        self._check(uri, current)

    def _schedule(self, uri: str, delay: float) -> None:
        timer = self._timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        self._timers[uri] = asyncio.get_running_loop().call_later(delay, self._recheck, uri)

    def _recheck(self, uri: str) -> None:
        self._timers.pop(uri, None)
        document = self.server.documents.get(uri)
        if document is None:
            return
        self._check(uri, document.snapshot())

    def _check(self, uri: str, current: Document | None) -> None:
        """Check the file's runtime errors against its ``current`` text (None: it is gone)."""
        changed = False
        for entry in self.server.runtime.for_uri(uri):
            checked = relocate(entry, current) if current is not None else replace(entry, stale=True)
            if checked != entry:
                self.server.runtime.update(checked)
                changed = True
        if changed:
            self.server.fixes.forget(uri)
            self.server.publish_runtime({uri})
