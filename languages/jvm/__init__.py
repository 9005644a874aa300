"""Shared reading of JVM stack traces, used by the Java and Kotlin plugins (not a plugin).

The reader (``homeostasis.languages.jvm.reader``) is imported by whoever reads errors, not
here: a scan that only loads the plugins should not compile its patterns.
"""

from homeostasis.languages.jvm.paths import LIBRARY_PREFIXES, is_library_path

__all__ = ["LIBRARY_PREFIXES", "is_library_path"]
