"""Terraform knowledge added to findings: the closest type keyword for a misspelt one."""

from __future__ import annotations

import difflib
from collections.abc import Mapping

# Type constraint keywords (primitive types, collection and structural constructors).
TYPE_KEYWORDS = ("string", "number", "bool", "list", "map", "set", "object", "tuple", "any")


def enrich(error_type: str, captures: Mapping[str, str]) -> dict[str, str]:
    extra: dict[str, str] = {}
    name = captures.get("name", "")
    if "suggestion" not in captures and error_type == "InvalidTypeSpecification" and name:
        close = difflib.get_close_matches(name.lower(), TYPE_KEYWORDS, n=1, cutoff=0.6)
        if close:
            extra["suggestion"] = close[0]
    return extra
