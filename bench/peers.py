"""Peer tools installed from PyPI into the benchmark's own environment (bench/.env), their
command lines, and how to read each tool's JSON report into findings per rule.

Every language has the same small rule set three times: ``peers/<language>/astgrep.yml``,
``peers/<language>/semgrep.yml`` and ours in ``peers/homeostasis/<language>.yaml`` (rule ids
``<language>.bench.<name>``). Rules are compared by their last id segment.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENV = HERE / ".env"
BIN = ENV / "bin"
PEERS = HERE / "peers"
OUR_RULES = PEERS / "homeostasis"
CORPORA = HERE / ".corpora"
TOOLS = ("ast-grep", "semgrep", "ruff")


def ensure_env() -> Path:
    if not all((BIN / tool).exists() for tool in TOOLS):
        if not ENV.exists():
            subprocess.run([sys.executable, "-m", "venv", str(ENV)], check=True)
        packages = ["ast-grep-cli", "semgrep", "ruff"]
        subprocess.run([str(BIN / "pip"), "install", "--quiet", *packages], check=True)
    return BIN


def version(tool: str) -> str:
    done = subprocess.run([str(ensure_env() / tool), "--version"], capture_output=True, text=True)
    return done.stdout.strip().split()[-1] if done.returncode == 0 and done.stdout.strip() else "?"


def astgrep_command(language: str, root: Path) -> list[str]:
    # ast-grep honours the enclosing repository's .gitignore (which names `build/`, a folder
    # Docker's source has); the other tools scan every file, so it does too.
    no_ignore = [
        arg
        for kind in ("hidden", "dot", "exclude", "global", "parent", "vcs")
        for arg in ("--no-ignore", kind)
    ]
    rules = PEERS / language / "astgrep.yml"
    return [
        str(ensure_env() / "ast-grep"),
        "scan",
        "--rule",
        str(rules),
        *no_ignore,
        "--json=compact",
        str(root),
    ]


def semgrep_command(language: str, root: Path) -> list[str]:
    return [
        str(ensure_env() / "semgrep"),
        "scan",
        "--config",
        str(PEERS / language / "semgrep.yml"),
        "--metrics=off",
        "--disable-version-check",
        "--no-git-ignore",
        # its default ignore list skips test folders; the corpora folder has an empty one
        "--project-root",
        str(CORPORA),
        # no file-size limit and no per-file timeout: no file is skipped, as with the others
        "--max-target-bytes",
        "0",
        "--timeout",
        "0",
        "--json",
        "--quiet",
        "--jobs",
        "2",
        str(root),
    ]


def findings_by_rule(stdout: str) -> Counter[str] | None:
    """Findings per rule (last id segment) in a JSON report of ours, ast-grep or semgrep."""
    try:
        data = json.loads(stdout)
    except json.JSONDecodeError:
        return None
    if isinstance(data, list):  # ast-grep
        return Counter(str(item["ruleId"]).rsplit(".", 1)[-1] for item in data)
    if "results" in data:  # semgrep
        return Counter(str(item["check_id"]).rsplit(".", 1)[-1] for item in data["results"])
    return Counter(str(item["rule"]).rsplit(".", 1)[-1] for item in data.get("findings", []))
