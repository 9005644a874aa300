"""The modules a JavaScript or TypeScript file imports, read without a parse: it runs on
every keystroke and for every file of a scan."""

from __future__ import annotations

import re

# What may follow `require` / `import` / `from` when it names a module: an optional
# parenthesis, then the quoted specifier.
_SPECIFIER = re.compile(r"""\s*(?:\(\s*)?(['"`])([^'"`\n]{1,300})\1""")
_KEYWORDS = ("require", "import", "from")


def imported_modules(text: str) -> frozenset[str]:
    """Specifiers of ``import ... from 'm'``, ``import 'm'``, ``import('m')``, ``require('m')``
    and ``export ... from 'm'``, each with its parent paths (``react-dom/client`` also gives
    ``react-dom``, ``@scope/pkg/x`` also ``@scope/pkg``), so a package matches by name.

    Each keyword is found with a substring search and only its surroundings are matched: one
    alternation regex over the whole file costs a hundred times more on a large bundle.
    """
    found: set[str] = set()
    for keyword in _KEYWORDS:
        position = 0
        while (at := text.find(keyword, position)) != -1:
            position = at + len(keyword)
            if at and _is_word(text[at - 1]):
                continue  # part of a longer name: `myrequire(`, `reimport`
            match = _SPECIFIER.match(text, position)
            if match is not None:
                found.update(_with_parents(match.group(2)))
    return frozenset(found)


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _with_parents(specifier: str) -> list[str]:
    if specifier.startswith("."):
        return [specifier]  # a relative path names no package
    parts = specifier.split("/")
    first = 2 if specifier.startswith("@") and len(parts) > 1 else 1
    return ["/".join(parts[:end]) for end in range(first, len(parts) + 1)]
