"""The Java language plugin."""

from homeostasis.languages.java.plugin import JavaLanguage

__all__ = ["JavaLanguage"]
