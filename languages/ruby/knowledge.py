"""What the Ruby plugin knows beyond the error text: the library that defines a standard
constant, and whether a file uses Rails. Misspelt names need no help here: did_you_mean
prints its suggestions in the message itself.

``enrich`` looks only at capture names (``constant``), never at rule ids.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from homeostasis.model import Document

# Standard-library constants and the feature that defines them.
_FEATURE_FOR_CONSTANT: Mapping[str, str] = MappingProxyType(
    {
        "JSON": "json",
        "YAML": "yaml",
        "Psych": "psych",
        "CSV": "csv",
        "Set": "set",
        "SortedSet": "sorted_set",
        "OpenStruct": "ostruct",
        "SecureRandom": "securerandom",
        "Digest": "digest",
        "FileUtils": "fileutils",
        "Pathname": "pathname",
        "StringIO": "stringio",
        "Tempfile": "tempfile",
        "Benchmark": "benchmark",
        "Logger": "logger",
        "ERB": "erb",
        "Shellwords": "shellwords",
        "Open3": "open3",
        "Timeout": "timeout",
        "Socket": "socket",
        "URI": "uri",
        "Base64": "base64",
        "BigDecimal": "bigdecimal",
        "Date": "date",
        "DateTime": "date",
        "OptionParser": "optparse",
        "Forwardable": "forwardable",
        "Singleton": "singleton",
        "Observable": "observer",
        "Zlib": "zlib",
        "PP": "pp",
        "Prime": "prime",
        "Matrix": "matrix",
        "Etc": "etc",
        "Net": "net/http",
    }
)
_RAILS_RE = re.compile(
    r"\b(?:Rails\.|ApplicationRecord|ApplicationController|ActiveRecord::|ActionController::"
    r"|ActiveSupport::|has_many|belongs_to|before_action)"
)


def enrich(error_type: str, captures: Mapping[str, str], document: Document | None) -> dict[str, str]:
    out: dict[str, str] = {}
    constant = captures.get("constant", "")
    if constant in _FEATURE_FOR_CONSTANT:
        # `import_module`: the name the engine knows for "what to load" (here: the feature).
        out["import_module"] = _FEATURE_FOR_CONSTANT[constant]
    return out


def uses_rails(text: str) -> bool:
    return _RAILS_RE.search(text[:200_000]) is not None
