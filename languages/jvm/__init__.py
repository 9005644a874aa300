"""Shared reading of JVM stack traces, used by the Java and Kotlin plugins (not a plugin)."""

from homeostasis.languages.jvm.paths import LIBRARY_PREFIXES, is_library_path
from homeostasis.languages.jvm.reader import read_jvm_errors, sniff

__all__ = ["LIBRARY_PREFIXES", "is_library_path", "read_jvm_errors", "sniff"]
