"""JSON errors that name a file: npm's EJSONPARSE for a broken package.json.

``json.decoder.JSONDecodeError`` (Python) and ``SyntaxError: ... in JSON at position``
(JavaScript) belong to those languages' plugins: they name a string, not a file.
"""

from __future__ import annotations

from homeostasis.languages.config import Hierarchy

_PARENT: dict[str, str] = {
    "JsonSyntaxError": "JsonError",
    "EJSONPARSE": "JsonSyntaxError",
}

HIERARCHY = Hierarchy(_PARENT)


def ancestors(error_type: str) -> tuple[str, ...]:
    return HIERARCHY.ancestors(error_type)
