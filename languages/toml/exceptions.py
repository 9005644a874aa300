"""TOML errors as Cargo (the `toml` crate) reports them, classified into types rules can name.

Python's ``tomllib.TOMLDecodeError`` is not read: it gives a line and column but no
file name, so it cannot be placed; the Python plugin reads it as a Python error.
"""

from __future__ import annotations

from homeostasis.languages.config import Hierarchy

_PARENT: dict[str, str] = {
    "TomlSyntaxError": "TomlError",
    "DuplicateKey": "TomlSyntaxError",
    "InvalidValue": "TomlSyntaxError",
    "UnclosedCollection": "TomlSyntaxError",
    # Valid TOML whose value has the wrong type for the manifest (Cargo's schema).
    "InvalidType": "TomlError",
}

HIERARCHY = Hierarchy(_PARENT)


def ancestors(error_type: str) -> tuple[str, ...]:
    return HIERARCHY.ancestors(error_type)


def classify(message: str) -> str:
    text = message.lower()
    if text.startswith("duplicate key") or "duplicate key" in text:
        return "DuplicateKey"
    if text.startswith("invalid type:"):
        return "InvalidType"
    if text.startswith("unclosed "):
        return "UnclosedCollection"
    if text.startswith("invalid ") or "expected" in text:
        return "InvalidValue"
    return "TomlSyntaxError"
