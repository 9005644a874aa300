"""The floor: parse every file of one language under a folder with tree-sitter, nothing else.

Usage: python parse_only.py LANGUAGE ROOT SUFFIX...   (LANGUAGE: python, javascript or go)
"""

from __future__ import annotations

import importlib
import os
import sys

import tree_sitter

GRAMMARS = {"python": "tree_sitter_python", "javascript": "tree_sitter_javascript", "go": "tree_sitter_go"}


def main(language: str, root: str, suffixes: tuple[str, ...]) -> None:
    grammar = importlib.import_module(GRAMMARS[language])
    parser = tree_sitter.Parser(tree_sitter.Language(grammar.language()))
    count = 0
    for folder, _dirs, names in os.walk(root):
        for name in names:
            if name.endswith(suffixes):
                with open(os.path.join(folder, name), "rb") as handle:
                    parser.parse(handle.read())
                count += 1
    print(f"parsed {count} files")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], tuple(sys.argv[3:]))
