"""The language server's state and the paths every feature shares: documents,
engines, publishing, logging. The LSP methods themselves are wired in
``features.py``; the work lives in the modules named after it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import uuid
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from homeostasis import __version__
from homeostasis.lsp.capabilities import ClientFeatures
from homeostasis.lsp.diagnostics import Context, pattern_diagnostic, runtime_diagnostic
from homeostasis.lsp.documents import DocumentStore, OpenDocument
from homeostasis.lsp.fixes import Fixes
from homeostasis.lsp.folders import EngineView, OverlaySources, Workspace, path_to_uri, uri_to_path
from homeostasis.lsp.follow import Follower
from homeostasis.lsp.incremental import Analyzer
from homeostasis.lsp.positions import UTF16
from homeostasis.lsp.protocol import HomeostasisProtocol
from homeostasis.lsp.runtime import RuntimeStore
from homeostasis.lsp.scan import Scanner
from homeostasis.lsp.settings import SECTION, unwrap
from homeostasis.lsp.watch import Watcher
from homeostasis.model import Document, Finding, Related, Span
from homeostasis.workspace.sources import DiskSources
from lsprotocol import types
from pygls.lsp.server import LanguageServer

log = logging.getLogger("homeostasis.lsp")


class HomeostasisServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "homeostasis",
            __version__,
            protocol_cls=HomeostasisProtocol,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
        )
        self.session = uuid.uuid4().hex[:8]
        self.features = ClientFeatures()
        self.encoding = UTF16
        self.documents = DocumentStore()
        self.ws = Workspace(self.warn)
        self.runtime = RuntimeStore()
        self.analyzer = Analyzer(self._ready_view, self._wait_view, self._analyzed, self._delay, self.warn)
        # Findings of files that are not open (workspace diagnostics), with the text they came from.
        self.disk_findings: dict[str, tuple[Document, tuple[Finding, ...]]] = {}
        self._published: dict[str, tuple[int | None, list[types.Diagnostic]]] = {}
        self._result_ids: dict[str, tuple[str, list[types.Diagnostic]]] = {}
        self._converted: dict[str, dict[tuple[str, Span, str, str], types.Diagnostic]] = {}
        self._counter = 0
        self._refresh: asyncio.TimerHandle | None = None
        self.background: set[asyncio.Task[Any]] = set()
        self.processes: set[asyncio.subprocess.Process] = set()
        self.connected = True
        self.follow = Follower(self)
        self.fixes = Fixes(self)
        self.scanner = Scanner(self)
        self.watcher = Watcher(self)

    # Logging ---------------------------------------------------------------------------

    def log_client(self, message: str, kind: types.MessageType = types.MessageType.Info) -> None:
        if not self.connected:
            return
        try:
            self.window_log_message(types.LogMessageParams(type=kind, message=message))
        except (BrokenPipeError, ConnectionError, RuntimeError):
            self.connected = False

    def warn(self, message: str) -> None:
        log.warning("%s", message)
        self.log_client(message, types.MessageType.Warning)

    def report_server_error(self, error: Exception, source: Any) -> None:
        # pygls would pop up a message box for every error; a log line is what users want.
        log.error("server error (%s): %r", getattr(source, "__name__", source), error)
        self.log_client(f"internal error: {error!r}", types.MessageType.Error)

    def spawn(self, coroutine: Coroutine[Any, Any, Any], what: str) -> asyncio.Task[Any]:
        """Run background work, keeping a reference and logging (never raising) its failure."""
        task = asyncio.ensure_future(coroutine)
        self.background.add(task)

        def finished(done: asyncio.Task[Any]) -> None:
            self.background.discard(done)
            if not done.cancelled() and done.exception() is not None:
                error = done.exception()
                log.error("%s failed", what, exc_info=error)
                self.log_client(f"{what} failed: {error!r}", types.MessageType.Error)

        task.add_done_callback(finished)
        return task

    # Engines and sources -----------------------------------------------------------------

    def _ready_view(self, document: OpenDocument) -> EngineView | None:
        return self.ws.ready_view(document.path)

    def _wait_view(self, document: OpenDocument) -> asyncio.Future[EngineView]:
        return asyncio.ensure_future(self.ws.view(document.path))

    def _delay(self, document: OpenDocument) -> float:
        folder = self.ws.folder_for(document.path)
        return self.ws.options(folder).diagnostic_delay_ms / 1000

    def sources(self, root: Path, max_bytes: int) -> OverlaySources:
        """Workspace files under ``root``; open documents are read from the editor, not the disk."""
        registry = self.ws.registry()

        def language_for(path: str) -> str | None:
            language = registry.for_path(path)
            return language.id if language is not None else None

        overlay = {d.rel: d.snapshot() for d in self.documents if d.root == root and d.path is not None}
        return OverlaySources(DiskSources(root, max_bytes, language_for), overlay)

    def uri_for(self, rel_or_abs: str, root: Path) -> str:
        path = Path(rel_or_abs)
        return path_to_uri(path if path.is_absolute() else root / path)

    def lines_for(self, uri: str) -> Any:
        """Something with ``line(i)`` for converting columns: the open text, else the disk's."""
        document = self.documents.get(uri)
        if document is not None:
            return document
        if uri in self.disk_findings:
            return self.disk_findings[uri][0]
        path = uri_to_path(uri)
        if path is not None:
            try:
                return Document(str(path), path.read_text(encoding="utf-8", errors="replace"), "")
            except OSError:
                pass
        return Document("", "", "")

    def related_location(self, related: Related, root: Path) -> types.Location | None:
        path = Path(related.path)
        absolute = path if path.is_absolute() else root / path
        if (
            not path.is_absolute()
            and not absolute.is_file()
            and self.documents.get(path_to_uri(absolute)) is None
        ):
            return None
        if path.is_absolute() and not path.is_file():
            return None
        uri = path_to_uri(absolute)
        line = related.span.start.line
        return types.Location(uri, types.Range(types.Position(line, 0), types.Position(line, 0)))

    def docs_url(self, rule_id: str) -> str | None:
        rule = self.ws.find_rule(rule_id)
        return rule.docs.references[0] if rule is not None and rule.docs.references else None

    def context(self) -> Context:
        return Context(self.features, self.encoding, self.docs_url, self.related_location)

    # Publishing ------------------------------------------------------------------------

    def diagnostics_for(self, uri: str) -> list[types.Diagnostic]:
        context = self.context()
        document = self.documents.get(uri)
        out: list[types.Diagnostic] = []
        if document is not None:
            # Most findings survive an edit unchanged: reuse their diagnostics (ASCII lines only,
            # where the client's columns cannot have changed without the span changing).
            cache = self._converted.get(uri, {})
            fresh: dict[tuple[str, Span, str, str], types.Diagnostic] = {}
            for finding in (*document.problems, *document.patterns):
                key = (finding.rule_id, finding.span, finding.message, finding.severity.value)
                diagnostic = cache.get(key)
                if diagnostic is None:
                    diagnostic = pattern_diagnostic(finding, document, context, document.version)
                    if document.ascii or all(
                        document.line(i).isascii()
                        for i in range(finding.span.start.line, finding.span.end.line + 1)
                    ):
                        fresh[key] = diagnostic
                else:
                    fresh[key] = diagnostic
                out.append(diagnostic)
            self._converted[uri] = fresh
            lines: Any = document
        else:
            lines = self.lines_for(uri)
            stored = self.disk_findings.get(uri)
            if stored is not None:
                out.extend(pattern_diagnostic(f, stored[0], context, None) for f in stored[1])
        for entry in self.runtime.for_uri(uri):
            out.append(runtime_diagnostic(entry, lines, context))
        return out

    def _analyzed(self, document: OpenDocument) -> None:
        self.publish(document.uri)
        self.fixes.prefetch_later(document)

    def publish(self, uri: str) -> None:
        """Send (push) or announce (pull) the diagnostics of ``uri``, for its current version."""
        document = self.documents.get(uri)
        if document is not None and (document.analyzed_version != document.version or document.dirty):
            return  # its analysis publishes when it completes: never an outdated version
        diagnostics = self.diagnostics_for(uri)
        if document is not None and self.features.pull_diagnostics:
            pulled = self._result_ids.get(uri)
            if pulled is None or pulled[1] != diagnostics:
                self._schedule_refresh()
            return
        version = document.version if document is not None else None
        last = self._published.get(uri)
        if last == (version, diagnostics):
            return
        if document is None and not diagnostics:
            if last is None:
                return
            del self._published[uri]
        else:
            self._published[uri] = (version, diagnostics)
        log.debug("publish %s v%s: %d diagnostics", uri, version, len(diagnostics))
        self._send(types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version))

    def forget(self, uri: str) -> None:
        self._converted.pop(uri, None)
        self._result_ids.pop(uri, None)

    def clear_pushed(self, uri: str) -> None:
        if self._published.pop(uri, None) is not None:
            self._send(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def _send(self, params: types.PublishDiagnosticsParams) -> None:
        if not self.connected:
            return
        try:
            self.text_document_publish_diagnostics(params)
        except (BrokenPipeError, ConnectionError):
            self.connected = False

    def result_id(self, uri: str, diagnostics: list[types.Diagnostic]) -> str:
        previous = self._result_ids.get(uri)
        if previous is not None and previous[1] == diagnostics:
            return previous[0]
        self._counter += 1
        result_id = f"{self.session}-{self._counter}"
        self._result_ids[uri] = (result_id, diagnostics)
        return result_id

    def _schedule_refresh(self) -> None:
        """Ask a pulling client to pull again (batched: one request per burst of changes)."""
        if not self.features.diagnostic_refresh or self._refresh is not None:
            return
        loop = asyncio.get_running_loop()
        self._refresh = loop.call_later(0.05, self._send_refresh)

    def _send_refresh(self) -> None:
        self._refresh = None
        if self.connected:
            self.spawn(self.workspace_diagnostic_refresh_async(None), "diagnostic refresh")

    def publish_runtime(self, uris: set[str]) -> None:
        for uri in uris:
            if self.documents.get(uri) is None:
                self.publish(uri)
            elif self.features.pull_diagnostics:
                self._schedule_refresh()
            else:
                self.publish(uri)

    # Lifecycle and configuration ------------------------------------------------------

    def initialize(self, params: types.InitializeParams) -> None:
        self.features = ClientFeatures.read(params.capabilities)
        encoding = self.workspace.position_encoding
        self.encoding = str(getattr(encoding, "value", encoding) or UTF16)
        self.ws.global_settings = unwrap(params.initialization_options)
        for folder in params.workspace_folders or ():
            self.ws.add_folder(folder.uri, folder.name)
        if not self.ws.folders:
            root = params.root_uri or (path_to_uri(params.root_path) if params.root_path else None)
            if root:
                self.ws.add_folder(root)
        self.ws.project(())  # start loading the built-in rules now; they take a while
        # Normally set once `initialized` has fetched the settings; never wait on a client forever.
        asyncio.get_running_loop().call_later(10.0, self.ws.configured.set)

    async def initialized(self) -> None:
        if self.features.configuration:
            await self.pull_configuration()
        self.ws.configured.set()
        if self.features.configuration or self.features.watch_dynamic:
            try:
                await self.client_register_capability_async(
                    types.RegistrationParams(
                        [
                            types.Registration(
                                id="homeostasis-configuration",
                                method=types.WORKSPACE_DID_CHANGE_CONFIGURATION,
                                register_options=types.DidChangeConfigurationRegistrationOptions(
                                    section=SECTION
                                ),
                            )
                        ]
                    )
                )
            except Exception as exc:  # a client may refuse; pushed settings still work
                log.info("configuration registration refused: %r", exc)
        await self.watcher.start()
        self.scanner.restart()

    async def pull_configuration(self) -> None:
        folders = list(self.ws.folders.values())
        items = [types.ConfigurationItem(scope_uri=f.uri, section=SECTION) for f in folders]
        items.append(types.ConfigurationItem(section=SECTION))
        try:
            answers = await self.workspace_configuration_async(types.ConfigurationParams(items=items))
        except Exception as exc:
            self.warn(f"workspace/configuration failed: {exc!r}")
            return
        for folder, answer in zip(folders, answers, strict=False):
            self.ws.folder_settings[folder.uri] = unwrap(answer)
        if len(answers) > len(folders):
            self.ws.configured_settings = unwrap(answers[len(folders)])

    async def configuration_changed(self, pushed: object) -> None:
        before = {uri: self.ws.options(f) for uri, f in self.ws.folders.items()}
        if self.features.configuration:
            await self.pull_configuration()
        elif pushed is not None:
            self.ws.global_settings = unwrap(pushed)
        after = {uri: self.ws.options(f) for uri, f in self.ws.folders.items()}
        rules_changed = any(
            (b.rules, b.trusted) != (after[u].rules, after[u].trusted)
            for u, b in before.items()
            if u in after
        )
        self.log_client("settings changed: checking everything again")
        self.reload(rules=rules_changed or before.keys() != after.keys())
        await self.watcher.settings_changed()

    def reload(self, rules: bool) -> None:
        """Settings, configuration or rule files changed: rebuild engines, check everything again."""
        if rules:
            self.ws.drop_rules()
        else:
            self.ws.invalidate()
        self.fixes.forget_all()
        self.analyzer.invalidate_all(list(self.documents))
        self.scanner.restart()

    def stop_background(self) -> None:
        from homeostasis.lsp.testrun import kill

        self.analyzer.shutdown()
        self.watcher.stop()
        self.scanner.stop()
        for process in list(self.processes):
            if process.returncode is None:
                kill(process)
        for task in list(self.background):
            task.cancel()

    # Document synchronisation ---------------------------------------------------------

    def did_open(self, params: types.DidOpenTextDocumentParams) -> None:
        from homeostasis.lsp.sync import open_document

        open_document(self, params)

    def did_change(self, params: types.DidChangeTextDocumentParams) -> None:
        from homeostasis.lsp.sync import change_document

        change_document(self, params)

    def did_close(self, params: types.DidCloseTextDocumentParams) -> None:
        from homeostasis.lsp.sync import close_document

        close_document(self, params)

    def use_stop_event(self, stop: threading.Event) -> None:
        """Let ``shutdown`` end a message loop this server did not start itself (transport.py)."""
        self._stop_event = stop

    def shutdown(self) -> None:
        # Also reached when the client disconnects without a shutdown request.
        self.connected = False
        with contextlib.suppress(RuntimeError):  # the event loop may already be gone
            self.stop_background()
        super().shutdown()  # type: ignore[no-untyped-call]
