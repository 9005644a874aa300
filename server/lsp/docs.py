"""``homeostasis.showDocumentation``: a rule's documentation, opened in the editor.

The Markdown is written to the user's cache folder and shown with
``window/showDocument`` when the client supports it; the command also returns
the Markdown, so an extension can render it its own way.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from homeostasis.lsp.folders import path_to_uri
from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

if TYPE_CHECKING:
    from homeostasis.lsp.server import HomeostasisServer

_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]")


def _cache_dir() -> Path:
    configured = os.environ.get("HOMEOSTASIS_CACHE_DIR")  # the rule cache's folder, shared
    if configured:
        return Path(configured) / "rule-docs"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "homeostasis" / "rule-docs"


async def show_documentation(server: HomeostasisServer, rule_id: str) -> str:
    rule = server.ws.find_rule(rule_id)
    page = server.ws.rule_page(rule_id)
    if rule is None or page is None:
        raise JsonRpcInvalidParams(f"no rule '{rule_id}'")
    text = page if page.endswith("\n") else page + "\n"
    if server.features.show_document:
        try:
            folder = _cache_dir()
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / f"{_SAFE_NAME.sub('_', rule_id)}.md"
            target.write_text(text, encoding="utf-8")
            await server.window_show_document_async(
                types.ShowDocumentParams(uri=path_to_uri(target), take_focus=True)
            )
        except OSError as exc:
            server.warn(f"cannot write the documentation of {rule_id}: {exc}")
    else:
        summary = rule.docs.summary or rule.message
        refs = f" See {rule.docs.references[0]}" if rule.docs.references else ""
        server.window_show_message(
            types.ShowMessageParams(type=types.MessageType.Info, message=f"{rule_id}: {summary}{refs}")
        )
    return text
