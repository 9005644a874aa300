"""Python: grammar, traceback reader, conventions and the libcst precise fixer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from homeostasis.model import Document, ErrorEvent, Origin
from homeostasis.plugins.language import Language, PreciseFixer

if TYPE_CHECKING:
    import tree_sitter


class PythonLanguage(Language):
    id = "python"
    extensions = (".py", ".pyi", ".pyw")
    comment_prefix = "#"
    indent_unit = "    "
    library_markers = (
        "/site-packages/",
        "/dist-packages/",
        "/lib/python",
        "/lib64/python",
        "/Lib/",
        "<frozen ",
        "<string>",
        "/.venv/",
        "/venv/",
        "/.tox/",
        "/_pytest/",
        "/pluggy/",
    )

    def grammar(self) -> tree_sitter.Language:
        import tree_sitter
        import tree_sitter_python

        return tree_sitter.Language(tree_sitter_python.language())

    def read_errors(self, text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
        # The reader, the exception hierarchy and the like are imported where they are used:
        # every start-up imports all the plugins, and a scan needs none of them.
        from homeostasis.languages.python.reader import read_errors

        return read_errors(text, origin)

    def sniff_errors(self, text: str) -> bool:
        # Cheap substring checks; the reader itself decides what is really a Python error.
        return any(marker in text for marker in _SNIFF)

    def exception_ancestors(self, error_type: str) -> tuple[str, ...]:
        from homeostasis.languages.python import exceptions

        return exceptions.ancestors(error_type)

    def is_statement(self, node_type: str) -> bool:
        return node_type.endswith("statement") or node_type in _COMPOUND

    def is_library_path(self, path: str) -> bool:
        normalized = path.replace("\\", "/")
        if normalized.startswith("<") and normalized.endswith(">"):
            return True  # <stdin>, <string>, <frozen ...>: nothing to open
        return any(marker in normalized for marker in self.library_markers)

    def enrich(
        self, error_type: str, captures: Mapping[str, str], document: Document | None
    ) -> dict[str, str]:
        from homeostasis.languages.python import knowledge

        return knowledge.enrich(error_type, captures, document)

    def syntax_problem(self, text: str, path: str, focus: tuple[int, int] | None = None) -> str | None:
        import warnings

        # Compiling only the changed top-level statements is as strict (every compile-time check
        # is local to a top-level statement) except for ``from __future__``, which must lead the file.
        if focus is not None and not _has_future_import(text):
            first, last = focus
            lines = text.split("\n", last + 1)[first : last + 1]
            text = "\n" * first + "\n".join(lines)  # the same line numbers in messages
        try:
            # compile(), not ast.parse: the compiler also rejects repeated keywords and misplaced await.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # SyntaxWarnings about the user's code are not ours to print
                compile(text, path, "exec", dont_inherit=True)
        except SyntaxError as exc:  # IndentationError included
            return f"{exc.msg} (line {exc.lineno})"
        except (ValueError, RecursionError) as exc:  # NUL bytes, absurd nesting
            return str(exc)
        return None

    def imported_modules(self, document: Document) -> frozenset[str]:
        from homeostasis.languages.python.imports import imported_modules

        return imported_modules(document.text)

    def uses_framework(self, document: Document, framework: str) -> bool:
        prefix = framework + "."
        return any(m == framework or m.startswith(prefix) for m in self.imported_modules(document))

    def precise_fixer(self) -> PreciseFixer | None:
        from homeostasis.languages.python.precise import PythonPreciseFixer

        return PythonPreciseFixer()


_SNIFF = (
    "Traceback",
    'File "',
    "Error",
    "Exception",
    "Warning",
    "Interrupt",
    "Exit",
    "StopIteration",
    "FAILED ",
    "assert ",
    "FAILED: ",  # Alembic's command line
    "[alembic.util.messaging]",
    "Forbidden (",  # Django's CSRF log line
)

_COMPOUND = frozenset(
    {
        "function_definition",
        "class_definition",
        "decorated_definition",
        "if_statement",
        "for_statement",
        "while_statement",
        "try_statement",
        "with_statement",
        "match_statement",
    }
)


def _has_future_import(text: str) -> bool:
    at = text.find("__future__")
    while at != -1:
        line = text[text.rfind("\n", 0, at) + 1 : at].strip()
        if line == "from":
            return True
        at = text.find("__future__", at + 10)
    return False
