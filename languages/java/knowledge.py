"""Java knowledge added to findings: how an imported JDK class is spelled in this file,
and where a missing class comes from."""

from __future__ import annotations

import re
from collections.abc import Mapping

from homeostasis.languages.jvm.exceptions import short_name
from homeostasis.languages.jvm.knowledge import dependency_hint
from homeostasis.model import Document

# JDK classes that fix templates write: capture ``jdk_<Name>`` is the simple name when the
# file imports it (or its package with ``*``), else the fully qualified name, so a fix
# never needs an import edit to compile.
_JDK_CLASSES: Mapping[str, str] = {
    "ArrayList": "java.util",
    "HashMap": "java.util",
    "HashSet": "java.util",
    "Objects": "java.util",
    "Optional": "java.util",
    "File": "java.io",
    "Files": "java.nio.file",
    "Path": "java.nio.file",
}
_IMPORT = re.compile(r"^\s*import\s+([\w.]+(?:\.\*)?)\s*;", re.M)
_PACKAGE = re.compile(r"^\s*package\s+([\w.]+)\s*;", re.M)


# The exceptions whose fixes write JDK class names (a copy of a collection, a file check):
# other findings do not carry the ``jdk_*`` captures.
_WRITES_JDK_NAMES = frozenset(
    {
        "ConcurrentModificationException",
        "UnsupportedOperationException",
        "FileNotFoundException",
        "NoSuchFileException",
    }
)


def enrich(error_type: str, captures: Mapping[str, str], document: Document | None) -> dict[str, str]:
    out: dict[str, str] = {}
    short = short_name(error_type)
    if short in ("ClassNotFoundException", "NoClassDefFoundError"):
        out["suggestion"] = dependency_hint(captures.get("message", ""))
    if document is not None and short in _WRITES_JDK_NAMES:
        out.update(jdk_names(document.text))
    return out


def jdk_names(text: str) -> dict[str, str]:
    head = text[:20000]  # imports come first; a huge file need not be searched to its end
    imported = set(_IMPORT.findall(head))
    package = _PACKAGE.search(head)
    own = package.group(1) if package else ""
    names: dict[str, str] = {}
    for name, pkg in _JDK_CLASSES.items():
        visible = f"{pkg}.{name}" in imported or f"{pkg}.*" in imported or own == pkg or pkg == "java.lang"
        names[f"jdk_{name}"] = name if visible else f"{pkg}.{name}"
    return names
