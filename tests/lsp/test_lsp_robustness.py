"""Robustness: unknown documents, out-of-range positions, huge and binary documents, bad input,
a burst of 1,000 edits, a client that disconnects. Proper errors or empty results, never a crash,
never diagnostics for an outdated version."""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import time

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from tests.lsp.session import SERVER, Session

pytestmark = pytest.mark.asyncio(loop_scope="module")

NONE_EQ = "python.comparison.none-equality"


async def test_requests_for_unknown_documents(session: Session) -> None:
    ghost = session.uri("never_opened.py")
    doc = types.TextDocumentIdentifier(ghost)
    origin = types.Range(types.Position(0, 0), types.Position(0, 0))
    assert await session.hover(ghost, types.Position(0, 0)) is None
    assert await session.actions(ghost, origin) == []
    if session.pull:
        report = await session.client.text_document_diagnostic_async(types.DocumentDiagnosticParams(doc))
        assert isinstance(report, types.RelatedFullDocumentDiagnosticReport) and list(report.items) == []
    # Changes and closes for documents the server never saw are ignored, not fatal.
    session.client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=ghost, version=3),
            [types.TextDocumentContentChangeWholeDocument(text="x = 1\n")],
        )
    )
    session.client.text_document_did_close(types.DidCloseTextDocumentParams(doc))
    await session.wait_log("not open ignored")
    uri = session.open("alive.py", "a = 1 == None\n")
    assert [d.code for d in await session.diagnostics(uri)] == [NONE_EQ]


async def test_out_of_range_positions(session: Session) -> None:
    uri = session.open("ranges.py", "a = 1 == None  # a comment after the finding\n")
    await session.diagnostics(uri)
    assert await session.hover(uri, types.Position(10_000, 3)) is None
    assert await session.hover(uri, types.Position(0, 10_000)) is None
    far = types.Range(types.Position(500, 0), types.Position(900, 10))
    assert await session.actions(uri, far) == []
    # A change past the end appends (clamped, as the specification says), it does not crash.
    session.edit(
        uri, [types.TextEdit(types.Range(types.Position(1, 0), types.Position(1, 0)), "b = 2 == None\n")]
    )
    assert sorted(d.range.start.line for d in await session.diagnostics(uri)) == [0, 1]


async def test_huge_and_binary_documents(session: Session) -> None:
    huge = session.open("huge.py", "x = 1 == None\n" * 200_000)  # 2.8 MB, over max-file-bytes
    assert await session.diagnostics(huge, timeout=60) == []
    await session.wait_log("huge.py is not checked: larger than")
    binary = session.open("binary.py", "a = 1 == None\n\x00\x01\x02 garbage\n")
    assert await session.diagnostics(binary) == []
    await session.wait_log("binary.py is not checked: binary content")
    session.close(huge)


async def test_bad_command_input(session: Session) -> None:
    with pytest.raises(JsonRpcInvalidParams):
        await session.command("homeostasis.ingest", {"text": 42})
    result = await session.command("homeostasis.ingest", "no traceback here, just words\n")
    assert result["errors"] == 0
    truncated = 'Traceback (most recent call last):\n  File "/nowhere/app.py", line 3, in <mod'
    assert (await session.command("homeostasis.ingest", truncated))["diagnostics"] == 0


async def test_a_burst_of_1000_edits(session: Session) -> None:
    uri = session.open("burst.py", "start = 0\n")
    await session.diagnostics(uri)
    expected: dict[int, int] = {1: 0}  # version -> how many `== None` the text has
    count = 0
    for index in range(1000):
        line = f"v{index} = a == None\n" if index % 3 == 0 else f"v{index} = {index}\n"
        count += index % 3 == 0
        end = session.texts[uri].count("\n")
        session.edit(uri, [types.TextEdit(types.Range(types.Position(end, 0), types.Position(end, 0)), line)])
        expected[session.versions[uri]] = count
    final = await session.diagnostics(uri, timeout=60)
    assert len(final) == count == 334
    if not session.pull:
        await asyncio.sleep(0.3)
        published = session.recorder.published[uri]
        versions = [v for v, _ in published]
        assert versions == sorted(versions), "diagnostics for an older version after a newer one"
        assert len(published) < 200, "edits were not coalesced"
        for version, diagnostics in published:
            assert version is not None and len(diagnostics) == expected[version], version


def _frame(message: dict[str, object]) -> bytes:
    body = json.dumps(message).encode()
    return f"Content-Length: {len(body)}\r\n\r\n".encode() + body


async def test_many_open_documents_keep_working_after_their_trees_are_dropped(session: Session) -> None:
    # Past the server's tree budget (100) the least recently analysed drop their trees to save
    # memory; the first ones opened still get fixes and follow edits.
    uris = [session.open(f"many_{i}.py", f"def f{i}(x):\n    return x == None\n") for i in range(110)]
    for uri in uris:
        (found,) = await session.diagnostics(uri)
        assert str(found.code) == NONE_EQ
    first = uris[0]
    (found,) = await session.diagnostics(first)
    actions = await session.actions(first, found.range, diagnostics=[found])
    quick = [a for a in actions if isinstance(a, types.CodeAction) and "identity test" in a.title]
    assert quick, [a.title for a in actions]
    session.apply((await session.resolved(quick[0])).edit)  # type: ignore[arg-type]
    assert session.texts[first] == "def f0(x):\n    return x is None\n"
    assert await session.diagnostics(first) == []
    session.replace(uris[1], "x == None", "x == None or x == None")
    assert len(await session.diagnostics(uris[1])) == 2
    for uri in uris:
        session.close(uri)


async def test_client_that_disconnects(session: Session) -> None:
    """The editor dies mid-session: the server notices, stops its work and exits cleanly."""
    process = subprocess.Popen(SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdin is not None and process.stdout is not None
    root = session.root.as_uri()
    uri = session.uri("disconnect.py")
    process.stdin.write(
        _frame(
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "initialize",
                "params": {"processId": None, "rootUri": root, "capabilities": {}},
            }
        )
    )
    process.stdin.write(_frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
    process.stdin.write(
        _frame(
            {
                "jsonrpc": "2.0",
                "method": "textDocument/didOpen",
                "params": {
                    "textDocument": {
                        "uri": uri,
                        "languageId": "python",
                        "version": 1,
                        "text": "a = 1 == None\n" * 5000,
                    }
                },
            }
        )
    )
    process.stdin.flush()
    assert process.stdout.read(15) == b"Content-Length:"  # it answered initialize
    process.stdin.close()  # the client is gone, mid-analysis
    process.stdout.close()
    started = time.monotonic()
    code = process.wait(timeout=30)
    stderr = process.stderr.read().decode() if process.stderr else ""
    assert time.monotonic() - started < 30
    assert code == 0, stderr
    assert "Traceback" not in stderr, stderr


async def test_tcp_transport(session: Session) -> None:
    """``homeostasis lsp --tcp HOST:PORT`` serves the same protocol over a socket (for debugging)."""
    import socket

    from pytest_lsp.client import make_test_lsp_client

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([*SERVER, "--tcp", f"127.0.0.1:{port}"], stderr=subprocess.DEVNULL)
    client = make_test_lsp_client()
    try:
        for _ in range(200):
            try:
                await client.start_tcp("127.0.0.1", port)
                break
            except OSError:
                await asyncio.sleep(0.05)
        await client.initialize_session(
            types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=session.root.as_uri())
        )
        uri = session.uri("over_tcp.py")
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "python", 1, "a = 1 == None\n"))
        )
        await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 30)
        assert [d.code for d in client.diagnostics[uri]] == [NONE_EQ]
        await client.shutdown_session()
    finally:
        with contextlib.suppress(ConnectionError):
            await client.stop()
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
