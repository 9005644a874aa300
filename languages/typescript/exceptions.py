"""TypeScript's compiler diagnostics as a small hierarchy, next to JavaScript's runtime errors.

A diagnostic's type is its code (``TS2322``); codes that are a variant of another one (the
same problem, said with a name or with a did-you-mean) have it as their parent, so a rule
on the general code also sees the variant.  Every code descends from ``TSDiagnostic``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from homeostasis.languages.javascript import exceptions as js_exceptions
from homeostasis.plugins.hierarchy import lineage

_CODE_RE = re.compile(r"TS\d{3,5}$")

# variant -> the general diagnostic
_PARENT: Mapping[str, str] = MappingProxyType(
    {
        "TS2551": "TS2339",  # Property 'x' does not exist on type 'T'. Did you mean 'y'?
        "TS2552": "TS2304",  # Cannot find name 'x'. Did you mean 'y'?
        "TS2580": "TS2304",  # Cannot find name 'require'. Do you need to install type definitions for node?
        "TS2582": "TS2304",  # Cannot find name 'describe'. ... type definitions for a test runner?
        "TS2583": "TS2304",  # Cannot find name 'Map'. ... change your target library?
        "TS2584": "TS2304",  # Cannot find name 'console'. ... include 'dom'?
        "TS18048": "TS2532",  # 'x' is possibly 'undefined'.
        "TS18047": "TS2531",  # 'x' is possibly 'null'.
        "TS18049": "TS2533",  # 'x' is possibly 'null' or 'undefined'.
        "TS2792": "TS2307",  # Cannot find module 'x'. Did you mean to set 'moduleResolution'...
        "TS7016": "TS2307",  # Could not find a declaration file for module 'x'.
        "TS2769": "TS2345",  # No overload matches this call.
    }
)


def is_diagnostic(error_type: str) -> bool:
    return _CODE_RE.match(error_type) is not None


def ancestors(error_type: str) -> tuple[str, ...]:
    """A diagnostic code and its general codes (then ``TSDiagnostic``), or a runtime error's bases."""
    if not is_diagnostic(error_type):
        return js_exceptions.ancestors(error_type)
    chain = lineage(error_type, _PARENT)
    chain.append("TSDiagnostic")
    return tuple(chain)
