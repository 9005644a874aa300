"""TypeScript compiler diagnostics, as tsc, ts-node, webpack's ts-loader and fork-ts-checker print them.

* ``src/a.ts(12,5): error TS2322: Type ...`` (tsc ``--pretty false``, ts-node's TSError)
* ``src/a.ts:12:5 - error TS2322: Type ...`` then the code frame (tsc's pretty output)
* ``error TS5109: Option ...`` (no location: configuration errors)
* ``src/server.ts (1,29): Cannot find module 'x'. (2307)`` (ts-node 3.x)
* ``[tsl] ERROR in /app/src/a.ts(3,7)`` / ``ERROR in ./src/a.ts:3:7`` then ``      TS2322: ...``

Lines indented under a diagnostic (tsc's elaboration: "Type 'x' is missing the following
properties...") belong to its message; related locations of the pretty form do not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from homeostasis.languages.javascript.frames import normalize_path
from homeostasis.languages.javascript.lines import MAX_STRUCT_LEN, split_lines
from homeostasis.model import Frame

_PLAIN_RE = re.compile(
    r"(?P<file>[^\s(][^()]*?)\((?P<line>\d+),(?P<col>\d+)\): error (?P<code>TS\d+): (?P<msg>.*)$"
)
_PRETTY_RE = re.compile(r"(?P<file>\S.*?):(?P<line>\d+):(?P<col>\d+) - error (?P<code>TS\d+): (?P<msg>.*)$")
_BARE_RE = re.compile(r"error (?P<code>TS\d+): (?P<msg>.*)$")
_OLD_RE = re.compile(r"(?P<file>\S.*?) \((?P<line>\d+),(?P<col>\d+)\): (?P<msg>.*) \((?P<num>\d{3,5})\)$")
_OLD_BARE_RE = re.compile(r"(?P<msg>[A-Z].*\S) \((?P<num>\d{4,5})\)$")
_LOADER_RE = re.compile(
    r"(?:\[tsl\] )?ERROR in (?P<file>\S.*?)"
    r"(?:\((?P<line>\d+),(?P<col>\d+)\)|:(?P<line2>\d+):(?P<col2>\d+))\s*$"
)
_LOADER_MSG_RE = re.compile(r"\s*(?P<code>TS\d+): (?P<msg>.*)$")
_FRAME_LINE_RE = re.compile(r"(?P<num>\d+) (?P<source>.*)$")
_SQUIGGLE_RE = re.compile(r"\s*~+\s*$")
# How many elaboration lines one diagnostic may absorb.
MAX_ELABORATION = 50


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str  # "TS2322"
    message: str
    frame: Frame | None
    start: int  # 0-based lines of the input
    end: int


def read_diagnostics(lines: list[str], *, in_message: bool = False) -> list[Diagnostic]:
    """Every diagnostic in ``lines`` (already cleaned). ``in_message`` also accepts the
    old ts-node form and bare diagnostic lines inside a TSError message."""
    found: list[Diagnostic] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line or len(line) > MAX_STRUCT_LEN or line[0].isspace():
            i += 1
            continue
        diagnostic = _at(lines, i, in_message)
        if diagnostic is None:
            i += 1
            continue
        found.append(diagnostic)
        i = diagnostic.end + 1
    return found


def read_text(text: str) -> list[Diagnostic]:
    return read_diagnostics(split_lines(text))


def _at(lines: list[str], i: int, in_message: bool) -> Diagnostic | None:
    line = lines[i]
    match = _PLAIN_RE.match(line)
    if match is not None:
        frame = _frame(match.group("file"), match.group("line"), match.group("col"))
        message, end = _elaboration(lines, i, match.group("msg"))
        return Diagnostic(match.group("code"), message, frame, i, end)
    match = _PRETTY_RE.match(line)
    if match is not None:
        frame = _frame(match.group("file"), match.group("line"), match.group("col"))
        message, end = _elaboration(lines, i, match.group("msg"))
        frame, end = _code_frame(lines, end, frame)
        return Diagnostic(match.group("code"), message, frame, i, end)
    match = _LOADER_RE.match(line)
    if match is not None and i + 1 < len(lines):
        follow = _LOADER_MSG_RE.match(lines[i + 1])
        if follow is not None:
            frame = _frame(
                match.group("file"),
                match.group("line") or match.group("line2"),
                match.group("col") or match.group("col2"),
            )
            message, end = _elaboration(lines, i + 1, follow.group("msg"))
            return Diagnostic(follow.group("code"), message, frame, i, end)
    match = _BARE_RE.match(line)
    if match is not None:
        message, end = _elaboration(lines, i, match.group("msg"))
        return Diagnostic(match.group("code"), message, None, i, end)
    if in_message:
        match = _OLD_RE.match(line)
        if match is not None:
            frame = _frame(match.group("file"), match.group("line"), match.group("col"))
            return Diagnostic(f"TS{match.group('num')}", match.group("msg"), frame, i, i)
        match = _OLD_BARE_RE.match(line)
        if match is not None:
            return Diagnostic(f"TS{match.group('num')}", match.group("msg"), None, i, i)
    return None


def _frame(file: str, line: str, column: str) -> Frame:
    return Frame(normalize_path(file.strip()), int(line), None, column=int(column) - 1)


def _elaboration(lines: list[str], i: int, first: str) -> tuple[str, int]:
    """The message with the indented lines tsc prints under it; the last line used."""
    parts = [first.strip()]
    end = i
    for k in range(i + 1, min(i + 1 + MAX_ELABORATION, len(lines))):
        text = lines[k]
        if not text.startswith("  ") or not text.strip():
            break
        parts.append(text.strip())
        end = k
    return "\n".join(parts), end


def _code_frame(lines: list[str], k: int, frame: Frame) -> tuple[Frame, int]:
    """tsc's pretty code frame: a blank line, ``12 <source>``, then the ``~~~`` squiggle."""
    if k + 2 >= len(lines) or lines[k + 1].strip():
        return frame, k
    match = _FRAME_LINE_RE.match(lines[k + 2])
    if match is None or int(match.group("num")) != frame.line:
        return frame, k
    end = k + 2
    source = match.group("source")
    # Columns count in the stripped source line from here on (the engine's convention).
    indent = len(source) - len(source.lstrip())
    end_column = None
    squiggle = lines[k + 3] if k + 3 < len(lines) else ""
    if _SQUIGGLE_RE.match(squiggle):
        end = k + 3
        # The squiggle is printed under the source after the gutter ("12 ").
        offset = len(match.group("num")) + 1
        end_column = max(len(squiggle.rstrip()) - offset - indent, 0)
    column = max(frame.column - indent, 0) if frame.column is not None else None
    return Frame(frame.file, frame.line, None, source.strip(), column, end_column), end
