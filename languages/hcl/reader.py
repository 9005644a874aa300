"""Terraform / OpenTofu diagnostics: `terraform validate|plan|apply|init` output.

Three shapes are read:

* the human format, boxed (``╷ │ ╵``) or not (``-no-color`` in older releases), with
  or without ANSI colours; with colours the subject of the error is underlined
  (``ESC[4m``), which gives its exact columns;
* ``terraform validate -json`` (one document with ``diagnostics``);
* the machine-readable UI stream of ``plan|apply -json`` (one JSON object per line
  with a ``diagnostic``).

Each error becomes one event with a single frame (file, line, the printed source
line); warnings are skipped. Text that is not Terraform's gives no events.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from homeostasis.languages.config import located_event, strip_ansi
from homeostasis.languages.hcl.exceptions import type_of
from homeostasis.model import ErrorEvent, Origin

LANGUAGE = "hcl"
_HEADER = re.compile(r"^\s*(?P<level>Error|Warning): (?P<summary>.+?)\s*$")
_ON = re.compile(r"^\s*on (?P<file>.+?) line (?P<line>\d+)(?:, in (?P<context>.+?))?:\s*$")
_SNIPPET = re.compile(r"^\s*(?P<number>\d+): ?(?P<code>.*)$")
_UNDERLINE = "\x1b[4m"
# A detail longer than this is another program's output that followed the diagnostic.
_MAX_DETAIL_LINES = 30


@dataclass(frozen=True)
class _Line:
    raw: str  # with ANSI sequences, box prefix included
    text: str  # plain, box prefix removed
    boundary: bool  # a box's top or bottom (╷ ╵)
    boxed: bool


def _lines(text: str) -> list[_Line]:
    out = []
    for raw in text.split("\n"):
        plain = strip_ansi(raw).rstrip("\r")
        stripped = plain.strip()
        if stripped in ("╷", "╵"):
            out.append(_Line(raw, "", True, True))
        elif plain.lstrip().startswith("│"):
            body = plain.lstrip()[1:]
            out.append(_Line(raw, body[1:] if body.startswith(" ") else body, False, True))
        else:
            out.append(_Line(raw, plain, False, False))
    return out


def sniff(text: str) -> bool:
    if "Error: " in text and " line " in text and "on " in text:
        return True
    return '"summary"' in text and '"severity"' in text


def read_errors(text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
    try:
        events = list(_json_events(text, origin))
        if not events:
            events = list(_human_events(text, origin))
    except Exception:  # a reader never raises on odd input; what was read so far is lost only here
        return []
    return events


# The human format ------------------------------------------------------------------


def _human_events(text: str, origin: Origin) -> Iterator[ErrorEvent]:
    lines = _lines(text)
    index = 0
    while index < len(lines):
        header = _HEADER.match(lines[index].text)
        if header is None:
            index += 1
            continue
        end = _block_end(lines, index)
        if header.group("level") == "Error":
            yield _event(lines, index, end, header.group("summary"), origin)
        index = end


def _block_end(lines: list[_Line], start: int) -> int:
    """Index just past the diagnostic that starts at ``start``."""
    boxed = lines[start].boxed
    blanks = 0
    detail_lines = 0
    index = start + 1
    while index < len(lines):
        line = lines[index]
        if line.boundary:
            return index + 1
        if _HEADER.match(line.text):
            return index
        if boxed and not line.boxed:
            return index
        if not line.text.strip():
            blanks += 1
            if blanks >= 2 and not boxed:
                return index
        else:
            blanks = 0
            detail_lines += 1
            if detail_lines > _MAX_DETAIL_LINES:
                return index
        index += 1
    return index


def _event(lines: list[_Line], start: int, end: int, summary: str, origin: Origin) -> ErrorEvent:
    file: str | None = None
    line_number: int | None = None
    context: str | None = None
    source: str | None = None
    column: int | None = None
    end_column: int | None = None
    detail: list[str] = []
    index = start + 1
    while index < end:
        line = lines[index]
        on = _ON.match(line.text) if file is None else None
        if on is not None:
            file, line_number, context = on.group("file"), int(on.group("line")), on.group("context")
            index += 1
            # The snippet: numbered source lines, then value annotations (├ │ └), then a blank.
            while index < end and lines[index].text.strip():
                snippet = _SNIPPET.match(lines[index].text)
                if snippet is not None and int(snippet.group("number")) == line_number:
                    source = snippet.group("code")
                    column, end_column = _underlined(lines[index], snippet, source)
                index += 1
            continue
        if line.text.strip() or detail:
            detail.append(line.text.strip())
        index += 1
    message = _paragraphs(detail) or summary
    notes = (f"{summary}" + (f" (in {context})" if context else ""),)
    event_end = max(start, end - 1)
    if file is None:
        return ErrorEvent(
            LANGUAGE,
            type_of(summary),
            message,
            (),
            origin=origin,
            text_start=start,
            text_end=event_end,
            notes=notes,
        )
    return located_event(
        LANGUAGE,
        type_of(summary),
        message,
        file,
        line_number,
        column=column,
        end_column=end_column,
        source=source,
        function=context,
        origin=origin,
        text_start=start,
        text_end=event_end,
        notes=notes,
    )


def _underlined(line: _Line, snippet: re.Match[str], code: str) -> tuple[int | None, int | None]:
    """Columns of the underlined subject, counted in the code with its indentation stripped."""
    raw = line.raw
    at = raw.find(_UNDERLINE)
    if at < 0:
        return None, None
    stop = raw.find("\x1b[", at + len(_UNDERLINE))
    subject = strip_ansi(raw[at : stop if stop >= 0 else len(raw)])
    before = strip_ansi(raw[:at])
    # Offsets in the plain line: drop what precedes the code (box, line number).
    plain_full = strip_ansi(raw)
    prefix = len(plain_full) - len(line.text) + snippet.start("code")
    offset = len(before) - prefix
    if offset < 0:
        return None, None
    indent = len(code) - len(code.lstrip())
    column = offset - indent
    if column < 0:
        return None, None
    return column, column + len(subject)


def _paragraphs(detail: list[str]) -> str:
    paragraphs: list[list[str]] = [[]]
    for text in detail:
        if text:
            paragraphs[-1].append(text)
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n".join(" ".join(p) for p in paragraphs if p)


# JSON formats -----------------------------------------------------------------------


def _json_events(text: str, origin: Origin) -> Iterator[ErrorEvent]:
    stripped = text.lstrip()
    if stripped.startswith("{") and '"diagnostics"' in text:
        try:
            document = json.loads(stripped)
        except ValueError:
            document = None
        if isinstance(document, dict) and isinstance(document.get("diagnostics"), list):
            for diagnostic in document["diagnostics"]:
                event = _from_json(diagnostic, origin, 0, text.count("\n"))
                if event is not None:
                    yield event
            return
    if '"diagnostic"' not in text:
        return
    for number, line in enumerate(text.split("\n")):
        line = line.strip()
        if not (line.startswith("{") and '"diagnostic"' in line):
            continue
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and isinstance(record.get("diagnostic"), dict):
            event = _from_json(record["diagnostic"], origin, number, number)
            if event is not None:
                yield event


def _from_json(diagnostic: Any, origin: Origin, start: int, end: int) -> ErrorEvent | None:
    if not isinstance(diagnostic, Mapping) or diagnostic.get("severity") != "error":
        return None
    summary = str(diagnostic.get("summary") or "Error")
    message = " ".join(str(diagnostic.get("detail") or "").split()) or summary
    where = diagnostic.get("range")
    raw_snippet = diagnostic.get("snippet")
    snippet: Mapping[str, Any] = raw_snippet if isinstance(raw_snippet, Mapping) else {}
    if not isinstance(where, Mapping) or not isinstance(where.get("start"), Mapping):
        return ErrorEvent(
            LANGUAGE, type_of(summary), message, (), origin=origin, text_start=start, text_end=end
        )
    begin, finish = where["start"], where.get("end") or {}
    line = begin.get("line") if isinstance(begin.get("line"), int) and begin.get("line") > 0 else None
    code = str(snippet.get("code", ""))
    source = code.split("\n", 1)[0] if code and snippet.get("start_line") == line else None
    column = end_column = None
    if source is not None and isinstance(begin.get("column"), int):
        indent = len(source) - len(source.lstrip())
        column = max(begin["column"] - 1 - indent, 0)
        if finish.get("line") == line and isinstance(finish.get("column"), int):
            end_column = max(finish["column"] - 1 - indent, column)
    return located_event(
        LANGUAGE,
        type_of(summary),
        message,
        str(where.get("filename") or ""),
        line,
        column=column,
        end_column=end_column,
        source=source,
        function=str(snippet.get("context")) if snippet.get("context") else None,
        origin=origin,
        text_start=start,
        text_end=end,
        notes=(summary,),
    )
