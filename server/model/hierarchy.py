"""Exception hierarchies as data: every language plugin walks its parent table the same way."""

from __future__ import annotations

from collections.abc import Mapping


def lineage(name: str, parents: Mapping[str, str]) -> list[str]:
    """``name`` and its ancestors in ``parents`` (child -> parent), most specific first.

    Stops at the root or at a cycle, so a mistake in a table can never hang a lookup.
    """
    chain = [name]
    seen = {name}
    while (parent := parents.get(chain[-1])) is not None and parent not in seen:
        chain.append(parent)
        seen.add(parent)
    return chain
