"""The JSON-RPC protocol, with document synchronisation routed to the server's own store.

pygls applies every change to its own document copy before a handler runs, at a
cost linear in the document and without the coordinates tree-sitter needs.
These overrides hand open/change/close straight to the server instead.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method

if TYPE_CHECKING:
    from homeostasis.lsp.server import HomeostasisServer


class HomeostasisProtocol(LanguageServerProtocol):
    _server: HomeostasisServer

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(
        self, params: types.DidOpenTextDocumentParams
    ) -> Generator[Any, Any, None]:
        self._server.did_open(params)
        yield from ()

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(
        self, params: types.DidChangeTextDocumentParams
    ) -> Generator[Any, Any, None]:
        self._server.did_change(params)
        yield from ()

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(
        self, params: types.DidCloseTextDocumentParams
    ) -> Generator[Any, Any, None]:
        self._server.did_close(params)
        yield from ()
