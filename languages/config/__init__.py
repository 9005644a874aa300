"""Shared helpers for the configuration-file plugins (YAML, JSON, TOML, Dockerfile, HCL).

Not a plugin itself: a base class with defaults that suit configuration languages, a
shared way to turn parse errors into findings, and small helpers their readers share.
"""

from homeostasis.languages.config.base import ConfigLanguage
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
