"""Server section: the language server's latencies and memory (lsp_bench.py), with `ruff server`
on the same files as a reference."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import lsp_bench
from measure import Options
from report import Table, ratio

SIZES = (1000, 5000, 20000)


def run(options: Options) -> list[Table]:
    edits = 60 if options.quick else 300
    documents = [100] if options.quick else [100, 1000]
    budget = 20.0 if options.quick else 60.0
    figures: list[dict[str, Any]] = []
    for server in (lsp_bench.ours(), lsp_bench.ruff()):
        print(f"  server: {server.name} ...", file=sys.stderr, flush=True)
        figures.append(asyncio.run(lsp_bench.measure(server, list(SIZES), edits, documents, 5000, budget)))
    ours, ruff = figures
    table = Table("server: latency and memory", ["figure", "homeostasis", "ruff server", "ours ÷ ruff"])

    def row(label: str, key: str, compare: bool = True) -> None:
        mine, theirs = ours.get(key), ruff.get(key)
        if mine is None and theirs is None:
            return
        both = compare and isinstance(mine, int | float) and isinstance(theirs, int | float)
        table.add(label, mine, theirs, ratio(mine, theirs) if both else None)

    row(
        f"start to first diagnostics, {ours['first diagnostics file lines']:,}-line file, first start (s)",
        "first diagnostics, first start (s)",
    )
    row("start to first diagnostics, second start (s)", "first diagnostics (s)")
    for lines in SIZES:
        key = f"{lines // 1000}k"
        size = ours[f"{key}: file lines"]
        for name in ("p50", "p95", "p99"):
            row(f"edit to diagnostics, {size:,} lines, {name} (ms)", f"{key}: edit {name} (ms)")
        row(f"  edits measured at {size:,} lines", f"{key}: edits", compare=False)
        row(f"  diagnostics in the {size:,}-line file", f"{key}: findings in file", compare=False)
    row("code action, right after an edit, p50 (ms)", "code action, cold p50 (ms)")
    row("code action, after a pause, p50 (ms)", "code action, warm p50 (ms)")
    row("resident memory after start (MB)", "RSS after start (MB)")
    for count in documents:
        row(
            f"resident memory, {count:,} open 500-line documents (MB)",
            f"RSS with {count} open documents (MB)",
        )
    table.notes.append(
        "ruff server: its default settings and rules (a different, Rust-native rule set: a reference, "
        "not a like-for-like comparison); diagnostics pushed per version for both"
    )
    table.notes.append(f"edits per size: {edits}, or as many as {budget:.0f} s allow (at least 20)")
    return [table]
