"""TOML: grammar, Cargo manifest error reader, conventions, tomllib as the reference parser."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from homeostasis.languages.config import ConfigLanguage
from homeostasis.model import ErrorEvent, Origin, Pos, Span

if TYPE_CHECKING:
    from homeostasis.languages.config import ParseProblem


class TomlLanguage(ConfigLanguage):
    id = "toml"
    extensions = (".toml",)
    filenames = ("Cargo.lock", "poetry.lock", "uv.lock", "Pipfile")
    comment_prefix = "#"
    indent_unit = "  "
    grammar_module = "tree_sitter_toml"
    statement_types = frozenset({"pair", "table", "table_array_element"})
    # Pairs per table; tables themselves repeat legitimately after arrays of tables.
    mapping_entries = (
        ("document", "pair"),
        ("table", "pair"),
        ("table_array_element", "pair"),
        ("inline_table", "pair"),
    )

    def read_errors(self, text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
        # The reader, the exception hierarchy and the like are imported where they are used:
        # every start-up imports all the plugins, and a scan needs none of them.
        from homeostasis.languages.toml.reader import read_errors

        return read_errors(text, origin)

    def sniff_errors(self, text: str) -> bool:
        from homeostasis.languages.toml.reader import sniff

        return sniff(text)

    def exception_ancestors(self, error_type: str) -> tuple[str, ...]:
        from homeostasis.languages.toml import exceptions

        return exceptions.ancestors(error_type)

    def strict_problem(self, text: str, path: str) -> ParseProblem | None:
        import tomllib

        from homeostasis.languages.config import ParseProblem

        try:
            tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            message = str(exc)
            where = _at().search(message)
            if where is None:
                return None
            # tomllib counts lines from 1 and columns from 1.
            position = Pos(int(where.group("line")) - 1, max(int(where.group("column")) - 1, 0))
            return ParseProblem(Span(position, position), f"TOML: {message[: where.start()]}", "parser")
        except (ValueError, RecursionError):
            return None
        return None


@cache
def _at() -> re.Pattern[str]:
    # Where tomllib's message says the error is. Compiled on first use, not at import:
    # every start-up imports the plugins.
    return re.compile(r"\s*\(at line (?P<line>\d+), column (?P<column>\d+)\)$")
