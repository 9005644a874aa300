"""Workspace diagnostics for files that are not open: behind a setting, honouring .gitignore and
excludes, with progress the client can cancel."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from lsprotocol import types

from tests.lsp.session import Session, git_init

pytestmark = pytest.mark.asyncio(loop_scope="module")

NONE_EQ = "python.comparison.none-equality"
IS_LITERAL = "python.comparison.is-literal"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def scanned(
    profile: str, tmp_path_factory: pytest.TempPathFactory, server_env: dict[str, str]
) -> AsyncIterator[Session]:
    root = tmp_path_factory.mktemp(f"scan-{profile}")
    git_init(root)
    (root / ".gitignore").write_text("ignored/\n")
    (root / "pyproject.toml").write_text('[tool.homeostasis]\nexclude = ["excluded/"]\n')
    for name, text in {
        "a.py": "x = 1 == None\n",
        "sub/b.py": "if y is 1:\n    pass\n",
        "ignored/c.py": "x = 1 == None\n",
        "excluded/d.py": "x = 1 == None\n",
        "clean.py": "x = 1\n",
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    for index in range(150):
        (root / "many" / f"m{index}.py").parent.mkdir(exist_ok=True)
        (root / "many" / f"m{index}.py").write_text("z = 2\n" * 200 + "w = z == None\n")
    started = await Session.start(root, profile, init_options={"workspaceDiagnostics": True}, env=server_env)
    yield started
    await started.stop()


def codes(session: Session, name: str) -> list[str] | None:
    entries = session.recorder.published.get((session.root / name).as_uri())
    return [str(d.code) for d in entries[-1][1]] if entries else None


async def until(condition: object, timeout: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():  # type: ignore[operator]
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.05)


def scan_ended(session: Session) -> bool:
    reports = list(session.client.progress_reports.values())
    return bool(reports) and isinstance(reports[0][-1], types.WorkDoneProgressEnd)


async def test_files_not_open_get_diagnostics(scanned: Session) -> None:
    await until(lambda: scan_ended(scanned))
    assert codes(scanned, "many/m149.py") == [NONE_EQ]
    assert codes(scanned, "a.py") == [NONE_EQ]
    assert codes(scanned, "sub/b.py") == [IS_LITERAL]
    assert codes(scanned, "ignored/c.py") is None  # .gitignore
    assert codes(scanned, "excluded/d.py") is None  # [tool.homeostasis] exclude
    assert codes(scanned, "clean.py") is None
    (_, reports), *_ = scanned.client.progress_reports.items()
    assert isinstance(reports[0], types.WorkDoneProgressBegin) and reports[0].cancellable
    assert isinstance(reports[-1], types.WorkDoneProgressEnd)


async def test_a_file_changed_on_disk_is_checked_again(scanned: Session) -> None:
    await until(lambda: codes(scanned, "a.py") == [NONE_EQ])
    path = scanned.root / "a.py"
    path.write_text("x = 1\n")
    if scanned.profile == "vscode":
        scanned.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams([types.FileEvent(path.as_uri(), types.FileChangeType.Changed)])
        )
    else:
        # Without file watching the client asks for a new scan (the command an editor binds).
        await scanned.command("homeostasis.scanWorkspace")
    await until(lambda: codes(scanned, "a.py") == [])


async def test_open_file_is_served_from_the_editor_then_from_disk_again(scanned: Session) -> None:
    await until(lambda: codes(scanned, "sub/b.py") == [IS_LITERAL])
    uri = scanned.open("sub/b.py", "if y is 1:\n    pass\nz = y == None\n")
    assert sorted(str(d.code) for d in await scanned.diagnostics(uri)) == sorted([NONE_EQ, IS_LITERAL])
    scanned.close(uri)  # unsaved edit discarded: the disk's version counts again
    await until(lambda: codes(scanned, "sub/b.py") == [IS_LITERAL])


async def test_the_scan_can_be_cancelled(scanned: Session) -> None:
    before = set(scanned.client.progress_reports)
    task = asyncio.ensure_future(scanned.command("homeostasis.scanWorkspace"))
    await until(lambda: set(scanned.client.progress_reports) - before)
    (token,) = set(scanned.client.progress_reports) - before
    scanned.client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))
    result = await task
    end = scanned.client.progress_reports[token][-1]
    assert isinstance(end, types.WorkDoneProgressEnd)
    assert result["checked"] < 155 or "cancelled" in (end.message or ""), result


async def test_off_by_default(session: Session) -> None:
    session.write("lonely.py", "x = 1 == None\n")
    assert await session.command("homeostasis.scanWorkspace") == {
        "checked": 0,
        "note": "workspaceDiagnostics is off",
    }
    await asyncio.sleep(0.2)
    assert codes(session, "lonely.py") is None
