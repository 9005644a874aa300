"""Shared helpers for the configuration-file plugins (YAML, JSON, TOML, Dockerfile, HCL).

Not a plugin itself: a base class with defaults that suit configuration languages, a
shared way to turn parse errors into findings, and small helpers their readers share.

Only the base class is imported here: the plugins import this package at every start-up,
and the helpers (``events``, ``syntax``) are needed only to read errors or report parse
problems, so they load on first access (``from homeostasis.languages.config import ...``
works for them all the same).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from homeostasis.languages.config.base import ConfigLanguage

if TYPE_CHECKING:
    from homeostasis.languages.config.events import Hierarchy, located_event, strip_ansi
    from homeostasis.languages.config.syntax import (
        ParseProblem,
        duplicate_keys,
        parse_error_findings,
        parse_problems,
        tree_problems,
    )

__all__ = [
    "ConfigLanguage",
    "Hierarchy",
    "ParseProblem",
    "duplicate_keys",
    "located_event",
    "parse_error_findings",
    "parse_problems",
    "strip_ansi",
    "tree_problems",
]

# Name -> submodule of the helpers imported lazily.
_LAZY = {
    "Hierarchy": "events",
    "located_event": "events",
    "strip_ansi": "events",
    "ParseProblem": "syntax",
    "duplicate_keys": "syntax",
    "parse_error_findings": "syntax",
    "parse_problems": "syntax",
    "tree_problems": "syntax",
}


def __getattr__(name: str) -> object:
    submodule = _LAZY.get(name)
    if submodule is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{submodule}"), name)
    globals()[name] = value  # once loaded, a plain module attribute
    return value
