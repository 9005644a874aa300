"""Language server benchmark: the server driven over stdio JSON-RPC by a real client.

Figures:
  * start to first diagnostics: process spawn -> initialize -> didOpen of a 5,000-line file ->
    its first publishDiagnostics (cold: empty rule cache; warm: second start);
  * edit to diagnostics: didChange -> the publishDiagnostics for that version, over N edits
    typed into the 5,000-line file (p50, p95, max);
  * code action response time on that file: right after its diagnostics arrive (cold) and
    after a pause (warm, fixes prefetched);
  * resident memory of the server with 100 open documents.

Usage: .venv/bin/python bench/lsp_bench.py [--edits N] [--disable GLOB ...] [--json FILE]
Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SERVER = [sys.executable, "-m", "homeostasis", "lsp"]
if os.environ.get("LSP_BENCH_LOG"):  # the server's own log, for looking into a slow figure
    SERVER += ["--log-file", os.environ["LSP_BENCH_LOG"]]
TARGETS = {"edit p95 (ms)": 15.0, "code action (ms)": 10.0, "first diagnostics (s)": 1.0}


STDLIB = ("inspect", "typing", "argparse", "difflib", "dataclasses", "pathlib", "tarfile", "email.message")


def make_module(lines: int, seed: int = 7, skip: int = 0) -> str:
    """Real code: standard-library modules of this interpreter, cut at a top-level statement,
    with some ``is None`` tests turned into ``== None`` so the file has findings to report."""
    import importlib.util

    source: list[str] = []
    for name in STDLIB:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            text = Path(spec.origin).read_text(encoding="utf-8")
            source.extend(line for line in text.splitlines() if not line.startswith("from __future__"))
    source = source[skip:] + source[:skip]
    cut = min(lines, len(source) - 1)
    while cut < len(source) and (source[cut][:1] in (" ", "\t", ")", "]", "}") or not source[cut].strip()):
        cut += 1
    rng = random.Random(seed)
    body = source[:cut]
    candidates = [i for i, line in enumerate(body) if " is None:" in line]
    for index in rng.sample(candidates, min(20, len(candidates))):
        body[index] = body[index].replace(" is None:", " == None:", 1)
    return "\n".join(body) + "\n"


class Client:
    """A minimal editor speaking JSON-RPC over the server's stdio.

    Deliberately plain (json, no schema layer): the latency measured is the server's plus the
    pipe's, not a Python client's object conversion. Server requests get null answers.
    """

    def __init__(self) -> None:
        self.process: asyncio.subprocess.Process | None = None
        self.published: dict[tuple[str, int | None], float] = {}
        self.latest: dict[str, list[dict[str, Any]]] = {}
        self.event = asyncio.Event()
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._next = 0
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self, root: Path, env: dict[str, str], init: dict[str, Any] | None) -> None:
        self.process = await asyncio.create_subprocess_exec(
            *SERVER,
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

    async def request(self, method: str, params: Any) -> Any:
        self._next += 1
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[self._next] = future
        self._send({"jsonrpc": "2.0", "id": self._next, "method": method, "params": params})
        return await asyncio.wait_for(future, 120)

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
                params = message["params"]
                self.published[(params["uri"], params.get("version"))] = time.perf_counter()
                self.latest[params["uri"]] = params["diagnostics"]
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

    async def wait(self, uri: str, version: int | None, timeout: float = 60.0) -> float:
        deadline = time.perf_counter() + timeout
        while (uri, version) not in self.published:
            self.event.clear()
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(f"no diagnostics for {uri} v{version}")
            try:
                await asyncio.wait_for(self.event.wait(), remaining)
            except TimeoutError:
                continue
        return self.published[(uri, version)]

    def open(self, uri: str, text: str) -> None:
        item = {"uri": uri, "languageId": "python", "version": 1, "text": text}
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

    async def code_actions(self, uri: str, at: dict[str, Any]) -> Any:
        params = {"textDocument": {"uri": uri}, "range": at, "context": {"diagnostics": []}}
        return await self.request("textDocument/codeAction", params)

    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    async def stop(self) -> None:
        try:
            await self.request("shutdown", None)
            self.notify("exit", None)
            assert self.process is not None
            await asyncio.wait_for(self.process.wait(), 10)
        finally:
            if self.process is not None and self.process.returncode is None:
                self.process.kill()
            for task in self._tasks:
                task.cancel()


def rss_mb(pid: int | None) -> float:
    if pid is None:
        return float("nan")
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def first_diagnostics(root: Path, text: str, env: dict[str, str], init: dict[str, Any]) -> float:
    client = Client()
    started = time.perf_counter()
    await client.start(root, env, init)
    uri = (root / "big.py").as_uri()
    client.open(uri, text)
    arrived = await client.wait(uri, 1)
    await client.stop()
    return arrived - started


async def edits_and_actions(
    root: Path, text: str, env: dict[str, str], init: dict[str, Any], count: int
) -> dict[str, Any]:
    client = Client()
    await client.start(root, env, init)
    uri = (root / "big.py").as_uri()
    client.open(uri, text)
    await client.wait(uri, 1)
    await asyncio.sleep(1.5)  # let the first full pass and its pause-time check finish
    lines = text.split("\n")
    rng = random.Random(11)
    latencies: list[float] = []
    version = 1
    statements = [i for i, line in enumerate(lines) if line.strip().startswith("return ") and "#" not in line]
    index = 0
    while len(latencies) < count:
        index += 1
        if index % 10 == 0 and statements:
            line = statements.pop(rng.randrange(len(statements)))  # a new finding appears
            insert = " == None"
        else:
            line = rng.randrange(len(lines) - 1)  # a keystroke's worth of text in a comment
            insert = (
                "  # t"
                if "#" not in lines[line] and '"' not in lines[line] and "'" not in lines[line]
                else ""
            )
            if not insert:
                continue
        col = len(lines[line])
        lines[line] += insert
        version += 1
        sent = time.perf_counter()
        client.change(uri, version, line, col, insert)
        arrived = await client.wait(uri, version)
        latencies.append((arrived - sent) * 1000)
        await asyncio.sleep(0.005)  # a fast typist, still slower than the server
    diagnostics = client.latest.get(uri, [])
    ranges = [d["range"] for d in diagnostics][:20]

    async def action_times() -> list[float]:
        times = []
        for at in ranges:
            started = time.perf_counter()
            await client.code_actions(uri, at)
            times.append((time.perf_counter() - started) * 1000)
        return times

    version += 1
    client.change(uri, version, 0, 0, "# touched\n")
    await client.wait(uri, version)
    # The inserted line moved every finding down by one.
    ranges = [
        {
            "start": {"line": r["start"]["line"] + 1, "character": r["start"]["character"]},
            "end": {"line": r["end"]["line"] + 1, "character": r["end"]["character"]},
        }
        for r in ranges
    ]
    cold = await action_times()
    await asyncio.sleep(3.0)
    warm = await action_times()
    await client.stop()
    return {"latencies": latencies, "cold": cold, "warm": warm, "findings": len(diagnostics)}


async def memory(
    root: Path, env: dict[str, str], init: dict[str, Any], documents: int
) -> tuple[float, float]:
    client = Client()
    await client.start(root, env, init)
    baseline_uri = (root / "warmup.py").as_uri()
    client.open(baseline_uri, "x = 1\n")
    await client.wait(baseline_uri, 1)
    base = rss_mb(client.pid())
    for index in range(documents):
        uri = (root / f"doc{index}.py").as_uri()
        client.open(uri, make_module(500, seed=index, skip=index * 97))
    for index in range(documents):
        await client.wait((root / f"doc{index}.py").as_uri(), 1)
    await asyncio.sleep(2.0)
    loaded = rss_mb(client.pid())
    await client.stop()
    return base, loaded


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=300)
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--disable", action="append", default=[], metavar="GLOB", help="rules to disable")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args()
    init: dict[str, Any] = {"disable": args.disable} if args.disable else {}
    text = make_module(args.lines)
    with tempfile.TemporaryDirectory(prefix="homeostasis-lsp-bench-") as tmp:
        root = Path(tmp) / "ws"
        root.mkdir()
        (root / "big.py").write_text(text)
        env = {"HOMEOSTASIS_CACHE_DIR": str(Path(tmp) / "cache")}
        cold_start = await first_diagnostics(root, text, env, init)
        warm_start = await first_diagnostics(root, text, env, init)
        result = await edits_and_actions(root, text, env, init, args.edits)
        base, loaded = await memory(root, env, init, args.documents)
    lat = result["latencies"]
    figures = {
        "file lines": text.count("\n"),
        "findings in file": result["findings"],
        "first diagnostics, cold rule cache (s)": round(cold_start, 3),
        "first diagnostics (s)": round(warm_start, 3),
        "edits": len(lat),
        "edit p50 (ms)": round(statistics.median(lat), 2),
        "edit p95 (ms)": round(percentile(lat, 0.95), 2),
        "edit max (ms)": round(max(lat), 2),
        "code action, cold p50 (ms)": round(statistics.median(result["cold"]), 2) if result["cold"] else None,
        "code action, cold max (ms)": round(max(result["cold"]), 2) if result["cold"] else None,
        "code action (ms)": round(statistics.median(result["warm"]), 2) if result["warm"] else None,
        "code action, warm max (ms)": round(max(result["warm"]), 2) if result["warm"] else None,
        "RSS after start (MB)": round(base, 1),
        f"RSS with {args.documents} open documents (MB)": round(loaded, 1),
    }
    width = max(len(k) for k in figures)
    print(f"{'figure':<{width}}  {'value':>10}  target")
    for key, value in figures.items():
        target = TARGETS.get(key)
        mark = (
            ""
            if target is None
            else (
                f"<= {target:g}  "
                + ("ok" if isinstance(value, int | float) and value <= target else "MISSED")
            )
        )
        print(f"{key:<{width}}  {value!s:>10}  {mark}")
    if args.disable:
        print(f"(rules disabled: {', '.join(args.disable)})")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
