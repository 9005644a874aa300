"""C#: grammar, .NET exception reader and conventions."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from homeostasis.model import Document, ErrorEvent, Origin
from homeostasis.plugins.language import Language

if TYPE_CHECKING:
    import tree_sitter


class CSharpLanguage(Language):
    id = "csharp"
    extensions = (".cs",)
    comment_prefix = "//"
    indent_unit = "    "
    library_markers = (
        "/.nuget/packages/",
        "/usr/share/dotnet/",
        "/usr/lib/dotnet/",
        "/dotnet/shared/",
        "/Microsoft.NET/Framework",
        "/Reference Assemblies/",
    )

    def grammar(self) -> tree_sitter.Language:
        import tree_sitter
        import tree_sitter_c_sharp

        return tree_sitter.Language(tree_sitter_c_sharp.language())

    def read_errors(self, text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
        # The reader, the exception hierarchy and the like are imported where they are used:
        # every start-up imports all the plugins, and a scan needs none of them.
        from homeostasis.languages.csharp.reader import read_errors

        return read_errors(text, origin)

    def sniff_errors(self, text: str) -> bool:
        from homeostasis.languages.csharp.reader import sniff

        return sniff(text)

    def exception_ancestors(self, error_type: str) -> tuple[str, ...]:
        from homeostasis.languages.csharp import exceptions

        return exceptions.ancestors(error_type)

    def is_statement(self, node_type: str) -> bool:
        return node_type.endswith("statement") and node_type != "local_function_statement"

    def is_library_path(self, path: str) -> bool:
        normalized = path.replace("\\", "/")
        if normalized.startswith("<"):
            return True  # <unknown>: a frame printed without a file
        return any(marker in normalized for marker in self.library_markers)

    def enrich(
        self, error_type: str, captures: Mapping[str, str], document: Document | None
    ) -> dict[str, str]:
        from homeostasis.languages.csharp import exceptions

        # Only the collection-modified fix asks whether `.ToList()` compiles in this file.
        if document is None or exceptions.short_name(error_type) != "InvalidOperationException":
            return {}
        return {"linq": "yes" if _uses_linq(document.text) else ""}

    def uses_framework(self, document: Document, framework: str) -> bool:
        return (
            re.search(rf"^\s*(?:global\s+)?using\s+{re.escape(framework)}\b", document.text, re.M) is not None
        )


def _uses_linq(text: str) -> bool:
    """Whether `.ToList()` compiles here: an explicit `using System.Linq;`, or no using
    directives at all (SDK-style projects with implicit usings)."""
    head = text[:20000]
    return "using System.Linq;" in head or re.search(r"^\s*using\s+[\w.]+\s*;", head, re.M) is None
