"""Configuration: initializationOptions, workspace/configuration per folder, pyproject.toml,
their precedence, and reloading when configuration or rule files change."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from lsprotocol import types

from tests.lsp.session import Session, git_init, run_python

pytestmark = pytest.mark.asyncio(loop_scope="module")

NONE_EQ = "python.comparison.none-equality"
IS_LITERAL = "python.comparison.is-literal"
SOURCE = "def f(x):\n    if x is 1:\n        return x == None\n"
RULE = """language: python
rules:
  - id: python.team.no-print
    kind: pattern
    message: "{message}"
    severity: info
    category: style
    criticality: low
    complexity: low
    reliability: high
    confidence: 0.9
    match:
      query: |
        ((call function: (identifier) @fn) @target (#eq? @fn "print"))
"""


async def configure(session: Session, settings: dict[str, Any]) -> None:
    await session.configure(settings)


def touched(session: Session, path: Path) -> None:
    """Tell the server a file changed, as this client would (VS Code watches; Neovim saves)."""
    if session.profile == "vscode":
        session.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams([types.FileEvent(path.as_uri(), types.FileChangeType.Changed)])
        )
    else:
        uri = session.open(str(path.relative_to(session.root)), path.read_text(), language="toml")
        session.client.text_document_did_save(
            types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri))
        )
        session.close(uri)


def severities(diagnostics: list[types.Diagnostic]) -> dict[str, types.DiagnosticSeverity | None]:
    return {str(d.code): d.severity for d in diagnostics}


async def test_settings_change_takes_effect(session: Session) -> None:
    uri = session.open("settings.py", SOURCE)
    assert set(severities(await session.diagnostics(uri))) == {NONE_EQ, IS_LITERAL}
    await configure(session, {"disable": [NONE_EQ], "severity": {IS_LITERAL: "error"}})
    changed = await session.wait_for(uri, lambda d: NONE_EQ not in severities(d))
    assert severities(changed) == {IS_LITERAL: types.DiagnosticSeverity.Error}
    await configure(session, {})
    await session.wait_for(uri, lambda d: set(severities(d)) == {NONE_EQ, IS_LITERAL})


async def test_invalid_settings_are_reported_not_fatal(session: Session) -> None:
    uri = session.open("invalid_settings.py", SOURCE)
    await configure(session, {"confidenceThreshold": "high", "noSuchSetting": 1})
    await session.wait_log("confidence-threshold: expected a number between 0 and 1")
    await session.wait_log("noSuchSetting: unknown setting")
    # The bad values are ignored; everything else keeps working.
    await session.wait_for(uri, lambda d: set(severities(d)) == {NONE_EQ, IS_LITERAL})
    await configure(session, {})


async def test_pyproject_and_its_precedence(session: Session) -> None:
    project = session.root / "sub"
    (project / "pkg").mkdir(parents=True)
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        f'[tool.homeostasis]\ndisable = ["{IS_LITERAL}"]\nseverity = {{ "{NONE_EQ}" = "hint" }}\n'
    )
    uri = session.open("sub/pkg/mod.py", SOURCE)
    # The nearest pyproject.toml configures files below it.
    assert severities(await session.diagnostics(uri)) == {NONE_EQ: types.DiagnosticSeverity.Hint}
    # Editor settings win over the file by default ("editorFirst")...
    await configure(session, {"severity": {NONE_EQ: "error"}})
    await session.wait_for(uri, lambda d: severities(d) == {NONE_EQ: types.DiagnosticSeverity.Error})
    # ...unless the user prefers the project's file.
    await configure(session, {"severity": {NONE_EQ: "error"}, "configurationPreference": "filesystemFirst"})
    await session.wait_for(uri, lambda d: severities(d) == {NONE_EQ: types.DiagnosticSeverity.Hint})
    await configure(session, {})
    # Editing pyproject.toml reloads it.
    pyproject.write_text(f'[tool.homeostasis]\ndisable = ["{NONE_EQ}"]\n')
    touched(session, pyproject)
    await session.wait_for(uri, lambda d: set(severities(d)) == {IS_LITERAL})


async def test_workspace_rules_load_when_trusted_and_reload(session: Session) -> None:
    rules = session.root / ".homeostasis" / "rules"
    rules.mkdir(parents=True, exist_ok=True)
    rule_file = rules / "team.yaml"
    rule_file.write_text(RULE.format(message="print() call: use the logger"))
    (rules / "broken.yaml").write_text(
        "language: python\nrules:\n  - id: python.team.broken\n    kind: pattern\n"
    )
    uri = session.open("team.py", "print('hello')\n")
    assert await session.diagnostics(uri) == []  # not trusted: workspace rules are not loaded
    await configure(session, {"trusted": True})
    found = await session.wait_for(uri, lambda d: "python.team.no-print" in severities(d))
    assert found[0].message == "print() call: use the logger"
    assert "broken.yaml" in session.logs()  # the invalid rule is reported, the valid one works
    rule_file.write_text(RULE.format(message="no print() here"))
    touched(session, rule_file)
    await session.wait_for(uri, lambda d: [x.message for x in d] == ["no print() here"])
    await configure(session, {})
    await session.wait_for(uri, lambda d: d == [])


REFINING = """language: python
rules:
  - id: python.team.price-missing
    kind: runtime
    message: "No price for {{ key }}: add it to the price list"
    severity: error
    category: team
    criticality: low
    complexity: low
    reliability: high
    confidence: 0.9
    requires: [python.key-error.subscript]
    match:
      error: [KeyError]
      message: "'(?P<key>[a-z]+)'"
"""


async def test_a_workspace_rule_can_refine_a_built_in_one(session: Session) -> None:
    rules = session.root / ".homeostasis" / "rules"
    rules.mkdir(parents=True, exist_ok=True)
    (rules / "refine.yaml").write_text(REFINING)
    session.write("prices.py", "PRICES = {}\nprint(PRICES['pear'])\n")
    traceback = run_python(session.root, "prices.py")
    uri = session.open("prices.py")
    await configure(session, {"trusted": True})
    try:
        for _ in range(100):  # until the trusted workspace's rules are loaded
            await session.command("homeostasis.ingest", {"text": traceback, "source": "refine-run"})
            found = await session.wait_for(uri, lambda d: any(x.source == "homeostasis" for x in d))
            codes = {str(x.code) for x in found}
            if "python.team.price-missing" in codes:
                break
            await asyncio.sleep(0.05)
        # The refinement replaces the built-in rule it requires.
        assert "python.team.price-missing" in codes and "python.key-error.subscript" not in codes
    finally:
        (rules / "refine.yaml").unlink()
        await session.command("homeostasis.clearRuntime", "refine-run")
        await configure(session, {})


@pytest_asyncio.fixture(loop_scope="module")
async def configured(tmp_path: Path, profile: str, server_env: dict[str, str]) -> AsyncIterator[Session]:
    git_init(tmp_path)
    started = await Session.start(
        tmp_path, profile, init_options={"settings": {"disable": [IS_LITERAL]}}, env=server_env
    )
    yield started
    await started.stop()


async def test_initialization_options(configured: Session) -> None:
    uri = configured.open("init.py", SOURCE)
    assert set(severities(await configured.diagnostics(uri))) == {NONE_EQ}


async def test_multi_root_folders_have_their_own_settings(
    profile: str, tmp_path: Path, server_env: dict[str, str]
) -> None:
    if profile != "vscode":
        pytest.skip("asked per folder with workspace/configuration, which this client lacks")
    strict, relaxed = tmp_path / "strict", tmp_path / "relaxed"
    for folder in (strict, relaxed):
        folder.mkdir()
        git_init(folder)
    configuration = {"": {}, relaxed.as_uri(): {"homeostasis": {"disable": [NONE_EQ]}}}
    started = await Session.start(
        tmp_path, profile, configuration=configuration, env=server_env, folders=[strict, relaxed]
    )
    try:
        flagged = started.open("strict/a.py", "x = 1 == None\n")
        silent = started.open("relaxed/b.py", "x = 1 == None\n")
        assert [d.code for d in await started.diagnostics(flagged)] == [NONE_EQ]
        assert await started.diagnostics(silent) == []
    finally:
        await started.stop()
