"""pytest reports: ``--tb=long/auto/short/line/native`` failure sections and summary lines."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from homeostasis.languages.python.reader_text import (
    MAX_STRUCT_LEN,
    Doc,
    caret_span,
    exception_shape,
    indent_of,
    is_blank,
    separator,
    skip_blanks,
    std_frame_head,
    tb_header,
)
from homeostasis.languages.python.reader_traceback import Exc, Section, TracebackReader, flatten
from homeostasis.model import Frame

_SECTION_RE = re.compile(r"_{3,} (.+?) _{3,}\s*$")
_RULE_RE = re.compile(r"(?:={3,}|!{3,})(?: .*)?$")
_SESSION_RE = re.compile(r"={3,} (?:test session starts|FAILURES|ERRORS|short test summary info) ={3,}")
_SHORT_LOC_RE = re.compile(r"(\S.*?):(\d+): in (\S.*?)\s*$")
_LONG_LOC_RE = re.compile(r"(\S.*?):(\d+):(?: ([A-Za-z_][\w.]*))?\s*$")
_LINE_LOC_RE = re.compile(r"(\S.*?):(\d+): ([A-Za-z_][\w.]*)(?:: (.*))?$")
_SUMMARY_RE = re.compile(r"(FAILED|ERROR) (\S.*?)(?: - (.*))?$")
_DEF_RE = re.compile(r"\s*(?:async\s+)?def\s+(\w+)")
_CAPTURED_RE = re.compile(r"-{3,} (?:Captured|generated) ")
_SECTION_PREFIXES = ("ERROR at setup of ", "ERROR at teardown of ", "ERROR collecting ")


@dataclass
class Failure:
    """One failing test as read: its sections (a chain) and the test it belongs to."""

    sections: list[Section]
    test: str | None


@dataclass(frozen=True)
class Summary:
    """A ``FAILED nodeid - Type: message`` line of the short test summary."""

    at: int
    nodeid: str
    error_type: str
    message: str


def looks_like_pytest(lines: Sequence[str]) -> bool:
    for line in lines:
        if len(line) > MAX_STRUCT_LEN or not line.startswith(("=", "FAILED ", "ERROR ")):
            continue
        if _SESSION_RE.match(line) or summary_line(line, 0) is not None:
            return True
    return False


def node_key(name: str) -> str:
    """The name a section header and a node id share: ``TestC.test_x[1]``."""
    for prefix in _SECTION_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :].strip()
    parts = name.split("::")
    return ".".join(parts[1:]) if len(parts) > 1 else name.strip()


def section_name(line: str) -> str | None:
    if not line.startswith("___") or len(line) > MAX_STRUCT_LEN or line.startswith("_ _"):
        return None
    m = _SECTION_RE.match(line)
    return m.group(1) if m else None


def summary_line(line: str, at: int) -> Summary | None:
    if len(line) > MAX_STRUCT_LEN or not line.startswith(("FAILED ", "ERROR ")):
        return None
    m = _SUMMARY_RE.match(line)
    if m is None or not m.group(3):
        return None
    nodeid = m.group(2)
    if "::" not in nodeid and ".py" not in nodeid:
        return None
    typed = _typed(m.group(3), None)
    if typed is None:
        return None
    return Summary(at, nodeid, typed[0], typed[1])


def _typed(first: str, location_type: str | None) -> tuple[str, str] | None:
    """Type and first message line of pytest's rendering of an exception."""
    shape = exception_shape(first, strict=False)
    if shape is not None and (location_type is None or _short(shape[0]) == _short(location_type)):
        return shape
    if location_type is not None:
        return location_type, first.strip()
    if first.lstrip().startswith("assert "):
        return "AssertionError", first.strip()
    return None


def _short(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def is_e_line(line: str) -> bool:
    return line == "E" or line.startswith("E ")


def line_location(line: str) -> tuple[str, int, str, str] | None:
    """``/abs/test_x.py:12: KeyError: 'x'`` (``--tb=line``): path, line, type, message."""
    if len(line) > MAX_STRUCT_LEN or line[:1].isspace() or ": " not in line:
        return None
    m = _LINE_LOC_RE.match(line)
    if m is None:
        return None
    shape = exception_shape(m.group(3), strict=True)
    if shape is None or m.group(3).endswith("Warning"):
        # ``path:N: SomeWarning: text`` is the warnings module's format, not a failure.
        return None
    return m.group(1), int(m.group(2)), m.group(3), (m.group(4) or "").strip()


class PytestReader:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.lines = doc.lines

    def section(self, i: int) -> tuple[Failure | None, int]:
        """A ``____ test_name ____`` failure section; returns where scanning resumes."""
        lines = self.lines
        name = section_name(lines[i]) or ""
        end = i + 1
        native: int | None = None
        while end < len(lines):
            line = lines[end]
            if section_name(line) is not None or _RULE_RE.match(line) or _CAPTURED_RE.match(line):
                break
            if native is None and tb_header(line) == "plain":
                native = end
            end += 1
        if native is not None:
            sections, _ = TracebackReader(self.doc).chain(native, end)
        else:
            sections = self._entries(i + 1, end)
        return (Failure(sections, node_key(name)) if sections else None), end

    def _entries(self, i: int, end: int) -> list[Section]:
        """Frames of ``--tb=long/auto/short`` entries and the ``E`` lines that end them."""
        lines = self.lines
        done: list[Section] = []
        frames: list[Frame] = []
        e_lines: list[int] = []
        pointed: tuple[str, int | None, int | None] | None = None
        last_def: str | None = None
        start = i
        k = i
        while k < end:
            line = lines[k]
            relation = separator(line)
            if relation is not None:
                self._finish(done, frames, e_lines, None, start, k)
                frames, e_lines, start = [], [], k + 1
                if done:
                    done[-1].final.relation = relation
                k += 1
                continue
            if is_e_line(line):
                e_lines.append(k)
                k += 1
                continue
            if len(line) <= MAX_STRUCT_LEN and not line[:1].isspace() and ":" in line:
                short = _SHORT_LOC_RE.match(line)
                if short is not None:
                    k = self._short_entry(short, k + 1, end, frames)
                    continue
                long = _LONG_LOC_RE.match(line)
                if long is not None:
                    src, col, end_col = pointed if pointed else (None, None, None)
                    frames.append(Frame(long.group(1), int(long.group(2)), last_def, src, col, end_col))
                    pointed, last_def = None, None
                    if long.group(3):
                        self._finish(done, frames, e_lines, long.group(3), start, k)
                        frames, e_lines, start = [], [], k + 1
                    k += 1
                    continue
            if line.startswith(">") and (len(line) == 1 or line[1] in " \t"):
                pointed = self._pointed(line, lines[k + 1] if k + 1 < end else "")
            elif pointed is None:
                m = _DEF_RE.match(line) if len(line) <= MAX_STRUCT_LEN else None
                if m is not None:
                    last_def = m.group(1)
            k += 1
        self._finish(done, frames, e_lines, None, start, end - 1)
        return done

    def _short_entry(self, m: re.Match[str], k: int, end: int, frames: list[Frame]) -> int:
        source: str | None = None
        column: int | None = None
        end_column: int | None = None
        if k < end and self.lines[k][:1].isspace() and not is_blank(self.lines[k]):
            src_line = self.lines[k]
            text = src_line.strip()
            source = None if text == "???" else text
            k += 1
            span = caret_span(self.lines[k]) if k < end else None
            if span is not None:
                column = max(0, span[0] - indent_of(src_line))
                end_column = max(column, span[1] - indent_of(src_line))
                k += 1
        frames.append(Frame(m.group(1), int(m.group(2)), m.group(3), source, column, end_column))
        return k

    @staticmethod
    def _pointed(line: str, below: str) -> tuple[str, int | None, int | None]:
        """Source of a ``>`` line and the columns of the markers printed under it."""
        code = line[1:]
        code_at = 1 + indent_of(code)
        span = caret_span(below)
        if span is None or span[0] < code_at:
            return code.strip(), None, None
        return code.strip(), span[0] - code_at, span[1] - code_at

    def _finish(
        self,
        done: list[Section],
        frames: list[Frame],
        e_lines: list[int],
        loc_type: str | None,
        start: int,
        end: int,
    ) -> None:
        if not e_lines and loc_type is None:
            return
        got = self.e_block(e_lines, loc_type)
        if got is None:
            return
        error_type, message, extra = got
        exc = Exc(error_type, message, frames + extra, self.doc.at(start), self.doc.at(max(start, end)))
        done.append(Section(exc))

    def e_block(self, idxs: list[int], loc_type: str | None) -> tuple[str, str, list[Frame]] | None:
        """Type, message and any frames (a SyntaxError's) from pytest's ``E`` lines."""
        # Dropping one column keeps ``E   X`` and a ``    more`` continuation aligned.
        contents = [self.lines[k][1:] for k in idxs]
        for at, text in enumerate(contents):
            if std_frame_head(text) is not None:
                sub = Doc(contents, [self.doc.at(k) for k in idxs])
                sections, _ = TracebackReader(sub).chain(at, len(sub))
                if sections:
                    final, _ = flatten(sections)
                    return final.error_type, final.message, final.frames
                break
        texts = list(contents)
        while texts and is_blank(texts[0]):
            texts.pop(0)
        if not texts:
            return (loc_type, "", []) if loc_type else None
        base = indent_of(texts[0])
        dedented = [t[base:].rstrip() if not t[:base].strip() else t.strip() for t in texts]
        typed = _typed(dedented[0], loc_type)
        if typed is None:
            return None
        error_type, first = typed
        return error_type, "\n".join([first, *dedented[1:]]).strip(), []

    def e_run(self, i: int) -> tuple[Failure | None, int]:
        """``--tb=line`` output: E blocks (maybe chained) and the ``path:N: Type: msg`` line."""
        lines = self.lines
        n = len(lines)
        done: list[Section] = []
        j = i
        while j < n and is_e_line(lines[j]):
            idxs: list[int] = []
            start = j
            while j < n and (is_e_line(lines[j]) or (idxs and lines[j].startswith("    "))):
                idxs.append(j)
                j += 1
            got = self.e_block(idxs, None)
            if got is None:
                break
            done.append(Section(Exc(got[0], got[1], got[2], self.doc.at(start), self.doc.at(j - 1))))
            s = skip_blanks(self.doc, j, n, 2)
            relation = separator(lines[s]) if s < n else None
            nxt = skip_blanks(self.doc, s + 1, n, 2)
            if relation is None or nxt >= n or not is_e_line(lines[nxt]):
                break
            done[-1].final.relation = relation
            j = nxt
        if not done:
            return None, max(j, i + 1)
        located = line_location(lines[j]) if j < n else None
        if located is not None:
            final = done[-1].final
            final.frames = [*final.frames, Frame(located[0], located[1])]
            final.end = self.doc.at(j)
            j += 1
        return Failure(done, None), j

    def line_event(self, i: int) -> Failure | None:
        located = line_location(self.lines[i])
        if located is None:
            return None
        path, number, error_type, message = located
        exc = Exc(error_type, message, [Frame(path, number)], self.doc.at(i), self.doc.at(i))
        return Failure([Section(exc)], None)
