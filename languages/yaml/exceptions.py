"""YAML parse errors as PyYAML names them; other tools' messages are mapped onto these.

Go's yaml (kubectl, Helm, docker compose) and yamllint print the same scanner and
parser messages as PyYAML (both descend from libyaml), so the reader classifies
them by message into the same types.
"""

from __future__ import annotations

from homeostasis.languages.config import Hierarchy

_PARENT: dict[str, str] = {
    "MarkedYAMLError": "YAMLError",
    "ScannerError": "MarkedYAMLError",
    "ParserError": "MarkedYAMLError",
    "ComposerError": "MarkedYAMLError",
    "ConstructorError": "MarkedYAMLError",
    "DuplicateKeyError": "ConstructorError",  # ruamel.yaml; yamllint's key-duplicates
    "ReaderError": "YAMLError",
}

HIERARCHY = Hierarchy(_PARENT)


def ancestors(error_type: str) -> tuple[str, ...]:
    return HIERARCHY.ancestors(error_type)


def classify(message: str) -> str:
    """The PyYAML type a libyaml-style message belongs to."""
    text = message.lower()
    if "duplicate key" in text or "duplication of key" in text:
        return "DuplicateKeyError"
    if "found undefined alias" in text or "found duplicate anchor" in text:
        return "ComposerError"
    if text.startswith("while parsing") or "did not find expected" in text or "expected <block end>" in text:
        return "ParserError"
    if "could not determine a constructor" in text:
        return "ConstructorError"
    if "unacceptable character" in text or "invalid leading utf-8" in text:
        return "ReaderError"
    return "ScannerError"
