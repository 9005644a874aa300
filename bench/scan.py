"""Scan section: `homeostasis check` over each corpus, next to ast-grep, Semgrep and a parse-only floor.

Per corpus: (a) the small equivalent rule set in all three tools (findings compared rule by
rule), (b) our full built-in rule set for the corpus's language, cold (no result cache) and
warm (result cache filled by a previous run), and the floor: tree-sitter parsing every file
in one process, nothing else.
"""

from __future__ import annotations

import shutil
import sys
from collections import Counter
from pathlib import Path

import corpora
import peers
from measure import Options, Run, measure
from report import Table, ratio

HERE = Path(__file__).resolve().parent
RUN_COLUMNS = ["run", "wall s", "cpu s", "peak MB", "tree MB", "files/s", "findings", "wall ÷ floor"]


def homeostasis() -> list[str]:
    exe = shutil.which("homeostasis", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "homeostasis"]


def ours(corpus: corpora.Corpus, *extra: str) -> list[str]:
    root = str(corpus.root)
    # --root: the corpus is the workspace (no config of this repository applies; the result
    # cache lives in the corpus folder).
    base = ["check", "--exit-zero", "--format", "json", "--no-gitignore", "--root", root]
    return [*homeostasis(), *base, *extra, root]


def floor_command(corpus: corpora.Corpus) -> list[str]:
    return [sys.executable, str(HERE / "parse_only.py"), corpus.language, str(corpus.root), *corpus.suffixes]


def scan_corpus(corpus: corpora.Corpus, options: Options) -> dict[str, Run]:
    files = len(corpus.files())
    lang = corpus.language
    repeat = options.repeat
    bench_rules = ["--rules", str(peers.OUR_RULES), "--enable", f"{lang}.bench.*"]
    full = ["--enable", f"{lang}.*"]
    read = peers.findings_by_rule
    print(f"  scan {corpus.name}: floor, ours, ast-grep, semgrep ...", file=sys.stderr, flush=True)
    return {
        "floor": measure("parse-only floor (1 process)", floor_command(corpus), files, repeat),
        "ours": measure(
            "homeostasis, bench rules", ours(corpus, "--no-cache", *bench_rules), files, repeat, read=read
        ),
        "ast-grep": measure(
            "ast-grep, bench rules", peers.astgrep_command(lang, corpus.root), files, repeat, read=read
        ),
        "semgrep": measure(
            "semgrep, bench rules",
            peers.semgrep_command(lang, corpus.root),
            files,
            options.slow_repeat,
            read=read,
        ),
        "cold": measure(
            f"homeostasis, all {lang} rules, cold",
            ours(corpus, "--no-cache", *full),
            files,
            repeat,
            read=read,
        ),
        "warm": measure(
            f"homeostasis, all {lang} rules, warm", ours(corpus, *full), files, repeat, warmup=True, read=read
        ),
    }


def runs_table(corpus: corpora.Corpus, size: tuple[int, int], runs: dict[str, Run]) -> Table:
    files, lines = size
    table = Table(f"scan {corpus.name} ({corpus.language}: {files:,} files, {lines:,} lines)", RUN_COLUMNS)
    floor = runs["floor"].wall
    for run in runs.values():
        table.add(
            run.name,
            run.wall,
            run.cpu,
            run.peak_mb,
            run.tree_mb,
            run.files_per_s,
            run.total,
            ratio(run.wall, floor),
        )
    repeats = f"best of {runs['ours'].repeats} (semgrep: {runs['semgrep'].repeats})"
    table.notes.append(f"root: {corpus.root.relative_to(HERE)}; {repeats}")
    return table


def findings_rows(corpus: corpora.Corpus, runs: dict[str, Run], table: Table) -> bool:
    """One row per bench rule and a total; True when every tool found the same per rule."""
    counts = {tool: runs[tool].findings or Counter[str]() for tool in ("ours", "ast-grep", "semgrep")}
    rules = sorted(set().union(*counts.values()))
    same = True
    for rule in [*rules, "total"]:
        values = [sum(c.values()) if rule == "total" else c.get(rule, 0) for c in counts.values()]
        agree = len(set(values)) == 1
        same = same and agree
        table.add(corpus.name, rule, *values, "yes" if agree else "MISMATCH")
    return same


COMPARISONS = (
    ("ours", "ast-grep", "ours ÷ ast-grep (bench rules)"),
    ("ours", "semgrep", "ours ÷ semgrep (bench rules)"),
    ("ours", "floor", "ours (bench rules) ÷ parse-only"),
    ("cold", "floor", "ours (all rules, cold) ÷ parse-only"),
    ("warm", "floor", "ours (all rules, warm) ÷ parse-only"),
)


def run(options: Options) -> list[Table]:
    runs_tables: list[Table] = []
    ratios = Table("scan: ratios", ["corpus", "ratio", "wall", "cpu", "tree MB"])
    findings = Table(
        "scan: findings of the equivalent rule sets",
        ["corpus", "rule", "ours", "ast-grep", "semgrep", "same"],
    )
    for name in options.corpora:
        corpus = corpora.CORPUS_MAKERS[name]()
        size = corpus.size()
        runs = scan_corpus(corpus, options)
        runs_tables.append(runs_table(corpus, size, runs))
        for mine, other, label in COMPARISONS:
            a, b = runs[mine], runs[other]
            ratios.add(
                corpus.name, label, ratio(a.wall, b.wall), ratio(a.cpu, b.cpu), ratio(a.tree_mb, b.tree_mb)
            )
        if not findings_rows(corpus, runs, findings):
            findings.notes.append(f"{corpus.name}: the tools disagree; see the rows marked MISMATCH")
    findings.notes.append(
        "rules compared by the last segment of their id; peers/<language>/ and peers/homeostasis/"
    )
    ratios.notes.append(
        "< 1 means ours is faster / smaller; parse-only = tree-sitter parse of every file in 1 process"
    )
    return [*runs_tables, findings, ratios]
