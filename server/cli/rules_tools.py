"""``homeostasis rules`` stats, coverage, docs, new and schema; plain tables, rule sources, update review.

The HTML coverage report is in ``rules_report``; list, show, test and validate in ``rules``.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from homeostasis import __version__
from homeostasis.cli.common import FINDINGS, OK, UsageError, warn
from homeostasis.cli.rules import load

if TYPE_CHECKING:
    from homeostasis.engine import Engine
    from homeostasis.fixes.templates import TemplateLibrary
    from homeostasis.model import Rule
    from homeostasis.ruleset.coverage import Coverage, Tally
    from homeostasis.workspace.stats import RuleRates

_EXTENDS = re.compile(r"""\{%-?\s*extends\s+["']([^"']+)["']""")


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], right: Iterable[int] = ()) -> str:
    """A plain aligned table (greppable, no box drawing); ``right`` columns are right-aligned."""
    cells = [list(map(str, headers)), *([str(c) for c in row] for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    aligned = set(right)
    lines = [
        "  ".join(
            c.rjust(w) if i in aligned else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in cells
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def rule_table(rules: Sequence[Rule]) -> str:
    rows = [
        (
            r.id,
            r.kind.value,
            r.severity.value,
            r.category,
            ",".join(r.frameworks) or "-",
            len(r.fixes),
            len(r.tests),
            _short(r.docs.summary or r.message, 70),
        )
        for r in rules
    ]
    headers = ("ID", "KIND", "SEVERITY", "CATEGORY", "FRAMEWORKS", "FIXES", "TESTS", "SUMMARY")
    return table(headers, rows, right=(5, 6)) + f"{len(rules)} rules\n"


# show -----------------------------------------------------------------------------------


def rule_source(rule: Rule) -> tuple[int, str]:
    """The rule's own text in its file (comments inside it included) and its first line."""
    import yaml

    try:
        text = Path(rule.source_file).read_text(encoding="utf-8")
        items = yaml.compose(text, Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return 0, ""
    for key, value in getattr(items, "value", []):
        if key.value != "rules":
            continue
        for item in value.value:
            ids = [v.value for k, v in item.value if k.value == "id"]
            if ids == [rule.id]:
                start = text.rfind("\n", 0, item.start_mark.index) + 1
                block = text[start : item.end_mark.index].rstrip() + "\n"
                return item.start_mark.line + 1, _dedent(block)
    return 0, ""


def _dedent(block: str) -> str:
    lines = block.split("\n")
    indent = min((len(x) - len(x.lstrip(" ")) for x in lines if x.strip()), default=0)
    return "\n".join(x[indent:] for x in lines)


def template_resolution(
    rule: Rule, templates: TemplateLibrary, files: Mapping[str, Path]
) -> list[dict[str, Any]]:
    """For each fix: how it is produced; for named templates, every level tried and the chain used."""
    from homeostasis.fixes.templates import TemplateError

    out: list[dict[str, Any]] = []
    for number, fix in enumerate(rule.fixes, 1):
        entry: dict[str, Any] = {"fix": number, "title": fix.title}
        if fix.precise is not None:
            entry["how"] = f"precise operation '{fix.precise}' of the {rule.language} plugin"
        elif fix.template is not None:
            entry["how"] = f"inline template {fix.template!r}"
        else:
            name = fix.template_name or ""
            try:
                chosen = templates.choose(rule, name).name
                entry["how"] = f"template '{name}' -> {chosen}"
            except TemplateError as exc:
                chosen = None
                entry["how"] = str(exc)
            entry["candidates"] = [
                {
                    "level": c.level,
                    "name": c.name,
                    "exists": c.name in templates.sources,
                    "used": c.name == chosen,
                }
                for c in templates.candidates(rule, name)
            ]
            chain: list[dict[str, str]] = []
            while chosen is not None and chosen in templates.sources and len(chain) < 10:
                source = templates.sources[chosen]
                chain.append({"name": chosen, "file": str(files.get(chosen, chosen)), "source": source})
                parent = _EXTENDS.search(source)
                chosen = parent.group(1) if parent else None
            entry["chain"] = chain
        out.append(entry)
    return out


# test --update ------------------------------------------------------------------------


def review_updates(engine: Engine, rules: Sequence[Rule], ask: bool) -> bool:
    """Show each expected output that differs, ask when interactive, rewrite the files. True if any."""
    from homeostasis.ruleset.update import UpdateError, rewrite_fixed, updates_for

    by_file: dict[str, list[Any]] = {}
    for rule in rules:
        by_file.setdefault(rule.source_file, []).extend(updates_for(engine, rule))
    written = False
    accept_all = not ask
    for file, updates in sorted(by_file.items()):
        chosen = []
        for update in updates:
            where = f"{update.rule_id} :: {update.test_name}" + (f" ({update.path})" if update.path else "")
            print(f"--- expected output of {where}")
            diff = difflib.unified_diff(
                update.old.splitlines(keepends=True),
                update.new.splitlines(keepends=True),
                "expected",
                "actual",
            )
            print("".join(line if line.endswith("\n") else line + "\n" for line in diff), end="")
            answer = "y" if accept_all else _ask("Record the actual output? [y]es/[n]o/[a]ll/[q]uit ")
            if answer == "q":
                break
            accept_all = accept_all or answer == "a"
            if answer in ("y", "a"):
                chosen.append(update)
        if not chosen:
            continue
        try:
            text = Path(file).read_text(encoding="utf-8")
            _write_atomic(Path(file), rewrite_fixed(text, chosen))
        except (OSError, UpdateError) as exc:
            print(f"homeostasis: {file} not updated: {exc}", file=sys.stderr)
            continue
        written = True
        print(f"updated {len(chosen)} expected output(s) in {file}")
    return written


def _ask(prompt: str) -> str:
    try:
        return input(prompt).strip().lower()[:1] or "n"
    except EOFError:
        return "q"


def _write_atomic(path: Path, text: str) -> None:
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


# stats ----------------------------------------------------------------------------------


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def stats_table(rows: Sequence[tuple[RuleRates, float | None, float | None]]) -> str:
    headers = (
        "RULE",
        "FIRED",
        "OFFERED",
        "APPLIED",
        "VALIDATED",
        "ROLLED BACK",
        "SUCCESS",
        "TAKEN",
        "CONFIDENCE",
    )
    body = [
        (
            r.rule_id,
            r.fired,
            r.offered,
            r.applied,
            r.validated,
            r.rolled_back,
            _percent(r.success_rate),
            _percent(r.acceptance_rate),
            "-" if base is None else f"{base:.2f} -> {adjusted:.2f}" if adjusted != base else f"{base:.2f}",
        )
        for r, base, adjusted in rows
    ]
    note = "SUCCESS = validated / (validated + rolled back); TAKEN = applied / offered.\n"
    return table(headers, body, right=range(1, 8)) + note


# coverage -------------------------------------------------------------------------------


def coverage_table(coverage: Coverage) -> str:
    def rows(groups: Mapping[str, Tally]) -> list[tuple[object, ...]]:
        return [
            (name, t.rules, t.runtime, t.pattern, t.with_fixes, t.fix_tested, t.with_tests, t.tests)
            for name, t in groups.items()
        ]

    headers = ("{}", "RULES", "RUNTIME", "PATTERN", "FIXES", "FIX TESTED", "TESTED", "TESTS")
    total = coverage.total
    parts = [
        table([headers[0].format("ERROR FAMILY"), *headers[1:]], rows(coverage.by_family), range(1, 8)),
        table([headers[0].format("LANGUAGE"), *headers[1:]], rows(coverage.by_language), range(1, 8)),
        table([headers[0].format("FRAMEWORK"), *headers[1:]], rows(coverage.by_framework), range(1, 8)),
        table([headers[0].format("RULE SET"), *headers[1:]], rows(coverage.by_ruleset), range(1, 8)),
        f"{total.rules} rules: {total.with_tests} with tests, {total.with_fixes} with fixes "
        f"({total.fix_tested} with the fixed output tested), {len(coverage.families)} error families, "
        f"{len(coverage.languages)} language(s)\n",
    ]
    return "\n".join(parts)


# stats / coverage / docs ----------------------------------------------------------------


def run_stats(args: argparse.Namespace) -> int:
    from homeostasis.workspace.config import load_config
    from homeostasis.workspace.stats import StatsStore, adjusted_confidence

    root = args.root or load_config(Path.cwd()).root
    store = StatsStore.for_root(root, on_warning=warn)
    rates = store.rates()
    rules = load([], args.rules).result.rules
    rows = []
    for rule_id, rate in rates.items():
        rule = rules.get(rule_id)
        base = rule.confidence if rule is not None else None
        adjusted = adjusted_confidence(base, rate) if base is not None else None
        rows.append((rate, base, adjusted))
    if args.format == "json":
        data = [
            {**rate.__dict__, "success_rate": rate.success_rate, "acceptance_rate": rate.acceptance_rate}
            | {"base_confidence": base, "adjusted_confidence": adjusted}
            for rate, base, adjusted in rows
        ]
        print(json.dumps({"store": str(store.path), "rules": data}, indent=2))
    elif not rows:
        print(f"No statistics in {store.path} yet: `homeostasis fix` and `check --fix` record them.")
    else:
        print(stats_table(rows), end="")
    return OK


def run_coverage(args: argparse.Namespace) -> int:
    from homeostasis.cli.rules_report import render_coverage
    from homeostasis.ruleset.coverage import compute_coverage, ruleset_namer
    from homeostasis.ruleset.loader import builtin_rules_root
    from homeostasis.workspace.stats import ensure_store_dir

    loaded = load(args.paths, args.rules)
    rules = [
        r for r in loaded.result.rules if not loaded.chosen_files or r.source_file in loaded.chosen_files
    ]
    plugin_dirs = [folder for language in loaded.registry for folder in language.rule_folders()]
    roots = [*(p if p.is_dir() else p.parent for p in args.paths), *args.rules, builtin_rules_root()]
    roots += [folder.parent.parent for folder in plugin_dirs]  # named <package>/rules/...
    coverage = compute_coverage(rules, ruleset_namer(roots))
    if args.format == "json":
        print(json.dumps(coverage.to_json(), indent=2))
    else:
        print(coverage_table(coverage), end="")
    if not args.no_html:
        if args.html.parent.name == ".homeostasis":
            ensure_store_dir(args.html.parent)
        args.html.parent.mkdir(parents=True, exist_ok=True)
        args.html.write_text(render_coverage(coverage, __version__), encoding="utf-8")
        print(f"HTML report: {args.html}", file=sys.stderr if args.format == "json" else sys.stdout)
    return OK


def run_docs(args: argparse.Namespace) -> int:
    from homeostasis.ruleset.docs import GENERATED_MARK, index_markdown, rule_markdown

    loaded = load([], args.rules)
    rules = sorted(loaded.result.rules, key=lambda r: r.id)
    pages = {f"{r.id}.md": rule_markdown(r, loaded.templates) for r in rules}
    pages["README.md"] = index_markdown(rules)
    out: Path = args.output
    stale = sorted(
        p.name
        for p in (out.glob("*.md") if out.is_dir() else [])
        if p.name not in pages and GENERATED_MARK in p.read_text(encoding="utf-8", errors="replace")
    )
    changed = [
        n for n, text in pages.items() if not (out / n).is_file() or (out / n).read_text("utf-8") != text
    ]
    if args.check:
        for name in (*changed, *stale):
            print(f"out of date: {out / name}")
        return FINDINGS if changed or stale else OK
    out.mkdir(parents=True, exist_ok=True)
    for name in changed:
        (out / name).write_text(pages[name], encoding="utf-8")
    for name in stale:
        (out / name).unlink()
    print(f"{len(pages)} pages in {out}: {len(changed)} written, {len(stale)} removed")
    return OK


# new / schema ---------------------------------------------------------------------------


def run_new(args: argparse.Namespace) -> int:
    import os

    from homeostasis.cli.common import read_error_input
    from homeostasis.engine import Engine
    from homeostasis.model import Settings
    from homeostasis.ruleset.loader import schema_path
    from homeostasis.ruleset.scaffold import (
        ScaffoldError,
        append_rule,
        item_indent,
        new_rule_file,
        scaffold_rule,
    )

    text, _name = read_error_input(args.input)
    loaded = load([], args.rules)
    engine = Engine(loaded.registry, loaded.result.rules, Settings(), loaded.templates)
    output: Path | None = args.output
    existing = output.read_text(encoding="utf-8") if output is not None and output.is_file() else None
    try:
        scaffold = scaffold_rule(text, engine, rule_id=args.id, indent=item_indent(existing or ""))
        if existing is not None:
            result = append_rule(existing, scaffold)
        else:
            where = output.parent if output is not None else Path.cwd()
            result = new_rule_file(
                scaffold, Path(os.path.relpath(schema_path(), where.absolute())).as_posix()
            )
    except ScaffoldError as exc:
        raise UsageError(str(exc)) from exc
    for rule_id in scaffold.already:
        warn(f"note: {rule_id} already explains this error; consider refining it (`requires: [{rule_id}]`)")
    if output is None:
        print(result, end="")
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(result, encoding="utf-8")
        state = "its test matches the error" if scaffold.matched else "its test does not match yet"
        print(f"{'Added' if existing else 'Created'} {scaffold.rule_id} in {output} ({state}).")
        print(
            f"Fill in the TODOs, then: homeostasis rules test {output}; homeostasis rules validate {output}"
        )
    return OK


def run_schema(args: argparse.Namespace) -> int:
    from homeostasis.ruleset.loader import schema_path

    path = schema_path()
    print(path if args.path else path.read_text(encoding="utf-8"), end="\n" if args.path else "")
    return OK
