"""``homeostasis``: explain and fix runtime errors, scan code for risky patterns."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from homeostasis import __version__
from homeostasis.cli.common import USAGE, UsageError, warn

SEVERITIES = ("error", "warning", "info", "hint")


def _common(parser: argparse.ArgumentParser, formats: tuple[str, ...] = ("text", "json")) -> None:
    parser.add_argument(
        "--root", type=Path, help="workspace root (default: nearest pyproject.toml or git root)"
    )
    parser.add_argument(
        "--rules",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="also load rules (and templates/) from DIR; only pass folders you trust",
    )
    parser.add_argument("--enable", action="append", metavar="GLOB", help="only run rules matching GLOB")
    parser.add_argument("--disable", action="append", metavar="GLOB", help="do not run rules matching GLOB")
    parser.add_argument(
        "--confidence-threshold", type=float, metavar="X", help="hide findings below X (0..1)"
    )
    parser.add_argument("--format", choices=formats, default="text")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="homeostasis",
        description="From runtime errors and risky code patterns to diagnostics and fixes.",
    )
    parser.add_argument("--version", action="version", version=f"homeostasis {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    explain = sub.add_parser("explain", help="diagnose error output (a traceback, a log, test output)")
    explain.add_argument("input", nargs="?", default="-", help="file with the error output, or - for stdin")
    _common(explain)
    explain.add_argument(
        "--remap",
        action="append",
        default=[],
        metavar="FROM=TO",
        help="map a printed path prefix to a workspace path, e.g. /app=.",
    )

    fix = sub.add_parser("fix", help="apply the best fixes for error output, as one transaction")
    fix.add_argument("input", nargs="?", default="-", help="file with the error output, or - for stdin")
    _common(fix)
    fix.add_argument("--remap", action="append", default=[], metavar="FROM=TO")
    fix.add_argument("--unsafe", action="store_true", help="also apply unsafe fixes")
    fix.add_argument(
        "--diff", action="store_true", help="print the changes as a diff instead of writing them"
    )
    fix.add_argument("--dry-run", action="store_true", help="same as --diff")
    fix.add_argument(
        "--validate", metavar="CMD", help="run CMD after applying; roll everything back if it fails"
    )

    check = sub.add_parser("check", help="scan files for risky patterns")
    check.add_argument("paths", nargs="*", type=Path, default=[Path(".")])
    _common(check, ("text", "json", "sarif", "github"))
    check.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        default="warning",
        help="exit 1 when a finding has this severity or worse (default: warning)",
    )
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings")
    check.add_argument("--fix", action="store_true", help="apply safe fixes")
    check.add_argument("--unsafe-fixes", action="store_true", help="with --fix/--diff, include unsafe fixes")
    check.add_argument("--diff", action="store_true", help="print the fixes as a diff, change nothing")
    check.add_argument("--with-fixes", action="store_true", help="include each finding's fixes in the report")
    check.add_argument("--no-gitignore", action="store_true", help="scan files .gitignore excludes")
    check.add_argument(
        "--jobs", type=int, default=0, help="worker processes (default: all cores on large trees)"
    )
    check.add_argument("--output", type=Path, help="write the report to a file instead of stdout")
    check.add_argument(
        "--shard", metavar="I/N", help="scan only shard I of N (by path hash; merge with `merge`)"
    )
    check.add_argument("--no-cache", action="store_true", help="ignore and do not write .homeostasis/cache")

    merge = sub.add_parser("merge", help="merge JSON or SARIF reports of sharded `check` runs into one")
    merge.add_argument("reports", nargs="+", type=Path)
    merge.add_argument("--output", type=Path, help="write the merged report to a file instead of stdout")

    # `rules` parses its own arguments (homeostasis.cli.rules), imported only when it runs;
    # prefix_chars="+" hands every option, --help included, through untouched.
    rules = sub.add_parser(
        "rules",
        help="list, show, test, validate and document rules; coverage, stats, scaffolding",
        add_help=False,
        prefix_chars="+",
    )
    rules.add_argument("args", nargs=argparse.REMAINDER)

    lsp = sub.add_parser("lsp", help="run the language server (stdio by default)")
    lsp.add_argument("--tcp", metavar="HOST:PORT", help="serve over TCP instead of stdio (for debugging)")
    lsp.add_argument("--log-file", metavar="FILE", help="also write the server's log to FILE")
    lsp.add_argument("--stdio", action="store_true", help="serve over stdio (the default; for LSP clients)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return USAGE
    try:
        if args.command == "check":
            from homeostasis.cli.check import run_check

            return run_check(args)
        if args.command == "merge":
            from homeostasis.cli.merge import run_merge

            return run_merge(args)
        if args.command == "explain":
            from homeostasis.cli.explain import run_explain

            return run_explain(args)
        if args.command == "fix":
            from homeostasis.cli.fix import run_fix

            return run_fix(args)
        if args.command == "lsp":
            # Imported here: pygls must not slow down the other commands.
            from homeostasis.lsp import run_server

            return run_server(tcp=args.tcp, log_file=args.log_file)
        if args.command == "rules":
            from homeostasis.cli.rules import run_rules

            return run_rules(args.args)
    except UsageError as exc:
        warn(str(exc))
        return USAGE
    except KeyboardInterrupt:
        warn("interrupted")
        return 130
    except BrokenPipeError:
        return 0
    parser.print_help()
    return USAGE


if __name__ == "__main__":
    sys.exit(main())
