"""The Ruby language plugin."""

from homeostasis.languages.ruby.plugin import RubyLanguage

__all__ = ["RubyLanguage"]
