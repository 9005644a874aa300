"""TypeScript error output read into ErrorEvents: compiler diagnostics, ts-node's TSError, and
runtime errors whose stack points into TypeScript files (ts-node, tsx, ``--enable-source-maps``).

* A compiler diagnostic is one event whose type is its code (``TS2322``), with one frame at
  the reported position: ``column`` 0-based, counted in the printed source line (stripped)
  when the pretty form printed it, with ``end_column`` from its squiggle; in the plain form
  (no source printed) the column is tsc's, counted from the start of the file's line.
* A ``TSError`` (ts-node refusing to run a file that does not compile) keeps its printed
  type and message; the diagnostics listed in the message are its ``chain`` (causes, the
  first one first), each with the frame of its position, so rules on ``TS2307`` place them.
* Runtime errors are read by the JavaScript reader; those whose project frames are in
  ``.ts``/``.tsx``/``.mts``/``.cts`` files are TypeScript's.
"""

from __future__ import annotations

from dataclasses import replace

from homeostasis.languages.javascript.lines import split_lines
from homeostasis.languages.javascript.reader import read_events
from homeostasis.languages.typescript.diagnostics import Diagnostic, read_diagnostics
from homeostasis.model import ChainedError, ChainRelation, ErrorEvent, Origin


def read_errors(text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
    """Every TypeScript error in ``text``, in the order they appear. Never raises."""
    try:
        return _read(text, origin)
    except Exception:  # odd input must never make reading fail
        return []


def _read(text: str, origin: Origin) -> list[ErrorEvent]:
    if not text or not text.strip():
        return []
    runtime = [_with_diagnostics(e) for e in read_events(text, origin) if e.language == "typescript"]
    covered = [(e.text_start, e.text_end) for e in runtime]
    lines = split_lines(text)
    compiled = [
        _event(d, origin)
        for d in read_diagnostics(lines)
        if not any(start <= d.start <= end for start, end in covered)
    ]
    return sorted([*runtime, *compiled], key=lambda e: (e.text_start, e.text_end))


def _event(diagnostic: Diagnostic, origin: Origin) -> ErrorEvent:
    return ErrorEvent(
        language="typescript",
        error_type=diagnostic.code,
        message=diagnostic.message,
        frames=(diagnostic.frame,) if diagnostic.frame is not None else (),
        origin=origin,
        text_start=diagnostic.start,
        text_end=diagnostic.end,
        notes=("TypeScript compiler diagnostic",),
    )


def _with_diagnostics(event: ErrorEvent) -> ErrorEvent:
    """A TSError with the diagnostics of its message as its causes."""
    if event.error_type != "TSError":
        return event
    found = read_diagnostics(event.message.split("\n"), in_message=True)
    if not found:
        return event
    chain = tuple(
        ChainedError(d.code, d.message, ChainRelation.CAUSE, (d.frame,) if d.frame is not None else ())
        for d in found
    )
    return replace(event, chain=chain + event.chain)
