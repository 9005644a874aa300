"""What the JavaScript plugin knows beyond the error text: did-you-mean names, the import a
missing global needs, npm package names, and whether a file is an ES module.

``enrich`` looks only at capture names (``name``, ``method``, ``module``...), never at a rule
id, so TypeScript rules get the same help.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

from homeostasis.languages.javascript.names import (
    BUILTIN_METHODS,
    GLOBAL_HINTS,
    KEYWORDS,
    NODE_BUILTINS,
    PACKAGE_BINDINGS,
)
from homeostasis.model import Document

_IDENT_RE = re.compile(r"[A-Za-z_$][\w$]*")
_DECLARED_RE = re.compile(
    r"\b(?:const|let|var|function\*?|class|import)\s+\{?\s*([A-Za-z_$][\w$]*)"
    r"|([A-Za-z_$][\w$]*)\s*(?:=>|=\s*(?:async\s*)?(?:function|\(|[A-Za-z_$][\w$]*\s*=>))"
)
# ``.name`` uses, and ``name(`` / ``name:`` definitions in classes and object literals.
_PROPERTY_RE = re.compile(
    r"\.([A-Za-z_$][\w$]*)|(?:^|[{,])\s*(?:async\s+|static\s+|get\s+|set\s+)*([A-Za-z_$][\w$]*)\s*[(:]",
    re.M,
)
_ESM_RE = re.compile(r"^\s*(?:import\s[\w${*\s'\"]|export\s)", re.M)
# What makes `a?.b` invalid where `a.b` was fine: `a.b.c = 1`, `a.b += 1`, `a.b++`, `` a.b`x` ``.
_AFTER_UNSAFE_RE = re.compile(
    r"(?:\s*(?:\.[A-Za-z_$][\w$]*|\[[^\]\n]*\]))*\s*(?:(?:[-+*/%&|^]|\*\*|<<|>>>?|&&|\|\||\?\?)?=(?![=>])|\+\+|--|`)"
)
_BEFORE_UNSAFE_RE = re.compile(r"(?:\+\+|--|\bnew\s+)$")
_CONST_DECL = r"\bconst\s+{name}\s*(?::[^=;]+)?="


def enrich(error_type: str, captures: Mapping[str, str], document: Document | None) -> dict[str, str]:
    """Extra captures for a finding: ``suggestion``, ``hint``, ``import_line``, ``package``..."""
    out: dict[str, str] = {}
    text = document.text if document is not None else ""
    name = captures.get("name")  # rules capture `name` only for a name that is not defined
    if name:
        out.update(_missing_name(name, document))
    method = captures.get("method")
    if method and document is not None:
        suggestion = _closest(method, _properties(text) | BUILTIN_METHODS)
        if suggestion:
            out["suggestion"] = suggestion
    module = captures.get("module")
    if module:
        out.update(_module_facts(module))
    target = captures.get("optional_target")
    if target and document is not None and _optional_allowed(target, captures.get("object", ""), text):
        out["optional_ok"] = "yes"
    const = captures.get("const_name")
    if const and document is not None:
        out["const_declarations"] = str(len(re.findall(_CONST_DECL.format(name=re.escape(const)), text)))
    # What the error message itself says (tsc's "Did you mean 'x'?") wins over a guess.
    return {key: value for key, value in out.items() if key not in captures}


def _optional_allowed(target: str, object_: str, text: str) -> bool:
    """Whether ``target`` may become an optional chain wherever the file uses it: never as
    (part of) an assignment target, an update operand, a ``new`` callee or a tag."""
    if object_ in ("super", "import", "new.target") or ("\n" in target and len(target) > 400):
        return False
    start = 0
    for _ in range(100):
        at = text.find(target, start)
        if at < 0:
            return True
        before = text[max(0, at - 8) : at]
        after = text[at + len(target) : at + len(target) + 300]
        if _BEFORE_UNSAFE_RE.search(before) or _AFTER_UNSAFE_RE.match(after):
            return False
        start = at + 1
    return False


def _missing_name(name: str, document: Document | None) -> dict[str, str]:
    out: dict[str, str] = {}
    if name in GLOBAL_HINTS:
        out["hint"] = GLOBAL_HINTS[name]
    if document is None:
        return out
    text = document.text
    binding = PACKAGE_BINDINGS.get(name)
    if binding is not None:
        line = import_line(name, binding[0], binding[1], is_esm(document))
        if line not in text:
            out["import_line"] = line
            out["package"] = binding[0]
    if "import_line" not in out:
        suggestion = _closest(name, _declared(text) - {name})
        if suggestion:
            out["suggestion"] = suggestion
    return out


def import_line(name: str, package: str, kind: str, esm: bool) -> str:
    """The statement that binds ``name`` from ``package`` in the file's module style."""
    if esm:
        return (
            f"import {{ {name} }} from '{package}';"
            if kind == "named"
            else f"import {name} from '{package}';"
        )
    if kind == "named":
        return f"const {{ {name} }} = require('{package}');"
    return f"const {name} = require('{package}');"


def _module_facts(module: str) -> dict[str, str]:
    if module.startswith((".", "/")) or re.match(r"^[A-Za-z]:[\\/]", module):
        return {"relative": "yes"}
    bare = module.removeprefix("node:")
    if module.startswith("node:") or bare in NODE_BUILTINS:
        return {"builtin": "yes"}
    parts = module.split("/")
    package = "/".join(parts[:2]) if module.startswith("@") and len(parts) > 1 else parts[0]
    out = {"package": package, "install": f"npm install {package}"}
    if module.endswith(".js") or module.endswith(".css"):
        out["subpath"] = "yes"
    return out


def is_esm(document: Document) -> bool:
    """Whether the file is an ES module: by its extension, else by its own import/export lines."""
    path = document.path.lower()
    if path.endswith((".mjs", ".mts")):
        return True
    if path.endswith((".cjs", ".cts")):
        return False
    return _ESM_RE.search(document.text) is not None


def _declared(text: str) -> set[str]:
    names: set[str] = set()
    for match in _DECLARED_RE.finditer(text):
        found = match.group(1) or match.group(2)
        if found and found not in KEYWORDS:
            names.add(found)
    # Parameters and destructured names: any identifier used at least twice is known to the file.
    counts: dict[str, int] = {}
    for ident in _IDENT_RE.findall(text):
        counts[ident] = counts.get(ident, 0) + 1
    names.update(ident for ident, count in counts.items() if count > 1 and ident not in KEYWORDS)
    return names


def _properties(text: str) -> set[str]:
    found: set[str] = set()
    for match in _PROPERTY_RE.finditer(text):
        name = match.group(1) or match.group(2)
        if name and name not in KEYWORDS:
            found.add(name)
    return found


def _closest(name: str, candidates: set[str]) -> str | None:
    candidates = {c for c in candidates if c != name and abs(len(c) - len(name)) <= 3}
    if not candidates:
        return None
    lowered = {c.lower(): c for c in candidates}
    if name.lower() in lowered:
        return lowered[name.lower()]  # only the case differs: `foreach` for `forEach`
    close = difflib.get_close_matches(name, sorted(candidates), n=1, cutoff=0.75)
    return close[0] if close else None
