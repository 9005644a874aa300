"""``homeostasis check``: scan a tree with the pattern rules, report, optionally fix."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from homeostasis import __version__
from homeostasis.cli.common import FINDINGS, OK, UsageError, load_context, report_problems, rules_meta, warn
from homeostasis.cli.output import render
from homeostasis.fixes.edits import apply_edits, merge_fixes, unified_diff
from homeostasis.model import Applicability, Document, Finding, Settings, Severity
from homeostasis.workspace.files import SourceFile, read_source, walk
from homeostasis.workspace.project import build_project

# Below this many files a worker pool costs more than it saves.
PARALLEL_THRESHOLD = 200
CHUNK = 48


@dataclass(frozen=True)
class ScanResult:
    findings: tuple[Finding, ...]
    skipped: tuple[tuple[str, str], ...]  # (path, reason)
    scanned: int


@lru_cache(maxsize=4)
def _engine_for(settings: Settings, rule_dirs: tuple[str, ...]):  # type: ignore[no-untyped-def]
    # Memoised per process: forked workers inherit the parent's already-built engine.
    return build_project(settings, [Path(d) for d in rule_dirs])


def scan_files(
    paths: Sequence[str], root: str, settings: Settings, rule_dirs: tuple[str, ...], with_fixes: bool
) -> ScanResult:
    project = _engine_for(settings, rule_dirs)
    engine, registry = project.engine, project.registry
    findings: list[Finding] = []
    skipped: list[tuple[str, str]] = []
    scanned = 0
    for path in paths:
        language = registry.for_path(path)
        if language is None:
            continue
        loaded = read_source(Path(path), settings.max_file_bytes)
        if not isinstance(loaded, SourceFile):
            skipped.append((path, loaded.reason))
            continue
        scanned += 1
        document = Document(_relative(path, root), loaded.text, language.id)
        try:
            findings.extend(engine.check(document, with_fixes=with_fixes))
        except Exception as exc:  # one pathological file must not lose the whole scan
            skipped.append((path, f"internal error while scanning: {exc!r}"))
    return ScanResult(tuple(findings), tuple(skipped), scanned)


def _relative(path: str, root: str) -> str:
    try:
        return Path(path).absolute().relative_to(root).as_posix()
    except ValueError:
        return Path(path).as_posix()


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
    registry = context.project.registry
    files = [
        str(p)
        for p in walk(
            args.paths,
            registry.extensions,
            context.settings.exclude,
            respect_gitignore=not args.no_gitignore,
            exclude_root=context.root,
        )
    ]
    wants_fixes = args.fix or args.diff or args.format in ("json", "sarif")
    result = _scan(
        files, str(context.root), context.settings, tuple(str(d) for d in args.rules), wants_fixes, args.jobs
    )
    for path, reason in result.skipped:
        warn(f"skipped {path}: {reason}")
    findings = list(result.findings)
    if args.fix or args.diff:
        allowed = {Applicability.SAFE} | ({Applicability.UNSAFE} if context.settings.unsafe_fixes else set())
        fixes = [f.fixes[0] for f in findings if f.fixes and f.fixes[0].applicability in allowed]
        merged = merge_fixes(fixes)
        if args.diff:
            diff = _diffs(merged.files, context.root)
            sys.stdout.write(diff)
            return FINDINGS if diff and not args.exit_zero else OK
        from homeostasis.workspace.transaction import apply_transaction

        outcome = apply_transaction(context.root, merged.files)
        if not outcome.ok:
            warn(f"fixes not applied: {outcome.error}")
        else:
            applied = {id(f) for f in fixes} - {id(f) for f in merged.dropped}
            findings = [f for f in findings if not (f.fixes and id(f.fixes[0]) in applied)]
            print(f"Fixed {len(applied)} finding(s) in {len(outcome.changed)} file(s).", file=sys.stderr)
    documents = _documents_for(findings, context.root, context.settings) if args.format == "sarif" else None
    report = render(
        findings,
        args.format,
        root=context.root,
        rules_meta=rules_meta(context.project),
        tool_version=__version__,
        documents=documents,
        files_scanned=result.scanned,
    )
    if args.output:
        args.output.write_text(report, encoding="utf-8")
    else:
        sys.stdout.write(report if report.endswith("\n") or not report else report + "\n")
    threshold = Severity(args.fail_on).rank
    failing = any(f.severity.rank >= threshold for f in findings)
    return FINDINGS if failing and not args.exit_zero else OK


def _scan(
    files: list[str], root: str, settings: Settings, rule_dirs: tuple[str, ...], with_fixes: bool, jobs: int
) -> ScanResult:
    workers = jobs or (os.cpu_count() or 1)
    if workers <= 1 or len(files) < PARALLEL_THRESHOLD:
        return scan_files(files, root, settings, rule_dirs, with_fixes)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _engine_for(settings, rule_dirs)  # built once here, inherited by forked workers
    chunks = [files[i : i + CHUNK] for i in range(0, len(files), CHUNK)]
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    pool_context = multiprocessing.get_context(method)
    findings: list[Finding] = []
    skipped: list[tuple[str, str]] = []
    scanned = 0
    with ProcessPoolExecutor(max_workers=workers, mp_context=pool_context) as pool:
        futures = [pool.submit(scan_files, chunk, root, settings, rule_dirs, with_fixes) for chunk in chunks]
        for future in futures:
            part = future.result()
            findings.extend(part.findings)
            skipped.extend(part.skipped)
            scanned += part.scanned
    return ScanResult(tuple(findings), tuple(skipped), scanned)


def _documents_for(findings: list[Finding], root: Path, settings: Settings) -> dict[str, Document]:
    documents: dict[str, Document] = {}
    for path in {f.path for f in findings}:
        loaded = read_source(root / path, settings.max_file_bytes)
        if isinstance(loaded, SourceFile):
            documents[path] = Document(path, loaded.text, "")
    return documents


def _diffs(file_edits: Sequence, root: Path) -> str:  # type: ignore[type-arg]
    out = []
    for file_edit in file_edits:
        loaded = read_source(root / file_edit.path, 1 << 31)
        if isinstance(loaded, SourceFile):
            out.append(unified_diff(file_edit.path, loaded.text, apply_edits(loaded.text, file_edit.edits)))
    return "".join(out)
