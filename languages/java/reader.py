"""Java error output: the JVM traces whose innermost application frame is a ``.java`` file."""

from __future__ import annotations

from homeostasis.languages.jvm.reader import read_jvm_errors
from homeostasis.model import ErrorEvent, Origin


def read_errors(text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
    # Kotlin's plugin takes the traces of Kotlin code, so one trace is never read twice.
    return [event for event in read_jvm_errors(text, origin) if event.language == "java"]
