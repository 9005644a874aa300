"""Python traceback reader (being written)."""

from __future__ import annotations

from homeostasis.model import ErrorEvent, Origin


def read_errors(text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
    return []
