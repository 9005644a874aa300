"""Growth section: a cold scan (all Python rules) of 1x, 2x, 4x and 8x the Django corpus.

The time per file at each size shows whether the scan stays linear.
"""

from __future__ import annotations

import sys

import corpora
from measure import Options, measure
from report import Table, ratio
from scan import ours


def run(options: Options) -> list[Table]:
    source = corpora.django()
    factors = (1, 2, 4) if options.quick else (1, 2, 4, 8)
    table = Table(
        "growth: cold scan, all python rules",
        [
            "size",
            "files",
            "lines",
            "wall s",
            "cpu s",
            "tree MB",
            "ms/file (wall)",
            "ms/file (cpu)",
            "per file ÷ 1x",
        ],
    )
    base: float | None = None
    for factor in factors:
        corpus = corpora.replicated(source, factor)
        files, lines = corpus.size()
        print(f"  growth {factor}x ...", file=sys.stderr, flush=True)
        command = ours(corpus, "--no-cache", "--enable", "python.*")
        result = measure(f"{factor}x django", command, files, min(options.repeat, 2))
        per_file = result.wall / files * 1000
        base = base or per_file
        table.add(
            f"{factor}x",
            files,
            lines,
            result.wall,
            result.cpu,
            result.tree_mb,
            per_file,
            result.cpu / files * 1000,
            ratio(per_file, base),
        )
    table.notes.append(
        "linear growth keeps 'per file ÷ 1x' near 1.0 (or below: fixed start-up cost spread wider)"
    )
    return [table]
