"""Fixtures for the end-to-end LSP tests: a real server process per module and client profile."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from tests.lsp.session import Session, git_init

PROFILES = ["vscode", "neovim"]


@pytest.fixture(scope="session")
def server_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The servers' cache (rule pickles, rule docs) in a folder of this test run, not the user's.

    Seeded with the user's rule pickles when there are any: loading the rules from YAML costs
    seconds, and stale pickles are ignored by the cache's own key.
    """
    folder = tmp_path_factory.mktemp("cache")
    try:
        from homeostasis.ruleset.cache import cache_dir

        newest = sorted(cache_dir().glob("rules-*.pickle"), key=lambda p: p.stat().st_mtime)[-3:]
        for pickled in newest:
            shutil.copy2(pickled, folder / pickled.name)
    except (ImportError, OSError):
        pass
    return {"HOMEOSTASIS_CACHE_DIR": str(folder)}


@pytest.fixture(scope="module", params=PROFILES)
def profile(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def workspace(profile: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp(f"ws-{profile}")
    git_init(root)
    return root


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def session(profile: str, workspace: Path, server_env: dict[str, str]) -> AsyncIterator[Session]:
    started = await Session.start(workspace, profile, env=server_env)
    yield started
    await started.stop()
