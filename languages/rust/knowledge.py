"""Rust knowledge added to a finding's captures: the enclosing function's return type, names.

Captures the rules may use (in ``when`` conditions and templates):

* ``returns``: what the function around the failing expression returns: ``option``,
  ``result``, ``unit`` or ``other`` (absent for a closure, or when the expression text occurs
  in functions that disagree);
* ``question_ok``: ``yes`` when ``?`` on the failing ``Result`` would compile in that function:
  it returns ``Result<_, Box<dyn Error>>``, an ``anyhow``/``eyre`` result, or a ``Result`` whose
  error type is the one in the panic message;
* ``suggestion``: a name of the file close to an unknown one (when rustc gave none).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from homeostasis.model import Document

if TYPE_CHECKING:
    import tree_sitter

_IDENT = re.compile(r"\b[A-Za-z_]\w*\b")
_KEYWORDS = frozenset(
    (
        "as",
        "async",
        "await",
        "break",
        "const",
        "continue",
        "crate",
        "dyn",
        "else",
        "enum",
        "extern",
        "false",
        "fn",
        "for",
        "if",
        "impl",
        "in",
        "let",
        "loop",
        "match",
        "mod",
        "move",
        "mut",
        "pub",
        "ref",
        "return",
        "self",
        "Self",
        "static",
        "struct",
        "super",
        "trait",
        "true",
        "type",
        "unsafe",
        "use",
        "where",
        "while",
    )
)
# The error type's name as Debug prints it at the start of the panic message.
_ERROR_NAME = re.compile(r"^(?P<name>[A-Z]\w*)\b")
_OPEN_ERROR = re.compile(r"Box<dyn\s+(?:std::error::|core::error::)?Error\b|anyhow::|eyre::|\bReport\b")
_MAX_OCCURRENCES = 20


def enrich(
    error_type: str,
    captures: Mapping[str, str],
    document: Document | None,
    parser: tree_sitter.Parser | None = None,
) -> dict[str, str]:
    out: dict[str, str] = {}
    if document is None:
        return out
    target = captures.get("target")
    if target and parser is not None:
        returned = _return_type(target, document, parser)
        if returned is not None:
            out["returns"] = _kind(returned)
            if out["returns"] == "result" and _question_ok(returned, captures.get("err", ""), document.text):
                out["question_ok"] = "yes"
    name = captures.get("name")
    if name and "suggestion" not in captures and error_type.startswith("E0"):
        close = did_you_mean(name, document.text)
        if close:
            out["suggestion"] = close
    return out


def _return_type(target: str, document: Document, parser: tree_sitter.Parser) -> str | None:
    """The return type text ('' for none) of the function around every occurrence of ``target``."""
    text = document.text
    found: set[str] = set()
    start = text.find(target)
    if start < 0:
        return None
    tree = parser.parse(document.source)
    seen = 0
    while start >= 0 and seen < _MAX_OCCURRENCES:
        offset = len(text[:start].encode("utf-8", "surrogatepass"))
        node: tree_sitter.Node | None = tree.root_node.descendant_for_byte_range(offset, offset)
        while node is not None and node.type not in ("function_item", "closure_expression"):
            node = node.parent
        if node is None or node.type == "closure_expression":
            return None  # `?` in a closure returns from the closure: unknown here
        returned = node.child_by_field_name("return_type")
        found.add((returned.text or b"").decode("utf-8", "replace") if returned is not None else "")
        seen += 1
        start = text.find(target, start + 1)
    return found.pop() if len(found) == 1 else None


def _kind(returned: str) -> str:
    compact = returned.replace(" ", "")
    if not compact or compact == "()":
        return "unit"
    if compact.startswith(("Option<", "std::option::Option<")):
        return "option"
    if re.match(r"^(?:[\w:]+::)?Result<", compact):
        return "result"
    return "other"


def _question_ok(returned: str, err: str, text: str) -> bool:
    if _OPEN_ERROR.search(returned):
        return True
    if re.match(r"^(?:anyhow::|eyre::)?Result<[^,<>]+(?:<[^<>]*>)?>$", returned.replace(" ", "")) and (
        "use anyhow" in text or "use eyre" in text or "use color_eyre" in text
    ):
        return True  # anyhow::Result<T> imported as Result
    inner = returned.replace(" ", "")
    if re.match(r"^(?:std::)?io::Result<", inner) and re.match(r"^(?:Os \{|Custom \{|Kind\()", err):
        return True  # io::Error prints as Os { .. }, Custom { .. } or Kind(..)
    name = _ERROR_NAME.match(err)
    if name is None:
        return False
    return inner.endswith(f",{name.group('name')}>") or inner.endswith(f"::{name.group('name')}>")


def did_you_mean(name: str, text: str) -> str | None:
    """A name used in the file that is one typo away from ``name``."""
    if len(name) < 3:
        return None
    names = {w for w in _IDENT.findall(text) if w != name and w not in _KEYWORDS and len(w) >= 2}
    close = difflib.get_close_matches(name, sorted(names), n=1, cutoff=0.8)
    return close[0] if close else None
