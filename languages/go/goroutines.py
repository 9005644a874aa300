"""Goroutine blocks of a Go traceback: ``goroutine N [state]:`` and its frames.

Each frame is two lines, innermost first::

    main.(*T).Method(0xc000010000, ...)
        /home/u/app/main.go:12 +0x1d

``created by main.main in goroutine 1`` (with its own location line) names where the goroutine
was started: it is not part of the goroutine's stack, so it is kept apart from the frames.
Pasted traces may indent everything (markdown, issue trackers): function lines are recognised
by the location line that follows them, not by their indentation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from homeostasis.languages.go.paths import is_trimmed_std
from homeostasis.model import Frame

# Longer lines are never frames; keeping regexes off them keeps the reader linear on junk.
MAX_LINE = 4000
# A goroutine of a deep recursion can print many thousands of frames; the innermost ones matter.
MAX_FRAMES = 500

GOROUTINE = re.compile(
    r"^\s*goroutine (?P<number>\d+)(?: gp=\S+ m=\S+(?: mp=\S+)?)? \[(?P<state>[^\]]*)\]:\s*$"
)
LOCATION = re.compile(
    r"^\s+(?P<path>\S(?:.*?\S)?):(?P<line>\d+)(?:\s+\+0x[0-9a-fA-F]+)?"
    r"(?:\s+fp=0x[0-9a-fA-F]+\s+sp=0x[0-9a-fA-F]+\s+pc=0x[0-9a-fA-F]+)?\s*$"
)
_ELIDED = re.compile(r"^\s*\.\.\.(?:additional frames elided|\d+ frames elided)\.\.\.\s*$")
_IN_GOROUTINE = re.compile(r" in goroutine \d+$")


@dataclass(frozen=True)
class Goroutine:
    number: int
    state: str
    frames: tuple[Frame, ...]  # outermost first
    created_by: Frame | None
    start: int  # line of the ``goroutine N [...]:`` header
    end: int  # last line of the block (inclusive)

    def summary(self) -> str:
        where = ""
        if self.frames:
            inner = self.frames[-1]
            where = f": {inner.function or '?'} at {inner.file}:{inner.line}"
        return f"goroutine {self.number} [{self.state}]{where}"


def function_name(line: str) -> str:
    """``main.(*T).Method(0xc0, ...)`` -> ``main.(*T).Method``; arguments are dropped."""
    text = _IN_GOROUTINE.sub("", line.strip())
    if not text.endswith(")"):
        return text
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        char = text[index]
        if char == ")":
            depth += 1
        elif char == "(":
            depth -= 1
            if depth == 0:
                return text[:index] if index else text
    return text


def frame_path(path: str) -> str:
    """-trimpath builds print the standard library relative (``runtime/panic.go``): say so."""
    if is_trimmed_std(path):
        return "$GOROOT/src/" + path
    return path


def location(line: str) -> re.Match[str] | None:
    if len(line) > MAX_LINE or not line[:1].isspace():
        return None
    return LOCATION.match(line)


def _same(line: str) -> str:
    return line


def read_goroutine(lines: Sequence[str], start: int, strip: Callable[[str], str] = _same) -> Goroutine | None:
    """The goroutine whose header is ``lines[start]``, or None if it is not a header.

    ``strip`` removes a log prefix that every line of the dump carries."""
    first = strip(lines[start])
    header = GOROUTINE.match(first) if len(first) <= MAX_LINE else None
    if header is None:
        return None
    frames: list[Frame] = []
    created: Frame | None = None
    index = start + 1
    end = start
    count = len(lines)
    following = strip(lines[index]) if index < count else ""
    while index < count:
        line = following
        if not line.strip() or len(line) > MAX_LINE:
            break
        if _ELIDED.match(line):
            end = index
            index += 1
            following = strip(lines[index]) if index < count else ""
            continue
        following = strip(lines[index + 1]) if index + 1 < count else ""
        found = location(following)
        if found is None or LOCATION.match(line):
            break
        name = function_name(line)
        frame = Frame(frame_path(found.group("path")), int(found.group("line")), name)
        if name.startswith("created by "):
            created = Frame(frame.file, frame.line, name[len("created by ") :])
        elif len(frames) < MAX_FRAMES:
            frames.append(frame)
        end = index + 1
        index += 2
        following = strip(lines[index]) if index < count else ""
    frames.reverse()
    return Goroutine(int(header.group("number")), header.group("state"), tuple(frames), created, start, end)
