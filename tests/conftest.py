from __future__ import annotations

import pytest
from homeostasis.engine import Engine
from homeostasis.workspace.project import build_project


@pytest.fixture(scope="session")
def engine() -> Engine:
    return build_project().engine
