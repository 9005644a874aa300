"""Language server benchmark: a server driven over stdio JSON-RPC by a real client (lsp_client.py).

Figures, for ``homeostasis lsp`` and, as a reference, ``ruff server`` (default settings):
  * start to first diagnostics: process spawn -> initialize -> didOpen of a 5,000-line file ->
    its first publishDiagnostics (first start: empty rule cache; then a second start);
  * edit to diagnostics: didChange -> the publishDiagnostics for that version, over N edits
    typed into 1k, 5k and 20k-line files, or as many as a time budget allows (p50, p95, p99, max);
  * code action response time at the file's diagnostics: right after an edit's diagnostics
    arrive (cold) and after a pause (warm);
  * resident memory of the server (and any children) after start, with 100 and 1,000 open
    500-line documents.

Usage: .venv/bin/python bench/lsp_bench.py [--server ours|ruff] [--lines N ...] [--edits N]
       [--documents N ...] [--json FILE]
Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsp_client import Client, rss_mb

HERE = Path(__file__).resolve().parent
STDLIB = (
    *("inspect", "typing", "argparse", "difflib", "dataclasses", "pathlib", "tarfile", "email.message"),
    *("subprocess", "logging", "collections", "functools", "enum", "ast", "shutil", "zipfile"),
)


@dataclass(frozen=True)
class Server:
    name: str
    command: list[str]
    env: dict[str, str] = field(default_factory=dict)
    init: dict[str, Any] = field(default_factory=dict)


def ours(disable: list[str] | None = None) -> Server:
    command = [sys.executable, "-m", "homeostasis", "lsp"]
    if os.environ.get("LSP_BENCH_LOG"):  # the server's own log, for looking into a slow figure
        command += ["--log-file", os.environ["LSP_BENCH_LOG"]]
    return Server("homeostasis", command, init={"disable": disable} if disable else {})


def ruff() -> Server:
    import peers

    return Server("ruff server", [str(peers.ensure_env() / "ruff"), "server"])


@functools.cache
def _stdlib_lines() -> tuple[str, ...]:
    import importlib.util

    source: list[str] = []
    for name in STDLIB:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            text = Path(spec.origin).read_text(encoding="utf-8")
            source.extend(line for line in text.splitlines() if not line.startswith("from __future__"))
    return tuple(source)


def make_module(lines: int, seed: int = 7, skip: int = 0) -> str:
    """Real code: standard-library modules of this interpreter, cut at a top-level statement,
    with some ``is None`` tests turned into ``== None`` so the file has findings to report."""
    source = list(_stdlib_lines())
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


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _started(server: Server, root: Path, env: dict[str, str]) -> Client:
    client = Client(server.command)
    await client.start(root, {**server.env, **env}, server.init)
    return client


async def first_diagnostics(server: Server, root: Path, text: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    client = await _started(server, root, env)
    uri = (root / "big.py").as_uri()
    client.open(uri, text)
    arrived = await client.wait(uri, 1)
    await client.stop()
    return arrived - started


async def edits_and_actions(
    server: Server, root: Path, text: str, env: dict[str, str], count: int, actions: bool, budget: float
) -> dict[str, Any]:
    """Edit latencies (ms) over ``count`` edits, or as many as ``budget`` seconds allow (at least 20);
    with ``actions``, code action times too."""
    client = await _started(server, root, env)
    uri = (root / "big.py").as_uri()
    client.open(uri, text)
    await client.wait(uri, 1, timeout=120)
    await asyncio.sleep(1.5)  # let the first full pass and any pause-time work finish
    lines = text.split("\n")
    rng = random.Random(11)
    latencies: list[float] = []
    version = 1
    statements = [i for i, line in enumerate(lines) if _complete_return(line)]
    index = 0
    deadline = time.perf_counter() + budget
    while len(latencies) < count and (len(latencies) < 20 or time.perf_counter() < deadline):
        index += 1
        if index % 10 == 0 and statements:
            line = statements.pop(rng.randrange(len(statements)))  # a new finding appears
            insert = " == None"
        else:
            line = rng.randrange(len(lines) - 1)  # a keystroke's worth of text in a comment
            if any(mark in lines[line] for mark in "#\"'") or lines[line].endswith("\\"):
                continue  # a comment, a string or a continued line: the edit could change the code
            insert = "  # t"
        col = len(lines[line])
        lines[line] += insert
        version += 1
        sent = time.perf_counter()
        client.change(uri, version, line, col, insert)
        arrived = await client.wait(uri, version)
        latencies.append((arrived - sent) * 1000)
        await asyncio.sleep(0.005)  # a fast typist, still slower than the server
    result: dict[str, Any] = {"latencies": latencies, "findings": len(client.latest.get(uri, []))}
    if actions:
        version += 1
        client.change(uri, version, 0, 0, "# touched\n")
        await client.wait(uri, version)
        diagnostics = client.latest.get(uri, [])[:20]
        result["cold"] = [await _action_ms(client, uri, d) for d in diagnostics]
        await asyncio.sleep(3.0)
        result["warm"] = [await _action_ms(client, uri, d) for d in diagnostics]
    await client.stop()
    return result


def _complete_return(line: str) -> bool:
    """A one-line ``return`` statement (so appending `` == None`` keeps the file valid)."""
    body = line.strip()
    balanced = all(body.count(a) == body.count(b) for a, b in ("()", "[]", "{}"))
    plain = not any(mark in body for mark in "#\"'\\")
    return body.startswith("return ") and balanced and plain and not body.endswith((",", ":"))


async def _action_ms(client: Client, uri: str, diagnostic: dict[str, Any]) -> float:
    started = time.perf_counter()
    await client.code_actions(uri, diagnostic)
    return (time.perf_counter() - started) * 1000


async def memory(server: Server, root: Path, env: dict[str, str], documents: list[int]) -> dict[int, float]:
    """Resident memory after start (key 0) and with each number of open 500-line documents."""
    client = await _started(server, root, env)
    warmup = (root / "warmup.py").as_uri()
    client.open(warmup, "x = 1\n")
    await client.wait(warmup, 1)
    result = {0: rss_mb(client.pid())}
    opened = 0
    for target in sorted(documents):
        uris = [(root / f"doc{index}.py").as_uri() for index in range(opened, target)]
        for offset, uri in enumerate(uris):
            client.open(uri, make_module(500, seed=opened + offset, skip=(opened + offset) * 97))
        for uri in uris:
            await client.wait(uri, 1, timeout=600)
        opened = target
        await asyncio.sleep(2.0)
        result[target] = rss_mb(client.pid())
    await client.stop()
    return result


async def measure(
    server: Server,
    sizes: list[int],
    edits: int,
    documents: list[int],
    start_lines: int = 5000,
    budget: float = 60.0,
) -> dict[str, Any]:
    """Every figure for one server, as a flat dict (ms, s, MB)."""
    figures: dict[str, Any] = {"server": server.name}
    with tempfile.TemporaryDirectory(prefix="homeostasis-lsp-bench-") as tmp:
        root = Path(tmp) / "ws"
        root.mkdir()
        env = {"HOMEOSTASIS_CACHE_DIR": str(Path(tmp) / "cache")}
        text = make_module(start_lines)
        (root / "big.py").write_text(text)
        figures["first diagnostics, first start (s)"] = await first_diagnostics(server, root, text, env)
        figures["first diagnostics (s)"] = await first_diagnostics(server, root, text, env)
        figures["first diagnostics file lines"] = text.count("\n")
        for lines in sizes:
            text = make_module(lines)
            (root / "big.py").write_text(text)
            done = await edits_and_actions(
                server, root, text, env, edits, actions=lines == start_lines, budget=budget
            )
            lat = done["latencies"]
            key = f"{lines // 1000}k"
            figures[f"{key}: file lines"] = text.count("\n")
            figures[f"{key}: findings in file"] = done["findings"]
            figures[f"{key}: edits"] = len(lat)
            for name, q in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99)):
                figures[f"{key}: edit {name} (ms)"] = percentile(lat, q)
            figures[f"{key}: edit max (ms)"] = max(lat)
            for kind in ("cold", "warm"):
                if done.get(kind):
                    figures[f"code action, {kind} p50 (ms)"] = statistics.median(done[kind])
                    figures[f"code action, {kind} max (ms)"] = max(done[kind])
        for count, mb in (await memory(server, root, env, documents)).items():
            figures["RSS after start (MB)" if count == 0 else f"RSS with {count} open documents (MB)"] = mb
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--server", choices=("ours", "ruff"), default="ours")
    parser.add_argument("--lines", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--edits", type=int, default=300)
    parser.add_argument("--edit-seconds", type=float, default=60.0, help="time budget for each size's edits")
    parser.add_argument("--documents", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--disable", action="append", default=[], metavar="GLOB", help="rules to disable")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args()
    server = ours(args.disable) if args.server == "ours" else ruff()
    start_lines = 5000 if 5000 in args.lines else args.lines[0]
    figures = asyncio.run(
        measure(server, args.lines, args.edits, args.documents, start_lines, args.edit_seconds)
    )
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        shown = f"{value:.2f}" if isinstance(value, float) else str(value)
        print(f"{key:<{width}}  {shown:>10}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
