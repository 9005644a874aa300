"""What the PHP plugin knows beyond the error text: a function of the file spelt like a
missing one, and the namespace a file declares (for fixes that must name a function fully).

``enrich`` looks only at capture names (``function``), never at rule ids. What depends on the
function's name alone (removed functions, extensions) is in the rules' message patterns.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

from homeostasis.model import Document

_FUNCTION_DEF_RE = re.compile(r"\bfunction\s+&?\s*([A-Za-z_]\w*)\s*\(")
_NAMESPACE_RE = re.compile(r"^\s*namespace\s+([A-Za-z_\\][\w\\]*)\s*[;{]", re.M)
# Built-in functions that are often misspelt. Only these and the document's own functions are
# suggested: renaming a call to an unrelated built-in (`mb_strlen` -> `strlen`) is no fix.
_COMMON_BUILTINS = frozenset(
    [
        "str_replace",
        "str_contains",
        "str_starts_with",
        "str_ends_with",
        "strpos",
        "stripos",
        "substr",
        "strlen",
        "explode",
        "implode",
        "array_map",
        "array_filter",
        "array_reduce",
        "array_keys",
        "array_values",
        "array_merge",
        "array_key_exists",
        "array_search",
        "array_slice",
        "array_splice",
        "array_unique",
        "array_column",
        "in_array",
        "count",
        "sprintf",
        "printf",
        "number_format",
        "json_encode",
        "json_decode",
        "preg_match",
        "preg_match_all",
        "preg_replace",
        "preg_split",
        "trim",
        "rtrim",
        "ltrim",
        "strtolower",
        "strtoupper",
        "ucfirst",
        "ucwords",
        "lcfirst",
        "htmlspecialchars",
        "html_entity_decode",
        "strip_tags",
        "var_dump",
        "var_export",
        "print_r",
        "is_array",
        "is_string",
        "is_numeric",
        "is_int",
        "is_null",
        "file_get_contents",
        "file_put_contents",
        "file_exists",
        "is_file",
        "is_dir",
        "date",
        "strtotime",
        "time",
        "mktime",
        "sort",
        "usort",
        "ksort",
        "asort",
        "array_push",
        "array_pop",
        "array_shift",
        "array_unshift",
        "range",
        "compact",
        "extract",
        "intval",
        "floatval",
        "boolval",
        "strval",
    ]
)
# A function of an extension is missing because the extension is, not because of a typo.
_EXTENSION_RE = re.compile(
    r"^(?:mb_|curl_|gd_|image|bc[a-z]|gmp_|intl|grapheme_|idn_|numfmt_|simplexml_|xml|dom_|zip_|"
    r"sodium_|pcntl_|posix_|ldap_|soap_|apcu_|exif_|finfo_|gz|iconv|ctype_|sqlite|pg_|mysqli_|mysql_)"
)


def similar_function(name: str, document: Document | None) -> str | None:
    """The function of the document (or common built-in) spelt most like ``name``."""
    if not name or _EXTENSION_RE.match(name.lower()):
        return None
    defined = set(_FUNCTION_DEF_RE.findall(document.text[:200_000])) if document is not None else set()
    candidates = (defined | _COMMON_BUILTINS) - {name}
    close = difflib.get_close_matches(name, sorted(candidates), n=1, cutoff=0.75)
    return close[0] if close else None


def namespace_of(text: str) -> str | None:
    match = _NAMESPACE_RE.search(text[:20_000])
    return match.group(1) if match else None


def enrich(error_type: str, captures: Mapping[str, str], document: Document | None) -> dict[str, str]:
    out: dict[str, str] = {}
    function = captures.get("function")
    if function:
        found = similar_function(function.rsplit("\\", 1)[-1], document)
        if found is not None:
            out["suggestion"] = found
        namespace = namespace_of(document.text) if document is not None else None
        if namespace:
            out["php_namespace"] = namespace
    return out
