"""``homeostasis explain``: what failed, where, why, and how to fix it."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from homeostasis import __version__
from homeostasis.cli.common import (
    NOTHING_FOUND,
    OK,
    Context,
    UsageError,
    load_context,
    read_error_input,
    report_problems,
)
from homeostasis.cli.output import display_path
from homeostasis.cli.output.json_format import finding_json
from homeostasis.fixes.edits import apply_edits, unified_diff
from homeostasis.model import Diagnosis, Finding, Fix
from homeostasis.workspace.sources import DiskSources


def parse_remaps(values: list[str]) -> tuple[tuple[str, str], ...]:
    remaps: list[tuple[str, str]] = []
    for value in values:
        prefix, sep, target = value.partition("=")
        if not sep or not prefix:
            raise UsageError(f"--remap expects FROM=TO, got {value!r}")
        remaps.append((prefix, target or "."))
    return tuple(remaps)


def diagnose_input(args: argparse.Namespace) -> tuple[Context, DiskSources, list[Diagnosis], str]:
    text, name = read_error_input(args.input)
    context = load_context(
        args.root or Path.cwd(),
        args.root,
        args.rules,
        parse_remaps(args.remap),
        enable=args.enable,
        disable=args.disable,
        confidence_threshold=args.confidence_threshold,
    )
    report_problems(context)
    engine = context.project.engine
    registry = context.project.registry
    sources = DiskSources(
        context.root,
        context.settings.max_file_bytes,
        lambda p: lang.id if (lang := registry.for_path(p)) else None,
    )
    events = engine.read_errors(text)
    return context, sources, engine.diagnose(events, sources), name


def run_explain(args: argparse.Namespace) -> int:
    context, sources, diagnoses, name = diagnose_input(args)
    if args.format == "json":
        print(json.dumps([diagnosis_json(d, context.root) for d in diagnoses], indent=2))
    elif diagnoses:
        print("\n\n".join(render_diagnosis(d, context.root, sources) for d in diagnoses))
    if not diagnoses:
        if args.format != "json":
            print(f"No error output recognised in {name}.")
        return NOTHING_FOUND
    return OK


def diagnosis_json(diagnosis: Diagnosis, root: Path) -> dict[str, Any]:
    event = diagnosis.event
    return {
        "tool": {"name": "homeostasis", "version": __version__},
        "error": {
            "language": event.language,
            "type": event.error_type,
            "message": event.message,
            "frames": [
                {
                    "file": f.file,
                    "line": f.line,
                    "function": f.function,
                    "source": f.source,
                    "resolved": f.resolved,
                    "in_project": f.in_project,
                }
                for f in event.frames
            ],
            "chain": [
                {"type": c.error_type, "message": c.message, "relation": c.relation.value}
                for c in event.chain
            ],
            "lines": [event.text_start + 1, event.text_end + 1],
        },
        "findings": [
            {**finding_json(f, root), "located": f.located, "notes": list(f.notes)}
            for f in diagnosis.findings
        ],
        "problems": list(diagnosis.problems),
    }


def render_diagnosis(diagnosis: Diagnosis, root: Path, sources: DiskSources) -> str:
    event = diagnosis.event
    first = event.message.strip().split("\n", 1)[0]
    lines = [f"{event.error_type}: {first}" if first else event.error_type]
    for chained in event.chain:
        lines.append(
            f"  {chained.relation.value}: {chained.error_type}: {chained.message.strip().split(chr(10))[0]}"
        )
    if not diagnosis.findings:
        lines.extend(f"  ! {p}" for p in diagnosis.problems or ("no rule explains this error",))
        lines.extend(_stack(diagnosis, root))
        return "\n".join(lines)
    for index, finding in enumerate(diagnosis.findings):
        lines.append("")
        lines.extend(_finding(finding, root, sources, primary=index == 0))
    lines.extend(_stack(diagnosis, root))
    lines.extend(f"  ! {p}" for p in diagnosis.problems)
    return "\n".join(lines)


def _finding(finding: Finding, root: Path, sources: DiskSources, primary: bool) -> list[str]:
    start, end = finding.span.start, finding.span.end
    role = finding.notes[0] if finding.notes else ""
    if finding.path == "<unknown>":
        where = "(the error names no file)"
    else:
        where = f"{display_path(finding.path, root)}:{start.line + 1}:{start.col + 1}"
    out = [f"{'==>' if primary else '-->'} {where}  [{finding.rule_id}]  ({role})"]
    out.append(f"    {finding.message}")
    document = sources.get(finding.path) if finding.located else None
    if document is not None:
        text = document.line(start.line)
        width = (end.col if end.line == start.line else len(text)) - start.col
        out.append(f"    {start.line + 1:>5} | {text}")
        out.append(f"          | {' ' * start.col}{'^' * max(width, 1)}")
    else:
        out.append("    (not in the workspace: diagnosed, nothing will be edited)")
    out.append(f"    confidence {finding.confidence.explain()}")
    for note in finding.notes[1:]:
        out.append(f"    note: {note}")
    for number, fix in enumerate(finding.fixes, 1):
        out.append(
            f"    fix {number} ({fix.applicability.value}, confidence {fix.confidence:.2f}): {fix.title}"
        )
        out.append(f"      why this fix: {fix.explanation}")
        out.extend("      " + line for line in _fix_diff(fix, sources).splitlines())
    return out


def _fix_diff(fix: Fix, sources: DiskSources) -> str:
    parts = []
    for file_edit in fix.files:
        document = sources.get(file_edit.path)
        if document is None:
            continue
        parts.append(unified_diff(file_edit.path, document.text, apply_edits(document.text, file_edit.edits)))
    return "".join(parts)


def _stack(diagnosis: Diagnosis, root: Path) -> list[str]:
    frames = diagnosis.event.frames
    if not frames:
        return []
    out = ["", "  stack (most recent call last):"]
    for frame in frames:
        mark = "*" if frame.in_project else " "
        path = display_path(frame.resolved, root) if frame.resolved else frame.file
        out.append(f"   {mark} {path}:{frame.line} in {frame.function or '?'}")
    return out
