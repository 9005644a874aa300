"""Small pieces the configuration readers share: ANSI stripping, located events, hierarchies."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from homeostasis.model import ErrorEvent, Frame, Origin
from homeostasis.plugins.hierarchy import lineage

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text) if "\x1b" in text else text


def located_event(
    language: str,
    error_type: str,
    message: str,
    file: str,
    line: int | None,
    *,
    column: int | None = None,
    end_column: int | None = None,
    source: str | None = None,
    function: str | None = None,
    origin: Origin = Origin.PASTE,
    text_start: int = 0,
    text_end: int = 0,
    notes: tuple[str, ...] = (),
) -> ErrorEvent:
    """An event with a single frame: a configuration error points at one place in one file.

    ``column``/``end_column`` follow the engine's convention for printed source lines:
    0-based and counted in ``source`` with its indentation stripped.
    """
    frame = Frame(
        file=file,
        line=line,
        function=function,
        source=source,
        column=column,
        end_column=end_column,
    )
    return ErrorEvent(
        language=language,
        error_type=error_type,
        message=message,
        frames=(frame,),
        origin=origin,
        text_start=text_start,
        text_end=text_end,
        notes=notes,
    )


@dataclass(frozen=True)
class Hierarchy:
    """Error kinds of a tool as a tree (child -> parent), for `match.error` in rules."""

    parents: Mapping[str, str]

    def ancestors(self, error_type: str) -> tuple[str, ...]:
        return tuple(lineage(error_type.rsplit(".", 1)[-1], self.parents))
