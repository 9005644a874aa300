"""Laravel and Symfony logs (Monolog): ``[date] channel.LEVEL: message {"exception":"[object]
(Type(code: N): message at FILE:LINE)`` followed by ``[stacktrace]`` and ``#N`` lines, and
``[previous exception]`` blocks for the exceptions it wraps.

Laravel keeps the stack trace on real lines; Symfony's JSON context puts everything on one
line with ``\\n`` escapes. Both are read from the text of the JSON string, unescaped.
"""

from __future__ import annotations

import re

from homeostasis.languages.php import lines as L
from homeostasis.languages.php.block import Block, Entry

_ENTRY_RE = re.compile(
    r"^\[(?P<ts>\d{4}-\d\d-\d\d[ T][\d:.]+(?:[+-]\d\d:?\d\d|Z)?)\] "
    r"(?P<channel>[\w.-]+?)\.(?P<level>[A-Z]+): (?P<rest>.*)$"
)
_OBJECT = '"exception":"[object] ('
_OBJECT_RE = re.compile(
    r"^\[object\] \((?P<type>[A-Za-z_\\][\w\\]*)\(code: (?P<code>[^)]*)\): (?P<rest>.*)$", re.S
)
_AT_RE = re.compile(r"^(?P<msg>.*) at (?P<file>\S.*?):(?P<line>\d+)\)\s*$", re.S)
_SYMFONY_RE = re.compile(
    r'Uncaught PHP Exception (?P<type>[A-Za-z_\\][\w\\]*): "(?P<msg>.*)" '
    r"at (?P<file>\S.*?) line (?P<line>\d+)"
)
_SECTION_RE = re.compile(r"^\[(?:stacktrace|previous exception)\]")
_MAX_LINES = 5000


def read_log_entry(lines: list[str], i: int) -> tuple[Block, int] | None:
    """The exception logged by the entry at ``i`` and the index of its last line, or None."""
    match = _ENTRY_RE.match(lines[i])
    if match is None:
        return None
    rest = match["rest"]
    at = rest.find(_OBJECT)
    if at < 0:
        symfony = _SYMFONY_RE.search(rest)
        if symfony is None:
            return None
        block = Block(
            L.unescape_json(symfony["type"]),
            symfony["msg"],
            symfony["file"],
            int(symfony["line"]),
            i,
            i,
        )
        return block, i
    # The JSON string runs until a line that closes it (`"}`), or ends on this very line.
    pieces = [rest[at + len(_OBJECT) - len("[object] (") :]]
    end = i
    if not _closes(pieces[0]):
        j = i + 1
        while j < min(len(lines), i + _MAX_LINES):
            pieces.append(lines[j])
            end = j
            if _closes(lines[j]) or _ENTRY_RE.match(lines[j]):
                if _ENTRY_RE.match(lines[j]):
                    pieces.pop()
                    end = j - 1
                break
            j += 1
    text = "\n".join(pieces)
    text = _strip_json_end(text)
    parsed = _parse_object(L.unescape_json(text), i, end)
    return (parsed, end) if parsed is not None else None


def _closes(line: str) -> bool:
    stripped = line.rstrip()
    return stripped.startswith('"}') or stripped.endswith(('"}', '"} []', '"}]'))


def _strip_json_end(text: str) -> str:
    stripped = text.rstrip()
    for tail in ('"} []', '"}]', '"}'):
        at = stripped.rfind(tail)
        if at >= 0 and not stripped[at + len(tail) :].strip(" []{}"):
            return stripped[:at]
    return stripped


def _parse_object(text: str, start: int, end: int) -> Block | None:
    """`[object] (Type(code: N): msg at F:L)` + `[stacktrace]` + `[previous exception]` ..."""
    sections: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line.startswith("[previous exception] "):
            sections.append([line[len("[previous exception] ") :]])
        else:
            sections[-1].append(line)
    blocks = [b for b in (_section(s, start, end) for s in sections) if b is not None]
    if not blocks:
        return None
    outer = blocks[0]
    outer.previous = list(reversed(blocks[1:]))  # printed outermost first; the deepest is last
    return outer


def _section(lines: list[str], start: int, end: int) -> Block | None:
    head: list[str] = []
    index = 0
    while index < len(lines) and not _SECTION_RE.match(lines[index]):
        head.append(lines[index])
        index += 1
    match = _OBJECT_RE.match("\n".join(head).strip())
    if match is None:
        return None
    located = _AT_RE.match(match["rest"])
    if located is None:
        return Block(match["type"], match["rest"].rstrip(")"), None, None, start, end)
    block = Block(match["type"], located["msg"], located["file"], int(located["line"]), start, end)
    for line in lines[index + 1 :]:
        trace = L.TRACE_RE.match(line)
        if trace is None:
            if line.strip():
                break
            continue
        number = int(trace["line"]) if trace["line"] else None
        block.entries.append(Entry(trace["file"], number, L.function_name(trace["call"])))
    return block
