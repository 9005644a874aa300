"""Line shapes of JavaScript error output: error headers, Node's source context, footers.

Everything here looks at one line, so the reader built on top stays linear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Lines longer than this are never structural: real headers are short, and regexes never
# run on megabyte-long lines (a minified bundle printed as source context).
MAX_STRUCT_LEN = 4000

_ANSI_RE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]")

# ``TypeError: msg``, ``Error [ERR_X]: msg``, ``Uncaught (in promise) TypeError: msg`` and a
# bare ``Error``.
_HEADER_RE = re.compile(
    r"(?P<uncaught>Uncaught (?:\(in promise\) )?)?"
    r"(?P<type>[A-Z$][\w$]{0,150})"
    r"(?: \[(?P<code>[A-Za-z0-9_]{1,80})\])?"
    r"(?::(?: (?P<message>.*))?)?$"
)
# Node's inspect() of an Error without a stack: ``[TypeError: msg]`` or ``[Error: msg] {``.
_BRACKET_RE = re.compile(
    r"\s*\[(?P<type>[A-Za-z_$][\w$]{0,150})(?: \[(?P<code>[A-Za-z0-9_]{1,80})\])?: (?P<message>.*)\]"
    r"(?P<rest>\s*\{.*)?$"
)
# Where a name may start after a prefix: a boundary (not ``java.lang.`` or ``System.``).
_START_RE = re.compile(r"(?:^|(?<=[\s\]|>)]))(?=[A-Z$])")
# How many candidate starts of one line are tried.
_MAX_STARTS = 8
_REJECTION_RE = re.compile(r"\s*\(node:\d+\) UnhandledPromiseRejectionWarning: (?P<rest>.*)$")
# ``/path/app.js:3`` (or ``file:///...:3``, ``node:internal/...:283``) above the source line.
_CONTEXT_RE = re.compile(r"(?P<file>\S(?:.*\S)?):(?P<line>\d+)$")
_CARET_RE = re.compile(r"\s*\^+\s*$")
_FOOTER_RE = re.compile(r"Node\.js v\d+\.\d+")
_ELIDED_RE = re.compile(r"\s*\.\.\. \d+ (?:more )?lines? matching cause stack trace \.\.\.\s*$")
_MAPPED_RE = re.compile(r"\s*-> (?P<location>\S.*)$")
_EMITTED_RE = re.compile(r"\s*Emitted '[^']*' event(?: on .*)? at:\s*$")
_CAUSED_BY_RE = re.compile(r"\s*Caused by: (?P<rest>.*)$")
# ``Warning: ...`` (React, Node) and ``Trace: ...`` (console.trace) print stacks that are not errors.
_NOT_ERROR_RE = re.compile(r"(?:^|[\s)\]])(?:\w*Warning|Trace)(?::|$)")
_CODE_PROP_RE = re.compile(r"\bcode: '(?P<code>[A-Za-z0-9_]{1,80})'")

# Names that are the built-in errors of the language (any engine), and common host errors.
BUILTIN_TYPES = frozenset(
    {
        "Error",
        "TypeError",
        "RangeError",
        "ReferenceError",
        "SyntaxError",
        "EvalError",
        "URIError",
        "AggregateError",
        "InternalError",
        "DOMException",
        "UnhandledPromiseRejection",
    }
)
# Messages only JavaScript engines print: enough to trust a header with no stack under it.
_JS_MESSAGE_RE = re.compile(
    r"^Cannot (?:read|set) propert(?:y|ies) of (?:undefined|null)"
    r"|^Cannot (?:read|set) property '[^']*' of (?:undefined|null)"
    r"|^[\w$.\[\]]+ is not (?:a function|a constructor|iterable|defined)$"
    r"|^[\w$.]+ is (?:undefined|null)$"
    r"|^(?:undefined|null) is not an object \(evaluating "
    r"|^Assignment to constant variable\.$"
    r"|^Maximum call stack size exceeded$"
    r"|^Cannot access '[^']+' before initialization$"
    r"|^Unexpected (?:token .* in JSON|end of JSON input)"
    r"|^Cannot find module '"
    r"|^Failed to fetch$|^NetworkError when attempting to fetch resource|^Load failed$"
    r"|^Invalid or unexpected token$|^Unexpected token '"
)
# A header of another language that a JS message must not run into.
_FOREIGN_RE = re.compile(
    r"\s*(?:Traceback \(most recent call last\)|File \"|Exception in thread |Caused by: [\w.]+\.[\w$]+"
    r"|\tat |goroutine \d|panic: |thread '.*' panicked|PHP (?:Fatal|Warning)|Stack trace:$|#\d+ )"
)


@dataclass(frozen=True, slots=True)
class Header:
    """An error's first line: ``Type [code]: message``."""

    error_type: str
    message: str
    code: str | None = None
    indent: int = 0
    column: int = 0  # where the name (or ``Uncaught``) starts on the line
    prefix: str = ""  # what stood before the name on the line (``Uncaught``, a log prefix...)
    uncaught: bool = False
    bracket: bool = False  # Node's ``[Type: message]`` form: no stack follows
    opens_block: bool = False  # the line ends with `` {``: a property block follows
    rejection: bool = False  # printed as an unhandled promise rejection

    @property
    def in_log_line(self) -> bool:
        """The name follows other text on its line (a log prefix, a sentence)."""
        return bool(self.prefix) and not self.uncaught and not self.rejection


def clean(line: str) -> str:
    """The line as a terminal shows it: no ANSI colours, no trailing whitespace, and only
    what follows a carriage return (progress output overwritten in place)."""
    line = line.rstrip()
    if "\r" in line:
        line = line[line.rindex("\r") + 1 :]
    if "\x1b" in line:
        line = _ANSI_RE.sub("", line)
    return line.rstrip()


def split_lines(text: str) -> list[str]:
    """Cleaned lines of ``text``; their indexes are the text's 0-based line numbers."""
    return [clean(line) for line in text.split("\n")]


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip())


def header(line: str, *, anywhere: bool = True) -> Header | None:
    """The error header on ``line``; ``anywhere`` allows a prefix before the name."""
    if not line or len(line) > MAX_STRUCT_LEN:
        return None
    indent = indent_of(line)
    rejection = _REJECTION_RE.match(line)
    if rejection is not None:
        found = header(rejection.group("rest"), anywhere=False)
        if found is None:
            return None
        return Header(
            found.error_type, found.message, found.code, indent, column=rejection.start("rest"),
            prefix=line[: rejection.start("rest")].strip(), opens_block=found.opens_block, rejection=True,
        )  # fmt: skip
    bracket = _BRACKET_RE.match(line)
    if bracket is not None and _error_like(bracket.group("type")):
        rest = bracket.group("rest") or ""
        return Header(
            bracket.group("type"), bracket.group("message"), bracket.group("code") or _prop_code(rest),
            indent, column=indent, bracket=True, opens_block=rest.strip() == "{",
        )  # fmt: skip
    stripped = line.lstrip()
    if not anywhere:
        return _at(stripped, 0, indent)
    for count, start in enumerate(_START_RE.finditer(stripped)):
        if count >= _MAX_STARTS:
            break
        found = _at(stripped, start.start(), indent)
        if found is not None:
            return found
    return None


def _at(stripped: str, pos: int, indent: int) -> Header | None:
    match = _HEADER_RE.match(stripped, pos)
    if match is None:
        return None
    error_type = match.group("type")
    uncaught = match.group("uncaught") is not None
    if not _plausible_type(error_type):
        return None
    if pos > 0 and not uncaught and not error_type.endswith(("Error", "Exception")):
        return None  # after a prefix only a name that says it is an error
    bare = match.group("message") is None and not stripped.endswith(":")
    if bare and (pos > 0 or not error_type.endswith(("Error", "Exception"))):
        return None  # a bare name only when Error-like (Node prints ``new Error()`` as ``Error``)
    message = match.group("message") or ""
    opens = False
    if message.endswith(" {") and message.count("{") > message.count("}"):
        message, opens = message[:-2].rstrip(), True
    return Header(
        error_type, message, match.group("code"), indent, column=indent + pos,
        prefix=stripped[:pos].strip(), uncaught=uncaught, opens_block=opens,
    )  # fmt: skip


def _error_like(name: str) -> bool:
    """A name that says it is an error (``[SQL: ...]`` in a log is not one)."""
    return name.endswith(("Error", "Exception", "Rejection")) or name in BUILTIN_TYPES


def _plausible_type(name: str) -> bool:
    # ``Warning: ...`` (React, Node) and ``Trace: ...`` (console.trace) print stacks too.
    if name.endswith("Warning") or name == "Trace":
        return False
    return name[0].isupper() or name[0] == "$"


def _prop_code(text: str) -> str | None:
    match = _CODE_PROP_RE.search(text)
    return match.group("code") if match else None


def prop_code(line: str) -> str | None:
    """``code: 'ERR_X'`` inside Node's property block."""
    return _prop_code(line) if len(line) <= MAX_STRUCT_LEN else None


def context_location(line: str) -> tuple[str, int] | None:
    """``/path/app.js:3``: the location line of Node's source-context header."""
    if not line or len(line) > MAX_STRUCT_LEN or line[0].isspace() or not line[-1].isdigit():
        return None
    match = _CONTEXT_RE.match(line)
    if match is None or (" " in match.group("file") and "/" not in match.group("file")):
        return None
    return match.group("file"), int(match.group("line"))


def is_caret(line: str) -> bool:
    return len(line) <= MAX_STRUCT_LEN and _CARET_RE.match(line) is not None


def is_footer(line: str) -> bool:
    return _FOOTER_RE.match(line) is not None


def is_elided(line: str) -> bool:
    return len(line) <= MAX_STRUCT_LEN and _ELIDED_RE.match(line) is not None


def mapped_location(line: str) -> str | None:
    """``    -> /app/src/a.ts:3:5``: where Node's source maps put the frame above."""
    if len(line) > MAX_STRUCT_LEN:
        return None
    match = _MAPPED_RE.match(line)
    return match.group("location") if match else None


def is_emitted(line: str) -> bool:
    return len(line) <= MAX_STRUCT_LEN and _EMITTED_RE.match(line) is not None


def caused_by(line: str) -> str | None:
    if len(line) > MAX_STRUCT_LEN:
        return None
    match = _CAUSED_BY_RE.match(line)
    return match.group("rest") if match else None


def not_an_error(line: str) -> bool:
    """A warning or ``console.trace`` line: the stack under it is no error's."""
    return len(line) <= MAX_STRUCT_LEN and _NOT_ERROR_RE.search(line) is not None


def js_specific(error_type: str, message: str) -> bool:
    """Whether a lone header is unmistakably JavaScript's (no stack needed to trust it)."""
    return error_type in BUILTIN_TYPES and _JS_MESSAGE_RE.search(message) is not None


def foreign(line: str) -> bool:
    """A line that starts another language's error output."""
    return len(line) <= MAX_STRUCT_LEN and _FOREIGN_RE.match(line) is not None
