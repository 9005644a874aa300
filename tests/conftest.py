from __future__ import annotations

from pathlib import Path

import pytest
from homeostasis.engine import Engine
from homeostasis.workspace.project import build_project

REPO = Path(__file__).resolve().parents[1]
TRACES = REPO.parent / "shared" / "traces"


@pytest.fixture(scope="session")
def engine() -> Engine:
    return build_project().engine
