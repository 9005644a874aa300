"""Pattern diagnostics as you type: edit the tree, reparse, re-query only what changed.

Each change edits the document's tree in place and moves the existing findings
(those it touches are dropped) and the pending "dirty" line intervals. After a
short debounce the tree is reparsed incrementally; tree-sitter's changed
ranges join the dirty intervals, which grow to their enclosing statement (so a
match spanning a statement is seen whole) and then are queried in chunks,
yielding to the event loop between chunks so newer edits are never stuck
behind older work. Work for an outdated version is abandoned, never published.

Rules may match across statements (a coroutine defined in one place and called
without ``await`` in another); a full pass in chunks runs once typing pauses
and corrects whatever the ranged passes could not see.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from homeostasis.lsp.documents import OpenDocument
from homeostasis.lsp.folders import EngineView
from homeostasis.lsp.ranged import scan
from homeostasis.lsp.shifts import Change, Interval, intersects, map_interval, map_span, merge_intervals
from homeostasis.model import Finding, Span

if TYPE_CHECKING:
    import tree_sitter

log = logging.getLogger("homeostasis.lsp")

CHUNK_BYTES = 8_000  # one query step between yields: a few ms with the built-in rules
STATEMENT_BUDGET = 3_000  # a dirty range grows to its enclosing statement up to this size
MAX_DEFER = 0.05  # a steady stream of edits still gets diagnostics this often
# Changes closer than this are a burst (a paste, a replace-all, a macro), sent back to back by the
# editor: coalesce them. Typing is slower than this even at full speed, and each keystroke is checked
# at once.
BURST_GAP = 0.003
CROSS_CHECK_DELAY = 1.0
MAX_TREES = 100


class Analyzer:
    def __init__(
        self,
        view_for: Callable[[OpenDocument], EngineView | None],
        wait_view: Callable[[OpenDocument], asyncio.Future[EngineView]],
        done: Callable[[OpenDocument], None],
        delay: Callable[[OpenDocument], float],
        note: Callable[[str], None],
    ) -> None:
        self._note = note
        self._view_for = view_for
        self._wait_view = wait_view
        self._done = done
        self._delay = delay
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._first_pending: dict[str, float] = {}
        self._last_change: dict[str, float] = {}
        self._running: set[str] = set()
        self._again: set[str] = set()
        self._waiters: dict[str, list[asyncio.Future[None]]] = {}
        self._cross: dict[str, asyncio.TimerHandle] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._documents: dict[str, OpenDocument] = {}
        self._recent: dict[str, None] = {}  # analysed documents, least recent first

    # Events ------------------------------------------------------------------------

    def opened(self, document: OpenDocument) -> None:
        self._documents[document.uri] = document
        document.needs_full = True
        self.schedule(document, 0.0)

    def changed(self, document: OpenDocument, changes: list[Change]) -> None:
        for change in changes:
            kept: list[Finding] = []
            for finding in document.patterns:
                span = map_span(finding.span, change)
                if span is not None:
                    kept.append(finding if span == finding.span else _moved(finding, span))
            document.patterns = kept
            document.dirty = [map_interval(i, change) for i in document.dirty]
            document.dirty.append((change.start.line, change.new_end.line))
            document.verify = [map_interval(i, change) for i in document.verify]
        document.dirty = merge_intervals(document.dirty)
        document.verify = merge_intervals(document.verify)
        document.analyzed_version = None
        document.cross_checked = False
        self._cancel_cross(document.uri)
        self.schedule(document, self._debounce(document))

    def _debounce(self, document: OpenDocument) -> float:
        """No wait for a keystroke after a pause; the configured delay inside a burst of changes."""
        now = asyncio.get_running_loop().time()
        previous = self._last_change.get(document.uri, float("-inf"))
        self._last_change[document.uri] = now
        return self._delay(document) if now - previous < BURST_GAP else 0.0

    def replaced(self, document: OpenDocument) -> None:
        document.analyzed_version = None
        document.cross_checked = False
        self._cancel_cross(document.uri)
        self.schedule(document, self._debounce(document))

    def closed(self, uri: str) -> None:
        self._documents.pop(uri, None)
        self._recent.pop(uri, None)
        timer = self._timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        self._first_pending.pop(uri, None)
        self._last_change.pop(uri, None)
        self._cancel_cross(uri)
        for waiter in self._waiters.pop(uri, []):
            if not waiter.done():
                waiter.set_result(None)

    def invalidate_all(self, documents: list[OpenDocument]) -> None:
        """Settings, configuration or rules changed: everything is re-checked."""
        for document in documents:
            document.needs_full = True
            document.analyzed_version = None
            document.cross_checked = False
            self.schedule(document, 0.0)

    def shutdown(self) -> None:
        for timer in [*self._timers.values(), *self._cross.values()]:
            timer.cancel()
        for task in list(self._tasks):
            task.cancel()

    # Waiting (pull diagnostics, code actions) ---------------------------------------

    async def settled(self, document: OpenDocument, timeout: float = 10.0) -> bool:
        """Wait until the current version's findings are complete; False on timeout/close."""
        deadline = time.monotonic() + timeout
        while document.analyzed_version != document.version or document.dirty:
            if document.uri not in self._documents:
                return False
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiters.setdefault(document.uri, []).append(waiter)
            if document.uri not in self._timers and document.uri not in self._running:
                self.schedule(document, 0.0)
            try:
                await asyncio.wait_for(asyncio.shield(waiter), remaining)
            except TimeoutError:
                return False
        return True

    # Scheduling --------------------------------------------------------------------

    def schedule(self, document: OpenDocument, delay: float) -> None:
        uri = document.uri
        loop = asyncio.get_running_loop()
        now = loop.time()
        first = self._first_pending.setdefault(uri, now)
        if now - first >= MAX_DEFER:
            delay = 0.0
        timer = self._timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        self._timers[uri] = loop.call_later(delay, self._fire, uri)

    def _fire(self, uri: str) -> None:
        self._timers.pop(uri, None)
        if uri in self._running:
            self._again.add(uri)
            return
        document = self._documents.get(uri)
        if document is None:
            return
        self._first_pending.pop(uri, None)
        task = asyncio.ensure_future(self._run(document))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, document: OpenDocument) -> None:
        uri = document.uri
        self._running.add(uri)
        try:
            complete = await self._analyze(document)
            if complete:
                self._finish(document)
                if document.verify and await self._verify(document):
                    self._done(document)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("analysis of %s failed", uri)
            document.analyzed_version = document.version
            document.dirty, document.verify = [], []
        finally:
            self._running.discard(uri)
        if uri in self._again:
            self._again.discard(uri)
            self.schedule(document, 0.0)

    def _finish(self, document: OpenDocument) -> None:
        self._keep_tree(document)
        self._done(document)
        for waiter in self._waiters.pop(document.uri, []):
            if not waiter.done():
                waiter.set_result(None)
        if not document.cross_checked and document.language is not None and not document.skip_reason:
            self._cancel_cross(document.uri)
            loop = asyncio.get_running_loop()
            self._cross[document.uri] = loop.call_later(CROSS_CHECK_DELAY, self._cross_check, document.uri)

    def _keep_tree(self, document: OpenDocument) -> None:
        """Trees are most of an open document's memory: only the most recently analysed keep
        theirs (a dropped one is parsed again, in full, at the next edit or fix request)."""
        self._recent.pop(document.uri, None)
        self._recent[document.uri] = None
        while len(self._recent) > MAX_TREES:
            uri = next(iter(self._recent))
            del self._recent[uri]
            old = self._documents.get(uri)
            if old is not None and uri not in self._running and uri not in self._timers:
                old.release()

    def _cross_check(self, uri: str) -> None:
        self._cross.pop(uri, None)
        document = self._documents.get(uri)
        if document is None or document.cross_checked or document.tree is None:
            return
        document.cross_checked = True
        document.verify = [(0, document.line_count - 1)]
        self.schedule(document, 0.0)

    def _cancel_cross(self, uri: str) -> None:
        timer = self._cross.pop(uri, None)
        if timer is not None:
            timer.cancel()

    # The analysis --------------------------------------------------------------------

    async def _analyze(self, document: OpenDocument) -> bool:
        """Bring the findings up to date with the current version; False when overtaken."""
        if document.language_id is None:
            document.patterns, document.problems, document.dirty, document.verify = [], [], [], []
            document.analyzed_version = document.version
            return True
        view = self._view_for(document)
        if view is None:
            view = await self._wait_view(document)
        version = document.version
        language = view.engine.registry.get(document.language_id) if document.language_id else None
        if language is not document.language:
            # Trees and queries belong to one plugin instance; a reloaded engine brings its own.
            document.language, document.tree = language, None
        reason = _skip_reason(document, view)
        if reason is not None and reason != document.skip_reason:
            self._note(f"{document.uri} is not checked: {reason}")
        document.skip_reason = reason
        if language is None or document.skip_reason:
            document.patterns, document.problems, document.dirty, document.verify = [], [], [], []
            document.tree = None
            document.analyzed_version = version
            return True
        if document.analyzed_version == version and not document.dirty:
            return True
        began = time.perf_counter()
        snapshot = document.snapshot()
        if document.tree is None or document.needs_full:
            document.tree = language.parser.parse(snapshot.source)
            document.needs_full = False
            document.patterns, document.verify = [], []
            document.dirty = [(0, document.line_count - 1)]
        else:
            new_tree = language.parser.parse(snapshot.source, document.tree)
            for changed in document.tree.changed_ranges(new_tree):
                document.dirty.append((changed.start_point.row, changed.end_point.row))
            document.tree = new_tree
        parsed = time.perf_counter()
        grown = [_grow(document, document.tree, i, language.is_statement) for i in document.dirty]
        document.dirty = merge_intervals(grown)
        if not await self._drain(document, view, "dirty"):
            return False
        document.analyzed_version = version
        done = time.perf_counter()
        log.debug(
            "%s v%s: parsed in %.1f ms, queried in %.1f ms",
            document.uri,
            version,
            (parsed - began) * 1000,
            (done - parsed) * 1000,
        )
        return True

    async def _verify(self, document: OpenDocument) -> bool:
        """The pause-time full pass; True when it finished and changed something."""
        view = self._view_for(document)
        if view is None or document.tree is None:
            return False
        before = list(document.patterns)
        if not await self._drain(document, view, "verify"):
            return False
        return document.patterns != before

    async def _drain(self, document: OpenDocument, view: EngineView, which: str) -> bool:
        """Query the intervals in ``document.<which>`` chunk by chunk, committing each."""
        version, tree, snapshot = document.version, document.tree, document.snapshot()
        assert tree is not None
        while intervals := getattr(document, which):
            chunk, rest = _take_chunk(document, intervals)
            result = scan(view.engine, snapshot, tree, [_byte_range(document, chunk)], view.ids)
            keep = [f for f in document.patterns if not intersects(f.span, [chunk])]
            seen = {(f.rule_id, f.span) for f in keep}
            keep.extend(f for f in result.findings if (f.rule_id, f.span) not in seen)
            keep.sort(key=lambda f: (f.span.start, f.rule_id))
            document.patterns = keep
            document.problems = list(result.problems)
            setattr(document, which, rest)
            if rest:
                await asyncio.sleep(0)
                if document.version != version or document.tree is not tree:
                    return False  # a newer edit took over; its own run finishes the job
        return True


def _moved(finding: Finding, span: Span) -> Finding:
    return replace(finding, span=span)


def _skip_reason(document: OpenDocument, view: EngineView) -> str | None:
    limit = view.settings.max_file_bytes
    text = document.text
    # The snapshot's bytes, encoded once per version anyway, rather than encoding again.
    if len(text) > limit or (len(text) * 4 > limit and len(document.snapshot().source) > limit):
        return f"larger than {limit} bytes (max-file-bytes)"
    if "\x00" in document.text:
        return "binary content (NUL characters)"
    return None


def _grow(
    document: OpenDocument, tree: tree_sitter.Tree, interval: Interval, is_statement: Callable[[str], bool]
) -> Interval:
    """The interval plus its enclosing statement (within budget), plus the line after it.

    The line after: a suppression comment silences the line below it, so editing a
    comment changes what the next line reports.
    """
    first, last = interval
    last_line = document.line_count - 1
    first, last = max(0, min(first, last_line)), max(0, min(last, last_line))
    start = document.byte_offset(document.line_starts[first])
    end_offset = document.line_starts[last + 1] if last + 1 < document.line_count else len(document.text)
    end = document.byte_offset(end_offset)
    node = tree.root_node.descendant_for_byte_range(start, max(start, end - 1))
    best = None
    while node is not None and node.parent is not None:
        if node.end_byte - node.start_byte > STATEMENT_BUDGET:
            break
        if is_statement(node.type):
            best = node
        node = node.parent
    if best is not None:
        first = min(first, best.start_point.row)
        last = max(last, best.end_point.row)
    return (first, min(last + 1, last_line))


def _take_chunk(document: OpenDocument, dirty: list[Interval]) -> tuple[Interval, list[Interval]]:
    """The first piece of dirty work no bigger than a chunk, and what is left."""
    first, last = dirty[0]
    starts = document.line_starts
    limit = starts[first] + CHUNK_BYTES
    cut = first
    while cut < last and (cut + 1 >= len(starts) or starts[cut + 1] <= limit):
        cut += 1
    if cut >= last:
        return (first, last), dirty[1:]
    return (first, cut), [(cut + 1, last), *dirty[1:]]


def _byte_range(document: OpenDocument, interval: Interval) -> tuple[int, int]:
    first, last = interval
    start = document.byte_offset(document.line_starts[first])
    end_offset = document.line_starts[last + 1] if last + 1 < document.line_count else len(document.text)
    return start, max(document.byte_offset(end_offset), start + 1)
