"""Runtime errors in the editor: real tracebacks from real programs, by command, file and test run."""

from __future__ import annotations

import asyncio
import sys

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from tests.lsp.session import Session, run_python

pytestmark = pytest.mark.asyncio(loop_scope="module")

KEY_ERROR = "python.key-error.subscript"
SHOP = """PRICES = {"apple": 3}


def price(name):
    return PRICES[name]


def total(items):
    return sum(price(i) for i in items)


if __name__ == "__main__":
    print(total(["apple", "pear"]))
"""


def runtime(diagnostics: list[types.Diagnostic]) -> list[types.Diagnostic]:
    return [d for d in diagnostics if str(d.code).startswith(("python.key-error", "homeostasis.runtime"))]


async def test_ingested_traceback_lands_on_the_subscript(session: Session) -> None:
    session.write("shop.py", SHOP)
    traceback = run_python(session.root, "shop.py")
    assert "KeyError: 'pear'" in traceback
    uri = session.open("shop.py")
    result = await session.command("homeostasis.ingest", {"text": traceback, "source": "shop-run"})
    assert result["errors"] == 1 and result["diagnostics"] == 1
    (found,) = runtime(await session.wait_for(uri, lambda d: runtime(d)))
    assert found.code == KEY_ERROR
    assert found.range == session.range_of(uri, "PRICES[name]")
    assert found.severity == types.DiagnosticSeverity.Error
    assert "seen" in found.message and "KeyError" in found.message
    frames = found.related_information or []
    assert [f.location.range.start.line for f in frames] == [12, 8, 8, 4]  # <module>, total, <genexpr>, price
    assert all(f.location.uri == uri for f in frames)
    assert "in price" in frames[-1].message

    hover = await session.hover(uri, found.range.start)
    assert hover is not None
    text = hover.contents.value if isinstance(hover.contents, types.MarkupContent) else str(hover.contents)
    assert "KeyError" in text and "Seen" in text and "shop.py:5" in text


async def test_runtime_diagnostics_follow_edits_and_go_stale(session: Session) -> None:
    session.write("follow.py", SHOP)
    traceback = run_python(session.root, "follow.py")
    uri = session.open("follow.py")
    await session.command("homeostasis.ingest", {"text": traceback, "source": "follow-run"})
    (found,) = runtime(await session.wait_for(uri, lambda d: runtime(d)))
    start = found.range.start.line
    # Lines added above: it moves with its line.
    session.replace(uri, "PRICES = ", "import logging\n\nPRICES = ")
    moved = await session.wait_for(uri, lambda d: runtime(d) and runtime(d)[0].range.start.line == start + 2)
    assert "stale" not in runtime(moved)[0].message
    # Re-indenting the block keeps it (the printed line is the same code).
    # The failing line itself rewritten: the error no longer describes this code.
    session.replace(uri, "return PRICES[name]", "return PRICES.get(name, 0)")
    stale = await session.wait_for(uri, lambda d: runtime(d) and "stale" in runtime(d)[0].message)
    assert runtime(stale)[0].range.start.line == start + 2
    assert runtime(stale)[0].severity == types.DiagnosticSeverity.Information


async def test_clear_and_replace_by_source(session: Session) -> None:
    session.write("clear.py", SHOP)
    traceback = run_python(session.root, "clear.py")
    uri = session.open("clear.py")
    await session.command("homeostasis.ingest", {"text": traceback, "source": "clear-run"})
    await session.wait_for(uri, lambda d: len(runtime(d)) == 1)
    # The same source again replaces, never duplicates.
    await session.command("homeostasis.ingest", {"text": traceback, "source": "clear-run"})
    await session.wait_for(uri, lambda d: len(runtime(d)) == 1)
    await session.command("homeostasis.clearRuntime", {"source": "clear-run"})
    await session.wait_for(uri, lambda d: runtime(d) == [])


async def test_runtime_for_a_file_that_is_not_open(session: Session) -> None:
    session.write("closed.py", SHOP)
    traceback = run_python(session.root, "closed.py")
    await session.command("homeostasis.ingest", {"text": traceback, "source": "closed-run"})
    uri = session.uri("closed.py")
    diagnostics = await session.wait_for(uri, lambda d: runtime(d))
    assert runtime(diagnostics)[0].range.start.line == 4
    await session.command("homeostasis.clearRuntime", {"source": "closed-run"})
    await session.wait_for(uri, lambda d: runtime(d) == [])


async def test_runtime_diagnostics_of_a_file_not_open_follow_its_edits_on_disk(session: Session) -> None:
    path = session.write("on_disk.py", SHOP)
    traceback = run_python(session.root, "on_disk.py")
    uri = path.as_uri()  # never opened in the editor
    await session.command("homeostasis.ingest", {"text": traceback, "source": "disk-run"})
    (found,) = runtime(await session.wait_for(uri, lambda d: runtime(d)))
    start = found.range.start.line

    def saved(text: str) -> None:
        path.write_text(text)
        if session.profile == "vscode":  # the editor watches; here the test plays its watcher
            session.client.workspace_did_change_watched_files(
                types.DidChangeWatchedFilesParams([types.FileEvent(uri, types.FileChangeType.Changed)])
            )

    # Saved elsewhere (a git pull, another tool) with lines added above: it moves with its line.
    saved("import logging\n\n" + SHOP)
    await session.wait_for(uri, lambda d: runtime(d) and runtime(d)[0].range.start.line == start + 2)
    # The failing line rewritten on disk: the error no longer describes this code.
    saved(("import logging\n\n" + SHOP).replace("return PRICES[name]", "return PRICES.get(name, 0)"))
    await session.wait_for(uri, lambda d: runtime(d) and "stale" in runtime(d)[0].message)
    await session.command("homeostasis.clearRuntime", "disk-run")
    await session.wait_for(uri, lambda d: runtime(d) == [])


async def test_runtime_quick_fix_applies(session: Session) -> None:
    session.write("fixme.py", SHOP)
    traceback = run_python(session.root, "fixme.py")
    uri = session.open("fixme.py")
    await session.command("homeostasis.ingest", traceback)
    (found,) = runtime(await session.wait_for(uri, lambda d: runtime(d)))
    actions = await session.actions(uri, found.range, diagnostics=[found])
    quick = [a for a in actions if isinstance(a, types.CodeAction) and ".get(" in a.title]
    assert quick, [a.title for a in actions]
    action = await session.resolved(quick[0])
    assert action.edit is not None
    session.apply(action.edit)
    assert "PRICES.get(name)" in session.texts[uri]
    # Applying it made the error's line different: the diagnostic goes stale rather than lingering as live.
    await session.wait_for(uri, lambda d: not runtime(d) or "stale" in runtime(d)[0].message)


async def test_error_files_written_by_the_app(session: Session) -> None:
    session.write("logged.py", SHOP)
    traceback = run_python(session.root, "logged.py")
    uri = session.open("logged.py")
    if session.profile == "vscode":
        watchers = [
            w
            for r in session.recorder.registrations
            if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
            for w in r.register_options["watchers"]  # type: ignore[index]
        ]
        assert any(".homeostasis/errors/**" in str(w["globPattern"]) for w in watchers)
    log = session.write(".homeostasis/errors/app.log", "starting\n" + traceback)
    if session.profile == "vscode":  # the editor watches; here the test plays its watcher
        session.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams([types.FileEvent(log.as_uri(), types.FileChangeType.Created)])
        )
    (found,) = runtime(await session.wait_for(uri, lambda d: runtime(d)))
    assert "app.log" in found.message
    log.unlink()
    if session.profile == "vscode":
        session.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams([types.FileEvent(log.as_uri(), types.FileChangeType.Deleted)])
        )
    await session.wait_for(uri, lambda d: runtime(d) == [])


async def test_run_tests_publishes_failures(session: Session) -> None:
    session.write("cart.py", SHOP)
    session.write(
        "test_cart.py",
        "from cart import total\n\n\ndef test_total():\n    assert total(['apple', 'pear']) == 3\n",
    )
    uri = session.open("cart.py")
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "test_cart.py"]
    # A test run executes the workspace's code: refused until the workspace is trusted.
    with pytest.raises(JsonRpcException, match="not trusted"):
        await session.command("homeostasis.runTests", {"command": command})
    await session.configure({"trusted": True})
    # The default command (VS Code profile): pytest, with the project's interpreter (here, this one).
    arguments = [] if session.profile == "vscode" else [{"command": command}]
    try:
        for _ in range(100):  # a pulled configuration arrives a round trip later
            try:
                result = await session.command("homeostasis.runTests", *arguments)
                break
            except JsonRpcException as exc:
                assert "not trusted" in str(exc)
                await asyncio.sleep(0.05)
    finally:
        await session.configure({})
    assert result["status"] == "finished" and result["exitCode"] == 1
    (found,) = runtime(await session.wait_for(uri, lambda d: runtime(d)))
    assert found.range == session.range_of(uri, "PRICES[name]")
    assert "test run" in found.message
