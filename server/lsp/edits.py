"""Engine edits as LSP workspace edits: one ``TextDocumentEdit`` per file, versioned.

A fix is computed against a text whose hash it carries; if that file has changed
since (in the editor or on disk), the edit is refused rather than applied to
text it was not made for. Paths outside the workspace folder are refused too.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from homeostasis.fixes.edits import file_hash
from homeostasis.lsp.diagnostics import Lines, to_range
from homeostasis.lsp.folders import path_to_uri
from homeostasis.model import Document, FileEdit
from homeostasis.workspace.files import SourceFile, read_source
from lsprotocol import types

if TYPE_CHECKING:
    from homeostasis.lsp.server import HomeostasisServer

MAX_EDITED_FILE = 64 * 1024 * 1024


class EditRefused(Exception):
    """The fix cannot be turned into an edit any more (file changed, outside the workspace)."""


def _inside(root: Path, target: Path) -> bool:
    real_root = Path(os.path.realpath(root))
    real = Path(os.path.realpath(target))
    return real == real_root or real_root in real.parents


def workspace_edit(server: HomeostasisServer, files: Sequence[FileEdit], root: Path) -> types.WorkspaceEdit:
    document_changes: list[types.TextDocumentEdit] = []
    changes: dict[str, list[types.TextEdit]] = {}
    for file_edit in files:
        target = Path(file_edit.path)
        target = target if target.is_absolute() else root / target
        if not _inside(root, target):
            raise EditRefused(f"{file_edit.path} is outside the workspace folder {root}")
        uri = path_to_uri(target)
        document = server.documents.get(uri)
        lines: Lines
        version: int | None
        if document is not None:
            text, lines, version = document.text, document, document.version
        else:
            loaded = read_source(target, MAX_EDITED_FILE)
            if not isinstance(loaded, SourceFile):
                raise EditRefused(f"{file_edit.path}: {loaded.reason}")
            text, version = loaded.text, None
            lines = Document(file_edit.path, text, "")
        if file_edit.base_hash and file_hash(text) != file_edit.base_hash:
            raise EditRefused(f"{file_edit.path} changed since the fix was computed; ask for it again")
        edits = [
            types.TextEdit(range=to_range(lines, e.span, server.encoding), new_text=e.new_text)
            for e in file_edit.edits
        ]
        if server.features.document_changes:
            identifier = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
            document_changes.append(types.TextDocumentEdit(text_document=identifier, edits=list(edits)))
        else:
            changes.setdefault(uri, []).extend(edits)
    if server.features.document_changes:
        return types.WorkspaceEdit(document_changes=list(document_changes))
    return types.WorkspaceEdit(changes=changes)
