"""Reading rule files: schema validation, semantic checks, conversion to Rule values."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from homeostasis.model import (
    Applicability,
    Context,
    FixSpec,
    Level,
    NodeMatch,
    PatternMatch,
    Rule,
    RuleDocs,
    RuleKind,
    RuleTest,
    RuntimeMatch,
    Severity,
)
from homeostasis.ruleset.frameworks import is_catalog_file, load_catalog
from homeostasis.ruleset.marks import Located, load_located
from homeostasis.ruleset.problem import Problem as Problem  # re-exported: callers import it from here
from homeostasis.ruleset.ruleset import CycleError, RuleSet

# Checks a tree-sitter query for a language; returns an error message or None.
QueryChecker = Callable[[str, str], str | None]

_CAPTURE_REF = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|[^}]*)?\}\}")
_QUERY_CAPTURE = re.compile(r"@([A-Za-z_][A-Za-z0-9_.]*)")


@dataclass(frozen=True)
class LoadResult:
    rules: RuleSet
    problems: tuple[Problem, ...]


def schema_path() -> Path:
    return builtin_rules_root() / "schema" / "rule.schema.json"


def builtin_rules_root() -> Path:
    # The package's own folder, not importlib.resources (whose imports cost more than a
    # cached start-up): the rules are read as files anyway, so the package is on disk.
    import homeostasis.rules

    return Path(homeostasis.rules.__file__).parent


def builtin_rule_paths() -> list[Path]:
    # os.walk, not Path.rglob: this runs at every start and rglob costs several times more.
    root = str(builtin_rules_root())
    found: list[str] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != "templates"]
        found.extend(os.path.join(folder, name) for name in names if name.endswith(".yaml"))
    return [Path(p) for p in sorted(found)]


@lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema

    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def load_rules(
    paths: Iterable[Path] | None = None,
    *,
    check_query: QueryChecker | None = None,
    shipped: Callable[[Path], bool] | None = None,
    known: Collection[str] = (),
) -> LoadResult:
    """Load rule files (the built-in ones by default). Bad rules are reported and left out.

    ``shipped`` files are neither schema-checked nor their queries compiled here: CI validates
    them (``rules validate``), and both checks are most of a cold start. ``known`` are ids loaded
    elsewhere (the built-ins, for a workspace's own rules) that ``requires`` may name.
    """
    rules: list[Rule] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    all_paths = builtin_rule_paths() if paths is None else expand_paths(paths)
    catalog, catalog_problems = load_catalog(p for p in all_paths if is_catalog_file(p))
    problems.extend(catalog_problems)
    for path in (p for p in all_paths if not is_catalog_file(p)):
        trusted = shipped is not None and shipped(path)
        file_rules, file_problems = load_file(
            path, check_query=None if trusted else check_query, shipped=trusted
        )
        problems.extend(file_problems)
        for rule in file_rules:
            if rule.id in seen:
                problems.append(
                    Problem(str(path), None, rule.id, "id", f"duplicate id, first in {seen[rule.id]}")
                )
                continue
            seen[rule.id] = str(path)
            rules.append(rule)
    rules, dep_problems = _check_dependencies(rules, frozenset(known))
    problems.extend(dep_problems)
    ordered = sorted(problems, key=lambda p: (p.file, p.line or 0, p.rule_id or "", p.field, p.message))
    return LoadResult(RuleSet.ordered(rules, catalog), tuple(ordered))


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*.y*ml") if p.suffix in {".yaml", ".yml"}))
        else:
            out.append(path)
    return out


def load_file(
    path: Path, *, check_query: QueryChecker | None = None, shipped: bool = False
) -> tuple[list[Rule], list[Problem]]:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Problem(name, None, None, "file", f"cannot read: {exc}")]
    return parse_rules_text(text, name, check_query=check_query, shipped=shipped)


def parse_rules_text(
    text: str, name: str, *, check_query: QueryChecker | None = None, shipped: bool = False
) -> tuple[list[Rule], list[Problem]]:
    """Rules of one file and the problems found in it. ``shipped`` files (the package's own,
    validated in CI by ``rules validate``) skip the schema check, most of a cold load."""
    import yaml

    try:
        located = load_located(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        return [], [Problem(name, line, None, "yaml", str(getattr(exc, "problem", exc)))]
    data = located.data
    errors = [] if shipped else list(_validator().iter_errors(data))
    problems = _schema_problems(errors, located, name)
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        return [], problems or [
            Problem(name, 1, None, "rules", "expected a mapping with 'language' and 'rules'")
        ]
    bad_indices = _bad_rule_indices(errors)
    language = str(data.get("language", ""))
    rules: list[Rule] = []
    for index, raw in enumerate(data["rules"]):
        if index in bad_indices or not isinstance(raw, dict):
            continue
        rule = _to_rule(raw, language, name)
        rule_problems = _semantic_problems(rule, located, index, name, check_query)
        problems.extend(rule_problems)
        if not rule_problems:
            rules.append(rule)
    return rules, problems


def _schema_problems(errors: Sequence[Any], located: Located, name: str) -> list[Problem]:
    problems = []
    for error in errors:
        path = list(error.absolute_path)
        rule_id = _rule_id_at(located.data, path)
        field = (
            ".".join(str(p) for p in path[2:] if not isinstance(p, int))
            or ".".join(map(str, path))
            or "(top)"
        )
        message = _short_schema_message(error)
        problems.append(Problem(name, located.line_of(path), rule_id, field, message))
    return problems


def _short_schema_message(error: Any) -> str:
    # oneOf failures carry the useful text in their sub-errors.
    if error.validator == "oneOf" and error.context:
        best = min(error.context, key=lambda e: len(list(e.absolute_path)))
        return str(best.message)
    return str(error.message)


def _bad_rule_indices(errors: Sequence[Any]) -> set[int]:
    bad: set[int] = set()
    for error in errors:
        path = list(error.absolute_path)
        if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
            bad.add(path[1])
    return bad


def _rule_id_at(data: Any, path: Sequence[Any]) -> str | None:
    if len(path) >= 2 and path[0] == "rules" and isinstance(data, dict):
        rules = data.get("rules")
        if isinstance(rules, list) and isinstance(path[1], int) and path[1] < len(rules):
            item = rules[path[1]]
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                return str(item["id"])
    return None


def _pairs(value: Mapping[str, Any] | None) -> tuple[tuple[str, str], ...]:
    return tuple((str(k), str(v)) for k, v in (value or {}).items())


def _to_rule(raw: Mapping[str, Any], language: str, source_file: str) -> Rule:
    match = raw["match"]
    kind = RuleKind(raw["kind"])
    runtime = pattern = None
    if kind is RuleKind.RUNTIME:
        node = match.get("node")
        runtime = RuntimeMatch(
            error_types=tuple(match["error"]),
            message=match.get("message"),
            node=NodeMatch(
                node["query"],
                _pairs(node.get("same")),
                bool(node.get("strict", False)),
                bool(node.get("required", False)),
            )
            if node
            else None,
        )
    else:
        pattern = PatternMatch(
            match["query"],
            _pairs(match.get("where")),
            _pairs(match.get("where-not")),
            _context(match.get("inside")),
            _context(match.get("not-inside")),
        )
    docs = raw.get("docs") or {}
    return Rule(
        id=raw["id"],
        language=language,
        kind=kind,
        message=raw["message"],
        severity=Severity(raw["severity"]),
        category=raw["category"],
        criticality=Level(raw["criticality"]),
        complexity=Level(raw["complexity"]),
        reliability=Level(raw["reliability"]),
        confidence=float(raw["confidence"]),
        runtime=runtime,
        pattern=pattern,
        fixes=tuple(_to_fix(f) for f in raw.get("fixes") or ()),
        tests=tuple(_to_test(t) for t in raw.get("tests") or ()),
        requires=tuple(raw.get("requires") or ()),
        after=tuple(raw.get("after") or ()),
        frameworks=tuple(raw.get("frameworks") or ()),
        docs=RuleDocs(
            summary=docs.get("summary", ""),
            why=docs.get("why", ""),
            example=docs.get("example", ""),
            references=tuple(docs.get("references") or ()),
        ),
        source_file=source_file,
    )


def _context(raw: Mapping[str, Any] | None) -> Context | None:
    return Context(tuple(raw["nearest"]), raw["query"]) if raw else None


def _to_fix(raw: Mapping[str, Any]) -> FixSpec:
    return FixSpec(
        title=raw["title"],
        applicability=Applicability(raw["applicability"]),
        confidence=float(raw.get("confidence", 1.0)),
        region=raw.get("region", "target"),
        template=raw.get("template"),
        template_name=raw.get("template-name"),
        precise=raw.get("precise"),
        params=_pairs(raw.get("params")),
        when=raw.get("when"),
    )


def _to_test(raw: Mapping[str, Any]) -> RuleTest:
    return RuleTest(
        name=raw["name"],
        source=raw.get("source"),
        error=raw.get("error"),
        path=raw.get("path", "example.py"),
        match=bool(raw.get("match", True)),
        message=raw.get("message"),
        range=raw.get("range"),
        fixed=raw.get("fixed"),
        fix=int(raw.get("fix", 0)),
        files=_pairs(raw.get("files")),
        fixed_files=_pairs(raw.get("fixed-files")),
    )


def _semantic_problems(
    rule: Rule, located: Located, index: int, name: str, check_query: QueryChecker | None
) -> list[Problem]:
    problems: list[Problem] = []

    def report(path: Sequence[str | int], field: str, message: str) -> None:
        problems.append(Problem(name, located.line_of(["rules", index, *path]), rule.id, field, message))

    if not rule.id.startswith(rule.language + "."):
        report(["id"], "id", f"must start with the file's language '{rule.language}.'")
    available: set[str] = set()
    query: str | None = None
    if rule.runtime is not None:
        if rule.runtime.message is not None:
            try:
                available |= set(re.compile(rule.runtime.message).groupindex)
            except re.error as exc:
                report(["match", "message"], "match.message", f"invalid regex: {exc}")
        if rule.runtime.node is not None:
            query = rule.runtime.node.query
            node_captures = set(_QUERY_CAPTURE.findall(query))
            for node_capture, message_capture in rule.runtime.node.same:
                if node_capture not in node_captures:
                    report(
                        ["match", "node", "same"], "match.node.same", f"no capture @{node_capture} in query"
                    )
                if message_capture not in available:
                    report(
                        ["match", "node", "same"],
                        "match.node.same",
                        f"no group '{message_capture}' in message",
                    )
            available |= node_captures
    if rule.pattern is not None:
        query = rule.pattern.query
        available |= set(_QUERY_CAPTURE.findall(query))
        for capture, regex in (*rule.pattern.where, *rule.pattern.where_not):
            if capture not in available:
                report(["match", "where"], "match.where", f"no capture @{capture} in query")
            try:
                re.compile(regex)
            except re.error as exc:
                report(["match", "where"], "match.where", f"invalid regex for @{capture}: {exc}")
    if query is not None:
        if "target" not in set(_QUERY_CAPTURE.findall(query)):
            report(["match"], "match.query", "the query must capture @target")
        if check_query is not None and (error := check_query(rule.language, query)):
            report(["match"], "match.query", f"query does not compile: {error}")
    if rule.pattern is not None and check_query is not None:
        for key, context in (("inside", rule.pattern.inside), ("not-inside", rule.pattern.not_inside)):
            # One pattern rooted at the ancestor; the checker wants a @target, so lend it one.
            if context is not None and (
                error := check_query(rule.language, f"{context.query.strip()} @target")
            ):
                report(["match", key], f"match.{key}.query", f"query does not compile: {error}")
    # Captures the language adds (did-you-mean, import hints) are known only at match time.
    available |= {"suggestion", "import_module", "import_name", "pip_package", "error_type", "message"}
    for ref in _CAPTURE_REF.findall(rule.message):
        if ref not in available:
            report(["message"], "message", f"unknown capture '{ref}'")
    for i, fix in enumerate(rule.fixes):
        for ref in _CAPTURE_REF.findall(fix.title):
            if ref not in available and ref not in dict(fix.params):
                report(["fixes", i, "title"], f"fixes[{i}].title", f"unknown capture '{ref}'")
        if fix.region not in {"target", "statement", "line", "file"} and fix.region not in available:
            report(["fixes", i, "region"], f"fixes[{i}].region", f"unknown region or capture '{fix.region}'")
    return problems


def _check_dependencies(rules: list[Rule], known: frozenset[str]) -> tuple[list[Rule], list[Problem]]:
    problems: list[Problem] = []
    ids = {r.id for r in rules} | known
    kept = []
    for rule in rules:
        missing = [d for d in (*rule.requires, *rule.after) if d not in ids]
        if missing:
            problems.append(
                Problem(rule.source_file, None, rule.id, "requires", f"unknown rule(s): {', '.join(missing)}")
            )
            continue
        kept.append(rule)
    try:
        RuleSet.ordered(kept)
    except CycleError as exc:
        cycle = " -> ".join(exc.args[1]) if len(exc.args) > 1 else str(exc)
        problems.append(
            Problem(kept[0].source_file if kept else "", None, None, "requires", f"cycle: {cycle}")
        )
        cyclic = set(exc.args[1]) if len(exc.args) > 1 else set()
        kept = [r for r in kept if r.id not in cyclic]
    return kept, problems
