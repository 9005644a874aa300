"""rustc, cargo and clippy diagnostics (the human format and ``--message-format short``)::

    error[E0382]: borrow of moved value: `v`
     --> src/main.rs:4:22
      |
    3 |     let w = v;
      |             - value moved here
    4 |     println!("{:?}", v);
      |                      ^ value borrowed here after move
      |
    help: consider cloning the value if the performance cost is acceptable
      |
    3 |     let w = v.clone();
      |              ++++++++

An event's frame is the primary span (``-->``; the ``^^^`` underline gives its end column, the
code line its source text). With the source line printed, ``Frame.column`` counts from its first
non-blank character, as the engine reads carets; without it (``--message-format short``), from
the start of the line. Its message is the header, then the primary label and the notes
and helps, one a line (``= note: ...``, ``help: ...: `suggested code` ``), so rules can read
them. Each labelled secondary span (``-`` underline) becomes a chained *context* error at its
own place, with the label (and the helps) as message: the move that caused a use-after-move,
the borrow that conflicts with another.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from homeostasis.languages.rust import exceptions
from homeostasis.model import ChainedError, ChainRelation, ErrorEvent, Frame, Origin

LANGUAGE = "rust"
MAX_LINE = 4000
_LOC = r"(?P<path>[^\s:](?:[^:]*?)):(?P<line>\d+):(?P<col>\d+)"
_HEADER = re.compile(r"^(?P<level>error|warning)(?:\[(?P<code>E\d{4})\])?: (?P<message>.+?)\s*$")
_SHORT = re.compile(rf"^{_LOC}: (?P<level>error|warning)(?:\[(?P<code>E\d{{4}})\])?: (?P<message>.+?)\s*$")
_ARROW = re.compile(rf"^\s*--> {_LOC}\s*$")
_OTHER_FILE = re.compile(rf"^\s*::: {_LOC}\s*$")
_CODE = re.compile(r"^\s*(?P<number>\d+)\s+(?P<sign>[|+~-])(?: (?P<code>.*))?$")
_MARKS = re.compile(r"^\s*\|(?: (?P<marks>.*))?$")
_NOTE = re.compile(r"^\s*= (?P<kind>note|help|warning): (?P<text>.*)$")
_SUB = re.compile(r"^(?P<kind>help|note|warning|suggestion): (?P<text>.*)$")
_RUN = re.compile(r"\^+|-+")
_MAX_BODY = 400


@dataclass
class _Run:
    primary: bool
    path: str
    line: int
    column: int  # 0-based, in the code line as printed
    length: int
    label: str = ""


@dataclass
class _Help:
    text: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    last_code: str | None = None

    def render(self) -> str:
        snippet = _suggestion(self)
        return f"{self.text}: `{snippet}`" if snippet and "`" not in self.text[-2:] else self.text


@dataclass
class _Body:
    path: str
    line: int
    column: int
    sources: dict[tuple[str, int], str] = field(default_factory=dict)
    runs: list[_Run] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    helps: list[_Help] = field(default_factory=list)


def read_diagnostics(lines: Sequence[str], consumed: bytearray, origin: Origin) -> list[ErrorEvent]:
    """Diagnostics outside the ``consumed`` lines (a mask: 1 where a panic was read)."""
    events: list[ErrorEvent] = []
    index = 0
    count = len(lines)
    while index < count:
        line = lines[index]
        if consumed[index] or len(line) > MAX_LINE or ("error" not in line and "warning" not in line):
            index += 1
            continue
        event = _read_one(lines, index, origin)
        if event is None:
            index += 1
            continue
        events.append(event)
        index = event.text_end + 1
    return events


def _read_one(lines: Sequence[str], start: int, origin: Origin) -> ErrorEvent | None:
    line = lines[start]
    short = _SHORT.match(line)
    if short is not None:
        frame = Frame(short.group("path"), int(short.group("line")), None, column=int(short.group("col")) - 1)
        kind = _kind(short.group("level"), short.group("code"))
        return ErrorEvent(LANGUAGE, kind, short.group("message"), (frame,), (), origin, start, start)
    header = _HEADER.match(line)
    if header is None or start + 1 >= len(lines):
        return None
    arrow = _ARROW.match(lines[start + 1])
    if arrow is None:
        return None  # a summary ("error: aborting due to ..."), not a diagnostic
    body = _Body(arrow.group("path"), int(arrow.group("line")), int(arrow.group("col")) - 1)
    end = _read_body(lines, start + 2, body)
    kind = _kind(header.group("level"), header.group("code"))
    primary = _primary(body)
    parts = [header.group("message")]
    if primary is not None and primary.label:
        parts.append(primary.label)
    parts.extend(body.notes)
    helps = [f"help: {h.render()}" for h in body.helps if not h.text.startswith("note: ")]
    parts.extend(helps)
    parts.extend(h.text for h in body.helps if h.text.startswith("note: "))
    end_column = None
    if primary is not None and primary.line == body.line and primary.column == body.column:
        end_column = body.column + primary.length
    frame = _frame(body, body.path, body.line, body.column, end_column)
    # Secondary labels are places of their own: the move before a use-after-move, the
    # first borrow of a conflict. The header goes with each, so rules know what they explain.
    chain = tuple(
        ChainedError(
            kind,
            "\n".join([run.label, header.group("message"), *helps]),
            ChainRelation.CONTEXT,
            (_frame(body, run.path, run.line, run.column, run.column + run.length),),
        )
        for run in body.runs
        if not run.primary and run.label
    )
    return ErrorEvent(LANGUAGE, kind, "\n".join(parts), (frame,), chain, origin, start, end)


def _frame(body: _Body, path: str, line: int, column: int, end_column: int | None) -> Frame:
    """A frame at a span; with the printed source line, columns count from its first non-blank."""
    source = _usable(body.sources.get((path, line)))
    if source is not None:
        indent = len(source) - len(source.lstrip())
        column = max(column - indent, 0)
        end_column = max(end_column - indent, column) if end_column is not None else None
    return Frame(path, line, None, source=source, column=column, end_column=end_column)


def _kind(level: str, code: str | None) -> str:
    if level == "warning":
        return exceptions.WARNING
    return code or exceptions.COMPILE_ERROR


def _usable(source: str | None) -> str | None:
    # rustc cuts long lines ("...") and shows tabs as spaces: only a whole line can relocate a frame.
    if source is None or not source.strip() or source.lstrip().startswith("...") or source.endswith("..."):
        return None
    return source


def _primary(body: _Body) -> _Run | None:
    primaries = [r for r in body.runs if r.primary and r.path == body.path]
    for run in primaries:
        if run.line == body.line and run.column == body.column:
            return run
    return primaries[-1] if primaries else None


def _read_body(lines: Sequence[str], index: int, body: _Body) -> int:
    """Reads up to the blank line that ends the diagnostic; returns its last line."""
    path = body.path
    current: tuple[int, str] | None = None  # the code line the marks below it belong to
    pending: list[_Run] | None = None  # underlines still waiting for their label; None: none yet
    help_: _Help | None = None
    last = index - 1
    limit = min(len(lines), index + _MAX_BODY)
    while index < limit:
        line = lines[index]
        if not line.strip() or len(line) > MAX_LINE:
            break
        last = index
        index += 1
        if (sub := _SUB.match(line)) is not None:
            text = sub.group("text")
            help_ = _Help(text if sub.group("kind") == "help" else f"{sub.group('kind')}: {text}")
            body.helps.append(help_)
            current, pending = None, None
            continue
        if (note := _NOTE.match(line)) is not None:
            body.notes.append(f"= {note.group('kind')}: {note.group('text')}")
            continue
        if (other := _OTHER_FILE.match(line)) is not None or (other := _ARROW.match(line)) is not None:
            path = other.group("path")
            continue
        if (code := _CODE.match(line)) is not None:
            text = code.group("code") or ""
            if help_ is not None:
                _suggest(help_, code.group("sign"), text)
            else:
                body.sources.setdefault((path, int(code.group("number"))), text)
            current, pending = (int(code.group("number")), text), None
            continue
        if (marks := _MARKS.match(line)) is not None:
            text = marks.group("marks") or ""
            if help_ is not None:
                _inline(help_, text)
            elif current is not None:
                pending = _marks(body, path, current[0], text, pending)
            continue
        if body.notes and line[:1].isspace():
            body.notes[-1] += " " + line.strip()  # a note wrapped onto the next line
    return last


def _marks(body: _Body, path: str, line: int, text: str, pending: list[_Run] | None) -> list[_Run]:
    """Underlines (``^^^`` primary, ``---`` secondary) and their labels, under one code line."""
    if pending is not None:
        # Labels of earlier underlines hang below them: `|` connectors, then the text.
        for run in sorted(pending, key=lambda r: -r.column):
            if run.column < len(text) and text[run.column] not in " |":
                run.label = text[run.column :].strip()
                pending.remove(run)
        return pending
    runs = [m for m in _RUN.finditer(text) if not _is_label_text(text, m)]
    if not runs:
        return []
    found: list[_Run] = []
    for match in runs:
        found.append(_Run(match.group().startswith("^"), path, line, match.start(), len(match.group())))
    tail = text[runs[-1].end() :].strip()
    found[-1].label = tail
    body.runs.extend(found)
    return [r for r in found if not r.label]


def _is_label_text(text: str, match: re.Match[str]) -> bool:
    """A `-` inside a label (``re-borrow``, ``-> i32``) is not an underline."""
    before = text[: match.start()]
    return bool(before.strip(" |_^-")) and any(c.isalnum() for c in before)


def _suggest(help_: _Help, sign: str, code: str) -> None:
    if sign == "+":
        help_.added.append(code)
    elif sign in "-~":
        (help_.removed if sign == "-" else help_.added).append(code)
    else:
        help_.last_code = code


def _inline(help_: _Help, marks: str) -> None:
    """``+++`` under a suggested line marks what it inserts; ``~~~`` what it replaces."""
    code = help_.last_code
    if code is None:
        return
    for match in re.finditer(r"\++|~+", marks):
        start, end = match.start(), min(match.end(), len(code))
        # A letter inserted into a name (`Fil` -> `File`) is shown as the whole name.
        if start < end and _word(code[start]):
            while start > 0 and _word(code[start - 1]):
                start -= 1
        if start < end and _word(code[end - 1]):
            while end < len(code) and _word(code[end]):
                end += 1
        help_.added.append(code[start:end])


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _suggestion(help_: _Help) -> str:
    if help_.removed and help_.added and len(help_.removed) == len(help_.added) == 1:
        return _changed(help_.removed[0], help_.added[0])
    if help_.added:
        return ", ".join(dict.fromkeys(a.strip() for a in help_.added if a.strip()))
    if help_.last_code is not None and help_.last_code.strip().startswith("use "):
        return help_.last_code.strip()  # the old format: the suggested line, no diff markers
    return ""


def _changed(before: str, after: str) -> str:
    """What a one-line replacement puts in: ``println!("{}", coutn)`` -> ``count``."""
    head = 0
    while head < min(len(before), len(after)) and before[head] == after[head]:
        head += 1
    tail = 0
    while tail < min(len(before), len(after)) - head and before[-1 - tail] == after[-1 - tail]:
        tail += 1
    changed = after[head : len(after) - tail]
    # Widen to whole identifiers: `coutn` -> `count`, not `nt`.
    while head > 0 and (after[head - 1].isalnum() or after[head - 1] == "_"):
        head -= 1
        changed = after[head] + changed
    end = len(after) - tail
    while end < len(after) and (after[end].isalnum() or after[end] == "_"):
        changed += after[end]
        end += 1
    return changed.strip()
