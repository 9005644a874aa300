"""Exception hierarchies for plugins: the walk itself is a model function (frameworks use it too)."""

from homeostasis.model.hierarchy import lineage

__all__ = ["lineage"]
