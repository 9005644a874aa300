"""``rules validate``: the loader's checks plus those that need templates, the engine and examples.

Three kinds of result, with distinct exit codes in the CLI:

* problems (the rule is wrong: exit 1): schema and loader errors, unknown captures in
  templates, params and ``when``, templates that do not compile or raise, fixes whose
  rendered code does not parse on the rule's own examples, unknown precise operations;
* conflicts (the rules are fine alone but not together: exit 4): two rules that match
  the same example with different fixes at the same priority, and rules shadowed by
  another one on every example where they match;
* warnings (exit 0): regexes that may backtrack catastrophically (their examples are
  not run), rules without tests, two rules reporting the same thing the same way.

Conflicts are found from examples, not proved: every must-match test of every rule is
run through the whole rule base, and what fires at the same place is compared (see
``validate_examples``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from homeostasis.engine import Engine
from homeostasis.fixes.templates import TemplateError, TemplateLibrary
from homeostasis.model import Document, Rule, Settings
from homeostasis.plugins.language import Language, PreciseFixer
from homeostasis.plugins.registry import Registry
from homeostasis.ruleset.loader import LoadResult, Problem, load_rules
from homeostasis.ruleset.redos import backtracking_risks
from homeostasis.ruleset.ruleset import RuleSet
from homeostasis.ruleset.validate_examples import DECLINED, Collector, Lines, example_checks

# Values every fix template sees besides the captures (see fixes/build.py).
REGION_VALUES = {"region_text": "pass", "statement": "pass", "target": "target", "indent": "    "}
# Captures a language plugin may add at match time (see the loader).
LANGUAGE_CAPTURES = ("suggestion", "import_module", "import_name", "pip_package", "error_type", "message")
_QUERY_CAPTURE = re.compile(r"@([A-Za-z_][A-Za-z0-9_.]*)")
_QUERY_REGEX = re.compile(r'#(?:not-)?match\?\s+@[\w.]+\s+"((?:[^"\\]|\\.)*)"')
_RISKY = "regex may backtrack catastrophically"
_VALUE_DEPENDENT = re.compile(r"'\w+ object' has no attribute|object is not (?:callable|subscriptable)")


@dataclass(frozen=True)
class Validation:
    rules: RuleSet
    problems: tuple[Problem, ...]
    conflicts: tuple[Problem, ...]
    warnings: tuple[Problem, ...]

    @property
    def exit_code(self) -> int:
        """0 valid, 1 invalid rules, 4 valid rules that conflict."""
        return 1 if self.problems else 4 if self.conflicts else 0


def validate_rules(
    paths: Sequence[Path],
    registry: Registry,
    templates: TemplateLibrary,
    *,
    query_checker: Callable[[str, str], str | None] | None = None,
    template_files: Mapping[str, Path] | None = None,
    report_files: Iterable[str] | None = None,
    loaded: LoadResult | None = None,
) -> Validation:
    """Validate the rule files at ``paths`` together; report only on ``report_files`` if given.

    ``loaded`` is what ``load_rules(paths)`` returned, when the caller has it already.
    """
    loaded = loaded or load_rules(paths, check_query=query_checker)
    lines = Lines()
    out = Collector()
    for problem in loaded.problems:
        out.problems.extend(_placed(problem, paths))
    for name, path in sorted((template_files or {}).items()):
        out.problems.extend(_template_syntax(templates, name, path))
    known_frameworks = loaded.rules.frameworks.names()
    for rule in loaded.rules:
        _static_checks(rule, registry, templates, lines, out)
        for name in rule.frameworks:
            if name not in known_frameworks:
                out.problems.append(
                    Problem(
                        rule.source_file,
                        lines.of(rule, "frameworks"),
                        rule.id,
                        "frameworks",
                        f"unknown framework '{name}': add {rule.language}/frameworks/{name}.yaml",
                    )
                )
    # A regex that may backtrack catastrophically would hang the example runs on long messages.
    risky = {w.rule_id for w in out.warnings if w.message.startswith(_RISKY)}
    safe = RuleSet.ordered((r for r in loaded.rules if r.id not in risky), loaded.rules.frameworks)
    # Validating some files runs only their rules' examples (through every rule): much faster,
    # and it still sees a built-in rule outranking or conflicting with one of theirs.
    keep = set(report_files) if report_files is not None else None
    example_checks(Engine(registry, safe, Settings(), templates), safe, lines, out, keep)
    for key, found in sorted(out.unproven.items()):
        if key not in out.produced:
            for problem in found:
                # A failure that depends on the captured text (a lookup keyed by a capture) may
                # be an artefact of the stand-in values: a warning, unless an example proves it.
                doubtful = _VALUE_DEPENDENT.search(problem.message) is not None
                note = "; with stand-in captures, and no example produced this fix"
                target = out.warnings if doubtful else out.problems
                target.append(replace(problem, message=problem.message + (note if doubtful else "")))

    def chosen(items: list[Problem]) -> tuple[Problem, ...]:
        unique = {p for p in items if keep is None or p.file in keep}
        return tuple(sorted(unique, key=lambda p: (p.file, p.line or 0, p.rule_id or "", p.field, p.message)))

    return Validation(loaded.rules, chosen(out.problems), chosen(out.conflicts), chosen(out.warnings))


def _id_line(file: str, rule_id: str) -> int | None:
    try:
        text = Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    found = re.search(rf"^[ \t-]*id:[ \t]*['\"]?{re.escape(rule_id)}['\"]?[ \t]*$", text, re.M)
    return text.count("\n", 0, found.start()) + 1 if found else None


def _placed(problem: Problem, paths: Sequence[Path]) -> list[Problem]:
    """Loader problems with the line they lack; a cycle becomes one problem per rule in it."""
    if problem.line is not None:
        return [problem]
    if problem.message.startswith("cycle: "):
        ids = dict.fromkeys(problem.message.removeprefix("cycle: ").split(" -> "))
        located = _locate_ids(ids, paths)
        return [
            Problem(file, line, rule_id, "requires", f"dependency {problem.message}")
            for rule_id, (file, line) in located.items()
        ] or [problem]
    if problem.rule_id is None:
        return [problem]
    return [Problem(problem.file, _id_line(problem.file, problem.rule_id), *_rest(problem))]


def _rest(problem: Problem) -> tuple[str | None, str, str]:
    return problem.rule_id, problem.field, problem.message


def _locate_ids(ids: Iterable[str], paths: Sequence[Path]) -> dict[str, tuple[str, int | None]]:
    wanted = set(ids)
    found: dict[str, tuple[str, int | None]] = {}
    files = [p for path in paths for p in (sorted(path.rglob("*.y*ml")) if path.is_dir() else [path])]
    for file in files:
        for rule_id in sorted(wanted - set(found)):
            line = _id_line(str(file), rule_id)
            if line is not None:
                found[rule_id] = (str(file), line)
    return found


def _template_syntax(templates: TemplateLibrary, name: str, path: Path) -> list[Problem]:
    from jinja2 import TemplateSyntaxError

    try:
        templates.env.parse(templates.sources[name])
    except TemplateSyntaxError as exc:
        return [Problem(str(path), exc.lineno, None, "template", f"{name}: {exc.message}")]
    return []


# Static checks --------------------------------------------------------------------------


def placeholder_context(rule: Rule, language: Language | None = None) -> dict[str, str]:
    """Every name a fix of ``rule`` may use, each set to a harmless stand-in value.

    Besides the rule's own captures, that is what the language plugin adds to a runtime
    finding (``enrich``), asked here with the stand-in captures and an empty document.
    """
    names: set[str] = set(LANGUAGE_CAPTURES)
    if rule.runtime is not None:
        if rule.runtime.message is not None:
            with suppress(re.error):
                names |= set(re.compile(rule.runtime.message).groupindex)
        if rule.runtime.node is not None:
            names |= set(_QUERY_CAPTURE.findall(rule.runtime.node.query))
    if rule.pattern is not None:
        names |= set(_QUERY_CAPTURE.findall(rule.pattern.query))
    context = {name: name for name in sorted(names)}
    if rule.runtime is not None and language is not None:
        for error_type in rule.runtime.error_types:
            with suppress(Exception):  # plugin code: a failure here only means fewer known names
                added = language.enrich(error_type, context, Document("example", "", language.id))
                context = {**{k: str(v) for k, v in added.items()}, **context}
    return {**context, **REGION_VALUES}


def _static_checks(
    rule: Rule, registry: Registry, templates: TemplateLibrary, lines: Lines, out: Collector
) -> None:
    def report(target: list[Problem], path: Sequence[str | int], label: str, message: str) -> None:
        target.append(Problem(rule.source_file, lines.of(rule, *path), rule.id, label, message))

    def unproven(index: int, part: str, message: str) -> None:
        report(
            out.unproven.setdefault((rule.id, index), []),
            ["fixes", index, part],
            f"fixes[{index}].{part}",
            message,
        )

    for path, label, regex in _regexes(rule):
        for risk in backtracking_risks(regex):
            report(out.warnings, path, label, f"{_RISKY}: {risk} (its examples are not run)")
    language = registry.get(rule.language)
    fixer = language.precise_fixer() if language is not None else None
    for index, fix in enumerate(rule.fixes):
        label = f"fixes[{index}]"
        # A name the fix's `when` requires to be defined exists whenever the fix is rendered.
        guarded = re.findall(r"\b([A-Za-z_]\w*) is defined", fix.when or "")
        context = {**placeholder_context(rule, language), **{name: name for name in guarded}}
        if fix.when and (error := _try(templates.evaluate, fix.when, context)):
            unproven(index, "when", error)
        for name, value in fix.params:
            if error := _try(templates.render_inline, value, context):
                unproven(index, "params", f"{name}: {error}")
            # A literal param (op: add) may key a lookup in the template: keep its real value.
            context[name] = name if error or "{" in value else value
        if fix.template is not None:
            if error := _try(templates.render_inline, fix.template, context):
                unproven(index, "template", error)
        elif fix.template_name is not None:
            if error := _try(_render_chosen, templates, rule, fix.template_name, context):
                unproven(index, "template-name", error)
        elif fix.precise is not None and language is not None and not _has_operation(fixer, fix.precise):
            known = ", ".join(sorted(fixer.operations())) if fixer else "none"
            message = f"the {rule.language} plugin has no precise operation '{fix.precise}' (known: {known})"
            report(out.problems, ["fixes", index, "precise"], f"{label}.precise", message)
    if not rule.tests:
        report(out.warnings, ["id"], "tests", "the rule has no tests")
    elif rule.fixes and not any(t.fixed is not None or t.fixed_files for t in rule.tests):
        report(out.warnings, ["tests"], "tests", "no test checks the fixed output")


def _has_operation(fixer: PreciseFixer | None, operation: str) -> bool:
    return fixer is not None and operation in fixer.operations()


def _render_chosen(templates: TemplateLibrary, rule: Rule, name: str, context: dict[str, str]) -> str:
    return templates.render_named(templates.choose(rule, name).name, context)


def _try(action: Callable[..., object], *args: Any) -> str | None:
    """Why ``action(*args)`` failed, phrased for a rule author; None when it worked."""
    try:
        action(*args)
    except TemplateError as exc:
        text = str(exc)
        if DECLINED in text:
            return None
        undefined = re.search(r"'([A-Za-z_][A-Za-z0-9_]*)' is undefined", text)
        if undefined:
            return f"uses '{undefined.group(1)}', which is not a capture, a param or a template value"
        return text
    except Exception as exc:  # a template compiles lazily: syntax errors surface here
        return f"{type(exc).__name__}: {exc}"
    return None


def _regexes(rule: Rule) -> list[tuple[list[str | int], str, str]]:
    found: list[tuple[list[str | int], str, str]] = []
    query = None
    if rule.runtime is not None:
        if rule.runtime.message:
            found.append((["match", "message"], "match.message", rule.runtime.message))
        query = rule.runtime.node.query if rule.runtime.node else None
    if rule.pattern is not None:
        query = rule.pattern.query
        for capture, regex in (*rule.pattern.where, *rule.pattern.where_not):
            found.append((["match", "where"], f"match.where.{capture}", regex))
    for literal in _QUERY_REGEX.findall(query or ""):
        found.append((["match"], "match.query", re.sub(r"\\(.)", r"\1", literal)))
    return found
