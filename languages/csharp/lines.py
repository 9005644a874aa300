""".NET error output one line at a time: exception headers, ``at`` frames, separators.

Pure functions of a line, so the block reader in ``reader.py`` stays a small state machine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from homeostasis.model import Frame

# Longer lines are only matched at their start (a huge log line must not be searched again
# for each candidate position).
MAX_STRUCT_LEN = 4000

# A .NET type: ``System.Collections.Generic.KeyNotFoundException``, ``Elmah.TestException``,
# or a short ``NullReferenceException`` (the ASP.NET Core developer page).
_TYPE = r"(?:[A-Za-z_][\w`]*\.)+[A-Za-z_][\w`]*|[A-Z]\w*Exception"
_HEADER = re.compile(
    r"^(?P<indent>\s*)"
    r"(?P<prefix>Unhandled [Ee]xception[.:]\s*|Exception Info:\s*|Error Message:\s*|Exception:\s*)?"
    rf"(?P<type>{_TYPE})"
    r"(?: \(0x[0-9A-Fa-f]+\))?"
    r"(?:(?P<colon>\s?:)(?:\s(?P<message>.*))?)?\s*$"
)
# ``at Ns.Type.Method(Type arg) in /path/File.cs:line 12``; the argument list is empty or
# holds typed parameters, never a JVM ``File.java:12``.
_FRAME = re.compile(
    r"^\s*at (?P<function>[^\s(]+)\((?P<args>[^()]*)\)"
    r"(?: in (?P<file>.+?):line (?P<line>\d+))?\s*$"
)
# The developer exception page of ASP.NET Core: ``Ns.Type.Method(args) in File.cs, line 50``.
_PAGE_FRAME = re.compile(
    r"^\s*(?P<function>[A-Za-z_<][\w.`<>$+|\[\],]*+)\((?P<args>[^()]*+)\)"
    r"(?: in (?P<file>[^,]+?)(?:, line |:line )(?P<line>\d+))?\s*$"
)
# A JVM frame's location, ``(Main.java:12)``: never a .NET argument list.
_JVM_ARGS = re.compile(
    r"^(?:[\w$.-]+\.(?:java|kt|kts|scala|groovy|clj)(?::\d+)?"
    r"|Native Method|Unknown Source(?::\d+)?|SourceFile(?::\d+)?)$"
)
_END_INNER = re.compile(r"^\s*--- End of inner exception stack trace ---\s*$")
_END_ASYNC = re.compile(
    r"^\s*--- (?:End of stack trace from previous location(?: where exception was thrown)?|"
    r"Exception rethrown at \[\d+\]:) ---?\s*$"
)
_SKIP = re.compile(r"^\s*(?:Stack ?Trace:|\[External Code\])\s*$")
_DIALOG = re.compile(
    r"^\s+(?:(?P<key>HResult|Message|Source|TargetSite)=(?P<value>.*)|(?P<stack>StackTrace):\s*)$"
)
_INNER_DIALOG = re.compile(r"^\s*Inner Exception \d+:\s*$")
# Namespaces whose exceptions are .NET's own: a header naming one needs no frame to be trusted.
_DOTNET_NAMESPACE = re.compile(r"^(?:System|Microsoft|Newtonsoft|Npgsql|MySql|Azure|Amazon)\.")


@dataclass(frozen=True, slots=True)
class Header:
    error_type: str
    message: str
    prefixed: bool  # "Unhandled exception." (or similar) says it is an exception line
    indent: int


def header(text: str) -> Header | None:
    head = text[:MAX_STRUCT_LEN]
    match = _HEADER.match(head)
    if match is None:
        return None
    error_type = match.group("type")
    if "." not in error_type and match.group("colon") is None:
        return None
    bare = not match.group("prefix") and match.group("colon") is None
    if bare and not error_type.endswith("Exception"):
        # A bare dotted name is only an exception line in the Visual Studio dialog shape.
        return None
    message = match.group("message") or ""
    if head is not text and match.group("message") is not None:
        message = text[match.start("message") :]
    return Header(error_type, message.rstrip(), bool(match.group("prefix")), len(match.group("indent")))


def trusted_alone(found: Header) -> bool:
    """A header without frames that is still surely a .NET exception line."""
    return found.prefixed or (
        _DOTNET_NAMESPACE.match(found.error_type) is not None and found.error_type.endswith("Exception")
    )


def frame(text: str) -> Frame | None:
    if len(text) > MAX_STRUCT_LEN or "at " not in text[:80]:
        return None
    match = _FRAME.match(text)
    if match is None or _JVM_ARGS.match(match.group("args").strip()):
        return None
    return _frame(match)


def page_frame(text: str) -> Frame | None:
    """A frame of the ASP.NET Core developer page (no ``at``)."""
    if len(text) > MAX_STRUCT_LEN or "(" not in text:
        return None
    match = _PAGE_FRAME.match(text)
    if match is None or "." not in match.group("function") or _JVM_ARGS.match(match.group("args").strip()):
        return None
    return _frame(match)


def _frame(match: re.Match[str]) -> Frame:
    file = match.group("file")
    line = int(match.group("line")) if match.group("line") else None
    return Frame(file.strip() if file else "<unknown>", line, match.group("function"))


def is_end_inner(text: str) -> bool:
    return "End of inner" in text and _END_INNER.match(text) is not None


def is_async_separator(text: str) -> bool:
    return text.lstrip().startswith("---") and _END_ASYNC.match(text) is not None


def is_skip(text: str) -> bool:
    return _SKIP.match(text) is not None


def dialog_field(text: str) -> tuple[str, str] | None:
    """``  Message=...`` lines of the Visual Studio "copy details" text."""
    match = _DIALOG.match(text)
    if match is None:
        return None
    if match.group("stack"):
        return "StackTrace", ""
    return match.group("key"), match.group("value").rstrip()


def is_inner_dialog(text: str) -> bool:
    return _INNER_DIALOG.match(text) is not None


def split_chain(text: str) -> list[tuple[str, str]]:
    """``Outer: msg ---> Inner: msg`` as (type, message) pairs, outermost first."""
    out: list[tuple[str, str]] = []
    for part in text.split(" ---> "):
        found = header(part.split("\n", 1)[0])
        rest = part.split("\n", 1)[1] if "\n" in part else ""
        if found is None:
            if out:  # " ---> " inside a message: keep it in the message
                error_type, message = out[-1]
                out[-1] = (error_type, f"{message} ---> {part}")
            continue
        message = found.message + (f"\n{rest}" if rest else "")
        out.append((found.error_type, message.rstrip()))
    return out
