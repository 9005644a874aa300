"""The line shapes of Ruby error output: frames, headers, log prefixes, error_highlight.

Every regex here is anchored and works on one line, so reading stays linear in the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from homeostasis.model import Frame

# Colour codes (irb, rspec --color, Rails logs) and the CR of Windows line ends.
_ANSI_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# `F, [2024-01-01T12:00:00.123456 #4242] FATAL -- : [request-id] ...` (Ruby's Logger, Rails),
# Heroku's `2024-01-01T12:00:00+00:00 app[web.1]: ` and docker compose's `web-1  | `.
_PREFIX_RE = re.compile(
    r"^(?:[DIWEFAU], \[[^\]]*\]\s+[A-Z]+ -- [^:]*: (?:\[[^\]\s]*\] ?)*"
    r"|\S+ (?:app|heroku)\[[\w.-]+\]: "
    r"|[\w.-]+\s+\| )"
)
# Rails' tagged logging repeats the tags (request id, subdomain) on every continuation line.
_TAGS_RE = re.compile(r"^(?:\[[\w.:@/-]{1,80}\] ?)+(?=\S|$)")

# A frame's file: a Windows path, `<internal:...>`, `(irb)`, or a path not starting with a
# quote, bracket or `#` (those start prose, not frames). Never crosses a colon of the line part.
_FILE = (
    r"(?P<file>[A-Za-z]:[\\/][^:\n]*?|<internal:[^>\n]*>|\((?:irb|eval|erb|pry)[^)\n]*\)"
    r"|[\w.~/\\-][^:\n]*?)"
)
# `:in `meth'` (Ruby < 3.4), `:in 'Klass#meth'` (3.4+), `:in meth` (Airbrake, Sentry).
_WHERE = r":(?P<line>\d+)(?::in (?:[`'](?P<func>[^`'\n]*)'|(?P<bare>[^\s`'][^\s]*)))?"
FRAME_RE = re.compile(rf"^\s*(?P<from>(?:\d+: )?from\s+|#\s+)?{_FILE}{_WHERE}\s*$")
# The first line of Ruby's own report: `file:N:in `meth': message (Class)`.
HEADER_RE = re.compile(rf"^\s*{_FILE}:(?P<line>\d+):in [`'](?P<func>[^`'\n]*)': (?P<rest>.*)$")
# Files a frame without `:in` may name: only Ruby sources, so `main.rs:3` is never taken.
_RUBY_FILE_RE = re.compile(
    r"(?:\.(?:rb|rake|erb|haml|slim|ru|builder|jbuilder|gemspec|rabl|thor)|Rakefile|Gemfile|Guardfile)$"
)
CLASS_AT_END_RE = re.compile(r"^(?P<msg>.*?) ?\((?P<type>[A-Z]\w*(?:::[A-Z]\w*)*)\)\s*$")
# `NoMethodError: undefined method ...` (rake, minitest, Rails runners, Sentry).
TYPE_COLON_RE = re.compile(r"^\s*(?P<type>(?:[A-Z]\w*::)*[A-Z]\w*): (?P<msg>.*)$")
# `ActiveRecord::RecordNotFound (Couldn't find User with 'id'=5):` (Rails request logs).
RAILS_HEADER_RE = re.compile(
    r"^\s*(?P<info>Information for(?P<cause> cause)?: )?"
    r"(?P<type>(?:[A-Z]\w*::)*[A-Z]\w*) \((?P<msg>.*?)(?P<end>\):)?\s*$"
)
CAUSED_BY_RE = re.compile(r"^\s*(?:#\s*)?(?:-+\s*)?Caused by:?(?:\s*-+)?\s*(?P<rest>.*?)\s*$")
REVERSED_START_RE = re.compile(r"^\s*Traceback \(most recent call last\):\s*$")
REVERSED_FRAME_RE = re.compile(r"^\s*\d+: from ")
CARET_RE = re.compile(r"^\s*[\^~]*\^[\^~]*\s*$")
DID_YOU_MEAN_RE = re.compile(r"^\s*Did you mean\?")
# `... 10067 levels...` inside a SystemStackError trace.
ELIDED_RE = re.compile(r"^\s*\.\.\.(?: \d+ levels\.\.\.)?\s*$")
ABORTED_RE = re.compile(r"^\s*(?:\S*/)?(?:rake|rails|bundle|bin/\w+) aborted!\s*$")


def clean(line: str) -> str:
    """A line without its colour codes, CR and logger prefix."""
    if "\x1b" in line:
        line = _ANSI_RE.sub("", line)
    line = line.rstrip("\r")
    match = _PREFIX_RE.match(line)
    if match is not None:
        return line[match.end() :]
    if line.startswith("["):
        tags = _TAGS_RE.match(line)
        if tags is not None:
            return line[tags.end() :]
    return line


@dataclass(frozen=True)
class ParsedFrame:
    frame: Frame
    prefixed: bool  # printed after `from` / `#` / `N: from`


def parse_frame(line: str) -> ParsedFrame | None:
    """A frame line (`from x.rb:3:in `y'`, `app/models/a.rb:3:in 'A#b'`, `x.rb:3`), else None."""
    if ":" not in line:
        return None
    match = FRAME_RE.match(line)
    if match is None:
        return None
    file = match["file"].strip()
    prefixed = match["from"] is not None
    function = match["func"] if match["func"] is not None else match["bare"]
    if function is None and not prefixed and _RUBY_FILE_RE.search(file) is None:
        return None
    return ParsedFrame(Frame(file=normalize_path(file), line=int(match["line"]), function=function), prefixed)


def normalize_path(file: str) -> str:
    # RSpec prints `./spec/x_spec.rb`; the workspace knows `spec/x_spec.rb`.
    return file[2:] if file.startswith("./") else file


def header_frame(match: re.Match[str]) -> Frame:
    return Frame(file=normalize_path(match["file"].strip()), line=int(match["line"]), function=match["func"])


# Messages whose class Ruby always uses: the class of a header printed without `(Class)`.
_INFERRED = (
    (re.compile(r"^undefined method "), "NoMethodError"),
    (re.compile(r"^private method .* called for "), "NoMethodError"),
    (re.compile(r"^(?:undefined local variable or method|uninitialized constant) "), "NameError"),
    (re.compile(r"^wrong number of arguments|^invalid value for |^comparison of "), "ArgumentError"),
    (re.compile(r"^no implicit conversion |can't be coerced into |^nil can't be coerced"), "TypeError"),
    (re.compile(r"^key not found: "), "KeyError"),
    (re.compile(r"^index \d+ outside of array bounds"), "IndexError"),
    (re.compile(r"^divided by 0$"), "ZeroDivisionError"),
    (re.compile(r"^cannot load such file -- "), "LoadError"),
    (re.compile(r"^can't modify frozen "), "FrozenError"),
    (re.compile(r"^stack level too deep"), "SystemStackError"),
)


def highlight_at(lines: list[str], j: int) -> bool:
    """Whether error_highlight's blank line, source line and caret line start at ``j``."""
    return (
        j + 2 < len(lines)
        and not lines[j].strip()
        and bool(lines[j + 1].strip())
        and CARET_RE.match(lines[j + 2]) is not None
    )


def split_highlight(parts: list[str]) -> tuple[list[str], tuple[str, str] | None]:
    """Message lines without the error_highlight snippet, and the snippet (source, carets)."""
    for k in range(2, len(parts)):
        if CARET_RE.match(parts[k]) and parts[k - 1].strip() and not parts[k - 2].strip():
            return [*parts[: k - 2], *parts[k + 1 :]], (parts[k - 1], parts[k])
    return parts, None


def with_snippet(frame: Frame, snippet: str, carets: str) -> Frame:
    """``frame`` with error_highlight's source line and marked columns."""
    text = snippet.rstrip()
    stripped = text.lstrip()
    if stripped.startswith("...") or text.endswith("..."):
        return frame  # a truncated snippet would not match the file's line
    indent = len(text) - len(stripped)
    first = carets.index("^")
    last = len(carets.rstrip())
    if first < indent:
        return replace(frame, source=stripped)
    return replace(frame, source=stripped, column=first - indent, end_column=last - indent)


# Class names a `Type: message` line may start with: exception-like names, namespaced names,
# Ruby's own classes. `Parameters: {...}` or `Started: ...` in a log are not errors.
_EXCEPTION_NAME_RE = re.compile(
    r"(?:Error|Exception|Invalid|NotFound|Interrupt|Exit|Iteration|Timeout|Denied|Failure|Expired"
    r"|Conflict|Unauthorized|Forbidden|Missing|Refused|Unsupported|Mismatch|NotUnique|NotSaved)$"
    r"|::"
)


def exception_like(name: str) -> bool:
    return _EXCEPTION_NAME_RE.search(name) is not None


def infer_type(message: str) -> str | None:
    for regex, name in _INFERRED:
        if regex.search(message):
            return name
    return None
