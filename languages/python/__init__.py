"""The Python language plugin."""

from homeostasis.languages.python.plugin import PythonLanguage

__all__ = ["PythonLanguage"]
