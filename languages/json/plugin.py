"""JSON: grammar, npm's EJSONPARSE reader, json as the reference parser.

Two plugins share the grammar. ``JsonLanguage`` (id ``json``) is strict JSON, where
comments and trailing commas are errors (package.json, composer.json, lock files,
API payloads). ``JsoncLanguage`` (id ``jsonc``) is JSON with comments, as read by
TypeScript (tsconfig.json), VS Code (settings, launch, tasks, extensions), Dev
Containers, ESLint, Deno, Biome, Turbo and Renovate: there a comment is fine. Which
one a file gets is decided by its name (``filenames``/``filename_patterns``), so
``.vscode/settings.json`` is JSONC although it ends in ``.json``; until the registry
consults names, and while ``jsonc`` is not registered, such files are read as strict
JSON and the comment rule skips them by their content (see json.syntax.comment).
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from homeostasis.languages.config import ConfigLanguage
from homeostasis.model import ErrorEvent, Origin, Pos, Span

if TYPE_CHECKING:
    from homeostasis.languages.config import ParseProblem


class JsonLanguage(ConfigLanguage):
    id = "json"
    extensions = (".json",)
    filenames: tuple[str, ...] = (".babelrc", ".prettierrc", ".jshintrc")
    # JSON has no comments: suppression comments (`// homeostasis: ignore[...]`) are only
    # possible in JSONC files, where tree-sitter and the readers accept them.
    comment_prefix = "//"
    indent_unit = "  "
    grammar_module = "tree_sitter_json"
    statement_types = frozenset({"pair"})
    mapping_entries = (("object", "pair"),)
    comments_allowed = False

    def read_errors(self, text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
        # The reader, the exception hierarchy and the like are imported where they are used:
        # every start-up imports all the plugins, and a scan needs none of them.
        from homeostasis.languages.json.reader import read_errors

        return read_errors(text, origin)

    def sniff_errors(self, text: str) -> bool:
        from homeostasis.languages.json.reader import sniff

        return sniff(text)

    def exception_ancestors(self, error_type: str) -> tuple[str, ...]:
        from homeostasis.languages.json import exceptions

        return exceptions.ancestors(error_type)

    def strict_problem(self, text: str, path: str) -> ParseProblem | None:
        import json

        from homeostasis.languages.config import ParseProblem

        if self.comments_allowed or JsoncLanguage().claims_path(path):
            text = _without_comments(text)
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            position = Pos(exc.lineno - 1, max(exc.colno - 1, 0))
            return ParseProblem(Span(position, position), f"JSON: {exc.msg}", "parser")
        except (ValueError, RecursionError):
            return None
        return None


class JsoncLanguage(JsonLanguage):
    id = "jsonc"
    extensions = (".jsonc",)
    filenames = (
        "tsconfig.json",
        "jsconfig.json",
        "devcontainer.json",
        ".devcontainer.json",
        ".eslintrc.json",
        "deno.json",
        "biome.json",
        "turbo.json",
        "renovate.json",
        "language-configuration.json",
    )
    filename_patterns = (
        "tsconfig.*.json",
        "jsconfig.*.json",
        ".vscode/*.json",
        ".devcontainer/*.json",
        "*.code-workspace",
        "*.code-snippets",
    )
    comments_allowed = True


def _without_comments(text: str) -> str:
    """Comments blanked (to spaces, keeping positions); trailing commas stay errors."""

    def blank(match: re.Match[str]) -> str:
        token = match.group(0)
        if token.startswith('"'):
            return token
        return re.sub(r"[^\n]", " ", token)

    return _jsonc_noise().sub(blank, text)


@cache
def _jsonc_noise() -> re.Pattern[str]:
    # Line and block comments outside strings, for checking JSONC with the strict parser.
    # Compiled on first use, not at import: every start-up imports the plugins.
    return re.compile(r'"(?:\\.|[^"\\])*"|//[^\n]*|/\*.*?\*/', re.S)
