"""Pattern diagnostics over JSON-RPC: on open, after edits, in the client's position encoding."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp.session import Session

pytestmark = pytest.mark.asyncio(loop_scope="module")

NONE_EQ = "python.comparison.none-equality"
SOURCE = 'def load(user=None):\n    if user == None:\n        user = "guest"\n    return user\n'


def codes(diagnostics: list[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)


async def test_open_reports_pattern_findings(session: Session) -> None:
    uri = session.open("open_me.py", SOURCE)
    diagnostics = await session.diagnostics(uri)
    assert codes(diagnostics) == [NONE_EQ]
    (found,) = diagnostics
    assert found.range == types.Range(types.Position(1, 7), types.Position(1, 19))
    assert found.source == "homeostasis"
    assert found.severity == types.DiagnosticSeverity.Warning
    assert "None" in found.message


async def test_edits_update_the_diagnostics(session: Session) -> None:
    uri = session.open("edit_me.py", SOURCE)
    assert codes(await session.diagnostics(uri)) == [NONE_EQ]
    # Fix the comparison by hand: the finding goes away.
    session.replace(uri, "user == None", "user is None")
    assert await session.diagnostics(uri) == []
    # Add two new risky lines far below: both found, at their new places.
    session.replace(
        uri,
        "    return user\n",
        "    return user\n\n\ndef check(a, b):\n    assert (a, 'a is set')\n    return b != None\n",
    )
    diagnostics = await session.diagnostics(uri)
    assert codes(diagnostics) == ["python.comparison.none-equality", "python.exceptions.assert-tuple"]
    lines = sorted(d.range.start.line for d in diagnostics)
    assert lines == [7, 8]
    # Insert lines above: the untouched findings move with their code.
    session.replace(uri, "def load", "import os\n\n\ndef load")
    moved = await session.diagnostics(uri)
    assert sorted(d.range.start.line for d in moved) == [10, 11]


async def test_positions_are_in_the_negotiated_encoding(session: Session) -> None:
    # Characters outside the BMP count 2 in UTF-16, 4 in UTF-8, 1 in the engine.
    text = 'label = "🙂🙂"; flag = (label == None)\n'
    uri = session.open("emoji.py", text)
    (found,) = await session.diagnostics(uri)
    start = text.index("label == None")
    prefix = text[:start]
    assert session.encoding == "utf-16"
    assert found.range.start.character == len(prefix.encode("utf-16-le")) // 2
    assert found.range.end.character == found.range.start.character + len("label == None")


async def test_suppression_comment_silences_only_its_rule(session: Session) -> None:
    text = f"x = 1\nok = x == None  # homeostasis: ignore[{NONE_EQ}]\n\nbad = x == None\n"
    uri = session.open("suppressed.py", text)
    diagnostics = await session.diagnostics(uri)
    assert [(d.code, d.range.start.line) for d in diagnostics] == [(NONE_EQ, 3)]
    # Editing the comment away brings the silenced finding back (the line below the edit is re-checked too).
    session.replace(uri, f"  # homeostasis: ignore[{NONE_EQ}]", "")
    assert sorted(d.range.start.line for d in await session.diagnostics(uri)) == [1, 3]


async def test_closing_clears_pushed_diagnostics(session: Session) -> None:
    uri = session.open("closing.py", SOURCE)
    assert await session.diagnostics(uri)
    session.close(uri)
    if session.pull:
        return  # nothing was pushed for an open document; the client forgets pulled ones itself
    await session.wait_for(uri, lambda d: d == [])


async def test_pull_result_ids_say_unchanged(session: Session) -> None:
    if not session.pull:
        pytest.skip("this client does not pull diagnostics")
    uri = session.open("pull.py", SOURCE)
    await session.diagnostics(uri)
    first = session.result_ids[uri]
    again = await session.client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(types.TextDocumentIdentifier(uri), previous_result_id=first)
    )
    assert isinstance(again, types.RelatedUnchangedDocumentDiagnosticReport)
    session.replace(uri, "user == None", "user is None")
    changed = await session.client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(types.TextDocumentIdentifier(uri), previous_result_id=first)
    )
    assert isinstance(changed, types.RelatedFullDocumentDiagnosticReport)
    assert list(changed.items) == [] and changed.result_id != first


async def test_push_versions_match_the_document(session: Session) -> None:
    if session.pull:
        pytest.skip("this client pulls")
    uri = session.open("versions.py", SOURCE)
    await session.published(uri, 1)
    version = session.replace(uri, "return user", "return user == None")
    diagnostics = await session.published(uri, version)
    assert len(diagnostics) == 2
    await asyncio.sleep(0.1)
    versions = [v for v, _ in session.recorder.published[uri]]
    assert versions == sorted(versions) and set(versions) <= {1, 2}


async def test_utf8_is_negotiated_when_the_client_prefers_it(
    profile: str, workspace: Path, server_env: dict[str, str]
) -> None:
    if profile != "vscode":
        pytest.skip("one extra server is enough")
    utf8 = await Session.start(workspace, "utf8", env=server_env)
    try:
        assert utf8.encoding == "utf-8"
        text = 'label = "🙂é"; flag = (label == None)\n'
        uri = utf8.open("utf8.py", text)
        (found,) = await utf8.diagnostics(uri)
        prefix = text[: text.index("label == None")]
        assert found.range.start.character == len(prefix.encode())
        # An edit expressed in UTF-8 columns lands where the client meant it.
        utf8.replace(uri, "None", "0")
        assert await utf8.diagnostics(uri) == []
    finally:
        await utf8.stop()
