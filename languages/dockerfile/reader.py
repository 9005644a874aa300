"""`docker build` failures: BuildKit (docker 23+, buildx) and the legacy builder.

BuildKit ends a failed build with ``ERROR: failed to solve: <reason>`` (docker 28:
``ERROR: failed to build: failed to solve: ...``) and, just before it, the place in
the Dockerfile::

    Dockerfile:3
    --------------------
       2 |     RUN apt-get update
       3 | >>> RUN apt-get install curl
    --------------------

and, for a failed RUN, the step's last output lines between ``------`` rulers. Each
failure becomes one event whose frame is the first ``>>>`` line; a RUN step's
output is appended to the message (that is where "Unable to locate package" is).
The legacy builder names the step (``Step 3/5 : RUN ...``) but no line number: its
events carry the instruction as the frame's source and no line.
"""

from __future__ import annotations

import re

from homeostasis.languages.config import located_event, strip_ansi
from homeostasis.model import ErrorEvent, Origin

LANGUAGE = "dockerfile"
_FINAL = re.compile(
    r"^\s*(?:ERROR|error)(?: \[[^\]]*\])?: (?:failed to build: )?"
    r"(?:failed to solve(?: with frontend [\w.]+)?: )(?P<reason>.+)$"
)
_DAEMON = re.compile(r"^(?:Error response from daemon|ERROR|error): (?P<reason>dockerfile parse error.+)$")
_LOCATION = re.compile(r"^\s*(?P<file>[^\s:]*(?:[Dd]ockerfile|[Cc]ontainerfile)[^\s:]*):(?P<line>\d+)\s*$")
_SNIPPET = re.compile(r"^\s*(?P<number>\d+) \|(?P<mark> >>>)? ?(?P<code>.*)$")
_RULER = re.compile(r"^\s*-{4,}\s*$")
_STEP = re.compile(r"^\s*> \[(?P<step>[^\]]+)\] (?P<instruction>.+?):\s*$")
_TIMESTAMP = re.compile(r"^(?:#\d+ )?\d+\.\d+ ")
_PARSE_LINE = re.compile(r"dockerfile parse error (?:on )?line (?P<line>\d+)")
_UNKNOWN = re.compile(r"unknown instruction: (?P<word>\S+)")
_LEGACY_STEP = re.compile(r"^Step \d+/\d+ : (?P<instruction>.+)$")
_LEGACY_FAILED = re.compile(r"^The command '(?P<command>.*)' returned a non-zero code: (?P<code>\d+)\s*$")
# How far above the final error line the location block and step output may start.
_LOOKBACK = 80


def sniff(text: str) -> bool:
    return (
        "failed to solve" in text
        or "dockerfile parse error" in text
        or ("returned a non-zero code" in text and "Step " in text)
    )


def read_errors(text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
    try:
        lines = [strip_ansi(line).rstrip("\r") for line in text.split("\n")]
        return _buildkit(lines, origin) + _legacy(lines, origin)
    except Exception:  # a reader never raises on odd input
        return []


def classify(reason: str) -> str:
    if "dockerfile parse error" in reason or "unknown instruction" in reason:
        return "UnknownInstruction" if "unknown instruction" in reason else "DockerfileParseError"
    if "did not complete successfully" in reason:
        return "RunFailed"
    if "failed to compute cache key" in reason or "failed to calculate checksum" in reason:
        return "CopySourceNotFound"
    if (
        "failed to resolve source metadata" in reason
        or "pull access denied" in reason
        or "manifest unknown" in reason
        or "repository does not exist" in reason
    ):
        return "ImageNotFound"
    return "BuildError"


def _buildkit(lines: list[str], origin: Origin) -> list[ErrorEvent]:
    events: list[ErrorEvent] = []
    floor = 0  # lines already used by an earlier event
    for index, line in enumerate(lines):
        final = _FINAL.match(line) or _DAEMON.match(line)
        if final is None:
            continue
        reason = final.group("reason").strip()
        start = max(floor, index - _LOOKBACK)
        file, number, source, first = _location(lines, start, index)
        output, step_start = _step_output(lines, start, index)
        if number is None and (parse := _PARSE_LINE.search(reason)):
            file, number = file or "Dockerfile", int(parse.group("line"))
        message = reason + ("\n" + "\n".join(output) if output else "")
        events.append(
            located_event(
                LANGUAGE,
                classify(reason),
                message,
                file or "Dockerfile",
                number,
                source=source,
                origin=origin,
                text_start=min(x for x in (first, step_start, index) if x is not None),
                text_end=index,
            )
        )
        floor = index + 1
    return events


def _location(
    lines: list[str], start: int, end: int
) -> tuple[str | None, int | None, str | None, int | None]:
    """The last ``Dockerfile:N`` block before ``end``: file, line, the first marked source line."""
    for index in range(end - 1, start - 1, -1):
        where = _LOCATION.match(lines[index])
        if where is None:
            continue
        number = int(where.group("line"))
        source = None
        for inner in range(index + 1, min(end, index + 40)):
            snippet = _SNIPPET.match(lines[inner])
            if snippet is None:
                if _RULER.match(lines[inner]):
                    continue
                break
            if snippet.group("mark") and source is None:
                number, source = int(snippet.group("number")), snippet.group("code")
        return where.group("file"), number, source, index
    return None, None, None, None


def _step_output(lines: list[str], start: int, end: int) -> tuple[list[str], int | None]:
    """The output of the failed step (` > [2/3] RUN ...:` up to the next ruler)."""
    for index in range(end - 1, start - 1, -1):
        if _STEP.match(lines[index]) is None:
            continue
        output = []
        for inner in range(index + 1, end):
            if _RULER.match(lines[inner]):
                break
            output.append(_TIMESTAMP.sub("", lines[inner]).rstrip())
        return [o for o in output if o.strip()], index
    return [], None


def _legacy(lines: list[str], origin: Origin) -> list[ErrorEvent]:
    events: list[ErrorEvent] = []
    step: str | None = None
    step_index = 0
    for index, line in enumerate(lines):
        if found := _LEGACY_STEP.match(line):
            step, step_index = found.group("instruction").strip(), index
            continue
        failed = _LEGACY_FAILED.match(line)
        if failed is None:
            continue
        output = [o for o in lines[step_index + 1 : index] if o.strip() and not o.startswith(" ---> ")]
        command, code = failed.group("command"), failed.group("code")
        reason = f'process "{command}" did not complete successfully: exit code: {code}'
        message = reason + ("\n" + "\n".join(output[-40:]) if output else "")
        events.append(
            located_event(
                LANGUAGE,
                "RunFailed",
                message,
                "Dockerfile",
                None,
                source=step,
                origin=origin,
                text_start=step_index if step else index,
                text_end=index,
            )
        )
        step = None
    return events
