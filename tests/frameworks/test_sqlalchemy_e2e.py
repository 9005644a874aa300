"""End to end with real SQLAlchemy on a SQLite file in the test's temporary folder: a script
fails, `homeostasis explain` points at the failing expression, `homeostasis fix` (where the rule
has a fix) changes the script, and the script then runs clean."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.frameworks.conftest import App, finding_of, span


@pytest.mark.parametrize(
    ("script", "error", "rule", "where", "expected", "output"),
    [
        (
            "lookup.py",
            "sqlalchemy.exc.NoResultFound: No row was found when one was required",
            "python.sqlalchemy.no-result-found",
            ("lookup.py", 9, 12, 9, 81),
            "    return session.execute(select(User).where(User.email == email)).scalar_one_or_none()\n",
            "bob: None",
        ),
        (
            "count.py",
            "sqlalchemy.exc.ArgumentError: Textual SQL expression",
            "python.sqlalchemy.textual-sql",
            ("count.py", 7, 13, 7, 58),
            "from sqlalchemy import text\nfrom sqlalchemy.orm import Session\n",
            "users: 1",
        ),
    ],
    ids=["no-result-found", "textual-sql"],
)
def test_sqlalchemy_failure_is_fixed(
    app_copy: Callable[[str], App],
    script: str,
    error: str,
    rule: str,
    where: tuple[str, int, int, int, int],
    expected: str,
    output: str,
) -> None:
    app = app_copy("sqlalchemy")
    first = app.run(script)
    assert first.returncode != 0, f"{script} should fail before the fix:\n{first.stdout}\n{first.stderr}"
    assert error in first.stderr, first.stderr
    assert (app.root / "app.db").exists(), "the script should use a SQLite file in the temporary folder"

    after = app.fix_located(first.stderr, rule, where, script, expected)
    app.runs_clean(script, prints=output, fixed=after, quiet=False)


def test_detached_instance_is_located(app_copy: Callable[[str], App]) -> None:
    """A relationship read after the session closed: diagnosed at the attribute, with no edit."""
    app = app_copy("sqlalchemy")
    first = app.run("cities.py")
    assert first.returncode != 0
    assert "DetachedInstanceError: Parent instance <User at 0x" in first.stderr, first.stderr

    finding = finding_of(app.explain(first.stderr), "python.sqlalchemy.detached-lazy-load")
    assert span(finding) == ("cities.py", 9, 47, 9, 61), finding["message"]
    assert "`addresses` is loaded lazily" in finding["message"]
    assert finding["fixes"] == []
