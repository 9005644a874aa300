"""The line shapes of PHP error output, and the clean-up that makes pasted output readable:
HTML rendering, log prefixes, traces collapsed onto one line.

Every regex is anchored or bounded and works on one line, so reading stays linear.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_ANSI_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_TAG_RE = re.compile(
    r"<(?:br|b|/b|font|/font|i|/i|span|/span|table|/table|tr|/tr|th|/th|td|/td)\b[^>]*>", re.I
)
# `[22-Oct-2017 11:51:03 UTC] ` (error_log), nginx's `... FastCGI sent in stderr: "`,
# php-fpm's `PHP message: `, docker compose's `web-1  | `.
_PREFIX_RE = re.compile(
    r"^(?:\[\d\d-\w{3}-\d{4} [\d:]+(?: [\w/+-]+)?\] "
    r"|.*?FastCGI sent in stderr: \"(?:PHP message: )?"
    r"|PHP message: "
    r"|[\w.-]+\s+\| )+"
)
SEVERITY = (
    r"Fatal error|Parse error|Warning|Notice|Deprecated|Recoverable fatal error"
    r"|Catchable fatal error|Strict Standards|Core warning|Compile warning|Core error|Compile error"
)
HEADER_RE = re.compile(rf"^\s*(?:PHP )?(?P<sev>{SEVERITY}):\s+(?P<rest>.*?)\s*$")
# Output printed without a newline before the report: `ArrayPHP Warning:  ...`, `3Warning: ...`
# (a severity label without `PHP ` must end with its location to be taken).
GLUED_HEADER_RE = re.compile(
    rf"PHP (?P<sev>{SEVERITY}):\s+(?P<rest>.*?)\s*$"
    rf"|(?P<sev2>{SEVERITY}): (?P<rest2>.*? in \S.*?(?: on line \d+|:\d+))\s*$"
)
NEXT_RE = re.compile(r"^\s*Next (?P<rest>(?:exception '|[A-Za-z_\\]).*?)\s*$")
TRACE_START_RE = re.compile(r"^\s*(?:PHP )?Stack trace:\s*$")
TRACE_RE = re.compile(
    r"^\s*(?:PHP\s+)?#(?P<n>\d+) (?:(?P<file>\S.*?)\((?P<line>\d+)\): |\[internal function\]: |(?=\{main\}))"
    r"(?P<call>.*?)\s*$"
)
XDEBUG_RE = re.compile(r"^\s*(?:PHP\s+)?(?P<n>\d+)\. (?P<call>\S.*?\)) (?P<file>\S.*?):(?P<line>\d+)\s*$")
THROWN_RE = re.compile(r"^\s*thrown in (?P<file>.+?) on line (?P<line>\d+)")
# `Uncaught Exception: message` (PHP 7+), `Uncaught exception 'X' with message 'm'` (PHP 5).
UNCAUGHT_RE = re.compile(r"^Uncaught (?P<type>[A-Za-z_\\][\w\\]*)(?:: (?P<msg>.*)|(?P<bare>\s.*)?)$", re.S)
UNCAUGHT5_RE = re.compile(
    r"^(?:Uncaught )?exception '(?P<type>[\w\\]+)' with message '(?P<msg>.*)'(?P<rest>.*)$", re.S
)
_LINE_TAIL_RE = re.compile(r"(?::(?P<colon>\d+)| on line (?P<online>\d+))\s*$")
_IN_SEP_RE = re.compile(r"(?:^|\s)in\s+")
# The part after `Stack trace:` on a line that holds a whole trace (HTML collapsed it).
_COLLAPSED_SPLIT_RE = re.compile(r"\s+(?=#\d+ |thrown in |Next [A-Za-z_\\][\w\\]*(?::| in )|Stack trace:)")


def clean(line: str) -> str:
    if "\x1b" in line:
        line = _ANSI_RE.sub("", line)
    line = line.rstrip("\r")
    if "<" in line and ("<b" in line or "<br" in line or "<font" in line or "<td" in line):
        line = html.unescape(_TAG_RE.sub("", line))
    match = _PREFIX_RE.match(line)
    return line[match.end() :] if match else line


def expand(raw_lines: list[str]) -> tuple[list[str], list[int]]:
    """Cleaned lines, with one-line traces split into their lines, and each one's original index."""
    out: list[str] = []
    origin: list[int] = []
    for index, raw in enumerate(raw_lines):
        line = clean(raw)
        at = line.find("Stack trace:")
        if at > 0 and "#0 " in line[at:]:
            pieces = [line[:at].rstrip(), *_COLLAPSED_SPLIT_RE.split(line[at:])]
            for piece in pieces:
                if piece.startswith("Stack trace:") and piece[12:].strip():
                    out.extend(("Stack trace:", piece[12:].strip()))
                    origin.extend((index, index))
                else:
                    out.append(piece)
                    origin.append(index)
            continue
        out.append(line)
        origin.append(index)
    return out, origin


@dataclass(frozen=True)
class Located:
    message: str
    file: str
    line: int


def split_location(text: str) -> Located | None:
    """``message in FILE:LINE`` / ``message in FILE on line N`` -> its parts (rightmost ` in `)."""
    text = text.rstrip()
    tail = _LINE_TAIL_RE.search(text)
    if tail is None:
        return None
    head = text[: tail.start()]
    seps = list(_IN_SEP_RE.finditer(head[-4000:] if len(head) > 4000 else head))
    offset = len(head) - 4000 if len(head) > 4000 else 0
    for sep in reversed(seps[-3:]):
        file = head[offset + sep.end() :].strip()
        if file and "\n" not in file and _plausible_file(file):
            message = head[: offset + sep.start()].rstrip()
            number = tail["colon"] or tail["online"]
            return Located(message, file, int(number))
    return None


def _plausible_file(file: str) -> bool:
    return (
        "/" in file
        or "\\" in file
        or file.endswith((".php", ".phtml", ".inc"))
        or file in ("Command line code", "Standard input code", "Unknown")
    )


def function_name(call: str) -> str:
    """``App\\Foo->bar('x', Array)`` -> ``App\\Foo->bar``; ``{main}`` stays."""
    call = call.strip()
    if call.startswith("{main}"):
        return "{main}"
    name = call.split("(", 1)[0].strip()
    return name or call


def unescape_json(text: str) -> str:
    """Monolog writes the exception inside a JSON string: undo its escapes."""
    if "\\" not in text:
        return text
    return (
        text.replace("\\\\", "\0")
        .replace('\\"', '"')
        .replace("\\/", "/")
        .replace("\\n", "\n")
        .replace("\0", "\\")
    )
