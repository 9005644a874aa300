"""Line-level pieces of the Python error reader: cleaning, log prefixes and line shapes.

Everything here looks at one line (or a short, bounded window) so that the readers
built on top stay linear in the size of the input.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from homeostasis.model import ChainRelation

# Lines longer than this are never structural (frame, header, location): real ones are
# short, and skipping regexes on megabyte-long lines keeps the reader linear.
MAX_STRUCT_LEN = 4000
# An exception name longer than this is not an exception name.
MAX_NAME_LEN = 200
# Bounds on what one exception message may absorb.
MAX_MESSAGE_LINES = 200
MAX_MESSAGE_CHARS = 20000

_ANSI_RE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]")
_TB_HEADER_RE = re.compile(r"\s*(Original )?Traceback \((?:most recent call last|innermost last)\):?\s*$")
_STD_FRAME_RE = re.compile(r'(\s*)File "(.*)", line (\d+)(?:, in (.*?))?\s*$')
_IPY8_FRAME_RE = re.compile(r"(\s*)File (\S.*?):(\d+)(?:, in (.*?))?\s*$")
_IPY_CELL_RE = re.compile(r"(\s*)((?:Cell In ?|Input In ?)\[\d*\])(?:, line (\d+))?(?:, in (.*?))?\s*$")
_IPY_HEADER_RE = re.compile(r"([A-Za-z_][\w.]*)\s+Traceback \(most recent call last\)\s*$")
_IPY_NUMBERED_RE = re.compile(r"(-*>|\s)\s*(\d+)(?:\s(.*))?$")
_FUNC_NAME_RE = re.compile(r"\s*(<[^>]*>|[^\s(]+)")
_NAME_RE = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
_STRICT_SUFFIXES = ("Error", "Exception", "Warning", "Exit", "Interrupt", "Iteration")
_REPEAT_RE = re.compile(r"\s*\[Previous line repeated (\d+) more times?\]\s*$")
_ADDITIONAL_RE = re.compile(r"\s*\((\d+) additional frame\(s\) were not displayed\)\s*$")
_SKIPPING_RE = re.compile(r"\s*\[\.\.\. (.*)\]\s*$")
_WARNING_RE = re.compile(r"(\S.*?):(\d+): ([A-Za-z_][\w.]*Warning): (.*)$")
_GROUP_HEADER_RE = re.compile(r"(\s*)\+ Exception Group Traceback \(most recent call last\):\s*$")
_GROUP_BARE_RE = re.compile(r"(\s*)\| (?:[\w.]*\.)?(?:Base)?ExceptionGroup:")

_CAUSE_TEXT = "The above exception was the direct cause of the following exception:"
_CONTEXT_TEXT = "During handling of the above exception, another exception occurred:"

# Lines that end an exception message: what usually follows a traceback in a terminal,
# a log or a CI run.  Each pattern is anchored and cheap.
_TERMINATOR_RE = re.compile(
    r"(?:>>>|\.\.\.(?: |$)|In \[\d*\]:|Out\[\d*\]:|\$ |% |PS [A-Za-z]:\\|[A-Za-z]:\\[^>]*>"
    r"|\([\w.-]+\) (?:[\w.-]+@|[A-Za-z]:\\|\S*\$)|[\w.-]+@[\w.-]+[:~ ]"
    r"|\[?\d{4}-\d{2}-\d{2}[ T]\d|\[?\d{1,2}:\d{2}:\d{2}|\[\d{1,2}/\w{3}/\d{4}"
    r"|[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} |\d{1,3}(?:\.\d{1,3}){3}[\s:]"
    r"|(?:DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL|TRACE|NOTICE)(?:[:\s\]|]|$)"
    r"|\[(?:DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL|TRACE)\]"
    r"|_{3,}|={3,}|!{3,}|-{3,}|\*{5,}|\+-|(?:FAILED|PASSED|SKIPPED|XFAIL|XPASS) "
    r"|Process finished with exit code|make(?:\[\d+\])?: \*\*\*|\[Finished in|Press any key"
    r"|Exception ignored in|Exception in thread|Fatal Python error|Current thread 0x"
    r"|error: |note: |hint: |\[end of output\]|Segmentation fault|Aborted|Killed"
    r"|Exited with code|exit status \d|Command .* returned non-zero)"
)


@dataclass(frozen=True, slots=True)
class Doc:
    """A list of cleaned lines, possibly cut out of a larger text (a box, an E block).

    ``origin`` maps each line back to its 0-based line in the text the caller gave.
    """

    lines: Sequence[str]
    origin: Sequence[int] | None = None
    # Lines where a log-prefixed block stopped: nothing read before may continue there.
    breaks: frozenset[int] = frozenset()

    def __len__(self) -> int:
        return len(self.lines)

    def at(self, i: int) -> int:
        return self.origin[i] if self.origin is not None else i


@dataclass(frozen=True, slots=True)
class FrameHead:
    """The header line of one stack frame, before its source lines are read."""

    file: str
    line: int | None
    function: str | None
    indent: int
    ipython: bool


def clean_lines(text: str) -> Doc:
    """Split into lines (line i is line i of ``text``) without colours or log prefixes."""
    if "\x1b" in text:
        text = _ANSI_RE.sub("", text)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if "\r" in line:
            line = line.rstrip("\r")
            # A bare CR rewrites the terminal line: what stayed visible is the last part.
            lines[i] = line.rsplit("\r", 1)[-1]
    return _strip_prefixes(lines)


def _strip_prefixes(lines: list[str]) -> Doc:
    """Remove a log or quote prefix repeated on every line of a traceback.

    The prefix is learnt from an anchor line (a traceback header or a frame line with
    text before it) and removed from the following lines while they carry the same
    prefix; digits may differ so that changing timestamps still match.  The first line
    without the prefix is recorded as a break: the prefixed block ended there.
    """
    out = list(lines)
    breaks: set[int] = set()
    prefix: str | None = None
    for i, line in enumerate(lines):
        found = _anchor_prefix(line)
        if found is not None:
            prefix = found or None
        if prefix is None or not line.strip():
            continue
        if _same_shape_prefix(line, prefix):
            out[i] = line[len(prefix) :]
        elif line.rstrip() == prefix.rstrip():
            out[i] = ""  # a blank line of the block whose trailing space was trimmed
        else:
            prefix = None
            breaks.add(i)
    return Doc(out, None, frozenset(breaks))


def _anchor_prefix(line: str) -> str | None:
    """The prefix before a traceback anchor on this line, "" for none, None if no anchor."""
    if len(line) > MAX_STRUCT_LEN:
        return None
    idx = line.find("Traceback (most recent call last):")
    if idx >= 0:
        if line.endswith("Exception Group ", 0, idx):
            idx -= len("Exception Group ")
            if line.endswith("+ ", 0, idx) or line.endswith("| ", 0, idx):
                idx -= 2
        elif line[:idx].rstrip().endswith("Original"):
            return None
        prefix = line[:idx]
    else:
        idx = line.find('File "')
        if idx < 0 or '", line ' not in line:
            return None
        # Frame lines are indented by two: that indentation is not part of the prefix.
        prefix = line[: idx - 2] if line.endswith("  ", 0, idx) else line[:idx].rstrip()
    if len(prefix) > 200 or not prefix.strip(" |+\t") or prefix.strip() == "E":
        # Blank, exception-group box drawing, or a pytest "E" line: not a log prefix.
        return ""
    return prefix


def _same_shape_prefix(line: str, prefix: str) -> bool:
    if len(line) < len(prefix):
        return False
    return all(a == b or (a.isdigit() and b.isdigit()) for a, b in zip(line, prefix, strict=False))


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip())


def is_blank(line: str) -> bool:
    return not line.strip()


def tb_header(line: str) -> str | None:
    """``"plain"`` or ``"original"`` for a traceback header line, else None."""
    if len(line) > MAX_STRUCT_LEN or "Traceback" not in line:
        return None
    m = _TB_HEADER_RE.match(line)
    if m is None:
        return None
    return "original" if m.group(1) else "plain"


def ipython_header(line: str) -> str | None:
    """The exception type of an IPython ``KeyError     Traceback (...)`` header."""
    if len(line) > MAX_STRUCT_LEN or "Traceback (most recent" not in line:
        return None
    m = _IPY_HEADER_RE.match(line)
    return m.group(1) if m else None


def is_dash_rule(line: str) -> bool:
    s = line.strip()
    return len(s) >= 20 and not s.strip("-")


def separator(line: str) -> ChainRelation | None:
    s = line.strip()
    if s == _CAUSE_TEXT:
        return ChainRelation.CAUSE
    if s == _CONTEXT_TEXT:
        return ChainRelation.CONTEXT
    return None


def wrapped_separator(first: str, second: str) -> ChainRelation | None:
    """A chain separator that a narrow console cut over two lines."""
    head = first.strip()
    if len(head) < 20 or len(first) > MAX_STRUCT_LEN or len(second) > MAX_STRUCT_LEN:
        return None
    for text, relation in ((_CAUSE_TEXT, ChainRelation.CAUSE), (_CONTEXT_TEXT, ChainRelation.CONTEXT)):
        if text.startswith(head) and (head + second.strip() == text or head + " " + second.strip() == text):
            return relation
    return None


def warning_location(line: str) -> tuple[str, int, str, str] | None:
    """``path:N: Category: message``, the warnings module's line: path, line, type, message."""
    if len(line) > MAX_STRUCT_LEN or line[:1].isspace() or "Warning: " not in line:
        return None
    m = _WARNING_RE.match(line)
    return (m.group(1), int(m.group(2)), m.group(3), m.group(4).strip()) if m else None


def group_box_column(line: str) -> int | None:
    """Column of the box of an exception-group rendering starting on this line."""
    if len(line) > MAX_STRUCT_LEN or ("ExceptionGroup" not in line and "Exception Group" not in line):
        return None
    m = _GROUP_HEADER_RE.match(line) or _GROUP_BARE_RE.match(line)
    return len(m.group(1)) if m else None


def _clean_function(text: str | None) -> str | None:
    if text is None:
        return None
    m = _FUNC_NAME_RE.match(text)
    return m.group(1) if m else (text.strip() or None)


def std_frame_head(line: str) -> FrameHead | None:
    if len(line) > MAX_STRUCT_LEN or 'File "' not in line:
        return None
    m = _STD_FRAME_RE.match(line)
    if m is None:
        return None
    function = m.group(4).strip() if m.group(4) is not None else None
    return FrameHead(m.group(2), int(m.group(3)), function or None, len(m.group(1)), False)


def ipython_frame_head(line: str) -> FrameHead | None:
    """IPython 8 ``File path:N, in f(a)`` and ``Cell In[5], line 3`` frame headers."""
    if len(line) > MAX_STRUCT_LEN:
        return None
    if "File " in line and 'File "' not in line:
        m = _IPY8_FRAME_RE.match(line)
        if m:
            return FrameHead(m.group(2), int(m.group(3)), _clean_function(m.group(4)), len(m.group(1)), True)
    if " In" in line or line.lstrip().startswith(("Cell In", "Input In")):
        m = _IPY_CELL_RE.match(line)
        if m:
            number = int(m.group(3)) if m.group(3) else None
            return FrameHead(m.group(2), number, _clean_function(m.group(4)), len(m.group(1)), True)
    return None


def ipython7_frame_head(line: str) -> FrameHead | None:
    """Old IPython ``/path/file.py in func(args)`` (only trusted before numbered lines)."""
    if len(line) > MAX_STRUCT_LEN or " in " not in line or line[0].isspace():
        return None
    for marker in (".py in ", "> in ", ".pyx in ", " in "):
        at = line.find(marker)
        if at > 0:
            path_end = at + len(marker) - 4
            break
    else:
        return None
    path = line[:path_end]
    if not (
        path.startswith(("/", "~", "<", ".", "\\"))
        or path.endswith((".py", ".pyx", ">"))
        or path[1:3] == ":\\"
    ):
        return None
    function = _clean_function(line[path_end + 4 :])
    if function is None:
        return None
    return FrameHead(path, None, function, 0, True)


def ipython_numbered(line: str) -> tuple[bool, int, str] | None:
    """``---> 37 code`` or ``     35 code``: (is the arrow line, line number, code)."""
    if len(line) > MAX_STRUCT_LEN:
        return None
    m = _IPY_NUMBERED_RE.match(line)
    if m is None:
        return None
    return m.group(1).endswith(">"), int(m.group(2)), (m.group(3) or "").strip()


def is_ipython_elision(line: str) -> bool:
    return line.strip() == "(...)"


def caret_span(line: str) -> tuple[int, int] | None:
    """Start and end (exclusive) of a ``^^^`` / ``~~^^`` marker line."""
    s = line.strip()
    if not s or s.strip("^~") or len(line) > MAX_STRUCT_LEN:
        return None
    start = indent_of(line)
    return start, start + len(s)


def note_line(line: str, frame: str | None) -> str | None:
    """A note for elision / repetition lines inside a frame list; None if not one."""
    s = line.strip()
    if s in ("...", "…"):
        return "frames elided ('...')"
    if len(line) > MAX_STRUCT_LEN or not s.startswith(("[", "(")):
        return None
    m = _REPEAT_RE.match(line)
    if m:
        where = f" ({frame})" if frame else ""
        return f"previous line repeated {m.group(1)} more times{where}"
    m = _ADDITIONAL_RE.match(line)
    if m:
        return f"{m.group(1)} additional frame(s) were not displayed"
    m = _SKIPPING_RE.match(line)
    if m:
        return m.group(1)
    return None


def exception_shape(line: str, *, strict: bool) -> tuple[str, str] | None:
    """``(type, first message line)`` if the stripped line reads like ``Type: message``.

    ``strict`` is for lines outside any traceback: the type must end like an exception
    class (``ValueError``, ``requests.exceptions.ConnectionError``...), and a bare
    ``Error:`` or ``Warning:`` (what many other tools print) is refused.
    """
    s = line.strip()
    m = _NAME_RE.match(s[: MAX_NAME_LEN + 2])
    if m is None or m.end() > MAX_NAME_LEN:
        return None
    name = m.group(0)
    rest = s[m.end() :]
    if rest:
        if rest[0] != ":" or rest.startswith(("://", "::", ":\\", ":/")):
            return None
        rest = rest[1:]
    if strict and not _strict_name(name):
        return None
    return name, rest.strip()


def _strict_name(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    if not last.endswith(_STRICT_SUFFIXES):
        return False
    return "." in name or last not in _STRICT_SUFFIXES


def is_terminator(line: str) -> bool:
    """True for lines that cannot continue an exception message."""
    if len(line) > MAX_STRUCT_LEN:
        return False
    if _TERMINATOR_RE.match(line) or tb_header(line) or separator(line):
        return True
    if std_frame_head(line) or ipython_header(line) or group_box_column(line) is not None:
        return True
    if note_line(line, None) is not None:
        return True
    return exception_shape(line, strict=True) is not None and not line[:1].isspace()


def skip_blanks(doc: Doc, i: int, end: int, limit: int) -> int:
    taken = 0
    while i < end and taken < limit and is_blank(doc.lines[i]):
        i += 1
        taken += 1
    return i
