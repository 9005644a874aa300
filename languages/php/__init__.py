"""The PHP language plugin."""

from homeostasis.languages.php.plugin import PhpLanguage

__all__ = ["PhpLanguage"]
