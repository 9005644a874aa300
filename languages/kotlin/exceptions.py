"""Kotlin's exception hierarchy: the JVM one (``languages/jvm``), which has the Kotlin
stdlib and coroutine exceptions (``UninitializedPropertyAccessException``,
``NotImplementedError``, ``TimeoutCancellationException``...) next to the JDK's."""

from __future__ import annotations

from homeostasis.languages.jvm.exceptions import PARENT, ancestors, short_name

__all__ = ["PARENT", "ancestors", "short_name"]
