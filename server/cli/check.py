"""``homeostasis check``: scan a tree with the pattern rules, report, optionally fix."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from pathlib import Path

from homeostasis import __version__
from homeostasis.cli.common import FINDINGS, OK, UsageError, load_context, report_problems, rules_meta, warn
from homeostasis.cli.output import render
from homeostasis.fixes.edits import apply_edits, merge_fixes, unified_diff
from homeostasis.model import Applicability, Document, FileEdit, Finding, Fix, RuleKind, Settings, Severity
from homeostasis.workspace.files import SourceFile, read_source, walk_paths
from homeostasis.workspace.scan import adopt, in_shard, relative, scan


def run_check(args: argparse.Namespace) -> int:
    for path in args.paths:
        if not path.exists():
            raise UsageError(f"no such file or directory: {path}")
    context = load_context(
        args.paths[0],
        args.root,
        args.rules,
        enable=args.enable,
        disable=args.disable,
        confidence_threshold=args.confidence_threshold,
        unsafe_fixes=args.unsafe_fixes or None,
    )
    report_problems(context)
    # A scan keeps every finding it makes (tens of thousands on a large tree): the collector's
    # frequent young passes over them, and over the rule set, cost more than making them.
    # The loaded rules are frozen (also sparing the pages forked workers share) and passes
    # become rare; the command ends soon anyway.
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    registry = context.project.registry
    engine = context.project.engine
    shard = _parse_shard(args.shard)
    # A language none of whose pattern rules is enabled has nothing to find: its files are
    # not even parsed (`--enable 'python.*'` leaves a project's JavaScript alone).
    checked = {lang for lang in registry if engine.rules_for(lang.id, RuleKind.PATTERN)}
    files = list(
        walk_paths(
            args.paths,
            registry.extensions,
            context.settings.exclude,
            respect_gitignore=not args.no_gitignore,
            exclude_root=context.root,
            accept=lambda name: registry.for_path(name) in checked,
        )
    )
    root = str(context.root)
    if shard is not None:
        files = [f for f in files if in_shard(relative(f, root), *shard)]
    # Fixes cost a render and a re-parse each; only compute them when they are used.
    wants_fixes = args.fix or args.diff or args.with_fixes
    adopt(context.project, tuple(str(d) for d in args.rules))
    result = scan(
        files,
        root,
        context.settings,
        tuple(str(d) for d in args.rules),
        with_fixes=wants_fixes,
        jobs=args.jobs,
        use_cache=not args.no_cache,
    )
    for path, reason in result.skipped:
        warn(f"skipped {path}: {reason}")
    findings = list(result.findings)
    if args.fix or args.diff:
        allowed = {Applicability.SAFE} | ({Applicability.UNSAFE} if context.settings.unsafe_fixes else set())
        if args.diff:
            merged = merge_fixes(_chosen(findings, allowed))
            diff = _diffs(merged.files, context.root)
            sys.stdout.write(diff)
            return FINDINGS if diff and not args.exit_zero else OK
        fired = [f.rule_id for f in findings]
        offered = [f.rule_id for f in findings if f.fixes]
        findings, applied = _fix_until_stable(findings, allowed, context.root, context.settings, args)
        from homeostasis.workspace.stats import StatsStore

        StatsStore.for_root(context.root, on_warning=warn).record_run(
            fired=fired, offered=offered, applied=applied
        )
    documents = _documents_for(findings, context.root, context.settings) if args.format == "sarif" else None
    report = render(
        findings,
        args.format,
        root=context.root,
        rules_meta=rules_meta(context.project),
        tool_version=__version__,
        documents=documents,
        files_scanned=result.scanned,
        pretty=not args.output and sys.stdout.isatty(),
    )
    if args.output:
        args.output.write_text(report, encoding="utf-8")
    else:
        sys.stdout.write(report if report.endswith("\n") or not report else report + "\n")
    threshold = Severity(args.fail_on).rank
    failing = any(f.severity.rank >= threshold for f in findings)
    return FINDINGS if failing and not args.exit_zero else OK


def _documents_for(findings: list[Finding], root: Path, settings: Settings) -> dict[str, Document]:
    documents: dict[str, Document] = {}
    for path in {f.path for f in findings}:
        loaded = read_source(root / path, settings.max_file_bytes)
        if isinstance(loaded, SourceFile):
            documents[path] = Document(path, loaded.text, "")
    return documents


# Overlapping fixes are applied one per pass; a few passes settle any real file.
MAX_FIX_PASSES = 8


def _chosen(findings: list[Finding], allowed: set[Applicability]) -> list[Fix]:
    return [f.fixes[0] for f in findings if f.fixes and f.fixes[0].applicability in allowed]


def _fix_until_stable(
    findings: list[Finding],
    allowed: set[Applicability],
    root: Path,
    settings: Settings,
    args: argparse.Namespace,
) -> tuple[list[Finding], list[str]]:
    """Apply fixes, rescan what changed, and repeat while overlapping fixes were held back."""
    from homeostasis.workspace.transaction import apply_transaction

    applied = 0
    applied_rules: list[str] = []
    touched: set[str] = set()
    for _ in range(MAX_FIX_PASSES):
        fixes = _chosen(findings, allowed)
        if not fixes:
            break
        merged = merge_fixes(fixes)
        outcome = apply_transaction(root, merged.files)
        if not outcome.ok:
            warn(f"fixes not applied: {outcome.error}")
            break
        applied += len(fixes) - len(merged.dropped)
        applied_rules.extend(fix.rule_id for fix in fixes if fix not in merged.dropped)
        changed = set(outcome.changed)
        touched |= changed
        again = scan(
            [str(root / path) for path in sorted(changed)],
            str(root),
            settings,
            tuple(str(d) for d in args.rules),
            with_fixes=True,
            jobs=1,
            use_cache=not args.no_cache,
        )
        findings = [f for f in findings if f.path not in changed] + list(again.findings)
        if not merged.dropped or not changed:
            break
    if applied:
        print(f"Fixed {applied} finding(s) in {len(touched)} file(s).", file=sys.stderr)
    return findings, applied_rules


def _parse_shard(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    index, sep, count = value.partition("/")
    if not (sep and index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count)):
        raise UsageError(f"--shard expects I/N with 1 <= I <= N, got {value!r}")
    return int(index), int(count)


def _diffs(file_edits: Sequence[FileEdit], root: Path) -> str:
    out = []
    for file_edit in file_edits:
        loaded = read_source(root / file_edit.path, 1 << 31)
        if isinstance(loaded, SourceFile):
            out.append(unified_diff(file_edit.path, loaded.text, apply_edits(loaded.text, file_edit.edits)))
    return "".join(out)
