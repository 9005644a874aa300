"""End to end with real FastAPI and pydantic: a request through TestClient (server exceptions
raised, so the traceback is the real one) or the import of the app fails, `homeostasis fix`
reads the printed traceback, and the same request then succeeds."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.frameworks.conftest import App, finding_of, span


@pytest.mark.parametrize(
    ("module", "path", "error", "rule", "where", "expected", "output"),
    [
        (
            "users",
            "/users/1",
            "Extra inputs are not permitted [type=extra_forbidden",
            "python.pydantic.extra-forbidden",
            ("users.py", 20, 58, 20, 82),
            '    return UserOut(name=row["name"], email=row["email"])\n',
            "200 {'name': 'Ada', 'email': 'ada@example.com'}",
        ),
        (
            "deps",
            "/items",
            "is not a callable object",
            "python.fastapi.dependency-called",
            ("deps.py", 11, 2, 11, 19),
            "def list_items(store=Depends(get_store)):  # noqa: B008\n",
            "200 ['pen', 'ink']",
        ),
        (
            "profile",
            "/me",
            "You must set the config attribute `from_attributes=True` to use from_orm",
            "python.pydantic.from-orm",
            ("profile.py", 22, 12, 22, 54),
            '    return AccountOut.model_validate(Account("Ada", "pro"), from_attributes=True)\n',
            "200 {'name': 'Ada', 'plan': 'pro'}",
        ),
    ],
    ids=["response-model-extra-field", "depends-called", "from-orm"],
)
def test_fastapi_failure_is_fixed(
    app_copy: Callable[[str], App],
    module: str,
    path: str,
    error: str,
    rule: str,
    where: tuple[str, int, int, int, int],
    expected: str,
    output: str,
) -> None:
    app = app_copy("fastapi")
    changed = f"{module}.py"
    first = app.run("client.py", module, path)
    assert first.returncode != 0, f"{module} should fail before the fix:\n{first.stdout}\n{first.stderr}"
    assert error in first.stderr, first.stderr

    finding = finding_of(app.explain(first.stderr), rule)
    assert span(finding) == where, finding["message"]

    before, after = app.fix_once(first.stderr, changed)
    assert after != before and expected in after, after

    second = app.run("client.py", module, path)
    assert second.returncode == 0, f"still failing after the fix:\n{second.stderr}\n--- {changed}:\n{after}"
    assert "Traceback" not in second.stderr, second.stderr
    assert output in second.stdout, second.stdout
