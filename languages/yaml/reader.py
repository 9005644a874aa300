"""YAML parse errors as tools print them, located in the YAML file.

* PyYAML / ruamel.yaml exceptions (in a Python traceback or a log)::

      yaml.scanner.ScannerError: mapping values are not allowed here
        in "config.yaml", line 2, column 11

  The Python plugin reads the traceback (its frames are Python code); this reader
  adds the event in the YAML file, where the fix is. Marks in ``<unicode string>``
  and other pseudo-files name no file and are left to the Python event.
* Go's yaml as kubectl, Helm and docker compose print it::

      error: error parsing deploy.yaml: error converting YAML to JSON: yaml: line 2:
          mapping values are not allowed in this context                 (one line)

* yamllint syntax errors and duplicate keys, in its standard and ``-f parsable`` formats.
"""

from __future__ import annotations

import re

from homeostasis.languages.config import located_event, strip_ansi
from homeostasis.languages.yaml.exceptions import classify
from homeostasis.model import ErrorEvent, Origin

LANGUAGE = "yaml"
_PY_HEADER = re.compile(
    r"^(?:.*?\b)?(?P<type>(?:ruamel\.)?yaml\.(?:\w+\.)*(?P<short>\w+Error)): ?(?P<first>.*)$"
)
_MARK = re.compile(r'^\s+in "(?P<file>[^"]+)", line (?P<line>\d+), column (?P<column>\d+)(?P<snippet>:?)\s*$')
_GO = re.compile(
    r"(?:error parsing |error reading |error validating |parsing |validating |file )?"
    r"(?P<file>[^\s:\"']+\.ya?ml)\b[^\n]*?\byaml: line (?P<line>\d+): (?P<message>.+?)\s*$"
)
_LINT_PARSABLE = re.compile(
    r"^(?P<file>\S+\.ya?ml):(?P<line>\d+):(?P<column>\d+): "
    r"\[(?P<level>error|warning)\] (?P<message>.+?) \((?P<rule>[\w-]+)\)\s*$"
)
_LINT_FILE = re.compile(r"^(?P<file>\S+\.ya?ml)\s*$")
_LINT_PROBLEM = re.compile(
    r"^\s+(?P<line>\d+):(?P<column>\d+)\s+(?P<level>error|warning)\s+(?P<message>.+?)\s+\((?P<rule>[\w-]+)\)\s*$"
)
_LINT_RULES = {"syntax", "key-duplicates"}
# A mark more than this many lines below its header belongs to something else.
_MARK_WINDOW = 12


def sniff(text: str) -> bool:
    return (
        ("yaml." in text and "Error" in text and '", line ' in text)
        or "yaml: line " in text
        or (".y" in text and ("(syntax)" in text or "(key-duplicates)" in text))
    )


def read_errors(text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
    try:
        lines = [strip_ansi(line).rstrip("\r") for line in text.split("\n")]
        events = _pyyaml(lines, origin) + _go(lines, origin) + _yamllint(lines, origin)
    except Exception:  # a reader never raises on odd input
        return []
    events.sort(key=lambda e: e.text_start)
    return events


def _pseudo(file: str) -> bool:
    return file.startswith("<") and file.endswith(">")


def _pyyaml(lines: list[str], origin: Origin) -> list[ErrorEvent]:
    events: list[ErrorEvent] = []
    for index, line in enumerate(lines):
        header = _PY_HEADER.match(line)
        if header is None or "Traceback" in line:
            continue
        message_lines = [header.group("first").strip()] if header.group("first").strip() else []
        mark = None
        end = index
        skip = 0
        for inner in range(index + 1, min(len(lines), index + _MARK_WINDOW)):
            if skip:
                skip -= 1  # the source line and caret PyYAML prints after `column N:`
                continue
            found = _MARK.match(lines[inner])
            if found is not None:
                mark, end = found, inner  # the last mark is the problem; earlier ones the context
                skip = 2 if found.group("snippet") else 0
                continue
            if (
                not lines[inner].strip()
                or _PY_HEADER.match(lines[inner])
                or lines[inner].startswith("Traceback")
            ):
                break
            message_lines.append(lines[inner].strip())
        if mark is None or _pseudo(mark.group("file")):
            continue
        message = " ".join(message_lines) or header.group("short")
        events.append(
            located_event(
                LANGUAGE,
                header.group("short"),
                message,
                mark.group("file"),
                int(mark.group("line")),
                origin=origin,
                text_start=index,
                text_end=end,
                notes=(f"column {mark.group('column')}",),
            )
        )
    return events


def _go(lines: list[str], origin: Origin) -> list[ErrorEvent]:
    events = []
    for index, line in enumerate(lines):
        if "yaml: line " not in line:
            continue
        found = _GO.search(line)
        if found is None:
            continue
        message = found.group("message")
        events.append(
            located_event(
                LANGUAGE,
                classify(message),
                message,
                found.group("file"),
                int(found.group("line")),
                origin=origin,
                text_start=index,
                text_end=index,
            )
        )
    return events


def _yamllint(lines: list[str], origin: Origin) -> list[ErrorEvent]:
    events = []
    current_file: str | None = None
    for index, line in enumerate(lines):
        found: re.Match[str] | None = _LINT_PARSABLE.match(line)
        if found is not None:
            file = found.group("file")
        else:
            if (name := _LINT_FILE.match(line)) is not None:
                current_file = name.group("file")
                continue
            found = _LINT_PROBLEM.match(line) if current_file is not None else None
            if found is None:
                if line.strip() == "":
                    current_file = None
                continue
            file = current_file or ""
        if found.group("rule") not in _LINT_RULES:
            continue
        message = found.group("message").removeprefix("syntax error: ")
        events.append(
            located_event(
                LANGUAGE,
                classify(message),
                message,
                file,
                int(found.group("line")),
                origin=origin,
                text_start=index,
                text_end=index,
                notes=(f"yamllint {found.group('rule')}, column {found.group('column')}",),
            )
        )
    return events
