"""The language plugin interface and its registry."""

from homeostasis.plugins.language import Language, PreciseFixer, Sources
from homeostasis.plugins.registry import Registry, load_registry

__all__ = ["Language", "PreciseFixer", "Registry", "Sources", "load_registry"]
