"""``homeostasis fix``: apply the best fix for each error, all files in one transaction."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping

from homeostasis.cli.common import FINDINGS, NOTHING_FOUND, OK, warn
from homeostasis.cli.explain import diagnose_input
from homeostasis.fixes.edits import apply_edits, merge_fixes, unified_diff
from homeostasis.model import Applicability, Diagnosis, FileEdit, Fix
from homeostasis.workspace.sources import DiskSources
from homeostasis.workspace.stats import RuleRates, StatsStore, adjusted_confidence
from homeostasis.workspace.transaction import apply_transaction


def choose_fix(
    diagnosis: Diagnosis, allowed: frozenset[Applicability], rates: Mapping[str, RuleRates] | None = None
) -> tuple[Fix | None, str]:
    """The best fix for one error, or why there is none.

    Safer fixes first; among equals, the higher confidence after this workspace's
    history of validated and rolled-back fixes (``homeostasis rules stats``).
    """
    history = rates or {}
    skipped: list[str] = []
    for finding in diagnosis.findings:
        if not finding.located:
            continue
        ranked = sorted(
            finding.fixes,
            key=lambda f: (f.applicability.rank, -adjusted_confidence(f.confidence, history.get(f.rule_id))),
        )
        for fix in ranked:
            if fix.applicability in allowed:
                return fix, ""
            skipped.append(f"'{fix.title}' is {fix.applicability.value}")
    if skipped:
        hint = " (use --unsafe to allow unsafe fixes)" if Applicability.UNSAFE not in allowed else ""
        return None, "no fix allowed: " + "; ".join(skipped) + hint
    if not any(f.located for f in diagnosis.findings):
        return None, "; ".join(diagnosis.problems) or "the error is not located in the workspace"
    notes = [n for f in diagnosis.findings for n in f.notes[1:]]
    return None, "no fix available" + (f" ({'; '.join(notes)})" if notes else "")


def run_fix(args: argparse.Namespace) -> int:
    context, sources, diagnoses, name = diagnose_input(args)
    if not diagnoses:
        print(f"No error output recognised in {name}.")
        return NOTHING_FOUND
    allowed = frozenset({Applicability.SAFE} | ({Applicability.UNSAFE} if args.unsafe else set()))
    stats = StatsStore.for_root(context.root, on_warning=warn)
    located = [f for d in diagnoses for f in d.findings if f.located]
    fired = [f.rule_id for f in located]
    offered = [f.rule_id for f in located for _ in f.fixes]
    rates = stats.rates()
    chosen: list[Fix] = []
    for diagnosis in diagnoses:
        fix, why = choose_fix(diagnosis, allowed, rates)
        message = diagnosis.event.message.strip()
        label = f"{diagnosis.event.error_type}: {message.splitlines()[0][:100] if message else ''}"
        if fix is None:
            print(f"- {label}\n    not fixed: {why}")
        else:
            print(f"- {label}\n    fix ({fix.applicability.value}): {fix.title}")
            chosen.append(fix)
    if not chosen:
        stats.record_run(fired=fired, offered=offered)
        return FINDINGS
    merged = merge_fixes(chosen)
    for dropped in merged.dropped:
        print(f"    skipped '{dropped.title}': it overlaps another fix; run again after this one")
    if args.diff or args.dry_run:
        stats.record_run(fired=fired, offered=offered)
        print(_diff(merged.files, sources), end="")
        return OK
    result = apply_transaction(context.root, merged.files, validate=args.validate)
    applied = [f.rule_id for f in chosen if f not in merged.dropped]
    if result.rolled_back:
        stats.record_run(fired=fired, offered=offered, applied=applied, outcome="rolled_back")
    elif result.ok:
        stats.record_run(
            fired=fired, offered=offered, applied=applied, outcome="validated" if args.validate else None
        )
    else:
        stats.record_run(fired=fired, offered=offered)
    if result.ok and not result.rolled_back:
        changed = ", ".join(result.changed) or "no file"
        print(f"Applied {len(chosen) - len(merged.dropped)} fix(es) to {changed}.")
        if args.validate:
            print(f"Validation passed: {args.validate}")
        return OK
    if result.rolled_back:
        warn(f"validation failed (exit {result.validation_exit_code}); every file was restored")
        if result.validation_output:
            print(result.validation_output, file=sys.stderr)
    else:
        warn(f"nothing was changed: {result.error}")
    return FINDINGS


def _diff(file_edits: tuple[FileEdit, ...], sources: DiskSources) -> str:
    out = []
    for file_edit in file_edits:
        document = sources.get(file_edit.path)
        if document is not None:
            out.append(
                unified_diff(file_edit.path, document.text, apply_edits(document.text, file_edit.edits))
            )
    return "".join(out)
