"""Kotlin error output: the JVM traces whose innermost application frame is a ``.kt`` file
(Android logcat crashes, Crashlytics reports, coroutine traces included)."""

from __future__ import annotations

from homeostasis.languages.jvm.reader import read_jvm_errors
from homeostasis.model import ErrorEvent, Origin


def read_errors(text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
    # Java's plugin takes the traces of Java code, so one trace is never read twice.
    return [event for event in read_jvm_errors(text, origin) if event.language == "kotlin"]
