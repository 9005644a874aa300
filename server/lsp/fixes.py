"""Fixes for findings, computed when first asked for and kept per document version.

The cache is the server's own memory of which fix belongs to which diagnostic:
keyed by document version, rule and range, it works for clients that drop
``Diagnostic.data``. Pattern fixes are prefetched while the user pauses, so the
light bulb does not wait for template rendering and validation; runtime fixes
(which may need libcst) are computed on first request, off the event loop.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from homeostasis.lsp.documents import OpenDocument
from homeostasis.lsp.ranged import fixes_for
from homeostasis.lsp.runtime import RuntimeEntry
from homeostasis.model import Finding, Fix, Span

if TYPE_CHECKING:
    from homeostasis.lsp.server import HomeostasisServer

log = logging.getLogger("homeostasis.lsp")

PREFETCH_DELAY = 0.5  # a pause in typing, not a gap between keystrokes
PREFETCH_LIMIT = 200  # findings per document; beyond that, fixes are computed on request

PatternKey = tuple[int, str, Span]


class Fixes:
    def __init__(self, server: HomeostasisServer) -> None:
        self.server = server
        self._pattern: dict[str, dict[PatternKey, tuple[Fix, ...]]] = {}
        self._runtime: dict[tuple[int, int | None], tuple[Fix, ...]] = {}
        self._prefetch: dict[str, asyncio.TimerHandle] = {}
        self._inflight: dict[tuple[int, int | None], asyncio.Future[tuple[Fix, ...]]] = {}

    def forget(self, uri: str) -> None:
        self._pattern.pop(uri, None)
        timer = self._prefetch.pop(uri, None)
        if timer is not None:
            timer.cancel()
        for key in [k for k in self._runtime if (e := self.server.runtime.get(k[0])) is None or e.uri == uri]:
            del self._runtime[key]

    def forget_runtime(self) -> None:
        self._runtime.clear()

    def forget_all(self) -> None:
        self._pattern.clear()
        self._runtime.clear()

    # Pattern findings ------------------------------------------------------------------

    def cached(self, document: OpenDocument, finding: Finding) -> tuple[Fix, ...] | None:
        return self._pattern.get(document.uri, {}).get((document.version, finding.rule_id, finding.span))

    def for_pattern(self, document: OpenDocument, finding: Finding) -> tuple[Fix, ...]:
        """Fixes for a finding of the document's current, analysed version."""
        key = (document.version, finding.rule_id, finding.span)
        per_doc = self._pattern.setdefault(document.uri, {})
        if key in per_doc:
            return per_doc[key]
        view = self.server.ws.ready_view(document.path)
        if view is None or document.analyzed_version != document.version:
            return ()
        tree = document.parsed()
        if tree is None:
            return ()
        sources = self.server.sources(document.root, view.settings.max_file_bytes)
        fixes, notes = fixes_for(view.engine, document.snapshot(), tree, finding, sources)
        for note in notes:
            log.info("%s: %s", finding.rule_id, note)
        per_doc[key] = fixes
        return fixes

    def prefetch_later(self, document: OpenDocument) -> None:
        timer = self._prefetch.pop(document.uri, None)
        if timer is not None:
            timer.cancel()
        if not document.patterns:
            return
        loop = asyncio.get_running_loop()
        self._prefetch[document.uri] = loop.call_later(
            PREFETCH_DELAY, lambda: self.server.spawn(self._prefetch_run(document), "fix prefetch")
        )

    async def _prefetch_run(self, document: OpenDocument) -> None:
        self._prefetch.pop(document.uri, None)
        version = document.version
        # Nearest the last edit first: that is where the user is about to ask.
        near = document.last_edit_line
        ordered = sorted(document.patterns, key=lambda f: abs(f.span.start.line - near))
        for finding in ordered[:PREFETCH_LIMIT]:
            if document.version != version or self.server.documents.get(document.uri) is not document:
                return
            self.for_pattern(document, finding)
            await asyncio.sleep(0)

    # Runtime findings ------------------------------------------------------------------

    async def prefetch_runtime(self, entries: list[RuntimeEntry]) -> None:
        """Compute runtime fixes (libcst may take a second) in the background, right after
        the error was read, so the light bulb has them when the user gets there."""
        for entry in entries[:PREFETCH_LIMIT]:
            if self.server.runtime.get(entry.key) is not None:
                await self.for_runtime(entry)

    async def for_runtime(self, entry: RuntimeEntry) -> tuple[Fix, ...]:
        if entry.stale:
            return ()
        document = self.server.documents.get(entry.uri)
        key = (entry.key, document.version if document is not None else None)
        if key in self._runtime:
            return self._runtime[key]
        running = self._inflight.get(key)
        if running is None:
            running = asyncio.ensure_future(self._compute_runtime(entry, key))
            self._inflight[key] = running
            running.add_done_callback(lambda _: self._inflight.pop(key, None))
        return await asyncio.shield(running)

    async def _compute_runtime(self, entry: RuntimeEntry, key: tuple[int, int | None]) -> tuple[Fix, ...]:
        folder = self.server.ws.folder_for(entry.root / "__folder__")
        view = await self.server.ws.folder_view(folder)
        sources = self.server.sources(entry.root, view.settings.max_file_bytes)
        diagnosis = await asyncio.to_thread(view.engine.diagnose_one, entry.event, sources, with_fixes=True)
        current = self.server.runtime.get(entry.key)
        if current is None:
            return ()
        best: Finding | None = None
        for finding in diagnosis.findings:
            if finding.rule_id != entry.finding.rule_id or not finding.located:
                continue
            if best is None or finding.span == current.finding.span:
                best = finding
        fixes = best.fixes if best is not None and best.span == current.finding.span else ()
        self._runtime[key] = fixes
        return fixes
