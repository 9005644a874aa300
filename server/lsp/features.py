"""The LSP methods and commands the server answers, each a thin call into its module."""

from __future__ import annotations

import asyncio
from typing import Any

from homeostasis.lsp import actions, hover
from homeostasis.lsp.docs import show_documentation
from homeostasis.lsp.folders import uri_to_path
from homeostasis.lsp.ingest import ingest
from homeostasis.lsp.server import HomeostasisServer
from homeostasis.lsp.settings import SECTION
from homeostasis.lsp.testrun import run_tests
from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams

INGEST = "homeostasis.ingest"
RUN_TESTS = "homeostasis.runTests"
CLEAR_RUNTIME = "homeostasis.clearRuntime"
SCAN_WORKSPACE = "homeostasis.scanWorkspace"
RELOAD = "homeostasis.reload"


def _argument(args: tuple[Any, ...], name: str) -> Any:
    """A command's argument given positionally or as ``{name: value}``."""
    if not args:
        return None
    first = args[0]
    if isinstance(first, dict):
        return first.get(name)
    return first if name in ("text", "source", "command", "rule") else None


def register(server: HomeostasisServer) -> None:
    @server.feature(types.INITIALIZE)
    def initialize(ls: HomeostasisServer, params: types.InitializeParams) -> None:
        ls.initialize(params)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: HomeostasisServer, params: types.InitializedParams) -> None:
        await ls.initialized()

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: HomeostasisServer, params: None) -> None:
        ls.stop_background()

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(
        ls: HomeostasisServer, params: types.DidChangeConfigurationParams
    ) -> None:
        await ls.configuration_changed(params.settings)

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    async def did_change_folders(
        ls: HomeostasisServer, params: types.DidChangeWorkspaceFoldersParams
    ) -> None:
        for removed in params.event.removed:
            ls.ws.remove_folder(removed.uri)
        for added in params.event.added:
            ls.ws.add_folder(added.uri, added.name)
        await ls.configuration_changed(None)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def did_change_watched(ls: HomeostasisServer, params: types.DidChangeWatchedFilesParams) -> None:
        await ls.watcher.changed(params.changes)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: HomeostasisServer, params: types.DidSaveTextDocumentParams) -> None:
        path = uri_to_path(params.text_document.uri)
        if path is not None and not ls.features.watch_dynamic:
            # Clients that cannot watch files still tell us when a config or rule file is saved.
            await ls.watcher.changed(
                [types.FileEvent(params.text_document.uri, types.FileChangeType.Changed)]
            )

    @server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(
            identifier=SECTION, inter_file_dependencies=True, workspace_diagnostics=False
        ),
    )
    async def diagnostic(
        ls: HomeostasisServer, params: types.DocumentDiagnosticParams
    ) -> types.DocumentDiagnosticReport:
        uri = params.text_document.uri
        document = ls.documents.get(uri)
        if document is not None:
            await ls.analyzer.settled(document)
        items = ls.diagnostics_for(uri)
        result_id = ls.result_id(uri, items)
        if params.previous_result_id == result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        return types.RelatedFullDocumentDiagnosticReport(items=items, result_id=result_id)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, actions.FIX_ALL],
            resolve_provider=True,
        ),
    )
    async def code_action(ls: HomeostasisServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return await actions.code_actions(ls, params)

    @server.feature(types.CODE_ACTION_RESOLVE)
    async def code_action_resolve(ls: HomeostasisServer, params: types.CodeAction) -> types.CodeAction:
        return await actions.resolve(ls, params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def on_hover(ls: HomeostasisServer, params: types.HoverParams) -> types.Hover | None:
        return await hover.hover(ls, params)

    @server.command(INGEST)
    async def ingest_command(ls: HomeostasisServer, *args: Any) -> dict[str, Any]:
        text = _argument(args, "text")
        if not isinstance(text, str) or not text.strip():
            raise JsonRpcInvalidParams(
                f"{INGEST} takes the error output as text: [text] or [{{'text': ...}}]"
            )
        source = args[0].get("source") if args and isinstance(args[0], dict) else None
        try:
            result = await ingest(ls, text, str(source or "paste"))
        except ValueError as exc:
            raise JsonRpcInvalidParams(str(exc)) from exc
        return result.as_json()

    @server.command(RUN_TESTS)
    async def run_tests_command(ls: HomeostasisServer, *args: Any) -> dict[str, Any]:
        command = _argument(args, "command")
        folder_uri = args[0].get("folder") if args and isinstance(args[0], dict) else None
        folder = ls.ws.folders.get(str(folder_uri)) if folder_uri else None
        folder = folder or ls.ws.folder_for(None)
        argv: tuple[str, ...] = ()
        if isinstance(command, str):
            import shlex

            argv = tuple(shlex.split(command))
        elif isinstance(command, list):
            argv = tuple(str(a) for a in command)
        try:
            return await run_tests(ls, folder, argv)
        except ValueError as exc:
            raise JsonRpcException(str(exc), code=-32803) from exc

    @server.command(CLEAR_RUNTIME)
    def clear_runtime(ls: HomeostasisServer, *args: Any) -> dict[str, Any]:
        source = _argument(args, "source")
        touched = ls.runtime.clear(str(source) if source else None)
        ls.fixes.forget_runtime()
        ls.publish_runtime(touched)
        return {"cleared": len(touched)}

    @server.command(actions.SHOW_DOCS)
    async def show_docs(ls: HomeostasisServer, *args: Any) -> str:
        rule_id = _argument(args, "rule")
        if not isinstance(rule_id, str):
            raise JsonRpcInvalidParams(f"{actions.SHOW_DOCS} takes a rule id")
        return await show_documentation(ls, rule_id)

    @server.command(SCAN_WORKSPACE)
    async def scan_workspace(ls: HomeostasisServer, *args: Any) -> dict[str, Any]:
        task = ls.scanner.restart()
        if task is None:
            return {"checked": 0, "note": "workspaceDiagnostics is off"}
        try:
            return {"checked": await asyncio.shield(task)}
        except asyncio.CancelledError:
            return {"checked": 0, "note": "cancelled"}

    @server.command(RELOAD)
    def reload(ls: HomeostasisServer, *args: Any) -> None:
        ls.reload(rules=True)
