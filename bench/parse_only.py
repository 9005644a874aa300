"""The floor: parse every Python file under a folder with tree-sitter, nothing else."""

from __future__ import annotations

import os
import sys

import tree_sitter
import tree_sitter_python


def main(root: str) -> None:
    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_python.language()))
    count = 0
    for folder, _dirs, names in os.walk(root):
        for name in names:
            if name.endswith(".py"):
                with open(os.path.join(folder, name), "rb") as handle:
                    parser.parse(handle.read())
                count += 1
    print(f"parsed {count} files")


if __name__ == "__main__":
    main(sys.argv[1])
