"""Go tool output that is not a panic: compiler/vet/linter diagnostics and ``go test`` failures.

* ``./main.go:12:5: undefined: foo`` (after a ``# example.com/pkg`` header); ``vet: `` prefixed
  lines; tab-indented continuation lines (``\thave (number)``) belong to the message;
* ``--- FAIL: TestX (0.00s)`` with the lines the test logged (``    x_test.go:12: want 4``);
  with ``-v`` the lines come before the verdict, after ``=== RUN``; a passing test's lines are
  dropped. testify's ``Error Trace:``/``Error:`` blocks give the message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from homeostasis.languages.go import exceptions
from homeostasis.model import ErrorEvent, Frame, Origin

LANGUAGE = "go"
MAX_LINE = 4000
_DIAGNOSTIC = re.compile(
    r"^(?P<vet>vet: )?(?P<path>(?:[A-Za-z]:)?[^\s:][^:]*?\.go):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$"
)
_PACKAGE = re.compile(r"^# (?P<package>\S+)\s*$")
_VET = re.compile(
    r"(?:\b(?:Printf|Sprintf|Errorf|Fprintf|Logf|Fatalf|Panicf|Println|Sprint|Print|Fatal|Error)\b.*"
    r"(?:format %|has arg|call has|formatting directive|arg list ends|wrong type|needs \d+ args?)"
    r"|possible misuse of|copies lock value|passes lock by value|copies lock:|unreachable code"
    r"|self-assignment of|the cancel function|struct field tag|composite literal uses unkeyed fields"
    r"|result of [\w./()*]+ call not used|loop variable \w+ captured by func literal"
    r"|should have signature|comparison of function|suspect or:|redundant (?:and|or):"
    r"|using \w+ before checking for errors|unusual use of|is not a type that implements)"
)
_LINTERS = frozenset(
    (
        "errcheck",
        "staticcheck",
        "gosimple",
        "govet",
        "ineffassign",
        "unused",
        "revive",
        "gocritic",
        "gosec",
        "stylecheck",
        "typecheck",
        "misspell",
        "gofmt",
        "goimports",
        "unparam",
        "dupl",
        "goconst",
        "gocyclo",
        "nakedret",
        "prealloc",
        "bodyclose",
        "noctx",
        "errorlint",
        "exhaustive",
        "nilerr",
        "wrapcheck",
        "godot",
        "lll",
        "funlen",
        "whitespace",
        "wsl",
        "dogsled",
        "nestif",
        "gomnd",
        "mnd",
        "predeclared",
        "thelper",
        "tparallel",
        "paralleltest",
        "contextcheck",
        "containedctx",
        "forcetypeassert",
        "errname",
        "nilnil",
        "ireturn",
        "varnamelen",
        "gochecknoglobals",
        "gochecknoinits",
        "depguard",
        "goerr113",
        "err113",
        "testpackage",
        "cyclop",
        "maintidx",
        "copyloopvar",
        "intrange",
        "perfsprint",
        "usestdlibvars",
        "sqlclosecheck",
        "rowserrcheck",
        "makezero",
        "asciicheck",
    )
)
_LINTER = re.compile(r" \((?P<linter>[a-z][a-z0-9]*)\)$")

_FAIL = re.compile(r"^(?P<indent>\s*)--- FAIL: (?P<name>\S+)")
_VERDICT = re.compile(r"^\s*--- (?:PASS|SKIP): (?P<name>\S+)")
_RUN = re.compile(r"^=== (?:RUN|CONT|NAME|PAUSE)\s+(?P<name>\S+)")
_LOG = re.compile(r"^(?P<indent>\s+)(?P<path>[^\s:][^:\s]*\.go):(?P<line>\d+): ?(?P<message>.*)$")
_TESTIFY = re.compile(r"^\s*(?P<field>Error Trace|Error|Test|Messages):\s*\t?(?P<value>.*)$")
# A -v run can log from many tests before any verdict; keep memory bounded.
_MAX_PENDING = 2000


def read_diagnostics(lines: Sequence[str], consumed: bytearray, origin: Origin) -> list[ErrorEvent]:
    """Diagnostics outside the ``consumed`` lines (a mask: 1 where a panic was read)."""
    events: list[ErrorEvent] = []
    package: str | None = None
    index = 0
    count = len(lines)
    while index < count:
        line = lines[index]
        found = _DIAGNOSTIC.match(line) if ".go:" in line and len(line) <= MAX_LINE else None
        if found is None or consumed[index]:
            if (header := _PACKAGE.match(line)) is not None:
                package = header.group("package")
            elif line.strip() and not line.startswith("\t"):
                package = None  # the diagnostics of that package are over
            index += 1
            continue
        start = index
        parts = [found.group("message")]
        while index + 1 < count and lines[index + 1].startswith("\t") and len(parts) < 20:
            index += 1
            parts.append(lines[index].strip())
        message = "\n".join(parts)
        frame = Frame(found.group("path"), int(found.group("line")), None, column=int(found.group("col")) - 1)
        notes = (f"package {package}",) if package else ()
        events.append(
            ErrorEvent(LANGUAGE, _kind(message), message, (frame,), (), origin, start, index, notes)
        )
        index += 1
    return events


def _kind(message: str) -> str:
    first = message.split("\n", 1)[0]
    linter = _LINTER.search(first)
    if linter is not None and linter.group("linter") in _LINTERS:
        return exceptions.LINT
    if _VET.search(first):
        return exceptions.VET
    return exceptions.COMPILE_ERROR


@dataclass
class _Logged:
    path: str
    line: int
    message: str
    start: int
    end: int


@dataclass
class _TestState:
    running: str | None = None
    pending: dict[str, list[_Logged]] = field(default_factory=dict)
    failed: tuple[str, int] | None = None  # (test, indentation of its --- FAIL line)
    events: list[ErrorEvent] = field(default_factory=list)


def read_test_failures(lines: Sequence[str], consumed: bytearray, origin: Origin) -> list[ErrorEvent]:
    state = _TestState()
    index = 0
    count = len(lines)
    while index < count:
        line = lines[index]
        if len(line) > MAX_LINE or consumed[index]:
            index += 1
            continue
        if (run := _RUN.match(line)) is not None:
            state.running, state.failed = run.group("name"), None
        elif (fail := _FAIL.match(line)) is not None:
            name = fail.group("name")
            for logged in state.pending.pop(name, []):
                state.events.append(_test_event(name, logged, origin))
            state.failed = (name, len(fail.group("indent")))
        elif (verdict := _VERDICT.match(line)) is not None:
            state.pending.pop(verdict.group("name"), None)
            state.failed = None
        elif ".go:" in line and (log := _LOG.match(line)) is not None:
            logged, index = _read_logged(lines, index, log)
            _keep(state, logged, len(log.group("indent")), origin)
        elif line.strip() and not line[:1].isspace():
            state.failed = None
        index += 1
    return state.events


def _keep(state: _TestState, logged: _Logged, indent: int, origin: Origin) -> None:
    if state.failed is not None and indent > state.failed[1]:
        state.events.append(_test_event(state.failed[0], logged, origin))
    elif state.running is not None and sum(len(v) for v in state.pending.values()) < _MAX_PENDING:
        state.pending.setdefault(state.running, []).append(logged)


def _read_logged(lines: Sequence[str], index: int, log: re.Match[str]) -> tuple[_Logged, int]:
    """A logged line and its continuation lines (indented deeper); returns its last line."""
    start = index
    indent = len(log.group("indent"))
    parts = [log.group("message")]
    while index + 1 < len(lines) and len(parts) < 60:
        following = lines[index + 1]
        depth = len(following) - len(following.lstrip())
        if not following.strip() or depth <= indent or _LOG.match(following) or _FAIL.match(following):
            break
        parts.append(following.strip())
        index += 1
    message = _testify_message(parts[1:]) if not parts[0].strip() else "\n".join(parts).strip()
    return _Logged(log.group("path"), int(log.group("line")), message, start, index), index


def _testify_message(parts: Sequence[str]) -> str:
    """The ``Error:`` field of a testify report, with its continuation lines."""
    out: list[str] = []
    taking = False
    for part in parts:
        found = _TESTIFY.match(part)
        if found is not None:
            taking = found.group("field") == "Error"
            if taking and found.group("value").strip():
                out.append(found.group("value").strip())
            continue
        if taking:
            out.append(part.strip())
    return "\n".join(out) if out else "\n".join(p.strip() for p in parts).strip()


def _test_event(test: str, logged: _Logged, origin: Origin) -> ErrorEvent:
    frame = Frame(logged.path, logged.line, test)
    return ErrorEvent(
        language=LANGUAGE,
        error_type=exceptions.TEST_FAILURE,
        message=logged.message,
        frames=(frame,),
        origin=origin,
        text_start=logged.start,
        text_end=logged.end,
        notes=(f"test {test} failed",),
    )
