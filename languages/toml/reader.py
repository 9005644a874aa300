"""TOML errors with a place: Cargo's manifest errors (the `toml` crate), old and new formats.

New (cargo 1.7x+)::

    error: duplicate key
     --> Cargo.toml:8:1
      |
    8 | serde = "1.0"
      | ^^^^^

Old::

    error: failed to parse manifest at `/home/u/app/Cargo.toml`

    Caused by:
      TOML parse error at line 3, column 11

Only locations in ``.toml`` files are read: the same arrow format in ``.rs`` files is
the Rust compiler's, which the Rust plugin reads.
"""

from __future__ import annotations

import re

from homeostasis.languages.config import located_event, strip_ansi
from homeostasis.languages.toml.exceptions import classify
from homeostasis.model import ErrorEvent, Origin

LANGUAGE = "toml"
_ERROR = re.compile(r"^(?:error|ERROR)(?:\[\w+\])?: (?P<message>.+?)\s*$")
_ARROW = re.compile(r"^\s*--> (?P<file>.+?\.toml):(?P<line>\d+):(?P<column>\d+)\s*$")
_SOURCE = re.compile(r"^\s*(?P<number>\d+) \| ?(?P<code>.*)$")
_CARETS = re.compile(r"^\s*\| ?(?P<pad>\s*)(?P<carets>\^+)")
_MANIFEST = re.compile(r"failed to parse manifest at `(?P<file>[^`]+\.toml)`")
_OLD = re.compile(r"TOML parse error at line (?P<line>\d+), column (?P<column>\d+)")
_WINDOW = 12


def sniff(text: str) -> bool:
    return (".toml:" in text and "--> " in text) or "TOML parse error" in text


def read_errors(text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
    try:
        lines = [strip_ansi(line).rstrip("\r") for line in text.split("\n")]
        return _new_format(lines, origin) + _old_format(lines, origin)
    except Exception:  # a reader never raises on odd input
        return []


def _new_format(lines: list[str], origin: Origin) -> list[ErrorEvent]:
    events = []
    for index, line in enumerate(lines):
        error = _ERROR.match(line)
        if error is None or index + 1 >= len(lines):
            continue
        arrow = _ARROW.match(lines[index + 1])
        if arrow is None:
            continue
        number = int(arrow.group("line"))
        source, column, end_column, last = None, None, None, index + 1
        for inner in range(index + 2, min(len(lines), index + _WINDOW)):
            shown = _SOURCE.match(lines[inner])
            if shown is not None and int(shown.group("number")) == number:
                source, last = shown.group("code"), inner
                continue
            carets = _CARETS.match(lines[inner])
            if carets is not None and source is not None:
                indent = len(source) - len(source.lstrip())
                column = len(carets.group("pad")) - indent
                end_column = column + len(carets.group("carets"))
                last = inner
                break
            if lines[inner].strip() and not lines[inner].strip().startswith("|"):
                break
        if column is not None and column < 0:
            column = end_column = None
        message = error.group("message")
        events.append(
            located_event(
                LANGUAGE,
                classify(message),
                message,
                arrow.group("file"),
                number,
                column=column,
                end_column=end_column,
                source=source,
                origin=origin,
                text_start=index,
                text_end=last,
            )
        )
    return events


def _old_format(lines: list[str], origin: Origin) -> list[ErrorEvent]:
    events = []
    manifest: str | None = None
    for index, line in enumerate(lines):
        if found := _MANIFEST.search(line):
            manifest = found.group("file")
            continue
        old = _OLD.search(line)
        if old is None or manifest is None:
            continue
        detail = [d.strip() for d in lines[index + 1 : index + 8] if d.strip() and "|" not in d]
        message = detail[-1] if detail else "TOML parse error"
        events.append(
            located_event(
                LANGUAGE,
                classify(message),
                message,
                manifest,
                int(old.group("line")),
                origin=origin,
                text_start=index,
                text_end=index,
            )
        )
        manifest = None
    return events
