"""The Python precise fixer: syntax- and scope-aware edits computed with libcst.

libcst takes a noticeable time to import, so nothing here imports it (or the
``precise_*`` helpers that do) until an operation actually runs; CLI start-up
stays fast.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from homeostasis.model import Document, FileEdit, Pos, Span
from homeostasis.plugins.language import Sources

# operation -> the params it reads (the optional ones are marked "?").
OPERATIONS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "add_import": ("module", "name?", "alias?"),
        "rename_name": ("old", "new"),
        "rename_attribute": ("old", "new"),
        "remove_keyword_argument": ("keyword", "function?"),
        "rename_keyword_argument": ("keyword", "new", "function?"),
        "add_parameter_to_definition": ("function", "parameter", "default?"),
        "add_default_to_parameter": ("function", "parameter", "default?"),
        "add_missing_argument": ("function", "parameter", "default?"),
    }
)

_OPERATION_NAMES = frozenset(OPERATIONS)


class PythonPreciseFixer:
    """Implements :class:`homeostasis.plugins.language.PreciseFixer` for Python."""

    def operations(self) -> frozenset[str]:
        return _OPERATION_NAMES

    def fix(
        self,
        operation: str,
        params: Mapping[str, str],
        document: Document,
        span: Span,
        sources: Sources,
    ) -> tuple[FileEdit, ...] | None:
        if operation not in _OPERATION_NAMES:
            return None
        try:
            return _run(operation, params, document, span, sources)
        except Exception:  # the protocol promises None, never an exception, on code we cannot handle
            return None


def _run(
    operation: str, params: Mapping[str, str], document: Document, span: Span, sources: Sources
) -> tuple[FileEdit, ...] | None:
    from homeostasis.languages.python import precise_calls, precise_defs, precise_scope
    from homeostasis.languages.python.precise_support import minimal_edit, param, parse

    if operation in ("add_parameter_to_definition", "add_default_to_parameter"):
        found = precise_defs.locate(document, span, param(params, "function"), sources)
        if found is None:
            return None
        if operation == "add_parameter_to_definition":
            edit = precise_defs.add_parameter_to_definition(found, params)
        else:
            edit = precise_defs.add_default_to_parameter(found, params)
        return None if edit is None else (edit,)

    wrapper = parse(document)
    if wrapper is None:
        return None
    if operation == "add_import":
        code = precise_scope.add_import(wrapper, params)
    elif operation == "rename_name":
        code = precise_scope.rename_name(wrapper, span, params)
    elif operation == "rename_attribute":
        code = precise_calls.rename_attribute(wrapper, span, params)
    elif operation == "remove_keyword_argument":
        code = precise_calls.remove_keyword_argument(wrapper, span, params)
    elif operation == "rename_keyword_argument":
        code = precise_calls.rename_keyword_argument(wrapper, span, params)
    else:
        code = precise_calls.add_missing_argument(wrapper, span, params)
    if code is None:
        return None
    edit = minimal_edit(document, code)
    return None if edit is None else (edit,)


def find_definition(
    document: Document, span: Span, function_name: str, sources: Sources
) -> tuple[Document, Span] | None:
    """The ``def`` that the call at ``span`` to ``function_name`` runs: its file and range.

    Looks in ``document`` first, then follows its imports to workspace files read
    through ``sources``. None when the definition is not in the workspace.
    """
    try:
        from homeostasis.languages.python.precise_defs import find_definition as find

        return find(document, span, function_name, sources)
    except Exception:  # broken code or an odd workspace: no definition, not a crash
        return None


def defined_names_at(document: Document, pos: Pos) -> frozenset[str]:
    """Names visible at ``pos`` (enclosing scopes and builtins), for did-you-mean."""
    try:
        from homeostasis.languages.python.precise_scope import defined_names_at as names

        return names(document, pos)
    except Exception:
        import builtins

        return frozenset(dir(builtins))
