"""What the CLI commands share: configuration, the project, reading error input."""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from pathlib import Path

from homeostasis.cli.output import RuleMeta
from homeostasis.model import Settings
from homeostasis.workspace.config import load_config, merge_settings
from homeostasis.workspace.project import Project, build_project

# Exit codes, documented in the README.
OK = 0
FINDINGS = 1
USAGE = 2
NOTHING_FOUND = 3

MAX_INPUT_BYTES = 64 * 1024 * 1024


class UsageError(Exception):
    """Bad arguments or unusable input: printed as one line, exit code 2."""


@dataclass(frozen=True)
class Context:
    root: Path
    settings: Settings
    project: Project
    config_problems: tuple[str, ...]


def load_context(
    start: Path,
    root: Path | None,
    rule_dirs: list[Path],
    extra_remaps: tuple[tuple[str, str], ...] = (),
    **overrides: object,
) -> Context:
    config = load_config(start)
    settings = merge_settings(config.settings, **overrides)
    if extra_remaps:
        # Command-line remaps are tried before the configured ones.
        settings = replace(settings, path_remaps=(*extra_remaps, *settings.path_remaps))
    for rule_dir in rule_dirs:
        if not rule_dir.exists():
            raise UsageError(f"rule folder not found: {rule_dir}")
    workspace = (root or config.root).absolute()
    project = build_project(settings, rule_dirs, workspace)
    return Context(workspace, project.engine.settings, project, config.problems)


def warn(message: str) -> None:
    print(f"homeostasis: {message}", file=sys.stderr)


def report_problems(context: Context) -> None:
    for problem in context.config_problems:
        warn(f"config: {problem}")
    for rule_problem in context.project.rule_problems:
        warn(f"rule skipped: {rule_problem}")
    for plugin_error in context.project.registry.errors:
        warn(f"plugin not loaded: {plugin_error}")


def read_error_input(source: str) -> tuple[str, str]:
    """(text, name) of error output from a file or ``-`` (stdin); UsageError when unusable."""
    name = "<stdin>" if source == "-" else source
    try:
        if source == "-":
            if sys.stdin is None or sys.stdin.isatty():
                raise UsageError("no error output given: pipe it in, or pass a file (see --help)")
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            with open(source, "rb") as handle:
                data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"cannot read {name}: {exc.strerror or exc}") from exc
    if len(data) > MAX_INPUT_BYTES:
        raise UsageError(
            f"{name} is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB; pass the relevant part"
        )
    if not data.strip():
        raise UsageError(f"{name} is empty: nothing to explain")
    if _looks_binary(data):
        raise UsageError(f"{name} looks like a binary file, not error output")
    # Logs mix encodings; a stray byte must not hide the traceback around it.
    return data.decode("utf-8", errors="replace"), name


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\0" in sample:
        return True
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return control > len(sample) // 10


def rules_meta(project: Project) -> dict[str, RuleMeta]:
    return {
        r.id: RuleMeta(r.id, r.docs.summary or r.message, r.severity, r.category, "")
        for r in project.engine.rules
    }
