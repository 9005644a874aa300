"""Python knowledge the rules draw on: did-you-mean, stdlib modules for missing imports, pip names.

Everything here is cheap: names come from the ``ast`` module (or regular
expressions when the file does not parse), never from libcst, and the tables
live in ``stdlib_names.json`` next to this module.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType

from homeostasis.languages.python import exceptions
from homeostasis.model import Document

_CUTOFF = 0.75
_BUILTINS = frozenset(name for name in dir(builtins) if not name.startswith("_"))
_STDLIB = frozenset(name for name in sys.stdlib_module_names if not name.startswith("_"))


@dataclass(frozen=True)
class _Tables:
    members: Mapping[str, str]  # name -> stdlib module that defines it
    common_modules: frozenset[str]  # stdlib modules worth importing without evidence of use
    aliases: Mapping[str, str]  # conventional alias -> module (np -> numpy)
    third_party: frozenset[str]
    pip: Mapping[str, str]  # import name -> distribution name
    moved: Mapping[str, tuple[str, frozenset[str]]]  # module -> (new module, names that moved)


@cache
def _tables() -> _Tables:
    # Loaded once per process, on first need: the file ships with the package and never changes.
    import json
    from importlib import resources

    package = __name__.rpartition(".")[0]
    raw = json.loads(resources.files(package).joinpath("stdlib_names.json").read_text("utf-8"))
    return _Tables(
        members=MappingProxyType(dict(raw["members"])),
        common_modules=frozenset(raw["common_modules"]),
        aliases=MappingProxyType(dict(raw["aliases"])),
        third_party=frozenset(raw["third_party_modules"]),
        pip=MappingProxyType(dict(raw["pip"])),
        moved=MappingProxyType(
            {module: (entry["to"], frozenset(entry["names"])) for module, entry in raw["moved"].items()}
        ),
    )


@dataclass
class _Facts:
    """What one document binds and uses, collected in a single pass."""

    bound: set[str] = field(default_factory=set)
    imported: set[str] = field(default_factory=set)  # top-level modules
    attrs: dict[str, set[str]] = field(default_factory=dict)  # receiver text -> attributes used on it
    called: set[str] = field(default_factory=set)  # names called directly: name(...)
    classes: dict[str, tuple[set[str], list[str]]] = field(default_factory=dict)  # -> (attributes, bases)
    keys: set[str] = field(default_factory=set)  # string keys of dicts and subscripts
    params: dict[str, list[str]] = field(default_factory=dict)  # "f" and "Cls.f" -> parameter names

    def attrs_on(self, receiver: str) -> set[str]:
        return self.attrs.get(receiver, set())

    def all_attrs(self) -> set[str]:
        return set().union(*self.attrs.values()) if self.attrs else set()

    def class_attrs(self, name: str, seen: frozenset[str] = frozenset()) -> set[str]:
        if name not in self.classes or name in seen:
            return set()
        attrs, bases = self.classes[name]
        out = set(attrs)
        for base in bases:
            out |= self.class_attrs(base, seen | {name})
        return out


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return None if head is None else f"{head}.{node.attr}"
    return None


def _string(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


class _Collector(ast.NodeVisitor):
    def __init__(self) -> None:
        self.facts = _Facts()
        # ("class", name, "") or ("def", name, self-parameter): what the code runs inside.
        self._frames: list[tuple[str, str, str]] = []

    def _class(self) -> str | None:
        return self._frames[-1][1] if self._frames and self._frames[-1][0] == "class" else None

    def _method_owner(self) -> tuple[str, str] | None:
        """(class, self name) when inside a method, at any depth of nested blocks."""
        if len(self._frames) >= 2 and self._frames[-1][0] == "def" and self._frames[-2][0] == "class":
            return self._frames[-2][1], self._frames[-1][2]
        return None

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.facts.bound.add(node.name)
        args = node.args
        positional = [a.arg for a in (*args.posonlyargs, *args.args)]
        names = [*positional, *(a.arg for a in args.kwonlyargs)]
        names += [a.arg for a in (args.vararg, args.kwarg) if a is not None]
        owner = self._class()
        self.facts.params[node.name] = names
        if owner is not None:
            self.facts.params[f"{owner}.{node.name}"] = names
            self.facts.classes[owner][0].add(node.name)
        for decorator in node.decorator_list:
            self.visit(decorator)
        self_name = positional[0] if owner is not None and positional else ""
        self._frames.append(("def", node.name, self_name))
        self.visit(node.args)
        for statement in node.body:
            self.visit(statement)
        self._frames.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._function(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._function(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.facts.bound.add(node.name)
        if (owner := self._class()) is not None:
            self.facts.classes[owner][0].add(node.name)
        bases = [d.rsplit(".", 1)[-1] for b in node.bases if (d := _dotted(b)) is not None]
        self.facts.classes.setdefault(node.name, (set(), bases))
        for expr in (*node.bases, *node.keywords, *node.decorator_list):
            self.visit(expr)
        self._frames.append(("class", node.name, ""))
        for statement in node.body:
            self.visit(statement)
        self._frames.pop()

    def visit_arg(self, node: ast.arg) -> None:
        self.facts.bound.add(node.arg)
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Store):
            self.facts.bound.add(node.id)
            if (owner := self._class()) is not None:
                self.facts.classes[owner][0].add(node.id)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        receiver = _dotted(node.value)
        if receiver is not None:
            self.facts.attrs.setdefault(receiver, set()).add(node.attr)
            method = self._method_owner()
            if isinstance(node.ctx, ast.Store) and method is not None and receiver == method[1]:
                self.facts.classes[method[0]][0].add(node.attr)
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            top = alias.name.split(".")[0]
            self.facts.bound.add(alias.asname or top)
            self.facts.imported.add(top)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module and not node.level:
            self.facts.imported.add(node.module.split(".")[0])
        self.facts.bound.update(alias.asname or alias.name for alias in node.names if alias.name != "*")

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name):
            self.facts.called.add(node.func.id)
        elif (
            isinstance(node.func, ast.Attribute)
            and node.func.attr in ("get", "pop", "setdefault")
            and node.args
            and (key := _string(node.args[0])) is not None
        ):
            self.facts.keys.add(key)
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if (key := _string(node.slice)) is not None:
            self.facts.keys.add(key)
        self.generic_visit(node)

    def visit_Dict(self, node: ast.Dict) -> None:
        self.facts.keys.update(k for k in map(_string, node.keys) if k is not None)
        self.generic_visit(node)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self.facts.bound.add(node.name)
        self.generic_visit(node)

    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        if node.name:
            self.facts.bound.add(node.name)
        self.generic_visit(node)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        if node.name:
            self.facts.bound.add(node.name)


# Fallbacks for code that does not parse: rough, but a did-you-mean only needs candidates.
# Kept as pattern strings: ``re`` compiles and caches them on first use, not at start-up.
_RE_BOUND = (
    r"(?m)^[ \t]*(?:async[ \t]+)?def[ \t]+(\w+)",
    r"(?m)^[ \t]*class[ \t]+(\w+)",
    r"(?m)^[ \t]*([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?!=)",
    r"\bfor[ \t]+([A-Za-z_]\w*)",
    r"\bas[ \t]+([A-Za-z_]\w*)",
)
_RE_IMPORT = r"(?m)^[ \t]*import[ \t]+([\w.]+)|^[ \t]*from[ \t]+(\w+)[\w.]*[ \t]+import[ \t]+([^\n#]+)"
_RE_DEF = r"def[ \t]+(\w+)[ \t]*\(([^)]*)\)"
_RE_ATTR = r"([A-Za-z_][\w.]*)\.([A-Za-z_]\w*)"
_RE_KEY = r"""\[\s*(['"])(\w+)\1\s*\]|(['"])(\w+)\3\s*:"""
_RE_CALL = r"\b([A-Za-z_]\w*)[ \t]*\("
_RE_WORD = r"[A-Za-z_]\w*"


def _facts_from_text(text: str) -> _Facts:
    facts = _Facts()
    for pattern in _RE_BOUND:
        facts.bound.update(re.findall(pattern, text))
    for module, from_module, names in re.findall(_RE_IMPORT, text):
        if module:
            facts.imported.add(module.split(".")[0])
            facts.bound.add(module.split(".")[0])
        else:
            facts.imported.add(from_module)
            facts.bound.update(re.findall(_RE_WORD, names.replace(" as ", " ")))
    for name, params in re.findall(_RE_DEF, text):
        words = [p.split(":")[0].split("=")[0].strip(" *") for p in params.split(",")]
        facts.params[name] = [w for w in words if w.isidentifier()]
        facts.bound.update(facts.params[name])
    for receiver, attr in re.findall(_RE_ATTR, text):
        facts.attrs.setdefault(receiver, set()).add(attr)
    for match in re.finditer(_RE_KEY, text):
        facts.keys.add(match.group(2) or match.group(4))
    facts.called.update(re.findall(_RE_CALL, text))
    return facts


def _facts(document: Document | None) -> _Facts | None:
    if document is None:
        return None
    try:
        tree = ast.parse(document.text)
        collector = _Collector()
        collector.visit(tree)
        return collector.facts
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return _facts_from_text(document.text)


def _unquote(value: str | None) -> str:
    if not value:
        return ""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _closest(word: str, candidates: Iterable[str]) -> str | None:
    import difflib  # only when a suggestion is wanted; it is not free at start-up

    pool = [c for c in set(candidates) if c != word and (word.startswith("_") or not c.startswith("__"))]
    matches = difflib.get_close_matches(word, pool, n=1, cutoff=_CUTOFF)
    return matches[0] if matches else None


def _import(module: str, name: str = "", alias: str = "") -> dict[str, str]:
    out = {"import_module": module}
    if name:
        out["import_name"] = name
        out["import_statement"] = f"from {module} import {name}"
    else:
        out["import_statement"] = f"import {module}"
    if alias:
        out["import_alias"] = alias
        out["import_statement"] += f" as {alias}"
    return out


def _module_or_member(name: str, module: str, facts: _Facts | None) -> dict[str, str]:
    """``import datetime`` or ``from datetime import datetime``: the code's use decides."""
    uses = sorted(facts.attrs_on(name)) if facts is not None else []
    if uses:
        # Our own table's modules only: importing them is side-effect free.
        namespace = importlib.import_module(module)
        member = getattr(namespace, name, None)
        for attr in uses:
            in_module, in_member = hasattr(namespace, attr), hasattr(member, attr)
            if in_module != in_member:
                return _import(module) if in_module else _import(module, name)
        return _import(name)
    return _import(module, name)


def _fits_uses(name: str, module: str, facts: _Facts | None) -> bool:
    """Whether every ``name.attr`` in the code exists on the stdlib member ``name``.

    ``product.price`` means a variable called product, not ``itertools.product``.
    """
    uses = facts.attrs_on(name) if facts is not None else set()
    if not uses:
        return True
    # Our own table's modules only: importing them is side-effect free.
    member = getattr(importlib.import_module(module), name, None)
    return all(hasattr(member, attr) for attr in uses)


def _import_for_name(name: str, facts: _Facts | None) -> dict[str, str]:
    tables = _tables()
    used_as_object = facts is not None and bool(facts.attrs_on(name))
    if name in tables.aliases:
        return _import(tables.aliases[name], alias=name)
    member_module = tables.members.get(name)
    if name in _STDLIB and (name in tables.common_modules or used_as_object):
        if member_module is not None and member_module == name:
            return _module_or_member(name, member_module, facts)
        return _import(name)
    if member_module is not None:
        return _import(member_module, name) if _fits_uses(name, member_module, facts) else {}
    if name in tables.third_party:
        return _import(name)
    return {}


def _name_error(captures: Mapping[str, str], facts: _Facts | None) -> dict[str, str]:
    name = _unquote(captures.get("name"))
    if not name.isidentifier():
        return {}
    out: dict[str, str] = {}
    bound = facts.bound if facts is not None else set()
    if (suggestion := _closest(name, bound | _BUILTINS)) is not None:
        out["suggestion"] = suggestion
    out.update(_import_for_name(name, facts))
    return out


def _builtin_type_attrs(type_name: str) -> set[str]:
    candidate = getattr(builtins, type_name, None)
    return set(dir(candidate)) if isinstance(candidate, type) else set()


def _attribute_error(captures: Mapping[str, str], facts: _Facts | None) -> dict[str, str]:
    attr = _unquote(captures.get("attr") or captures.get("name"))
    obj_type = _unquote(captures.get("obj_type") or captures.get("type"))
    module = _unquote(captures.get("module"))
    receiver = _unquote(captures.get("obj") or captures.get("object") or captures.get("expr"))
    if not attr.isidentifier() or obj_type == "NoneType":
        return {}  # on None the attribute is fine; the value is what is wrong
    tiers: list[Callable[[], set[str]]] = []
    if module:
        loaded = sys.modules.get(module) if module.split(".")[0] in _STDLIB else None
        if loaded is not None:
            tiers.append(lambda: set(dir(loaded)))
        if facts is not None:
            tiers.append(lambda: facts.attrs_on(module))
    if obj_type:
        if facts is not None:
            tiers.append(lambda: facts.class_attrs(obj_type.rsplit(".", 1)[-1]))
        tiers.append(lambda: _builtin_type_attrs(obj_type))
    if facts is not None:
        if receiver:
            tiers.append(lambda: facts.attrs_on(receiver))
        if obj_type not in dir(builtins):
            tiers.append(lambda: facts.all_attrs() | set().union(*(a for a, _ in facts.classes.values())))
    for tier in tiers:
        if (suggestion := _closest(attr, tier())) is not None:
            return {"suggestion": suggestion}
    return {}


def pip_package(module: str) -> str | None:
    """The distribution that provides ``module``; None for stdlib and relative modules."""
    if not module or module.startswith("."):
        return None
    pip = _tables().pip
    parts = module.split(".")
    for size in range(len(parts), 0, -1):
        if (found := pip.get(".".join(parts[:size]))) is not None:
            return found
    return None if parts[0] in _STDLIB else parts[0]


def _missing_module(module: str, facts: _Facts | None) -> dict[str, str]:
    if not module or not all(part.isidentifier() for part in module.lstrip(".").split(".")):
        return {}
    tables = _tables()
    top, _, rest = module.partition(".")
    known = top in tables.third_party or top in tables.pip or module in tables.pip
    if not known and top not in _STDLIB and not module.startswith("."):
        candidates = _STDLIB | tables.third_party | (facts.imported if facts is not None else set())
        if (closest := _closest(top, candidates)) is not None:
            # A typo: offering "pip install <typo>" would invite typosquatted packages.
            return {"suggestion": f"{closest}.{rest}" if rest else closest}
    package = pip_package(module)
    return {"pip_package": package} if package is not None else {}


def _cannot_import(name: str, module: str) -> dict[str, str]:
    tables = _tables()
    if module in tables.moved and name in tables.moved[module][1]:
        return _import(tables.moved[module][0], name)
    out: dict[str, str] = {}
    loaded = sys.modules.get(module) if module.split(".")[0] in _STDLIB else None
    if loaded is not None and (suggestion := _closest(name, dir(loaded))) is not None:
        out["suggestion"] = suggestion
    home = tables.members.get(name)
    if home is not None and home != module:
        out.update(_import(home, name))
    return out


def _import_error(kind: str, captures: Mapping[str, str], facts: _Facts | None) -> dict[str, str]:
    module = _unquote(captures.get("module"))
    name = _unquote(captures.get("name"))
    if kind == "ModuleNotFoundError" or not name:
        return _missing_module(module or name, facts)
    if name.isidentifier() and module:
        return _cannot_import(name, module)
    return {}


def _key_error(captures: Mapping[str, str], facts: _Facts | None) -> dict[str, str]:
    key = _unquote(captures.get("key"))
    if facts is None or not key:
        return {}
    suggestion = _closest(key, facts.keys)
    return {"suggestion": suggestion} if suggestion is not None else {}


def _keyword_error(captures: Mapping[str, str], facts: _Facts | None) -> dict[str, str]:
    keyword = _unquote(captures.get("keyword"))
    function = _unquote(captures.get("function")).removesuffix("()")
    if facts is None or not keyword or not function:
        return {}
    params = facts.params.get(function) or facts.params.get(function.rsplit(".", 1)[-1]) or []
    suggestion = _closest(keyword, params)
    return {"suggestion": suggestion} if suggestion is not None else {}


def enrich(error_type: str, captures: Mapping[str, str], document: Document | None) -> dict[str, str]:
    """Extra captures for a finding: ``suggestion``, ``import_*`` and ``pip_package``.

    Keys are present only when known. Never raises: knowledge is a bonus, not a requirement.
    """
    try:
        return _enrich(error_type, captures, document)
    except Exception:
        return {}


def _enrich(error_type: str, captures: Mapping[str, str], document: Document | None) -> dict[str, str]:
    kind = error_type.rsplit(".", 1)[-1]
    lineage = exceptions.ancestors(kind)
    if kind == "UnboundLocalError":
        return {}  # the name exists; the assignment order is the problem
    handler: Callable[[Mapping[str, str], _Facts | None], dict[str, str]]
    if "NameError" in lineage:
        handler = _name_error
    elif "AttributeError" in lineage:
        handler = _attribute_error
    elif "ImportError" in lineage:
        return _import_error(kind, captures, _facts(document))
    elif "KeyError" in lineage:
        handler = _key_error
    elif "TypeError" in lineage and captures.get("keyword"):
        handler = _keyword_error
    else:
        return {}  # nothing known: do not even parse the document
    return handler(captures, _facts(document))
