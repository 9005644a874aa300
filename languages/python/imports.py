"""The modules a Python file imports, read without a parse: it runs on every keystroke."""

from __future__ import annotations

import re

_FROM = re.compile(r"from\s+([\w.]+)\s+import\b")
_IMPORT = re.compile(r"import\s+([^#;]+)")


def imported_modules(text: str) -> frozenset[str]:
    """``from a.b import c`` gives ``a.b``; ``import x.y as z, w`` gives ``x.y`` and ``w``.

    Finding the word ``import`` (a fast substring search) and reading its line is far
    cheaper than a multi-line regex over the whole file; relative imports are skipped.
    """
    found: set[str] = set()
    position = 0
    while (at := text.find("import", position)) != -1:
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        end = len(text) if end == -1 else end
        position = end
        line = text[start:end].lstrip()
        if match := _FROM.match(line):
            if not match.group(1).startswith("."):
                found.add(match.group(1))
        elif match := _IMPORT.match(line):
            for part in match.group(1).replace("(", "").replace(")", "").split(","):
                name = part.split()[0] if part.split() else ""
                if name and not name.startswith("."):
                    found.add(name)
    return frozenset(found)
