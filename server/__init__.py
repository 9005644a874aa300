"""Homeostasis: from runtime errors and risky patterns to diagnostics and fixes."""

__version__ = "0.1.0"
