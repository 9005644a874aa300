"""One line of JVM output at a time: log prefixes, exception headers, ``at`` frames.

Everything here is a pure function of one (or two, for wrapped frames) lines, so the
block reader in ``reader.py`` stays a small state machine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from homeostasis.model import Frame

# Lines longer than this are only matched at their start: a 1 MB log line must not make a
# search pattern walk it again for every candidate position.
MAX_STRUCT_LEN = 4000

# Android logcat, in its three common shapes (brief, threadtime, Android Studio), and
# docker compose service prefixes. Only the prefix is removed; the indentation after it
# is what the trace printed.
_LOGCAT_BRIEF = re.compile(r"^(?P<level>[VDIWEFA])/(?P<tag>[^\s:(][^:(]{0,120}?)\s*(?:\(\s*\d+\))?: ?")
_LOGCAT_THREADTIME = re.compile(
    r"^\d\d-\d\d\s+\d\d:\d\d:\d\d\.\d+\s+\d+\s+\d+\s+(?P<level>[VDIWEFA])\s+(?P<tag>[^:]{0,120}?)\s*: ?"
)
_LOGCAT_STUDIO = re.compile(
    r"^\d{4}-\d\d-\d\d\s+\d\d:\d\d:\d\d\.\d+\s+\d+-\d+\s+(?P<tag>\S+)\s+\S+\s+(?P<level>[VDIWEFA])\s\s?"
)
_DOCKER = re.compile(r"^(?P<tag>[\w.-]+(?:[-_]\d+)?)\s+\| ?")
_MAVEN = re.compile(r"^\[(?:ERROR|WARN|WARNING|INFO)\] ")

# A type name: ``java.lang.NullPointerException``, ``com.acme.Outer$Inner``.
_QUALIFIED = r"(?:[A-Za-z_$][\w$]*\.)+[A-Z_$][\w$]*"
_THROWABLE_NAME = r"(?:[A-Z_$][\w$]*)?(?:Exception|Error|Throwable|Failure)(?:\$[\w$]+)?"
_HEADER = re.compile(
    r"^(?P<indent>\s*)"
    r"(?:Exception in thread \"(?P<thread>[^\"]*)\"\s+"
    r"|(?P<kind>Caused by|Suppressed):?\s+"
    r"|(?:Fatal Exception|Uncaught exception|Unhandled exception):\s*"
    r")?"
    r"(?:class\s+)?"
    rf"(?P<type>{_QUALIFIED}|{_THROWABLE_NAME})"
    r"(?:(?P<colon>:)\s?(?P<message>.*)|\s*)$"
)
# A throwable named somewhere in a log line ("12:00 ERROR [main] App - java.io.IOException: x"),
# accepted only when a frame follows.
_EMBEDDED = re.compile(
    rf"(?<![\w$.])(?P<type>(?:[A-Za-z_$][\w$]*+\.)++{_THROWABLE_NAME})(?:(?P<colon>:)\s?(?P<message>.*)|\s*)$"
)
# JVM packages: a frameless line naming one of their throwables is a JVM error on its own.
_JVM_PACKAGE = re.compile(r"^(?:java|javax|jakarta|jdk|sun|kotlin|kotlinx|android|androidx|dalvik)\.")

_FRAME = re.compile(r"^\s*at\s+(?P<where>[^\s(]+)\((?P<loc>[^()]*)\)(?P<tail>.*)$")
_LOCATION = re.compile(
    r"^(?:(?P<native>Native Method)"
    r"|(?P<unknown>Unknown Source|SourceFile|Compiled Code|Coroutine boundary)(?::-?\d+)?"
    r"|(?P<file>[^\s:/\\]+?)(?::(?P<line>-?\d+))?)$"
)
# A frame cut by a terminal or a log shipper: ``at com.acme.Main.run(Ma`` / ``in.java:12)``.
_FRAME_START = re.compile(r"^\s*at\s+[\w$./@<>-]+(?:\([^()]*)?$")
_MORE = re.compile(r"^\s*\.\.\. (?P<count>\d+) (?:more|common frames omitted)\s*$")
# Lines some tools put inside a trace in place of frames they hid.
_ELISION = re.compile(
    r"^\s*(?:\[\.\.\.\]|\.\.\.|<\d+ internal lines?>|\(Coroutine boundary\)|at \(Coroutine boundary.*)\s*$"
)
# Gradle's one-line test failure: ``java.lang.IllegalStateException at Main.java:12``.
_GRADLE = re.compile(
    rf"^(?P<indent>\s*)(?:(?P<kind>Caused by):\s*)?(?P<type>{_QUALIFIED}) at "
    r"(?P<file>[\w$-]+\.(?:java|kt|kts|groovy|scala)):(?P<line>\d+)\s*$"
)
_ANDROID_CRASH = re.compile(r"^\s*FATAL EXCEPTION: (?P<thread>.+?)\s*$")
_ANDROID_PROCESS = re.compile(r"^\s*Process: (?P<process>[\w.:-]+), PID: \d+")
_FOREIGN_FRAME = re.compile(r"^\s+at\s")


@dataclass(frozen=True, slots=True)
class Line:
    """A cleaned input line and the log tag that prefixed it (``""`` when none)."""

    text: str
    tag: str


@dataclass(frozen=True, slots=True)
class Header:
    """An exception line: ``[prefix] type[: message]``."""

    error_type: str
    message: str
    kind: str | None  # "Caused by", "Suppressed" or None
    indent: int
    thread: str | None
    explicit: bool  # "Exception in thread" or "Caused by:" says it is an exception line


def clean(raw: str) -> Line:
    """The line without a trailing CR and without a logcat/docker/maven prefix."""
    text = raw.rstrip("\r")
    if not text:
        return Line(text, "")
    first = text[0]
    if first in "VDIWEFA" and len(text) > 2 and text[1] == "/":
        match = _LOGCAT_BRIEF.match(text)
        if match:
            return Line(text[match.end() :], match.group("tag"))
    elif first.isdigit():
        for pattern in (_LOGCAT_THREADTIME, _LOGCAT_STUDIO):
            match = pattern.match(text)
            if match:
                return Line(text[match.end() :], match.group("tag"))
    elif first == "[":
        match = _MAVEN.match(text)
        if match:
            return Line(text[match.end() :], "")
    if "|" in text[:60]:
        match = _DOCKER.match(text)
        if match:
            return Line(text[match.end() :], match.group("tag"))
    return Line(text, "")


def indent_of(text: str) -> int:
    return len(text) - len(text.lstrip())


def header(text: str) -> Header | None:
    """The exception a line starts with, or None."""
    head = text[:MAX_STRUCT_LEN] if len(text) > MAX_STRUCT_LEN else text
    match = _HEADER.match(head)
    if match is None:
        return None
    kind = match.group("kind")
    message = match.group("message") or ""
    if head is not text and match.group("message") is not None:
        message = text[match.start("message") :]  # the rest of a long message was cut off above
    return Header(
        error_type=match.group("type"),
        message=message.rstrip(),
        kind=kind,
        indent=len(match.group("indent").expandtabs(8)),
        thread=match.group("thread"),
        explicit=kind is not None or match.group("thread") is not None,
    )


def embedded_header(text: str) -> Header | None:
    """A throwable named after a log prefix; only trusted when a frame follows the line."""
    head = text[:MAX_STRUCT_LEN]
    for match in _EMBEDDED.finditer(head):
        return Header(match.group("type"), (match.group("message") or "").rstrip(), None, 0, None, False)
    return None


def trusted_alone(found: Header) -> bool:
    """Whether a header without any frame is still surely a JVM exception line."""
    return found.thread is not None or (
        _JVM_PACKAGE.match(found.error_type) is not None and found.error_type.endswith(("Exception", "Error"))
    )


def gradle_failure(text: str) -> tuple[Header, Frame] | None:
    """Gradle's ``java.lang.X at File.java:12`` summary line, as a header and its one frame."""
    if " at " not in text or len(text) > MAX_STRUCT_LEN:
        return None
    match = _GRADLE.match(text)
    if match is None:
        return None
    found = Header(
        match.group("type"), "", match.group("kind"), len(match.group("indent")), None, explicit=True
    )
    return found, Frame(match.group("file"), int(match.group("line")))


def is_more(text: str) -> int | None:
    """N for a ``... N more`` line."""
    if "..." not in text:
        return None
    match = _MORE.match(text)
    return int(match.group("count")) if match else None


def is_elision(text: str) -> bool:
    return len(text) < 200 and _ELISION.match(text) is not None


def is_foreign_frame(text: str) -> bool:
    """An ``at ...`` line that is not a JVM frame (V8, .NET): the end of a JVM block."""
    return _FOREIGN_FRAME.match(text) is not None


def android_crash(text: str) -> str | None:
    match = _ANDROID_CRASH.match(text)
    return match.group("thread") if match else None


def android_process(text: str) -> str | None:
    match = _ANDROID_PROCESS.match(text)
    return match.group("process") if match else None


def wrapped_frame_start(text: str) -> bool:
    return len(text) < MAX_STRUCT_LEN and _FRAME_START.match(text) is not None


@dataclass(frozen=True, slots=True)
class FrameLine:
    frame: Frame
    indent: int


def frame(text: str) -> FrameLine | None:
    """An ``at pkg.Class.method(File.java:12)`` line as a Frame.

    ``Frame.file`` is the source path derived from the package and the printed file
    name (``com/acme/app/Main.java``), which is where build tools keep it, under some
    source root; frames that name no file get ``<native>`` or ``<unknown>``.
    """
    if len(text) > MAX_STRUCT_LEN or "at" not in text[:64]:
        return None
    match = _FRAME.match(text)
    if match is None:
        return None
    location = _LOCATION.match(match.group("loc").strip())
    if location is None:
        return None
    where = _strip_module(match.group("where"))
    owner, _, _method = where.rpartition(".")
    if not owner:
        return None
    line: int | None = None
    if location.group("native"):
        path = "<native>"
    elif location.group("unknown"):
        path = "<unknown>"
    else:
        path = _derive_path(owner, location.group("file"))
        if location.group("line") is not None:
            line = int(location.group("line"))
            line = line if line > 0 else None
    return FrameLine(Frame(path, line, where), indent_of(text))


def _strip_module(where: str) -> str:
    """``java.base/java.util.X.m`` or ``app//com.acme.Y.m`` without the loader and module.

    Hidden classes print as ``Foo$$Lambda$14/0x0000000800c03000.run``: that slash is
    part of the class name.
    """
    if "/" not in where:
        return where
    parts = where.split("/")
    kept: list[str] = []
    for part in parts:
        if part.startswith("0x") and kept:
            kept[-1] = f"{kept[-1]}/{part}"
        else:
            kept.append(part)
    return kept[-1]


def _derive_path(owner: str, file_name: str) -> str:
    """The source path: the owner's package as folders, then the printed file name."""
    package, dot, _cls = owner.rpartition(".")
    if not dot or not package:
        return file_name
    return f"{package.replace('.', '/')}/{file_name}"
