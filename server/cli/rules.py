"""``homeostasis rules ...``: list, show, test, validate, document and scaffold rules.

Exit codes: 0 ok; 1 failing tests or invalid rules; 2 usage; 4 (validate only) rules
that are valid alone but conflict together.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import TYPE_CHECKING, Any

from homeostasis.cli.common import FINDINGS, OK, USAGE, UsageError, warn

if TYPE_CHECKING:
    from homeostasis.engine import Engine
    from homeostasis.fixes.templates import TemplateLibrary
    from homeostasis.model import Rule
    from homeostasis.plugins.registry import Registry
    from homeostasis.ruleset.loader import LoadResult, Problem

CONFLICTS = 4


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="homeostasis rules", description="Work with the rule base.")
    sub = parser.add_subparsers(dest="action", metavar="ACTION")

    def add(name: str, text: str, formats: tuple[str, ...] = ("text", "json")) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=text, description=text)
        command.add_argument(
            "--rules", type=Path, action="append", default=[], metavar="DIR", help="also load rules from DIR"
        )
        command.add_argument("--format", choices=formats, default="text")
        return command

    listing = add("list", "list rules, filtered")
    for name in ("language", "framework", "category", "severity", "kind"):
        listing.add_argument(f"--{name}", action="append", metavar=name.upper(), help=f"only this {name}")
    show = add("show", "a rule in full: definition, docs, tests, fix templates resolved")
    show.add_argument("id")
    test = add("test", "run the rules' own tests")
    test.add_argument("targets", nargs="*", metavar="PATH|ID", help="rule files/folders, or rule ids (globs)")
    test.add_argument("--update", action="store_true", help="rewrite expected fixed outputs that differ")
    test.add_argument("--yes", action="store_true", help="with --update, do not ask for each change")
    test.add_argument("-v", "--verbose", action="store_true", help="list passing tests too")
    validate = add("validate", "check rules: schema, semantics, templates, conflicts")
    validate.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    stats = add("stats", "how often each rule fired and how its fixes fared (local store)")
    stats.add_argument("--root", type=Path, help="workspace root holding .homeostasis/")
    coverage = add("coverage", "what the rules cover; writes an HTML report")
    coverage.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    coverage.add_argument("--html", type=Path, default=Path(".homeostasis/coverage.html"), metavar="FILE")
    coverage.add_argument("--no-html", action="store_true", help="only print the table")
    docs = add("docs", "write one Markdown page per rule")
    docs.add_argument("--output", type=Path, default=Path("docs/rules"), metavar="DIR")
    docs.add_argument("--check", action="store_true", help="write nothing; exit 1 if pages are out of date")
    new = add("new", "scaffold a rule and its test from a pasted error")
    new.add_argument("input", nargs="?", default="-", help="file with the error output, or - for stdin")
    new.add_argument("--id", help="rule id (default: guessed from the error)")
    new.add_argument("--output", type=Path, metavar="FILE", help="create FILE, or add the rule to it")
    schema = sub.add_parser("schema", help="print the rule files' JSON Schema (or its --path)")
    schema.add_argument("--path", action="store_true")
    return parser


def run_rules(argv: Sequence[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else USAGE
    if args.action is None:
        parser.print_help()
        return USAGE
    try:
        for folder in getattr(args, "rules", []):
            if not folder.exists():
                raise UsageError(f"rule folder not found: {folder}")
        if args.action in ("stats", "coverage", "docs", "new", "schema"):
            from homeostasis.cli import rules_tools

            return int(getattr(rules_tools, f"run_{args.action}")(args))
        return {"list": _list, "show": _show, "test": _test, "validate": _validate}[args.action](args)
    except UsageError as exc:
        warn(str(exc))
        return USAGE


# Loading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    """Rules loaded from explicit paths first (so they win over built-ins with the same id)."""

    result: LoadResult
    registry: Registry
    templates: TemplateLibrary
    paths: tuple[Path, ...]
    chosen_files: frozenset[str]  # files named on the command line (empty: all)
    template_files: dict[str, Path]


def load(targets: Sequence[Path], rule_dirs: Sequence[Path], *, announce: bool = True) -> Loaded:
    """Rules from ``targets`` (files or folders), ``rule_dirs`` and the built-ins, in that order.

    With ``announce``, rules left out because they are invalid are counted on stderr.
    """
    from homeostasis.plugins.registry import load_registry
    from homeostasis.ruleset.cache import load_cached
    from homeostasis.ruleset.loader import builtin_rule_paths, builtin_rules_root, load_rules
    from homeostasis.ruleset.templates import load_templates
    from homeostasis.workspace.project import query_checker

    for target in targets:
        if not target.exists():
            raise UsageError(f"no such rule file or folder: {target}")
    chosen = [p.absolute() for t in targets for p in _rule_files(t)]
    extra = [p.absolute() for d in rule_dirs for p in _rule_files(d)]
    registry = load_registry()
    # Rules that third-party language plugins ship count as built-in ones.
    plugin_dirs = [folder for language in registry for folder in language.rule_folders()]
    shipped = [*builtin_rule_paths(), *(file for folder in plugin_dirs for file in _rule_files(folder))]
    builtin = [p.absolute() for p in shipped]
    paths = tuple(dict.fromkeys([*chosen, *extra, *builtin]))
    # Later template folders override earlier ones: plugins, then --rules, then the targets.
    roots = [*plugin_dirs, *rule_dirs, *(t if t.is_dir() else t.parent for t in targets)]
    checker = query_checker(registry)
    result = load_cached(list(paths), lambda files: load_rules(files, check_query=checker))  # type: ignore[arg-type]
    template_files: dict[str, Path] = {}
    for root in (builtin_rules_root() / "templates", *(Path(r) / "templates" for r in roots)):
        if root.is_dir():
            template_files.update({p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*.j2"))})
    if announce and result.problems:
        warn(f"{len(result.problems)} rule problem(s): invalid rules left out (`homeostasis rules validate`)")
    return Loaded(result, registry, load_templates(roots), paths, frozenset(map(str, chosen)), template_files)


def _rule_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(
            p for p in path.rglob("*.y*ml") if p.suffix in (".yaml", ".yml") and "templates" not in p.parts
        )
    return [path]


def _engine(loaded: Loaded) -> Engine:
    from homeostasis.engine import Engine
    from homeostasis.model import Settings

    return Engine(loaded.registry, loaded.result.rules, Settings(), loaded.templates)


def _shown(path: str) -> str:
    from homeostasis.cli.output import display_path

    return display_path(path, Path.cwd())


def _problem_line(label: str, problem: Problem) -> str:
    where = f"{_shown(problem.file)}:{problem.line}" if problem.line else _shown(problem.file)
    rule = f" [{problem.rule_id}]" if problem.rule_id else ""
    return f"{label}: {where}:{rule} {problem.field}: {problem.message}"


def _problem_json(problem: Problem) -> dict[str, Any]:
    return {
        "file": _shown(problem.file),
        "line": problem.line,
        "rule": problem.rule_id,
        "field": problem.field,
        "message": problem.message,
    }


# list / show ----------------------------------------------------------------------------


def _list(args: argparse.Namespace) -> int:
    from homeostasis.cli.rules_tools import rule_table

    loaded = load([], args.rules)
    rules = [r for r in loaded.result.rules if _wanted(r, args)]
    rules.sort(key=lambda r: r.id)
    if args.format == "json":
        print(json.dumps([_rule_json(r) for r in rules], indent=2))
    else:
        print(rule_table(rules), end="")
    return OK


def _wanted(rule: Rule, args: argparse.Namespace) -> bool:
    checks = (
        (args.language, (rule.language,)),
        (args.framework, rule.frameworks or ("none",)),
        (args.category, (rule.category,)),
        (args.severity, (rule.severity.value,)),
        (args.kind, (rule.kind.value,)),
    )
    return all(
        not wanted or any(fnmatchcase(v, w) for v in values for w in wanted) for wanted, values in checks
    )


def _rule_json(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "language": rule.language,
        "kind": rule.kind.value,
        "severity": rule.severity.value,
        "category": rule.category,
        "frameworks": list(rule.frameworks),
        "confidence": rule.confidence,
        "summary": rule.docs.summary or rule.message,
        "fixes": [{"title": f.title, "applicability": f.applicability.value} for f in rule.fixes],
        "tests": len(rule.tests),
        "file": _shown(rule.source_file),
    }


def _show(args: argparse.Namespace) -> int:
    from homeostasis.cli.rules_tools import rule_source, template_resolution

    loaded = load([], args.rules)
    rule = loaded.result.rules.get(args.id)
    if rule is None:
        close = [r.id for r in loaded.result.rules if args.id in r.id][:5]
        raise UsageError(f"no rule {args.id}" + (f"; did you mean {', '.join(close)}?" if close else ""))
    line, text = rule_source(rule)
    resolution = template_resolution(rule, loaded.templates, loaded.template_files)
    if args.format == "json":
        from homeostasis.ruleset.docs import rule_markdown

        data = {**_rule_json(rule), "line": line, "definition": text, "templates": resolution}
        data["docs"] = rule_markdown(rule, loaded.templates)
        print(json.dumps(data, indent=2))
        return OK
    print(f"{rule.id}  ({rule.kind.value}, {rule.severity.value}, {rule.category})")
    print(f"defined in {_shown(rule.source_file)}:{line}\n")
    print(text.rstrip("\n"))
    if resolution:
        print("\nFix templates")
    for entry in resolution:
        print(f"  {entry['fix']}. {entry['title']}: {entry['how']}")
        for candidate in entry.get("candidates", []):
            mark = "<- used" if candidate["used"] else ("exists" if candidate["exists"] else "-")
            print(f"       {candidate['level']:<10} {candidate['name']:<60} {mark}")
        for link in entry.get("chain", []):
            print(f"\n     --- {link['name']} ({_shown(link['file'])})")
            print("".join(f"     | {ln}\n" for ln in link["source"].rstrip("\n").split("\n")), end="")
    return OK


# test -----------------------------------------------------------------------------------


def _test(args: argparse.Namespace) -> int:
    from homeostasis.cli.rules_tools import review_updates
    from homeostasis.ruleset.testing import run_rule_tests

    paths = [Path(t) for t in args.targets if Path(t).exists()]
    globs = [t for t in args.targets if not Path(t).exists()]
    loaded = load(paths, args.rules, announce=False)
    selected = [
        r
        for r in loaded.result.rules
        if (not paths and not globs)
        or r.source_file in loaded.chosen_files
        or any(fnmatchcase(r.id, g) for g in globs)
    ]
    for glob in globs:
        if not any(fnmatchcase(r.id, glob) for r in loaded.result.rules):
            raise UsageError(f"{glob} is neither a rule file or folder nor the id of a loaded rule")
    selected.sort(key=lambda r: r.id)
    problems = [p for p in loaded.result.problems if not loaded.chosen_files or p.file in loaded.chosen_files]
    engine = _engine(loaded)
    outcomes = [o for rule in selected for o in run_rule_tests(engine, rule)]
    if args.update:
        by_id = {r.id: r for r in selected}
        failing = sorted({o.rule_id for o in outcomes if o.kind == "fix"})
        if review_updates(engine, [by_id[i] for i in failing], ask=sys.stdin.isatty() and not args.yes):
            loaded = load(paths, args.rules, announce=False)
            engine = _engine(loaded)
            fresh = {r.id: r for r in loaded.result.rules}
            outcomes = [o for r in selected for o in run_rule_tests(engine, fresh.get(r.id, r))]
    failed = [o for o in outcomes if not o.ok]
    if args.format == "json":
        print(
            json.dumps(
                {
                    "rules": len(selected),
                    "tests": len(outcomes),
                    "passed": len(outcomes) - len(failed),
                    "failed": len(failed),
                    "outcomes": [o.__dict__ for o in outcomes if args.verbose or not o.ok],
                    "problems": [_problem_json(p) for p in problems],
                },
                indent=2,
            )
        )
    else:
        for problem in problems:
            print(_problem_line("INVALID", problem))
        for outcome in outcomes if args.verbose else failed:
            print(str(outcome).replace("\n", "\n    "))
        untested = sum(1 for r in selected if not r.tests)
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(_count(o.kind for o in failed).items()))
        print(
            f"{len(selected)} rules, {len(outcomes)} tests: {len(outcomes) - len(failed)} passed, "
            f"{len(failed)} failed{f' ({kinds})' if kinds else ''}"
            + (f"; {untested} rules without tests" if untested else "")
            + (f"; {len(problems)} rule problems" if problems else "")
        )
    return FINDINGS if failed or problems else OK


def _count(items: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return counts


# validate -------------------------------------------------------------------------------


def _validate(args: argparse.Namespace) -> int:
    from homeostasis.ruleset.validate import validate_rules
    from homeostasis.workspace.project import query_checker

    loaded = load(args.paths, args.rules, announce=False)
    report = validate_rules(
        loaded.paths,
        loaded.registry,
        loaded.templates,
        query_checker=query_checker(loaded.registry),  # type: ignore[arg-type]
        template_files=loaded.template_files,
        report_files=loaded.chosen_files or None,
        loaded=loaded.result,
    )
    count = sum(1 for r in report.rules if not loaded.chosen_files or r.source_file in loaded.chosen_files)
    if args.format == "json":
        data = {
            "rules": count,
            "problems": [_problem_json(p) for p in report.problems],
            "conflicts": [_problem_json(p) for p in report.conflicts],
            "warnings": [_problem_json(p) for p in report.warnings],
            "exit_code": report.exit_code,
        }
        print(json.dumps(data, indent=2))
        return report.exit_code
    for label, items in (
        ("error", report.problems),
        ("conflict", report.conflicts),
        ("warning", report.warnings),
    ):
        for problem in items:
            print(_problem_line(label, problem))
    print(
        f"{count} rules: {len(report.problems)} problems, {len(report.conflicts)} conflicts, "
        f"{len(report.warnings)} warnings"
    )
    return report.exit_code
