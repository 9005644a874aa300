"""``homeostasis.runTests``: run the configured test command, show its failures.

The command is the user's own (the ``testCommand`` setting), or pytest for a
Python project, run with the project's virtualenv when it has one. It is the
only thing the server ever executes, and only when asked to.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from homeostasis.lsp.folders import Folder
from homeostasis.lsp.ingest import MAX_TEXT, ingest
from homeostasis.model import Origin
from lsprotocol import types

if TYPE_CHECKING:
    from homeostasis.lsp.server import HomeostasisServer

_PYTHON_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", "pytest.ini", "tox.ini", "conftest.py")


def default_command(root: Path) -> tuple[str, ...]:
    """pytest with the project's interpreter, for a folder that looks like a Python project."""
    if not any((root / marker).exists() for marker in _PYTHON_MARKERS) and not any(root.glob("*.py")):
        return ()
    for venv in (".venv", "venv", "env"):
        for candidate in (root / venv / "bin" / "python", root / venv / "Scripts" / "python.exe"):
            if candidate.is_file():
                return (str(candidate), "-m", "pytest")
    return (sys.executable, "-m", "pytest")


async def _progress_begin(server: HomeostasisServer, title: str) -> str | None:
    if not server.features.work_done_progress:
        return None
    token = f"homeostasis-{uuid.uuid4().hex[:8]}"
    try:
        await server.work_done_progress.create_async(token)
    except Exception:
        return None
    server.work_done_progress.begin(token, types.WorkDoneProgressBegin(title=title, cancellable=True))
    return token


def _cancelled(server: HomeostasisServer, token: str | None) -> bool:
    if token is None:
        return False
    future = server.work_done_progress.tokens.get(token)
    return future is not None and future.cancelled()


def _progress_end(server: HomeostasisServer, token: str | None, message: str) -> None:
    if token is not None:
        server.work_done_progress.end(token, types.WorkDoneProgressEnd(message=message))
        server.work_done_progress.tokens.pop(token, None)


async def run_tests(server: HomeostasisServer, folder: Folder, command: tuple[str, ...]) -> dict[str, Any]:
    options = server.ws.options(folder)
    if not options.trusted:
        # A test run executes the workspace's code (conftest.py, the configured command).
        raise ValueError(
            f"not running tests in {folder.root}: the workspace is not trusted (setting homeostasis.trusted)"
        )
    argv = command or options.test_command or default_command(folder.root)
    if not argv:
        raise ValueError(f"no test command: set homeostasis.testCommand for {folder.root}")
    token = await _progress_begin(server, "Homeostasis: running tests")
    server.log_client(f"running tests in {folder.root}: {' '.join(argv)}")
    try:
        process = await asyncio.create_subprocess_exec(
            *argv,
            cwd=folder.root,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    except OSError as exc:
        _progress_end(server, token, "could not start")
        raise ValueError(f"cannot run {argv[0]}: {exc.strerror or exc}") from exc
    server.processes.add(process)
    output = bytearray()
    status = "finished"
    try:
        assert process.stdout is not None
        deadline = asyncio.get_running_loop().time() + options.test_timeout
        while True:
            if _cancelled(server, token):
                status = "cancelled"
                break
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                status = "timed out"
                break
            try:
                chunk = await asyncio.wait_for(process.stdout.read(65536), min(remaining, 0.25))
            except TimeoutError:
                continue
            if not chunk:
                break
            if len(output) < MAX_TEXT:
                output.extend(chunk[: MAX_TEXT - len(output)])
    finally:
        if process.returncode is None and status != "finished":
            kill(process)
        code = await process.wait()
        server.processes.discard(process)
    if status != "finished":
        _progress_end(server, token, status)
        return {"status": status, "exitCode": code, "errors": 0, "diagnostics": 0}
    text = output.decode("utf-8", errors="replace")
    result = await ingest(server, text, f"tests:{folder.uri}", Origin.TEST_RUN, [folder])
    _progress_end(server, token, f"{result.errors} failure(s) read")
    return {"status": status, "exitCode": code, **result.as_json()}


def kill(process: asyncio.subprocess.Process) -> None:
    """The test command and everything it started (it runs in its own session)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, AttributeError):
        with contextlib.suppress(ProcessLookupError):
            process.kill()
