"""Java's exception hierarchy: the JVM one shared with Kotlin (``languages/jvm``)."""

from __future__ import annotations

from homeostasis.languages.jvm.exceptions import PARENT, ancestors, short_name

__all__ = ["PARENT", "ancestors", "short_name"]
