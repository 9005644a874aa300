"""Signature analysis: the definition a call reaches, possibly in another file, and edits to it."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import libcst as cst
from homeostasis.languages.python.precise_support import (
    callee_targets,
    dotted_name,
    insert_item,
    is_identifier,
    minimal_edit,
    param,
    parse,
    parse_expression,
    positions,
    ranked_calls,
    tight_equal,
    to_span,
)
from homeostasis.model import Document, FileEdit, Span
from homeostasis.plugins.language import Sources
from libcst.metadata import MetadataWrapper

# Re-exports chain through __init__ files; a few hops cover real projects and stop cycles.
_MAX_HOPS = 4
_CONSTRUCTORS = frozenset({"__init__", "__new__"})


@dataclass(frozen=True)
class Found:
    document: Document
    wrapper: MetadataWrapper
    node: cst.FunctionDef
    span: Span


@dataclass(frozen=True)
class _Import:
    """One binding made by an import: ``bound`` is the dotted prefix it makes usable."""

    bound: tuple[str, ...]
    level: int
    module: str
    name: str | None  # the imported name for ``from module import name``; None for ``import``


class _Files:
    """The files one lookup has parsed, so each is read and parsed at most once."""

    def __init__(self, sources: Sources, origin: Document) -> None:
        self._sources = sources
        self._parsed: dict[str, MetadataWrapper | None] = {}
        self.origin = origin

    def parsed(self, document: Document) -> MetadataWrapper | None:
        if document.path not in self._parsed:
            self._parsed[document.path] = parse(document)
        return self._parsed[document.path]

    def load(self, path: str) -> Document | None:
        if path == self.origin.path:
            return self.origin
        try:
            return self._sources.get(path)
        except Exception:  # a front end's reader failing means "not in the workspace"
            return None


def _split_function(function: str) -> list[str]:
    return [part for part in function.strip().removesuffix("()").split(".") if part]


def _ancestors(directory: str) -> Iterator[str]:
    yield directory
    while directory not in ("", "/") and posixpath.dirname(directory) != directory:
        directory = posixpath.dirname(directory)
        yield directory


def module_paths(from_path: str, level: int, module: str) -> list[str]:
    """Candidate files for ``module`` imported from ``from_path`` (``level`` leading dots)."""
    parts = module.split(".") if module else []
    directory = posixpath.dirname(from_path)
    if level > 0:
        for _ in range(level - 1):
            directory = posixpath.dirname(directory)
        bases = [directory]
    else:
        bases = list(_ancestors(directory))
    out: list[str] = []
    for base in bases:
        if parts:
            out.append(posixpath.join(base, *parts) + ".py")
            out.append(posixpath.join(base, *parts, "__init__.py"))
        else:
            out.append(posixpath.join(base, "__init__.py"))
    return list(dict.fromkeys(out))


def _imports(wrapper: MetadataWrapper) -> list[_Import]:
    out: list[_Import] = []
    empty = cst.Module([])
    for node in positions(wrapper):
        if isinstance(node, cst.Import):
            for alias in node.names:
                module = empty.code_for_node(alias.name)
                asname = alias.asname.name if alias.asname else None
                if isinstance(asname, cst.Name):
                    out.append(_Import((asname.value,), 0, module, None))
                else:
                    out.append(_Import(tuple(module.split(".")), 0, module, None))
        elif isinstance(node, cst.ImportFrom):
            module = empty.code_for_node(node.module) if node.module is not None else ""
            level = len(node.relative)
            if isinstance(node.names, cst.ImportStar):
                out.append(_Import((), level, module, "*"))
                continue
            for alias in node.names:
                name = empty.code_for_node(alias.name)
                asname = alias.asname.name if alias.asname else None
                bound = asname.value if isinstance(asname, cst.Name) else name
                out.append(_Import((bound,), level, module, name))
    return out


def _import_for(wrapper: MetadataWrapper, dotted: tuple[str, ...]) -> tuple[_Import, tuple[str, ...]] | None:
    """The import that binds the head of ``dotted``, and the names after what it binds."""
    best: tuple[_Import, tuple[str, ...]] | None = None
    for record in _imports(wrapper):
        size = len(record.bound)
        if size and dotted[:size] == record.bound and (best is None or size > len(best[0].bound)):
            best = (record, dotted[size:])
    return best


def _top_level_class(wrapper: MetadataWrapper, name: str) -> cst.ClassDef | None:
    for statement in wrapper.module.body:
        if isinstance(statement, cst.ClassDef) and statement.name.value == name:
            return statement
    return None


def _method(cls: cst.ClassDef, name: str) -> cst.FunctionDef | None:
    if isinstance(cls.body, cst.IndentedBlock):
        for statement in cls.body.body:
            if isinstance(statement, cst.FunctionDef) and statement.name.value == name:
                return statement
    return None


def _top_level_def(wrapper: MetadataWrapper, name: str) -> cst.FunctionDef | None:
    found = None
    for statement in wrapper.module.body:
        # The last definition wins at run time, as in Python.
        if isinstance(statement, cst.FunctionDef) and statement.name.value == name:
            found = statement
    return found


def _classes(wrapper: MetadataWrapper) -> list[tuple[cst.ClassDef, Span]]:
    ranges = positions(wrapper)
    return [(node, to_span(rng)) for node, rng in ranges.items() if isinstance(node, cst.ClassDef)]


def _local_def(
    wrapper: MetadataWrapper, parts: Sequence[str], callee: tuple[str, ...] | None, span: Span
) -> cst.FunctionDef | None:
    last, qualifier = parts[-1], parts[:-1]
    if qualifier and (cls := _top_level_class(wrapper, qualifier[-1])) is not None:
        return _method(cls, last)
    if last in _CONSTRUCTORS and callee and (cls := _top_level_class(wrapper, callee[-1])) is not None:
        return _method(cls, last)
    top = _top_level_def(wrapper, last)
    if callee is not None and len(callee) == 1:
        return top  # a plain call reaches a module-level function, never a method
    if callee is None and top is not None:
        return top
    classes = _classes(wrapper)
    enclosing = sorted((c for c in classes if c[1].contains(span)), key=lambda c: c[1].start, reverse=True)
    # obj.method(): the enclosing class is the best guess for self, then any class in the file.
    for cls, _ in [*enclosing, *sorted(classes, key=lambda c: c[1].start)]:
        if (method := _method(cls, last)) is not None:
            return method
    return top


def _in_module(
    files: _Files, document: Document, names: tuple[str, ...], last: str, hops: int
) -> Found | None:
    """The definition ``names`` (a def, Class or Class.method) denotes inside ``document``."""
    wrapper = files.parsed(document)
    if wrapper is None or not names or len(names) > 2:
        return None
    node: cst.FunctionDef | None = None
    cls = _top_level_class(wrapper, names[0])
    if len(names) == 2:
        node = _method(cls, names[1]) if cls is not None else None
    elif cls is not None:
        node = _method(cls, last) if last in _CONSTRUCTORS else None
    else:
        node = _top_level_def(wrapper, names[0])
    if node is not None:
        return _found(document, wrapper, node)
    # Not defined here: maybe re-exported (``from .impl import greet`` in an __init__.py).
    return _through_import(files, document, wrapper, names, last, hops + 1)


def _through_import(
    files: _Files, document: Document, wrapper: MetadataWrapper, dotted: tuple[str, ...], last: str, hops: int
) -> Found | None:
    if hops > _MAX_HOPS:
        return None
    match = _import_for(wrapper, dotted)
    if match is None:
        return _through_star(files, document, wrapper, dotted, last, hops)
    record, rest = match
    attempts: list[tuple[str, tuple[str, ...]]] = []
    if record.name is None:
        attempts.append((record.module, rest))
    else:
        # ``from pkg import mod`` may name a submodule, else a name defined in pkg.
        sub = f"{record.module}.{record.name}" if record.module else record.name
        if rest:
            attempts.append((sub, rest))
        attempts.append((record.module, (record.name, *rest)))
    for module, names in attempts:
        target = _module_document(files, document.path, record.level, module)
        if target is not None and (found := _in_module(files, target, names, last, hops)) is not None:
            return found
    return None


def _through_star(
    files: _Files, document: Document, wrapper: MetadataWrapper, dotted: tuple[str, ...], last: str, hops: int
) -> Found | None:
    for record in _imports(wrapper):
        if record.name == "*":
            target = _module_document(files, document.path, record.level, record.module)
            if target is not None and (found := _in_module(files, target, dotted, last, hops + 1)):
                return found
    return None


def _module_document(files: _Files, from_path: str, level: int, module: str) -> Document | None:
    for path in module_paths(from_path, level, module):
        if (document := files.load(path)) is not None:
            return document
    return None


def _found(document: Document, wrapper: MetadataWrapper, node: cst.FunctionDef) -> Found | None:
    rng = positions(wrapper).get(node)
    return None if rng is None else Found(document, wrapper, node, to_span(rng))


def _callee_at(wrapper: MetadataWrapper, span: Span, function: str) -> tuple[str, ...] | None:
    """The dotted callee of the call at ``span`` that reaches ``function``, if one does.

    A call matches by its last name, or through an import alias of the function's name.
    """
    targets = callee_targets(function)
    for call in ranked_calls(wrapper, span, function):
        name = dotted_name(call.func)
        if name is None:
            continue
        if not targets or name[-1] in targets:
            return name
        match = _import_for(wrapper, name)
        if match is not None and not match[1] and match[0].name in targets:
            return name
    return None


def locate(document: Document, span: Span, function: str, sources: Sources) -> Found | None:
    files = _Files(sources, document)
    wrapper = files.parsed(document)
    if wrapper is None:
        return None
    parts = _split_function(function)
    callee = _callee_at(wrapper, span, function)
    if not parts and callee is not None:
        parts = [callee[-1]]
    if not parts or not all(is_identifier(p) for p in parts):
        return None
    last = parts[-1]
    if callee is not None and callee[0] not in ("self", "cls") and _import_for(wrapper, callee):
        # The callee comes from an import: local namesakes are not what runs.
        return _through_import(files, document, wrapper, callee, last, 0)
    node = _local_def(wrapper, parts, callee, span)
    if node is not None:
        return _found(document, wrapper, node)
    # Only the error message's name is left: ``Class.method``, ``Class.__init__`` or ``function``.
    if len(parts) > 1 and last in _CONSTRUCTORS:
        names: tuple[str, ...] = (parts[-2],)
    else:
        names = tuple(parts[-2:])
    return _through_import(files, document, wrapper, names, last, 0)


def find_definition(
    document: Document, span: Span, function_name: str, sources: Sources
) -> tuple[Document, Span] | None:
    found = locate(document, span, function_name, sources)
    return None if found is None else (found.document, found.span)


# --- signature edits -------------------------------------------------------------------------

_Slot = tuple[str, cst.CSTNode]


def _flatten(params: cst.Parameters) -> list[_Slot]:
    slots: list[_Slot] = [("posonly", p) for p in params.posonly_params]
    if isinstance(params.posonly_ind, cst.ParamSlash):
        slots.append(("slash", params.posonly_ind))
    slots.extend(("params", p) for p in params.params)
    if isinstance(params.star_arg, (cst.Param, cst.ParamStar)):
        slots.append(("star", params.star_arg))
    slots.extend(("kwonly", p) for p in params.kwonly_params)
    if params.star_kwarg is not None:
        slots.append(("starkw", params.star_kwarg))
    return slots


def _rebuild(params: cst.Parameters, slots: Sequence[_Slot]) -> cst.Parameters:
    def of(kind: str) -> list[cst.Param]:
        return [node for slot, node in slots if slot == kind and isinstance(node, cst.Param)]

    star = next((node for slot, node in slots if slot == "star"), None)
    slash = next((node for slot, node in slots if slot == "slash"), None)
    starkw = of("starkw")
    return params.with_changes(
        posonly_params=of("posonly"),
        posonly_ind=slash if isinstance(slash, cst.ParamSlash) else params.posonly_ind,
        params=of("params"),
        star_arg=star if isinstance(star, (cst.Param, cst.ParamStar)) else cst.MaybeSentinel.DEFAULT,
        kwonly_params=of("kwonly"),
        star_kwarg=starkw[0] if starkw else None,
    )


def _param_names(slots: Sequence[_Slot]) -> set[str]:
    return {node.name.value for _, node in slots if isinstance(node, cst.Param)}


def _edited(found: Found, params: cst.Parameters) -> FileEdit | None:
    new_def = found.node.with_changes(params=params)
    module = found.wrapper.module.deep_replace(found.node, new_def)
    if not isinstance(module, cst.Module):
        return None
    return minimal_edit(found.document, module.code)


def add_parameter_to_definition(found: Found, params: Mapping[str, str]) -> FileEdit | None:
    name = param(params, "parameter")
    default = parse_expression(param(params, "default", "None"))
    if not is_identifier(name) or default is None:
        return None
    signature = found.node.params
    slots = _flatten(signature)
    if signature.star_kwarg is not None or name in _param_names(slots):
        return None  # **kwargs already accepts it, or it is already there
    # After *args or a bare * the new parameter is keyword-only, which keeps positional calls intact.
    kind = "kwonly" if any(slot == "star" for slot, _ in slots) else "params"
    new = cst.Param(name=cst.Name(name), default=default, equal=tight_equal())
    nodes = insert_item([node for _, node in slots], len(slots), new, found.node.whitespace_before_params)
    labels = [slot for slot, _ in slots] + [kind]
    return _edited(found, _rebuild(signature, list(zip(labels, nodes, strict=True))))


def add_default_to_parameter(found: Found, params: Mapping[str, str]) -> FileEdit | None:
    name = param(params, "parameter")
    default = parse_expression(param(params, "default", "None"))
    if not is_identifier(name) or default is None:
        return None
    slots = _flatten(found.node.params)
    index = next(
        (
            i
            for i, (slot, node) in enumerate(slots)
            if isinstance(node, cst.Param) and node.name.value == name
        ),
        None,
    )
    if index is None:
        return None
    slot, node = slots[index]
    if slot not in ("posonly", "params", "kwonly") or not isinstance(node, cst.Param) or node.default:
        return None
    if slot != "kwonly":
        later = [n for s, n in slots[index + 1 :] if s in ("posonly", "params")]
        # A positional parameter without a default may not follow one with a default.
        if any(isinstance(n, cst.Param) and n.default is None for n in later):
            return None
    # PEP 8: ``x=None`` but ``x: int = None``.
    equal = cst.MaybeSentinel.DEFAULT if node.annotation is not None else tight_equal()
    slots[index] = (slot, node.with_changes(default=default, equal=equal))
    return _edited(found, _rebuild(found.node.params, slots))
