"""Test-runner output: RSpec's ``Failure/Error:`` blocks and minitest's ``Failure:`` blocks.

minitest's ``Error:`` blocks are ``Type: message`` + frames, read by the main reader.
"""

from __future__ import annotations

import re

from homeostasis.languages.ruby import lines as L
from homeostasis.languages.ruby.block import Block
from homeostasis.model import Frame

_RSPEC_RE = re.compile(r"^(?P<indent>\s*)Failure/Error:(?P<code>.*)$")
_RSPEC_TYPE_RE = re.compile(r"^(?P<type>(?:[A-Z]\w*::)*[A-Z]\w*):\s*$")
_RSPEC_FRAME_RE = re.compile(r"^\s*#\s")
_RSPEC_CAUSE_RE = re.compile(r"^\s*#\s*-+\s*Caused by:\s*-+\s*$")
_EXAMPLE_RE = re.compile(r"^\s*\d+(?:\.\d+)*\) \S")
_MINITEST_RE = re.compile(r"^\s*(?:\d+\) )?Failure:\s*$")
_MINITEST_WHERE_RE = re.compile(r"^(?P<test>\S.*?) \[(?P<file>[^\]\n]+?):(?P<line>\d+)\]:\s*$")
_EXPECTATION = "RSpec::Expectations::ExpectationNotMetError"
_LIMIT = 400


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def read_rspec_failure(lines: list[str], i: int) -> Block | None:
    match = _RSPEC_RE.match(lines[i])
    if match is None:
        return None
    base = len(match["indent"])
    n = min(len(lines), i + _LIMIT)
    j = i + 1
    # The failing code, possibly on several more-indented lines.
    while j < n and lines[j].strip() and _indent(lines[j]) > base and not _RSPEC_FRAME_RE.match(lines[j]):
        j += 1
    body: list[str] = []
    while j < n:
        line = lines[j]
        if line.strip() and (_indent(line) < base or _EXAMPLE_RE.match(line)):
            break
        if _RSPEC_FRAME_RE.match(line):
            break
        body.append(line[base:] if line.strip() else "")
        j += 1
    while body and not body[0].strip():
        body.pop(0)
    while body and not body[-1].strip():
        body.pop()
    error_type = _EXPECTATION
    if body and (typed := _RSPEC_TYPE_RE.match(body[0])) is not None:
        error_type = typed["type"]
        body = body[1:]
    body, snippet = L.split_highlight(body)
    message = _dedent("\n".join(body)).strip()
    frames, causes, j = _rspec_frames(lines, j, n)
    if snippet is not None and frames:
        frames[0] = L.with_snippet(frames[0], *snippet)
    start = i - 1 if i > 0 and _EXAMPLE_RE.match(lines[i - 1]) else i
    block = Block(error_type, message, frames, start, j - 1)
    block.causes = causes
    return block


def _rspec_frames(lines: list[str], j: int, n: int) -> tuple[list[Frame], list[Block], int]:
    """`# ./x.rb:1:in ...` lines, and the `# --- Caused by: ---` blocks among them."""
    frames: list[Frame] = []
    causes: list[Block] = []
    current = frames
    while j < n and _RSPEC_FRAME_RE.match(lines[j]):
        line = lines[j]
        parsed = L.parse_frame(line)
        if parsed is not None:
            current.append(parsed.frame)
        elif _RSPEC_CAUSE_RE.match(line) and j + 1 < n:
            head = lines[j + 1].strip().lstrip("#").strip()
            typed = _RSPEC_TYPE_RE.match(head) or L.TYPE_COLON_RE.match(head)
            if typed is None:
                break
            j += 2
            message: list[str] = []
            if typed.groupdict().get("msg"):
                message.append(typed["msg"])
            while j < n and _RSPEC_FRAME_RE.match(lines[j]) and L.parse_frame(lines[j]) is None:
                text = lines[j].strip()[1:].strip()
                if text.startswith("---") or not text:
                    break
                message.append(text)
                j += 1
            cause = Block(typed["type"], "\n".join(message).strip(), [], j, j)
            causes.append(cause)
            current = cause.frames
            continue
        j += 1
        if causes:
            causes[-1].end = j - 1
    return frames, causes, j


def read_minitest_failure(lines: list[str], i: int) -> Block | None:
    if not _MINITEST_RE.match(lines[i]) or i + 1 >= len(lines):
        return None
    where = _MINITEST_WHERE_RE.match(lines[i + 1])
    if where is None:
        return None
    j = i + 2
    message: list[str] = []
    while j < min(len(lines), i + _LIMIT) and lines[j].strip():
        message.append(lines[j].rstrip())
        j += 1
    test = where["test"]
    function = test.rsplit("#", 1)[-1] if "#" in test else test
    frame = Frame(file=L.normalize_path(where["file"]), line=int(where["line"]), function=function)
    return Block("Minitest::Assertion", "\n".join(message).strip(), [frame], i, j - 1)


def _dedent(text: str) -> str:
    lines = text.split("\n")
    widths = [_indent(line) for line in lines if line.strip()]
    cut = min(widths) if widths else 0
    return "\n".join(line[cut:] for line in lines)
