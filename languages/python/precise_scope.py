"""Scope-aware operations: names visible at a position, renaming a name, adding an import."""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence

import libcst as cst
from homeostasis.languages.python.precise_support import (
    is_dotted,
    is_identifier,
    param,
    parse,
    positions,
    rank,
    replace_node,
    to_span,
)
from homeostasis.model import Document, Pos, Span
from libcst.metadata import (
    Assignment,
    BuiltinAssignment,
    ClassScope,
    CodeRange,
    GlobalScope,
    MetadataWrapper,
    Scope,
    ScopeProvider,
)

BUILTIN_NAMES = frozenset(name for name in dir(builtins) if not name.startswith("_")) | frozenset(
    {"__name__", "__file__", "__doc__", "__builtins__", "__spec__", "__package__", "__loader__"}
)


def _scopes(wrapper: MetadataWrapper) -> set[Scope]:
    return {scope for scope in wrapper.resolve(ScopeProvider).values() if scope is not None}


def _scope_region(scope: Scope, ranges: Mapping[cst.CSTNode, CodeRange]) -> Span | None:
    """Where code runs in ``scope``: the body of a def or class, the whole of a lambda."""
    node = getattr(scope, "node", None)
    if isinstance(node, cst.FunctionDef):
        start = ranges.get(node.params) or ranges.get(node.body)
        body = ranges.get(node.body)
        return None if start is None or body is None else Span(to_span(start).start, to_span(body).end)
    if isinstance(node, cst.ClassDef):
        body = ranges.get(node.body)
        return None if body is None else to_span(body)
    if isinstance(node, cst.CSTNode):
        whole = ranges.get(node)
        return None if whole is None else to_span(whole)
    return None


def scope_at(wrapper: MetadataWrapper, pos: Pos) -> Scope | None:
    """The innermost scope whose code contains ``pos``; the module's when no other does."""
    ranges = positions(wrapper)
    best: tuple[Span, Scope] | None = None
    module_scope: Scope | None = None
    for scope in _scopes(wrapper):
        if isinstance(scope, GlobalScope):
            module_scope = scope
            continue
        region = _scope_region(scope, ranges)
        if region is None or not (region.start <= pos <= region.end):
            continue
        if best is None or best[0].contains(region):
            best = (region, scope)
    return best[1] if best is not None else module_scope


def visible_names(scope: Scope) -> frozenset[str]:
    """Names bound in ``scope`` and the scopes it can see, plus the builtins.

    Class bodies are invisible from the functions nested in them, as in Python.
    """
    names: set[str] = set()
    current: Scope | None = scope
    while current is not None and current is not current.parent:
        if current is scope or not isinstance(current, ClassScope):
            names.update(a.name for a in current.assignments if is_identifier(a.name))
        if isinstance(current, GlobalScope):
            break
        current = current.parent
    return frozenset(names) | BUILTIN_NAMES


def defined_names_at(document: Document, pos: Pos) -> frozenset[str]:
    wrapper = parse(document)
    if wrapper is None:
        return BUILTIN_NAMES
    scope = scope_at(wrapper, pos)
    return BUILTIN_NAMES if scope is None else visible_names(scope)


def _defined_before(
    assignment: Assignment, access_scope: Scope, at: Pos, ranges: Mapping[cst.CSTNode, CodeRange]
) -> bool:
    """Whether ``assignment`` can have run when code at ``at`` in ``access_scope`` runs.

    A binding in an enclosing scope counts wherever it is (functions usually run after
    the module finished loading); one in the same scope must come first.
    """
    if assignment.scope is not access_scope:
        return True
    where = ranges.get(assignment.node)
    return where is None or to_span(where).start < at


def is_bound_at(wrapper: MetadataWrapper, scope: Scope, name: str, at: Pos) -> bool:
    ranges = positions(wrapper)
    for assignment in scope[name]:
        if isinstance(assignment, BuiltinAssignment):
            return True
        if isinstance(assignment, Assignment) and _defined_before(assignment, scope, at, ranges):
            return True
    return False


def rename_name(wrapper: MetadataWrapper, span: Span, params: Mapping[str, str]) -> str | None:
    old, new = param(params, "old"), param(params, "new")
    if not is_identifier(old) or not is_identifier(new) or old == new:
        return None
    scope_map = wrapper.resolve(ScopeProvider)
    ranges = positions(wrapper)
    candidates: list[tuple[cst.Name, Span]] = []
    access_scopes: dict[cst.Name, Scope] = {}
    for scope in {s for s in scope_map.values() if s is not None}:
        for access in scope.accesses:
            node = access.node
            if isinstance(node, cst.Name) and node.value == old and node in ranges:
                candidates.append((node, to_span(ranges[node])))
                access_scopes[node] = access.scope
    for node in rank(candidates, span):
        scope = access_scopes[node]
        # Renaming to a name that is not bound here would trade one NameError for another.
        if not is_bound_at(wrapper, scope, new, to_span(ranges[node]).start):
            return None
        return replace_node(wrapper, node, node.with_changes(value=new))
    return None


def _is_docstring(statement: cst.BaseStatement) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    expr = statement.body[0]
    return isinstance(expr, cst.Expr) and isinstance(expr.value, (cst.SimpleString, cst.ConcatenatedString))


def _is_import(statement: cst.BaseStatement, future_only: bool = False) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine) or not statement.body:
        return False
    for small in statement.body:
        if future_only:
            if not (isinstance(small, cst.ImportFrom) and _module_text(small) == "__future__"):
                return False
        elif not isinstance(small, (cst.Import, cst.ImportFrom)):
            return False
    return True


def _module_text(node: cst.ImportFrom) -> str:
    module = node.module
    if module is None:
        return ""
    return cst.Module([]).code_for_node(module)


def _import_statement(module: str, name: str, alias: str) -> cst.SimpleStatementLine | None:
    suffix = f" as {alias}" if alias else ""
    text = f"from {module} import {name}{suffix}" if name else f"import {module}{suffix}"
    try:
        statement = cst.parse_statement(text + "\n")
    except cst.ParserSyntaxError:
        return None
    return statement if isinstance(statement, cst.SimpleStatementLine) else None


def _insertion_index(body: Sequence[cst.BaseStatement], future: bool) -> tuple[int, bool]:
    """Where the import goes, and whether it lands right after another import."""
    index = 1 if body and _is_docstring(body[0]) else 0
    after_import = False
    while index < len(body) and _is_import(body[index], future_only=future):
        index += 1
        after_import = True
    return index, after_import


def add_import(wrapper: MetadataWrapper, params: Mapping[str, str]) -> str | None:
    module_name, name, alias = param(params, "module"), param(params, "name"), param(params, "alias")
    relative = module_name.lstrip(".")
    if not (is_dotted(relative) or (name and module_name and not relative)):
        return None
    if (name and not is_identifier(name)) or (alias and not is_identifier(alias)):
        return None
    if not name and module_name != relative:
        return None  # "import .x" is not Python
    bound = alias or name or module_name
    global_scope = wrapper.resolve(ScopeProvider).get(wrapper.module)
    if not isinstance(global_scope, GlobalScope):
        return None
    # Only module-level bindings count: a builtin of that name is what the import should shadow.
    if global_scope.assignments[bound]:
        return None
    statement = _import_statement(module_name, name, alias)
    if statement is None:
        return None
    module = wrapper.module
    body = module.body
    index, after_import = _insertion_index(body, future=module_name == "__future__")
    blank = cst.EmptyLine(indent=False)
    if not after_import and index > 0:
        statement = statement.with_changes(leading_lines=(blank,))
    new_body = [*body[:index], statement]
    rest = list(body[index:])
    if rest and not after_import and not rest[0].leading_lines and not _is_import(rest[0]):
        # A new import block is set apart from the code that follows it.
        rest[0] = rest[0].with_changes(leading_lines=(blank,))
    return module.with_changes(body=[*new_body, *rest]).code
