"""Code actions over JSON-RPC: quick fixes applied give the expected text, fix-all, ignore, docs, hover."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp.session import Session, run_python

pytestmark = pytest.mark.asyncio(loop_scope="module")

NONE_EQ = "python.comparison.none-equality"
IS_LITERAL = "python.comparison.is-literal"


def code_actions(actions: list[types.CodeAction | types.Command]) -> list[types.CodeAction]:
    return [a for a in actions if isinstance(a, types.CodeAction)]


async def test_quick_fix_applied_gives_the_expected_text(session: Session) -> None:
    uri = session.open(
        "quick.py", "def load(user=None):\n    if user == None:\n        user = 'guest'\n    return user\n"
    )
    (found,) = await session.diagnostics(uri)
    if session.profile == "neovim":
        assert found.data is None  # this client cannot carry Diagnostic.data: the server must not need it
    actions = code_actions(await session.actions(uri, found.range, diagnostics=[found]))
    titles = [a.title for a in actions]
    assert titles[0] == "Replace `== None` with an identity test (`is` / `is not`) (unsafe)"
    assert f"Ignore {NONE_EQ} on this line" in titles
    fix = actions[0]
    assert not fix.is_preferred  # unsafe fixes are never preferred
    assert fix.diagnostics and fix.diagnostics[0].code == NONE_EQ
    resolved = await session.resolved(fix)
    assert resolved.edit is not None
    session.apply(resolved.edit)
    assert (
        session.texts[uri]
        == "def load(user=None):\n    if user is None:\n        user = 'guest'\n    return user\n"
    )
    assert await session.diagnostics(uri) == []


async def test_safe_fix_is_preferred(session: Session) -> None:
    uri = session.open("safe.py", "status = 200\nif status is 200:\n    pass\n")
    (found,) = await session.diagnostics(uri)
    assert found.code == IS_LITERAL
    # The cursor on the line is enough: no diagnostics in the context at all.
    at = types.Range(found.range.start, found.range.start)
    (fix, *_) = code_actions(await session.actions(uri, at))
    assert fix.is_preferred and "(unsafe)" not in fix.title
    session.apply((await session.resolved(fix)).edit)  # type: ignore[arg-type]
    assert "if status == 200:" in session.texts[uri]


async def test_fix_all_applies_only_safe_fixes(session: Session) -> None:
    text = "def f(a, b, c):\n    if a is 1 or b is 'x':\n        return c == None\n"
    uri = session.open("fix_all.py", text)
    assert sorted(str(d.code) for d in await session.diagnostics(uri)) == [IS_LITERAL, IS_LITERAL, NONE_EQ]
    whole = types.Range(types.Position(0, 0), types.Position(3, 0))
    (action,) = code_actions(await session.actions(uri, whole, only=["source.fixAll"]))
    assert action.kind == "source.fixAll.homeostasis"
    session.apply((await session.resolved(action)).edit)  # type: ignore[arg-type]
    assert session.texts[uri] == "def f(a, b, c):\n    if a == 1 or b == 'x':\n        return c == None\n"
    assert [str(d.code) for d in await session.diagnostics(uri)] == [NONE_EQ]


async def test_fix_all_includes_unsafe_fixes_when_the_user_opts_in(session: Session) -> None:
    uri = session.open("fix_all_unsafe.py", "def f(a, c):\n    if a is 1:\n        return c == None\n")
    assert len(await session.diagnostics(uri)) == 2
    await session.configure({"unsafeFixes": True})
    try:
        whole = types.Range(types.Position(0, 0), types.Position(3, 0))
        for _ in range(200):  # until the new settings have arrived
            (action,) = code_actions(await session.actions(uri, whole, only=["source.fixAll.homeostasis"]))
            if "including unsafe" in action.title:
                break
            await asyncio.sleep(0.05)
        session.apply((await session.resolved(action)).edit)  # type: ignore[arg-type]
        assert session.texts[uri] == "def f(a, c):\n    if a == 1:\n        return c is None\n"
    finally:
        await session.configure({})


async def test_fix_all_also_applies_the_safe_fix_of_an_ingested_runtime_error(session: Session) -> None:
    text = "def load(s):\n    return json.loads(s)\n\n\nprint(load('{}'))\n"
    session.write("fix_all_runtime.py", text)
    traceback = run_python(session.root, "fix_all_runtime.py")
    assert "NameError: name 'json' is not defined" in traceback
    uri = session.open("fix_all_runtime.py")
    await session.command("homeostasis.ingest", {"text": traceback, "source": "fix-all-run"})
    await session.wait_for(
        uri, lambda found: any(d.code == "python.name-error.undefined-name" for d in found)
    )
    whole = types.Range(types.Position(0, 0), types.Position(5, 0))
    (action,) = code_actions(await session.actions(uri, whole, only=["source.fixAll.homeostasis"]))
    session.apply((await session.resolved(action)).edit)  # type: ignore[arg-type]
    assert session.texts[uri] == "import json\n\n" + text
    await session.command("homeostasis.clearRuntime", "fix-all-run")


async def test_ignore_on_this_line_inserts_the_suppression_comment(session: Session) -> None:
    uri = session.open("ignore.py", "def f(x):\n    return x == None\n")
    (found,) = await session.diagnostics(uri)
    actions = code_actions(await session.actions(uri, found.range, diagnostics=[found]))
    (ignore,) = [a for a in actions if a.title.startswith("Ignore")]
    session.apply((await session.resolved(ignore)).edit)  # type: ignore[arg-type]
    assert session.texts[uri] == f"def f(x):\n    return x == None  # homeostasis: ignore[{NONE_EQ}]\n"
    assert await session.diagnostics(uri) == []


async def test_show_documentation(session: Session) -> None:
    uri = session.open("docs.py", "ok = (1, 2) == None\n")
    (found,) = await session.diagnostics(uri)
    actions = await session.actions(uri, found.range, diagnostics=[found])
    # A code action carrying a command reads as a Command to lsprotocol's client-side converter.
    docs = [a for a in actions if isinstance(a, types.Command) or (a.command and not a.edit)]
    assert docs and "Show documentation" in docs[0].title
    # lsprotocol's client-side converter reads {title, kind, command: {...}} as a Command and
    # flattens the inner command to a string, so the test reads the rule id from the title.
    assert "homeostasis.showDocumentation" in str(docs[0].command)
    rule_id = docs[0].title.rsplit(" ", 1)[-1]
    markdown = await session.command("homeostasis.showDocumentation", rule_id)
    assert NONE_EQ in markdown and "is None" in markdown
    # The same page `homeostasis rules docs` writes to docs/rules/.
    page = Path(__file__).resolve().parents[2] / "docs" / "rules" / f"{NONE_EQ}.md"
    assert markdown == page.read_text(encoding="utf-8")
    if session.profile == "vscode":
        assert session.client.shown_documents and session.client.shown_documents[-1].uri.endswith(".md")
    else:
        assert any(NONE_EQ in m.message for m in session.client.messages)


async def test_hover_explains_the_rule_and_the_fixes(session: Session) -> None:
    uri = session.open("hover.py", "def f(x):\n    return x == None\n")
    (found,) = await session.diagnostics(uri)
    hover = await session.hover(uri, found.range.start)
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    text = hover.contents.value
    assert NONE_EQ in text and "Fix options" in text and "(unsafe)" in text and "singleton" in text
    assert await session.hover(uri, types.Position(0, 0)) is None


async def test_multi_file_fix_uses_versioned_document_changes(session: Session) -> None:
    session.write("greetings.py", "def greet(name):\n    return f'Hello, {name}!'\n")
    session.write("greeter.py", "from greetings import greet\n\nprint(greet('Ada', loud=True))\n")
    traceback = run_python(session.root, "greeter.py")
    util = session.open("greetings.py")
    app = session.open("greeter.py")
    await session.command("homeostasis.ingest", {"text": traceback, "source": "greeter"})
    (found,) = await session.wait_for(
        app, lambda d: [x for x in d if x.code == "python.type-error.unexpected-keyword"]
    )
    actions = code_actions(await session.actions(app, found.range, diagnostics=[found]))
    (add,) = [a for a in actions if "Add a `loud=None` parameter" in a.title]
    edit = (await session.resolved(add)).edit
    assert edit is not None
    if session.profile == "vscode":
        (change,) = edit.document_changes or []
        assert isinstance(change, types.TextDocumentEdit)
        assert change.text_document.uri == util and change.text_document.version == session.versions[util]
    else:
        assert edit.changes is not None and list(edit.changes) == [util]  # no documentChanges support
    session.apply(edit)
    assert session.texts[util] == "def greet(name, loud=None):\n    return f'Hello, {name}!'\n"
