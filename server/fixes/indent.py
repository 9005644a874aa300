"""A file's own indentation style, so rendered fixes look like the code around them."""

from __future__ import annotations

from collections import Counter

from homeostasis.model import Document


def indent_unit(document: Document, default: str = "    ") -> str:
    """The indentation step the file uses (a tab, or the most common step of spaces)."""
    steps: Counter[str] = Counter()
    previous = 0
    for index in range(min(document.line_count, 2000)):
        line = document.line(index)
        stripped = line.lstrip(" \t")
        if not stripped or stripped.startswith("#"):
            continue
        indent = line[: len(line) - len(stripped)]
        if indent.startswith("\t"):
            steps["\t"] += 1
        elif len(indent) > previous:
            steps[" " * (len(indent) - previous)] += 1
        previous = len(indent.expandtabs())
    return steps.most_common(1)[0][0] if steps else default


def leading_whitespace(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def dedent_lines(text: str, base: int) -> str:
    """Remove ``base`` columns of indentation from the lines after the first.

    The first line starts where the region starts; ``base`` is the indentation of
    the line it starts on, so nested bodies keep their relative depth.
    """
    lines = text.split("\n")
    out = [lines[0]]
    for line in lines[1:]:
        indent = len(leading_whitespace(line))
        out.append(line[min(indent, base) :])
    return "\n".join(out)


def indent_block(text: str, unit: str) -> str:
    return "\n".join(unit + ln if ln.strip() else ln for ln in text.split("\n"))


def reindent(text: str, prefix: str) -> str:
    """Indent every line after the first by ``prefix`` (the first lands where the region starts)."""
    lines = text.split("\n")
    return "\n".join([lines[0], *(prefix + ln if ln.strip() else ln for ln in lines[1:])])
