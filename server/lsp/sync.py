"""didOpen / didChange / didClose: the document store, the analyzer and runtime entries in step."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeostasis.lsp.documents import OpenDocument
from homeostasis.lsp.folders import uri_to_path
from homeostasis.lsp.shifts import Change
from lsprotocol import types

if TYPE_CHECKING:
    from homeostasis.lsp.server import HomeostasisServer


def open_document(server: HomeostasisServer, params: types.DidOpenTextDocumentParams) -> None:
    item = params.text_document
    path = uri_to_path(item.uri)
    folder = server.ws.folder_for(path)
    document = OpenDocument(
        uri=item.uri,
        path=path,
        rel=server.ws.relative(path, item.uri, folder),
        root=folder.root,
        language_id=server.ws.detect(path, item.uri, item.language_id),
        version=item.version,
        text=item.text,
    )
    server.documents.put(document)
    if server.features.pull_diagnostics:
        server.clear_pushed(item.uri)  # pushed while closed; from now on the client pulls them
    server.analyzer.opened(document)
    server.follow.opened(document)


def change_document(server: HomeostasisServer, params: types.DidChangeTextDocumentParams) -> None:
    uri = params.text_document.uri
    document = server.documents.get(uri)
    if document is None:
        server.warn(f"change to a document that is not open ignored: {uri}")
        return
    version = params.text_document.version
    if version < document.version:
        server.warn(f"{uri}: version {version} arrived after {document.version}; applied anyway")
    changes: list[Change] = []
    replaced = False
    for change in params.content_changes:
        if isinstance(change, types.TextDocumentContentChangePartial):
            start = document.from_client(
                change.range.start.line, change.range.start.character, server.encoding
            )
            end = document.from_client(change.range.end.line, change.range.end.character, server.encoding)
            changes.append(document.apply_change(start, end, change.text, version))
        else:
            document.replace_all(change.text, version)
            replaced = True
    document.version = version
    server.fixes.forget(uri)
    if replaced:
        server.analyzer.replaced(document)
        server.follow.replaced(document)
    else:
        server.analyzer.changed(document, changes)
        server.follow.changed(document, changes)


def close_document(server: HomeostasisServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    document = server.documents.remove(uri)
    if document is None:
        return
    server.analyzer.closed(uri)
    server.fixes.forget(uri)
    server.forget(uri)
    server.follow.closed(uri)
    server.scanner.closed(document)
    server.publish(uri)
