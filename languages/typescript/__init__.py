"""The TypeScript language plugin (tsc diagnostics, ts-node/tsx runs, source-mapped Node stacks)."""

from homeostasis.languages.typescript.plugin import TypeScriptLanguage

__all__ = ["TypeScriptLanguage"]
