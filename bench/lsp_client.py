"""A minimal editor speaking LSP (JSON-RPC over a server's stdio), for the server benchmarks.

Deliberately plain (json, no schema layer): the latency measured is the server's plus the
pipe's, not a Python client's object conversion. Requests from the server get null answers
(``workspace/configuration``: one null per item). Works with servers that put the document
version in ``publishDiagnostics`` and with those that leave it out: every publication is
counted per document, and a wait can be for a version or for the next publication.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


class Client:
    def __init__(self, command: list[str], language_id: str = "python") -> None:
        self.command = command
        self.language_id = language_id
        self.process: asyncio.subprocess.Process | None = None
        self.by_version: dict[tuple[str, int | None], float] = {}
        self.count: dict[str, int] = {}  # publications per document
        self.arrivals: dict[tuple[str, int], float] = {}  # (uri, n-th publication) -> time
        self.latest: dict[str, list[dict[str, Any]]] = {}
        self.event = asyncio.Event()
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._next = 0
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self, root: Path, env: dict[str, str], init: dict[str, Any] | None) -> None:
        self.process = await asyncio.create_subprocess_exec(
            *self.command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env={**os.environ, **env},
            cwd=str(root),
            limit=1 << 24,
        )
        self._tasks = [asyncio.ensure_future(self._read()), asyncio.ensure_future(self._drain_stderr())]
        capabilities = {
            "general": {"positionEncodings": ["utf-16"]},
            "textDocument": {
                "synchronization": {"didSave": True},
                "publishDiagnostics": {"versionSupport": True, "relatedInformation": True},
                "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}}},
            },
            "window": {"workDoneProgress": True},
        }
        folder = {"uri": root.as_uri(), "name": root.name}
        await self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": root.as_uri(),
                "workspaceFolders": [folder],
                "capabilities": capabilities,
                "initializationOptions": init,
            },
        )
        self.notify("initialized", {})

    def _send(self, message: dict[str, Any]) -> None:
        assert self.process is not None and self.process.stdin is not None
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    async def request(self, method: str, params: Any, timeout: float = 120.0) -> Any:
        self._next += 1
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[self._next] = future
        self._send({"jsonrpc": "2.0", "id": self._next, "method": method, "params": params})
        return await asyncio.wait_for(future, timeout)

    async def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        stdout = self.process.stdout
        while True:
            length = 0
            while (header := await stdout.readline()) not in (b"\r\n", b""):
                if header.lower().startswith(b"content-length:"):
                    length = int(header.split(b":")[1])
            if not header:
                return
            message = json.loads(await stdout.readexactly(length))
            if message.get("method") == "textDocument/publishDiagnostics":
                now = time.perf_counter()
                params = message["params"]
                uri = params["uri"]
                self.by_version[(uri, params.get("version"))] = now
                self.count[uri] = self.count.get(uri, 0) + 1
                self.arrivals[(uri, self.count[uri])] = now
                self.latest[uri] = params["diagnostics"]
                self.event.set()
            elif "method" in message and "id" in message:
                items = message.get("params", {}).get("items", [])
                result = [None] * len(items) if message["method"] == "workspace/configuration" else None
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})
            elif "id" in message and message["id"] in self._pending:
                self._pending.pop(message["id"]).set_result(message.get("result"))

    async def _drain_stderr(self) -> None:
        # An editor reads the server's stderr into its log; an unread pipe would block the server.
        assert self.process is not None and self.process.stderr is not None
        while await self.process.stderr.readline():
            pass

    async def _until(self, arrived: Callable[[], float | None], what: str, timeout: float) -> float:
        deadline = time.perf_counter() + timeout
        while (when := arrived()) is None:
            self.event.clear()
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(f"no diagnostics for {what}")
            try:
                await asyncio.wait_for(self.event.wait(), remaining)
            except TimeoutError:
                continue
        return when

    async def wait(self, uri: str, version: int, timeout: float = 60.0) -> float:
        """When the diagnostics of ``version`` of a document arrived."""
        return await self._until(lambda: self.by_version.get((uri, version)), f"{uri} v{version}", timeout)

    async def wait_after(self, uri: str, seen: int, timeout: float = 60.0) -> float:
        """When the first publication for a document after its ``seen``-th one arrived."""
        return await self._until(lambda: self.arrivals.get((uri, seen + 1)), f"{uri} #{seen + 1}", timeout)

    def open(self, uri: str, text: str) -> None:
        item = {"uri": uri, "languageId": self.language_id, "version": 1, "text": text}
        self.notify("textDocument/didOpen", {"textDocument": item})

    def change(self, uri: str, version: int, line: int, col: int, text: str) -> None:
        position = {"line": line, "character": col}
        self.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": position, "end": position}, "text": text}],
            },
        )

    async def code_actions(self, uri: str, diagnostic: dict[str, Any]) -> Any:
        """Code actions at a diagnostic's range, the diagnostic in the context (as editors send)."""
        params = {
            "textDocument": {"uri": uri},
            "range": diagnostic["range"],
            "context": {"diagnostics": [diagnostic]},
        }
        return await self.request("textDocument/codeAction", params)

    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    async def stop(self) -> None:
        try:
            await self.request("shutdown", None, timeout=30)
            self.notify("exit", None)
            assert self.process is not None
            await asyncio.wait_for(self.process.wait(), 10)
        except (TimeoutError, ConnectionError):
            pass
        finally:
            if self.process is not None and self.process.returncode is None:
                self.process.kill()
                await self.process.wait()
            for task in self._tasks:
                task.cancel()


def rss_mb(pid: int | None) -> float:
    """Resident memory of a process and its children (a server may run workers)."""
    if pid is None:
        return float("nan")
    total_kb, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(child) for child in (task / "children").read_text().split())
        except OSError:
            continue
    return total_kb / 1024
