"""One stack-frame line of a JavaScript engine, read into a Frame.

Shapes understood:

* V8 (Node, Chrome, Edge, Deno): ``at fn (file:line:col)``, ``at file:line:col``,
  ``at async fn (...)``, ``at new Foo (...)``, ``at Object.<anonymous> (...)``,
  ``at fn [as method] (...)``, eval frames ``at fn (eval at g (file:1:2), <anonymous>:3:4)``,
  frames without a file (``<anonymous>``, ``native``, ``index 0``) and Chrome DevTools'
  source-mapped ``at fn (file.js:12)`` without a column.
* SpiderMonkey / JavaScriptCore (Firefox, Safari): ``fn@file:line:col``, ``@file:line:col``,
  ``async*fn@...``, ``fn@[native code]`` and Safari's bare ``file:line:col``.

Paths are normalised: ``file://`` URLs become paths (percent-decoded, Windows drives kept),
``webpack://``/``webpack-internal://`` prefixes are dropped, URL queries and hashes are cut.
Other URLs (``http://``, ``resource://``) stay as printed: frame resolution matches their
path suffix against the workspace.  ``Frame.column`` is 0-based in the printed line.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from homeostasis.model import Frame

# Real frame lines are short; regexes never run on longer ones (minified source lines).
MAX_FRAME_LEN = 2000

_AT_RE = re.compile(r"\s*at\s+(\S.*?)\s*$")
_LOCATION_RE = re.compile(r"(.*?):(\d+)(?::(\d+))?$")
_FIREFOX_RE = re.compile(r"\s*([^@\s]*(?:\s[^@\s]+)*)@(\S.*?)\s*$")
_SAFARI_BARE_RE = re.compile(
    r"\s*((?:https?|file|resource|chrome-extension|moz-extension|webpack)://\S+?)\s*$"
)
_AS_RE = re.compile(r"\s*\[as [^\]]*\]$")
_WEBPACK_RE = re.compile(r"^webpack(?:-internal)?://")
_FILE_URL_RE = re.compile(r"^file://(?:localhost)?/?")
_DRIVE_RE = re.compile(r"^[A-Za-z]:[\\/]")
# Locations that name no file: nothing in them can be opened.
_NO_FILE = frozenset({"native", "<anonymous>", "unknown location", "[native code]", "<unknown>"})


def v8_frame(line: str) -> Frame | None:
    """A V8 ``at ...`` line, or None when the line is not one (Java and .NET lines are not)."""
    if len(line) > MAX_FRAME_LEN:
        return None
    match = _AT_RE.match(line)
    if match is None:
        return None
    body = match.group(1)
    # `` {`` opens Node's property block; ``,`` separates the errors of an AggregateError.
    body = body.removesuffix(" {").removesuffix(",").rstrip()
    if body.endswith(")"):
        opening = _matching_open(body)
        if opening > 0 and body[opening - 1] == " ":
            function = _function_name(body[: opening - 1])
            return located(body[opening + 1 : -1], function)
        if opening == 0:
            return located(body[1:-1], None)
        if opening > 0 and _LOCATION_RE.match(body) is None:
            return None  # ``at pkg.Class.method(File.java:12)``: Java, not V8
    if " " in body and not _looks_like_path_with_spaces(body):
        return None
    return located(body, None)


def firefox_frame(line: str) -> Frame | None:
    """A SpiderMonkey/JavaScriptCore ``fn@file:line:col`` line (or Safari's bare location)."""
    if len(line) > MAX_FRAME_LEN or "@" not in line:
        bare = _SAFARI_BARE_RE.match(line) if len(line) <= MAX_FRAME_LEN else None
        if bare is None:
            return None
        frame = located(bare.group(1), None)
        # Safari prints line and column: a URL with a port alone is not a frame.
        return frame if frame is not None and frame.column is not None else None
    match = _FIREFOX_RE.match(line)
    if match is None:
        return None
    function, location = match.group(1), match.group(2)
    if location == "[native code]":
        return Frame("[native code]", None, _firefox_function(function))
    found = _LOCATION_RE.match(location)
    if found is None or ("/" not in location and "." not in found.group(1)):
        return None
    return located(location, _firefox_function(function))


def normalize_path(printed: str) -> str:
    """The file a printed location names: URLs of local files become paths."""
    path = printed.strip()
    for cut in ("?", "#"):
        if cut in path and "://" in path:
            path = path.split(cut, 1)[0]
    if path.startswith("file:"):
        rest = _FILE_URL_RE.sub("", path)
        rest = unquote(rest)
        return rest if _DRIVE_RE.match(rest) else "/" + rest
    if _WEBPACK_RE.match(path):
        return _webpack_path(_WEBPACK_RE.sub("", path)) or path
    return path


def _webpack_path(rest: str) -> str:
    """``/./src/a.js`` (webpack 4) or ``app/./src/a.js`` (webpack 5, namespaced) -> ``src/a.js``."""
    if rest.startswith("/"):
        rest = rest[1:]
    else:
        _namespace, _, tail = rest.partition("/")
        if tail.startswith("./") or tail.startswith("../"):
            rest = tail
    return rest[2:] if rest.startswith("./") else rest


def located(location: str, function: str | None) -> Frame | None:
    location = location.strip()
    if location.startswith("eval at "):
        # ``eval at outer (file:1:2), <anonymous>:3:4``: the frame is in the eval'd code.
        location = location.rsplit(", ", 1)[-1]
    if location in _NO_FILE or location.startswith("index "):
        return Frame("<anonymous>" if location.startswith("index ") else location, None, function)
    match = _LOCATION_RE.match(location)
    if match is None or not match.group(1):
        return None
    column = int(match.group(3)) - 1 if match.group(3) else None
    return Frame(normalize_path(match.group(1)), int(match.group(2)), function, column=column)


def _matching_open(body: str) -> int:
    """Index of the ``(`` that the final ``)`` closes, -1 when unbalanced."""
    depth = 0
    for index in range(len(body) - 1, -1, -1):
        char = body[index]
        if char == ")":
            depth += 1
        elif char == "(":
            depth -= 1
            if depth == 0:
                return index
    return -1


def _function_name(text: str) -> str | None:
    name = text.strip()
    if name.startswith("async "):
        name = name[6:].strip()
    return name or None


def _firefox_function(text: str) -> str | None:
    name = text.strip()
    if name.startswith("async*"):
        name = name[6:]
    return name or None


def _looks_like_path_with_spaces(body: str) -> bool:
    """``/var/app/my project/index.js:2:9``: a location whose directories contain spaces."""
    match = _LOCATION_RE.match(body)
    return match is not None and ("/" in match.group(1) or "\\" in match.group(1))
