"""Python tracebacks: exceptions, messages, chains, exception groups, Sentry renderings.

The reader walks a :class:`Doc` forward only; every method returns the index of the first
line it did not consume, and never looks back, so reading stays linear in the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from homeostasis.languages.python.reader_frames import FrameReader
from homeostasis.languages.python.reader_text import (
    MAX_MESSAGE_CHARS,
    MAX_MESSAGE_LINES,
    MAX_STRUCT_LEN,
    Doc,
    exception_shape,
    group_box_column,
    indent_of,
    ipython_header,
    is_blank,
    is_dash_rule,
    is_terminator,
    note_line,
    separator,
    skip_blanks,
    std_frame_head,
    tb_header,
    warning_location,
    wrapped_separator,
)
from homeostasis.model import ChainRelation, Frame

# Exception groups nest boxes two columns apart; deeper than this is garbage, not output.
_MAX_GROUP_DEPTH = 24

# FastAPI's Request/ResponseValidationError: "N validation error(s):", one line per error, then
# after a blank line the endpoint: ``  File "...", line N, in fn`` and ``    GET /path``.
_VALIDATION_HEAD_RE = re.compile(r"\d+ validation errors?:")
_ENDPOINT_PATH_RE = re.compile(r" {4}[A-Z]+ /\S*\s*$")
_ENDPOINT_ONLY = "  Endpoint: "


@dataclass
class Exc:
    """One printed exception while reading; ``start``/``end`` are lines of the caller's text."""

    error_type: str
    message: str
    frames: list[Frame]
    start: int
    end: int
    notes: list[str] = field(default_factory=list)
    # How this exception relates to the one printed after it (None for the last one).
    relation: ChainRelation | None = None


@dataclass
class Section:
    """One traceback between chain separators: its exception, plus exceptions printed
    inside it (the members of a group, a traceback embedded in the message)."""

    final: Exc
    before: list[Exc] = field(default_factory=list)
    after: list[Exc] = field(default_factory=list)


def flatten(sections: list[Section]) -> tuple[Exc, list[Exc]]:
    """The last printed exception and, in printed order, everything printed with it."""
    chain: list[Exc] = []
    for sec in sections[:-1]:
        chain.extend(sec.before)
        chain.append(sec.final)
        chain.extend(sec.after)
    last = sections[-1]
    chain.extend(last.before)
    chain.extend(last.after)
    return last.final, chain


class TracebackReader(FrameReader):
    def __init__(self, doc: Doc, depth: int = 0) -> None:
        super().__init__(doc)
        self.depth = depth

    # -- chains -------------------------------------------------------------------------

    def chain(self, i: int, end: int, *, allow_bare: bool = False) -> tuple[list[Section], int]:
        """Sections joined by "direct cause" / "during handling" separators, from ``i``."""
        sections: list[Section] = []
        j = i
        while j < end:
            sec, k = self.section(j, end, allow_bare=allow_bare)
            if sec is None:
                return (sections, j) if sections else ([], k)
            sections.append(sec)
            j = k
            s = skip_blanks(self.doc, j, end, 3)
            relation = separator(self.lines[s]) if s < end else None
            used = 1
            if relation is None and s + 1 < end:
                relation, used = wrapped_separator(self.lines[s], self.lines[s + 1]), 2
            if relation is None:
                return sections, j
            sec.final.relation = relation
            j = skip_blanks(self.doc, s + used, end, 3)
        return sections, j

    def section(self, i: int, end: int, *, allow_bare: bool = False) -> tuple[Section | None, int]:
        col = group_box_column(self.lines[i])
        if col is not None and self.depth < _MAX_GROUP_DEPTH:
            return self.group(i, end, col)
        return self.traceback(i, end, allow_bare=allow_bare)

    # -- one traceback ------------------------------------------------------------------

    def traceback(self, i: int, end: int, *, allow_bare: bool = False) -> tuple[Section | None, int]:
        lines = self.lines
        start = i
        header_type: str | None = None
        floor = -1
        if is_dash_rule(lines[i]) and i + 1 < end and ipython_header(lines[i + 1]):
            i += 1
        ipy = ipython_header(lines[i])
        if ipy is not None:
            header_type, floor = ipy, 0
            i += 1
        elif tb_header(lines[i]):
            floor = indent_of(lines[i])
            i += 1
        elif not allow_bare and self.frame_head(i, end)[0] is None:
            return None, i + 1
        frames, notes, i, frame_indent = self.frames(i, end, floor)
        limit = max(floor, frame_indent if frame_indent is not None else 0)
        k = skip_blanks(self.doc, i, end, 2)
        shape = self._exception_at(k, end, limit)
        if shape is not None and floor < 0 and not allow_bare and not _plausible_without_header(shape[0]):
            shape = None
        if shape is None and frames:
            django = self._django_summary(k, end)
            if django is not None:
                error_type, message, j = django
                exc = Exc(error_type, message, frames, self.doc.at(start), self.doc.at(j - 1), notes)
                return Section(exc), j
        if shape is None:
            if header_type is None:
                return None, max(i, start + 1)
            # IPython printed the type in its header even if the final line got lost.
            exc = Exc(header_type, "", frames, self.doc.at(start), self.doc.at(max(i - 1, start)), notes)
            return Section(exc), max(i, start + 1)
        (error_type, first), used = shape
        message, after, j = self.message(k, used, first, end, error_type)
        message, endpoint, j, route = self._validation_endpoint(message, j, end)
        if endpoint is not None:
            # Where the failing endpoint is defined: the project frame a rule should point at.
            frames = [*frames, endpoint]
            notes = [*notes, f"endpoint {route or endpoint.function} defined at {_where(endpoint)}"]
        exc = Exc(error_type, message, frames, self.doc.at(start), self.doc.at(j - 1), notes)
        return Section(exc, [], after), j

    def _validation_endpoint(self, message: str, j: int, end: int) -> tuple[str, Frame | None, int, str]:
        """The endpoint context that ends FastAPI's validation errors, after a blank line."""
        if (
            j + 1 >= end
            or not is_blank(self.lines[j])
            or (j + 1) in self.doc.breaks
            or _VALIDATION_HEAD_RE.match(message) is None
        ):
            return message, None, j, ""
        line = self.lines[j + 1].rstrip()
        if line.startswith(_ENDPOINT_ONLY) and len(line) <= MAX_STRUCT_LEN:
            return f"{message}\n\n{line}", None, j + 2, line.strip()
        head = std_frame_head(line)
        if head is None or head.indent != 2:
            return message, None, j, ""
        k = j + 2
        context = line
        route = ""
        if (
            k < end
            and k not in self.doc.breaks
            and len(self.lines[k]) <= MAX_STRUCT_LEN
            and _ENDPOINT_PATH_RE.match(self.lines[k])
        ):
            route = self.lines[k].strip()
            context += "\n" + self.lines[k].rstrip()
            k += 1
        return f"{message}\n\n{context}", Frame(head.file, head.line, head.function), k, route

    def _django_summary(self, k: int, end: int) -> tuple[str, str, int] | None:
        """Django's text error report ends its traceback with "Exception Type/Value" lines."""
        if k + 1 >= end or not self.lines[k].startswith("Exception Type: "):
            return None
        error_type = self.lines[k][len("Exception Type: ") :].split(" at ", 1)[0].strip()
        value = self.lines[k + 1]
        if not error_type or not value.startswith("Exception Value:"):
            return None
        message, _, j = self.message(k + 1, 1, value[len("Exception Value:") :].strip(), end)
        return error_type, message, j

    def sentry(self, i: int, end: int, shape: tuple[str, str]) -> tuple[Section | None, int]:
        """Exception line (``shape``) first, then the frames, maybe the exception line again."""
        if not self._frames_follow(i + 1, end):
            return None, i + 1
        message, _, j = self.message(i, 1, shape[1], end, shape[0])
        k = skip_blanks(self.doc, j, end, 1)
        if k >= end or (note_line(self.lines[k], None) is None and self.frame_head(k, end)[0] is None):
            return None, i + 1
        frames, notes, m, _ = self.frames(k, end, -1)
        if not frames:
            return None, i + 1
        again_at = skip_blanks(self.doc, m, end, 2)
        again = exception_shape(self.lines[again_at], strict=False) if again_at < end else None
        if again is not None and again[0] == shape[0]:
            _, _, m = self.message(again_at, 1, again[1], end)
        exc = Exc(shape[0], message, frames, self.doc.at(i), self.doc.at(m - 1), notes)
        return Section(exc), m

    def warning(self, i: int, end: int) -> tuple[Section | None, int]:
        """A warning as the warnings module prints it: location line, then the source line."""
        located = warning_location(self.lines[i])
        if located is None:
            return None, i + 1
        path, number, category, message = located
        j = i + 1
        source: str | None = None
        if j < end and self.lines[j][:1].isspace() and not is_blank(self.lines[j]):
            source = self.lines[j].strip()
            j += 1
        notes: list[str] = []
        if j < end and self.lines[j].startswith("RuntimeWarning: Enable tracemalloc"):
            # CPython's hint that comes with an unawaited coroutine, not a warning of its own.
            notes.append(self.lines[j].split(": ", 1)[1].strip())
            j += 1
        frames = [Frame(path, number, None, source)]
        return Section(Exc(category, message, frames, self.doc.at(i), self.doc.at(j - 1), notes)), j

    def _frames_follow(self, i: int, end: int) -> bool:
        """Cheap look for frames or an elision below a message, before any blank line."""
        for line in self.lines[i : min(end, i + 8)]:
            s = line.strip()
            if not s:
                return False
            if 'File "' in s or s in ("...", "…") or "additional frame" in s:
                return True
        return False

    def _exception_at(self, k: int, end: int, limit: int) -> tuple[tuple[str, str], int] | None:
        if k >= end or indent_of(self.lines[k]) > limit:
            return None
        text, used = self._unwrapped(k, end)
        shape = exception_shape(text, strict=False)
        return (shape, used) if shape else None

    def message(
        self, k: int, used: int, first: str, end: int, error_type: str = ""
    ) -> tuple[str, list[Exc], int]:
        """Full message of the exception on line ``k`` (``used`` lines long), the exceptions
        embedded after it (PyTorch's "Original Traceback"), and the next line."""
        parts = [first]
        embedded: list[Exc] = []
        j = k + used
        chars = len(first)
        # An indented traceback (doctest) ends where the indentation does.
        floor = indent_of(self.lines[k])
        while j < end and len(parts) < MAX_MESSAGE_LINES and chars < MAX_MESSAGE_CHARS:
            line = self.lines[j]
            if is_blank(line) or j in self.doc.breaks or indent_of(line) < floor:
                break
            if tb_header(line) == "original":
                sections, j = self.chain(j, end)
                if sections:
                    final, chain = flatten(sections)
                    final.relation = ChainRelation.CAUSE
                    embedded = [*chain, final]
                break
            if is_terminator(line) and not self._continues(error_type, parts[-1], j, end, floor):
                break
            text, n = self._unwrapped(j, end)
            parts.append(text.rstrip())
            chars += len(text)
            j += n
        return "\n".join(parts).strip(), embedded, j

    def _continues(self, error_type: str, previous: str, j: int, end: int, floor: int) -> bool:
        """Whether the ``Name: text`` line ``j``, right under the message of ``error_type``
        (last line so far ``previous``), is more of that message rather than another error.

        It is when it has no traceback of its own (the next line is no frame, no indented
        stack line of any language, no header or separator: blank lines and log lines are fine)
        and the message owns it: either the exception names itself after the printed type
        (Werkzeug's ``BadRequestKeyError`` ends with ``KeyError: 'username'``), or the message
        so far ends with a colon that announces it.
        """
        line = self.lines[j]
        if indent_of(line) != floor or not error_type:
            return False
        shape = exception_shape(line, strict=True)
        if shape is None:
            return False
        outer = error_type.rsplit(".", 1)[-1]
        inner = shape[0].rsplit(".", 1)[-1]
        owned = (outer != inner and outer.endswith(inner)) or previous.rstrip().endswith(":")
        if not owned:
            return False
        if j + 1 >= end or (j + 1) in self.doc.breaks:
            return True
        after = self.lines[j + 1]
        if is_blank(after):
            return True
        if indent_of(after) > floor or len(after) > MAX_STRUCT_LEN:
            return False
        return not (tb_header(after) or separator(after) or self.frame_head(j + 1, end)[0] is not None)

    def _unwrapped(self, k: int, end: int) -> tuple[str, int]:
        """Line ``k`` joined with the lines a narrow console wrapped it onto, if evident."""
        text = self.lines[k]
        used = 1
        width = self.wrap_width
        while width is not None and used < 4 and k + used < end:
            nxt = self.lines[k + used]
            piece = len(self.lines[k + used - 1])
            if piece < width - 3 or is_blank(nxt) or is_terminator(nxt):
                break
            if nxt[:1].isupper():
                break  # most likely a line of its own (a field name, a new sentence)
            inside_word = text[-1:].isalnum() and nxt[:1].isalnum()
            # Pieces of a console-cut line fill the width; pastes may trim a column or two.
            if not (piece >= width or inside_word):
                break
            text += nxt
            used += 1
        return text, used

    # -- exception groups ---------------------------------------------------------------

    def group(self, i: int, end: int, col: int) -> tuple[Section | None, int]:
        items, j = self._box(i, end, col, 0)
        final: Exc | None = None
        before: list[Exc] = []
        after: list[Exc] = []
        for item in items:
            if isinstance(item, _Text):
                excs = self._text_entries(item, final)
                if final is None and excs:
                    final, before = excs[-1], excs[:-1]
                else:
                    after.extend(excs)
            else:
                for member in item.members:
                    after.extend(self._member_entries(member))
        if final is None:
            return None, max(j, i + 1)
        final.start = self.doc.at(i)
        final.end = self.doc.at(max(j - 1, i))
        return Section(final, before, after), max(j, i + 1)

    def _box(self, i: int, end: int, col: int, depth: int) -> tuple[list[_Text | _Members], int]:
        """Items of the box whose border is at ``col``: its own lines and member lists."""
        lines = self.lines
        items: list[_Text | _Members] = []
        text = _Text([], [])
        j = i
        while j < end and depth < _MAX_GROUP_DEPTH:
            line = lines[j]
            if len(line) <= col or len(line) > MAX_STRUCT_LEN or line[:col].strip():
                break
            if line[col] == "|" or (
                line.startswith("+ Exception Group Traceback", col) and not text.lines and not items
            ):
                text.add(self.doc.at(j), line[col + 2 :])
                j += 1
            elif line.startswith("+-+", col):
                if text.lines:
                    items.append(text)
                    text = _Text([], [])
                members, j = self._members(j, end, col + 2, depth + 1)
                items.append(members)
            else:
                break
        if text.lines:
            items.append(text)
        return items, j

    def _members(self, j: int, end: int, col: int, depth: int) -> tuple[_Members, int]:
        lines = self.lines
        first, j = self._box(j + 1, end, col, depth)
        members = _Members([first])
        while j < end:
            line = lines[j]
            if len(line) <= col or line[:col].strip() or not line.startswith("+", col):
                break
            j += 1
            if not line[col:].strip("+- \t"):
                break  # the closing rule of this member list
            items, j = self._box(j, end, col, depth)
            members.members.append(items)
        return members, j

    def _member_entries(self, items: list[_Text | _Members]) -> list[Exc]:
        out: list[Exc] = []
        own: Exc | None = None
        for item in items:
            if isinstance(item, _Text):
                excs = self._text_entries(item, own)
                out.extend(excs)
                own = excs[-1] if excs else own
            else:
                for member in item.members:
                    out.extend(self._member_entries(member))
        for exc in out:
            if exc.relation is None:
                exc.relation = ChainRelation.GROUP_MEMBER
        return out

    def _text_entries(self, text: _Text, previous: Exc | None = None) -> list[Exc]:
        """Exceptions printed in a box's own lines, in printed order, relations set.

        ``previous`` is the box's exception printed before a nested group: a separator
        right after that group links it to what follows.
        """
        sub = Doc(text.lines, text.origin)
        reader = TracebackReader(sub, self.depth + 1)
        out: list[Exc] = []
        i = 0
        while i < len(sub):
            line = sub.lines[i]
            relation = separator(line)
            if is_blank(line) or relation is not None:
                target = out[-1] if out else previous
                if relation is not None and target is not None:
                    target.relation = relation
                i += 1
                continue
            if line.strip().startswith("and ") and line.strip().endswith(
                ("more exceptions", "more exception")
            ):
                if out:
                    out[-1].notes.append(f"group: {line.strip()}")
                i += 1
                continue
            sections, i2 = reader.chain(i, len(sub), allow_bare=True)
            for sec in sections:
                out.extend(sec.before)
                out.append(sec.final)
                out.extend(sec.after)
            i = max(i2, i + 1)
        return out


@dataclass
class _Text:
    """Consecutive own lines of a box, stripped of the border, with their text lines."""

    origin: list[int]
    lines: list[str]

    def add(self, at: int, line: str) -> None:
        self.origin.append(at)
        self.lines.append(line)


@dataclass
class _Members:
    members: list[list[_Text | _Members]]


def _where(frame: Frame) -> str:
    return f"{frame.file}:{frame.line} in {frame.function}"


def _plausible_without_header(shape: tuple[str, str]) -> bool:
    """Frames pasted without their header: demand more of the exception line after them."""
    name, message = shape
    if exception_shape(name, strict=True) is not None:
        return True
    return bool(message) and (name[:1].isupper() or "." in name)
