"""The JSON language plugin (strict JSON; JSON-with-comments files are recognised by name)."""

from homeostasis.languages.json.plugin import JsoncLanguage, JsonLanguage

__all__ = ["JsonLanguage", "JsoncLanguage"]
