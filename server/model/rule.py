"""Rules as values. They come from YAML (see homeostasis.ruleset); nothing here reads files."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from homeostasis.model.finding import Severity
from homeostasis.model.fix import Applicability


class RuleKind(StrEnum):
    RUNTIME = "runtime"
    PATTERN = "pattern"


class Level(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True)
class NodeMatch:
    """Where on the failing line a runtime finding points.

    ``query`` is a tree-sitter query whose ``@target`` capture is the range.
    ``same`` pairs a node capture with a message capture whose text it should
    equal (quotes aside); candidates that agree are preferred, and required
    when ``strict``. ``required`` makes the node itself mandatory.
    """

    query: str
    same: tuple[tuple[str, str], ...] = ()
    strict: bool = False
    required: bool = False  # no node on the line means no match (implied by strict)


@dataclass(frozen=True)
class RuntimeMatch:
    error_types: tuple[str, ...]
    message: str | None = None  # regex with named groups, searched in the message
    node: NodeMatch | None = None


@dataclass(frozen=True)
class Context:
    """The closest ancestor of ``@target`` whose type is in ``nearest``, tested with ``query``.

    Checked in code after the match, so "a call directly in an ``async def``" costs one
    query at one node instead of a query nesting every shape a body can take.
    """

    nearest: tuple[str, ...]
    query: str


@dataclass(frozen=True)
class PatternMatch:
    query: str  # tree-sitter query; ``@target`` is the reported range
    where: tuple[tuple[str, str], ...] = ()  # capture must match regex
    where_not: tuple[tuple[str, str], ...] = ()  # capture must not match regex
    inside: Context | None = None
    not_inside: Context | None = None


@dataclass(frozen=True)
class FixSpec:
    title: str
    applicability: Applicability
    confidence: float = 1.0  # scales the finding's confidence
    region: str = "target"  # a capture name, "statement", "line" or "file"
    template: str | None = None  # inline Jinja leaf template
    template_name: str | None = None  # looked up in the template hierarchy
    precise: str | None = None  # operation of the language's precise fixer
    params: tuple[tuple[str, str], ...] = ()  # rendered with the captures
    when: str | None = None  # Jinja expression; the fix is offered only if true


@dataclass(frozen=True)
class RuleTest:
    """One example that a rule must (or must not) match, with expected results."""

    name: str
    source: str | None = None  # the file the error points into, or the scanned file
    error: str | None = None  # raw error output (runtime rules)
    path: str = "example.py"
    match: bool = True
    message: str | None = None
    range: str | None = None  # "L:C-L:C", 1-based
    fixed: str | None = None  # expected source after applying fix ``fix``
    fix: int = 0
    files: tuple[tuple[str, str], ...] = ()  # other workspace files for multi-file fixes
    fixed_files: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class RuleDocs:
    summary: str = ""
    why: str = ""
    example: str = ""
    references: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    id: str
    language: str
    kind: RuleKind
    message: str
    severity: Severity
    category: str
    criticality: Level
    complexity: Level
    reliability: Level
    confidence: float
    runtime: RuntimeMatch | None = None
    pattern: PatternMatch | None = None
    fixes: tuple[FixSpec, ...] = ()
    tests: tuple[RuleTest, ...] = ()
    requires: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    frameworks: tuple[str, ...] = ()
    docs: RuleDocs = RuleDocs()
    source_file: str = ""
