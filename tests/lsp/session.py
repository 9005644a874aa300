"""A JSON-RPC client session against the real ``homeostasis lsp`` process, for the LSP tests.

The client plays an editor with a given capability profile: it keeps the text of
the documents it opened, applies workspace edits the way an editor does (and
tells the server with ``didChange``), records every ``publishDiagnostics`` with
its version, and answers the server's requests (configuration, registrations,
progress, showDocument).
"""

from __future__ import annotations

import asyncio
import copy
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from lsprotocol import types
from lsprotocol.converters import get_converter
from pygls.protocol import default_converter
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, LanguageClient, register_lsp_features

SERVER = [sys.executable, "-m", "homeostasis", "lsp"]
TIMEOUT = 20.0


def _profile_json(name: str) -> dict[str, Any]:
    text = resources.files("pytest_lsp.clients").joinpath(name).read_text()
    data: dict[str, Any] = json.loads(text)
    return data


def capabilities(profile: str) -> types.ClientCapabilities:
    """VS Code: pull diagnostics, Diagnostic.data, file watching, workspace/configuration.
    Neovim 0.7: push only, no Diagnostic.data, no configuration requests, no file watching."""
    if profile == "vscode":
        data = _profile_json("visual_studio_code_v1.65.2.json")
        caps = data["capabilities"]
        # VS Code has pulled diagnostics since vscode-languageclient 8 (2022).
        caps["textDocument"]["diagnostic"] = {"dynamicRegistration": True, "relatedDocumentSupport": False}
        caps["workspace"]["diagnostics"] = {"refreshSupport": True}
        caps["general"]["positionEncodings"] = ["utf-16"]
    elif profile == "neovim":
        data = _profile_json("neovim_v0.7.0.json")
        caps = data["capabilities"]
    elif profile == "utf8":
        data = _profile_json("neovim_v0.10.0.json")
        caps = data["capabilities"]
        caps["general"] = {"positionEncodings": ["utf-8", "utf-16"]}
    else:
        raise ValueError(profile)
    params = get_converter().structure(data, types.InitializeParams)
    return params.capabilities


def offset_at(text: str, position: types.Position, encoding: str) -> int:
    """An independent implementation of LSP positions, so the tests check the server's."""
    lines = text.split("\n")
    if position.line >= len(lines):
        return len(text)
    start = sum(len(line) + 1 for line in lines[: position.line])
    line = lines[position.line]
    units = 0
    for index, char in enumerate(line):
        if units >= position.character:
            return start + index
        units += len(char.encode("utf-16-le")) // 2 if encoding == "utf-16" else len(char.encode())
    return start + len(line)


def position_at(text: str, offset: int, encoding: str) -> types.Position:
    before = text[:offset]
    line = before.count("\n")
    column_text = before[before.rfind("\n") + 1 :]
    if encoding == "utf-16":
        character = len(column_text.encode("utf-16-le")) // 2
    else:
        character = len(column_text.encode())
    return types.Position(line, character)


def apply_text_edits(text: str, edits: list[types.TextEdit], encoding: str) -> str:
    spans = [
        (offset_at(text, e.range.start, encoding), offset_at(text, e.range.end, encoding), e) for e in edits
    ]
    for start, end, edit in sorted(spans, key=lambda s: (s[0], s[1]), reverse=True):
        text = text[:start] + edit.new_text + text[end:]
    return text


@dataclass
class Recorder:
    published: dict[str, list[tuple[int | None, list[types.Diagnostic]]]] = field(default_factory=dict)
    registrations: list[types.Registration] = field(default_factory=list)
    shown: list[types.ShowDocumentParams] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)


class Session:
    def __init__(self, client: LanguageClient, root: Path, profile: str, recorder: Recorder) -> None:
        self.client = client
        self.root = root
        self.profile = profile
        self.recorder = recorder
        self.texts: dict[str, str] = {}
        self.versions: dict[str, int] = {}
        self.encoding = "utf-16"
        self.result_ids: dict[str, str] = {}
        self.pull = False  # the client pulls diagnostics (textDocument/diagnostic)

    # Lifecycle -----------------------------------------------------------------------

    @staticmethod
    async def start(
        root: Path,
        profile: str,
        init_options: dict[str, Any] | None = None,
        configuration: dict[str, Any] | None = None,
        env: dict[str, str] | None = None,
        folders: list[Path] | None = None,
    ) -> Session:
        client = LanguageClient(converter_factory=default_converter)
        register_lsp_features(
            client,
            {
                k: v
                for k, v in DEFAULT_CLIENT_FEATURES.items()
                if k != types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
            },
        )
        recorder = Recorder()

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_publish(ls: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
            recorder.published.setdefault(params.uri, []).append((params.version, list(params.diagnostics)))
            recorder.changed.set()

        @client.feature(types.CLIENT_REGISTER_CAPABILITY)
        def on_register(ls: LanguageClient, params: types.RegistrationParams) -> None:
            recorder.registrations.extend(params.registrations)

        @client.feature(types.CLIENT_UNREGISTER_CAPABILITY)
        def on_unregister(ls: LanguageClient, params: types.UnregistrationParams) -> None:
            gone = {u.id for u in params.unregisterations}
            recorder.registrations[:] = [r for r in recorder.registrations if r.id not in gone]

        for scope, value in (configuration or {}).items():  # scope "" is global, else a folder's URI
            client.set_configuration(value, scope_uri=scope or None)
        await client.start_io(*SERVER, cwd=str(root), env={**os.environ, **(env or {})})
        session = Session(client, root, profile, recorder)
        caps = capabilities(profile)
        result = await client.initialize_session(
            types.InitializeParams(
                capabilities=caps,
                root_uri=root.as_uri(),
                workspace_folders=[types.WorkspaceFolder(f.as_uri(), f.name) for f in folders or [root]],
                initialization_options=init_options,
            )
        )
        encoding = result.capabilities.position_encoding
        session.encoding = str(getattr(encoding, "value", encoding) or "utf-16")
        session.pull = caps.text_document is not None and caps.text_document.diagnostic is not None
        return session

    async def stop(self) -> None:
        try:
            await asyncio.wait_for(self.client.shutdown_session(), TIMEOUT)
        finally:
            await self.client.stop()

    # Documents -----------------------------------------------------------------------

    def uri(self, name: str) -> str:
        return (self.root / name).as_uri()

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def open(self, name: str, text: str | None = None, language: str = "python") -> str:
        uri = self.uri(name)
        if text is None:
            text = (self.root / name).read_text(encoding="utf-8")
        self.texts[uri], self.versions[uri] = text, 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, language, 1, text))
        )
        return uri

    def close(self, uri: str) -> None:
        self.client.text_document_did_close(
            types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri))
        )
        self.texts.pop(uri, None)

    def edit(self, uri: str, edits: list[types.TextEdit]) -> int:
        """Apply ``edits`` (all relative to the current text) and send them as one didChange."""
        text = self.texts[uri]
        ordered = sorted(
            edits,
            key=lambda e: (
                offset_at(text, e.range.start, self.encoding),
                offset_at(text, e.range.end, self.encoding),
            ),
            reverse=True,
        )
        changes: list[types.TextDocumentContentChangeEvent] = []
        for edit in ordered:
            changes.append(types.TextDocumentContentChangePartial(range=edit.range, text=edit.new_text))
        self.texts[uri] = apply_text_edits(text, edits, self.encoding)
        self.versions[uri] += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]), list(changes)
            )
        )
        return self.versions[uri]

    def replace(self, uri: str, old: str, new: str, occurrence: int = 0) -> int:
        """Replace the ``occurrence``-th ``old`` in the document with ``new`` (one edit)."""
        text = self.texts[uri]
        start = -1
        for _ in range(occurrence + 1):
            start = text.index(old, start + 1)
        edit_range = types.Range(
            position_at(text, start, self.encoding), position_at(text, start + len(old), self.encoding)
        )
        return self.edit(uri, [types.TextEdit(edit_range, new)])

    def range_of(self, uri: str, needle: str) -> types.Range:
        text = self.texts.get(uri) or Path(uri[len("file://") :]).read_text()
        start = text.index(needle)
        return types.Range(
            position_at(text, start, self.encoding), position_at(text, start + len(needle), self.encoding)
        )

    def apply(self, edit: types.WorkspaceEdit) -> None:
        """Apply a workspace edit like an editor: open documents via didChange, others on disk."""
        per_uri: dict[str, list[types.TextEdit]] = {}
        for change in edit.document_changes or ():
            assert isinstance(change, types.TextDocumentEdit), change
            uri = change.text_document.uri
            if change.text_document.version is not None:
                assert self.versions.get(uri) == change.text_document.version, "edit for another version"
            per_uri.setdefault(uri, []).extend(e for e in change.edits if isinstance(e, types.TextEdit))
        for uri, edits in (edit.changes or {}).items():
            per_uri.setdefault(uri, []).extend(edits)
        for uri, edits in per_uri.items():
            if uri in self.texts:
                self.edit(uri, edits)
            else:
                path = Path(uri[len("file://") :])
                path.write_text(apply_text_edits(path.read_text(), edits, self.encoding))

    # Diagnostics ---------------------------------------------------------------------

    async def published(
        self, uri: str, version: int | None = None, timeout: float = TIMEOUT
    ) -> list[types.Diagnostic]:
        """The diagnostics published for ``uri`` (at ``version``, when given)."""

        async def wait() -> list[types.Diagnostic]:
            while True:
                for got_version, diagnostics in reversed(self.recorder.published.get(uri, [])):
                    if version is None or got_version == version:
                        return diagnostics
                self.recorder.changed.clear()
                await self.recorder.changed.wait()

        return await asyncio.wait_for(wait(), timeout)

    async def diagnostics(self, uri: str, timeout: float = TIMEOUT) -> list[types.Diagnostic]:
        """The current diagnostics of an open document, however this client gets them."""
        if self.pull:
            report = await asyncio.wait_for(
                self.client.text_document_diagnostic_async(
                    types.DocumentDiagnosticParams(types.TextDocumentIdentifier(uri))
                ),
                timeout,
            )
            assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
            self.result_ids[uri] = report.result_id or ""
            return list(report.items)
        return await self.published(uri, self.versions.get(uri), timeout)

    async def wait_for(self, uri: str, predicate: Any, timeout: float = TIMEOUT) -> list[types.Diagnostic]:
        """Diagnostics of ``uri`` once ``predicate`` holds (runtime updates arrive on their own)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if self.pull and uri in self.texts:
                current = await self.diagnostics(uri)
            else:
                entries = self.recorder.published.get(uri, [])
                current = entries[-1][1] if entries else []
            if predicate(current):
                return current
            if loop.time() > deadline:
                raise AssertionError(f"timed out; last diagnostics of {uri}: {[d.message for d in current]}")
            await asyncio.sleep(0.05)

    # Requests ------------------------------------------------------------------------

    async def actions(
        self,
        uri: str,
        at: types.Range,
        only: list[str] | None = None,
        diagnostics: list[types.Diagnostic] | None = None,
    ) -> list[types.CodeAction | types.Command]:
        context = types.CodeActionContext(diagnostics=diagnostics or [], only=only)  # type: ignore[arg-type]
        result = await asyncio.wait_for(
            self.client.text_document_code_action_async(
                types.CodeActionParams(types.TextDocumentIdentifier(uri), at, context)
            ),
            TIMEOUT,
        )
        return list(result or [])

    async def resolved(self, action: types.CodeAction) -> types.CodeAction:
        if action.edit is not None:
            return action
        return await asyncio.wait_for(self.client.code_action_resolve_async(copy.deepcopy(action)), TIMEOUT)

    async def command(self, name: str, *arguments: Any) -> Any:
        return await asyncio.wait_for(
            self.client.workspace_execute_command_async(types.ExecuteCommandParams(name, list(arguments))),
            120.0,
        )

    async def hover(self, uri: str, position: types.Position) -> types.Hover | None:
        return await asyncio.wait_for(
            self.client.text_document_hover_async(
                types.HoverParams(types.TextDocumentIdentifier(uri), position)
            ),
            TIMEOUT,
        )

    async def configure(self, settings: dict[str, Any]) -> None:
        """Change the editor settings the way this client can: pulled (VS Code) or pushed (Neovim)."""
        if self.profile == "neovim":
            self.client.workspace_did_change_configuration(
                types.DidChangeConfigurationParams(settings={"homeostasis": settings})
            )
        else:
            self.client.set_configuration({"homeostasis": settings})
            self.client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))

    def logs(self) -> str:
        return "\n".join(m.message for m in self.client.log_messages)

    async def wait_log(self, needle: str, timeout: float = TIMEOUT) -> str:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while needle not in self.logs():
            if loop.time() > deadline:
                raise AssertionError(f"no log message with {needle!r}:\n{self.logs()}")
            await asyncio.sleep(0.05)
        return self.logs()


def git_init(root: Path) -> None:
    subprocess.run(["git", "init", "-q", str(root)], check=True)


def run_python(root: Path, name: str) -> str:
    """Run a program of the workspace with this interpreter; its stderr (the traceback)."""
    done = subprocess.run([sys.executable, name], cwd=root, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0, done.stdout
    return done.stderr
