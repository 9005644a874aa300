"""The TOML language plugin."""

from homeostasis.languages.toml.plugin import TomlLanguage

__all__ = ["TomlLanguage"]
