"""The C# language plugin."""

from homeostasis.languages.csharp.plugin import CSharpLanguage

__all__ = ["CSharpLanguage"]
