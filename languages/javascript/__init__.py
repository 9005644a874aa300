"""The JavaScript language plugin (Node, browsers; also the base of the TypeScript plugin)."""

from homeostasis.languages.javascript.plugin import JavaScriptLanguage

__all__ = ["JavaScriptLanguage"]
