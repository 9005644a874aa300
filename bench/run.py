"""Benchmark suite: every figure measured in one run, next to its baselines, printed as one table
at the end and written to bench/results/latest.{json,md}.

Sections: scan (our check over real corpora vs ast-grep, Semgrep and a parse-only floor),
growth (1x..8x corpus), ingestion (runtime error reading and mapping), server (the language
server's latencies and memory, with `ruff server` as a reference).

Usage: .venv/bin/python bench/run.py [--quick] [--only SECTION ...] [--skip SECTION ...]
       [--corpus NAME ...] [--repeat N] [--results DIR]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpora  # noqa: E402
import growth  # noqa: E402
import ingestion  # noqa: E402
import lsp_latency  # noqa: E402
import peers  # noqa: E402
import report  # noqa: E402
import scan  # noqa: E402
from measure import Options  # noqa: E402

SECTIONS: dict[str, Callable[[Options], list[report.Table]]] = {
    "scan": scan.run,
    "growth": growth.run,
    "ingestion": ingestion.run,
    "server": lsp_latency.run,
}


def compile_bytecode() -> None:
    """Byte-compile the package, as ``pip install`` does: an editable checkout on a machine with
    PYTHONDONTWRITEBYTECODE would otherwise compile ~90 modules again in every timed run."""
    import compileall

    package = HERE.parent
    for folder in ("server", "languages"):
        compileall.compile_dir(package / folder, quiet=1)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="fewer repeats, edits and documents (a smoke run)"
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=sorted(SECTIONS),
        default=[],
        metavar="SECTION",
        help=f"run only these sections ({', '.join(SECTIONS)})",
    )
    parser.add_argument("--skip", nargs="+", choices=sorted(SECTIONS), default=[], metavar="SECTION")
    parser.add_argument(
        "--corpus",
        nargs="+",
        choices=sorted(corpora.CORPUS_MAKERS),
        metavar="NAME",
        help=f"scan only these corpora ({', '.join(corpora.CORPUS_MAKERS)})",
    )
    parser.add_argument("--repeat", type=int, help="best of N for each scan (default 3; 1 with --quick)")
    parser.add_argument("--results", type=Path, default=HERE / "results", help="where latest.json/md go")
    args = parser.parse_args()
    repeat = args.repeat or (1 if args.quick else 3)
    options = Options(
        quick=args.quick,
        repeat=repeat,
        slow_repeat=1 if repeat < 5 else 2,
        corpora=tuple(args.corpus or corpora.CORPUS_MAKERS),
    )
    chosen = [name for name in SECTIONS if (not args.only or name in args.only) and name not in args.skip]
    started = time.perf_counter()
    peers.ensure_env()
    compile_bytecode()
    tables: list[report.Table] = []
    for name in chosen:
        print(f"{name} ...", file=sys.stderr, flush=True)
        tables.extend(SECTIONS[name](options))
    header: dict[str, object] = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}",
        "peers": ", ".join(f"{tool} {peers.version(tool)}" for tool in peers.TOOLS),
        "sections": ", ".join(chosen),
        "mode": "quick" if args.quick else f"full (best of {repeat})",
        "duration": f"{time.perf_counter() - started:.0f} s",
    }
    print()
    print("\n".join(f"{key}: {value}" for key, value in header.items()))
    for table in tables:
        print()
        print(report.text(table))
    json_path, md_path = report.write(args.results, header, tables)
    print(f"\nwritten: {json_path} and {md_path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
