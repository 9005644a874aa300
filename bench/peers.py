"""Peer tools installed from PyPI into the benchmark's own environment (bench/.env)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENV = HERE / ".env"
PEERS = HERE / "peers"
# Our rules equivalent to peers/astgrep.yml and peers/semgrep.yml.
OUR_RULES = PEERS / "homeostasis"


def ensure_env() -> Path:
    bin_dir = ENV / "bin"
    if not (bin_dir / "ast-grep").exists() or not (bin_dir / "semgrep").exists():
        if not ENV.exists():
            subprocess.run([sys.executable, "-m", "venv", str(ENV)], check=True)
        subprocess.run([str(bin_dir / "pip"), "install", "--quiet", "ast-grep-cli", "semgrep"], check=True)
    return bin_dir


def astgrep_command(root: Path) -> list[str]:
    bin_dir = ensure_env()
    return [
        str(bin_dir / "ast-grep"),
        "scan",
        "--rule",
        str(PEERS / "astgrep.yml"),
        "--json=compact",
        str(root),
    ]


def semgrep_command(root: Path) -> list[str]:
    bin_dir = ensure_env()
    return [
        str(bin_dir / "semgrep"),
        "scan",
        "--config",
        str(PEERS / "semgrep.yml"),
        "--metrics=off",
        "--disable-version-check",
        "--no-git-ignore",
        "--json",
        "--quiet",
        "--jobs",
        "2",
        str(root),
    ]
