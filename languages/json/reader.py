"""npm's ``EJSONPARSE``: package.json is not valid JSON.

npm 7+ (and 10/11 with ``npm error`` prefixes; ``npm ERR!`` before)::

    npm error code EJSONPARSE
    npm error JSON.parse Invalid package.json: JSONParseError: Expected double-quoted
        property name in JSON at position 76 while parsing near "..."      (one line)

Node 20's V8 gives only a byte position, which cannot be turned into a line without
the file, so the event has no line then; Node 21+ adds ``(line N column M)``, which
locates it. The file is package.json in the directory npm ran in (``npm error path``
names it when npm prints it).
"""

from __future__ import annotations

import re

from homeostasis.languages.config import located_event, strip_ansi
from homeostasis.model import ErrorEvent, Origin

LANGUAGE = "json"
_CODE = re.compile(r"^npm (?:error|ERR!) code EJSONPARSE\s*$")
_PATH = re.compile(r"^npm (?:error|ERR!) path (?P<path>\S+)\s*$")
_DETAIL = re.compile(r"^npm (?:error|ERR!) (?:JSON\.parse )?(?P<detail>.*)$")
_INVALID = re.compile(
    r"Invalid package\.json: (?:JSONParseError: )?(?P<message>.+?)(?: while parsing (?:near|'|\").*)?$"
)
_LINE = re.compile(r"\(line (?P<line>\d+) column (?P<column>\d+)\)")


def sniff(text: str) -> bool:
    return "EJSONPARSE" in text


def read_errors(text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
    try:
        return _read(text, origin)
    except Exception:  # a reader never raises on odd input
        return []


def _read(text: str, origin: Origin) -> list[ErrorEvent]:
    lines = [strip_ansi(line).rstrip("\r") for line in text.split("\n")]
    events = []
    for index, line in enumerate(lines):
        if _CODE.match(line) is None:
            continue
        path = "package.json"
        message = "package.json is not valid JSON"
        end = index
        for inner in range(index + 1, min(len(lines), index + 12)):
            detail = _DETAIL.match(lines[inner])
            if detail is None:
                break
            end = inner
            if (found := _PATH.match(lines[inner])) is not None:
                candidate = found.group("path")
                path = candidate if candidate.endswith(".json") else candidate.rstrip("/") + "/package.json"
            elif (invalid := _INVALID.search(detail.group("detail"))) is not None:
                message = invalid.group("message").strip()
            elif _CODE.match(lines[inner]):
                break
        where = _LINE.search(message)
        events.append(
            located_event(
                LANGUAGE,
                "EJSONPARSE",
                message,
                path,
                int(where.group("line")) if where else None,
                origin=origin,
                text_start=index,
                text_end=end,
            )
        )
    return events
