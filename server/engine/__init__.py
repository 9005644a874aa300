"""The pure engine: documents, error events, rules and settings in; findings and fixes out."""

from homeostasis.engine.engine import Engine

__all__ = ["Engine"]
