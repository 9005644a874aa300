"""End to end with real Flask: the app fails (under Flask's test client, or in a script without an
application context), `homeostasis fix` reads the printed traceback, and the failure is gone."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.frameworks.conftest import App, finding_of, span


@pytest.mark.parametrize(
    ("command", "error", "rule", "where", "changed", "expected", "output"),
    [
        (
            ("client.py", "POST", "/login"),
            "werkzeug.exceptions.BadRequestKeyError: 400 Bad Request",
            "python.flask.bad-request-key",
            ("app.py", 12, 12, 12, 36),
            "app.py",
            '    name = request.form.get("username")\n',
            "200 welcome None",
        ),
        (
            ("client.py", "GET", "/link"),
            "BuildError: Could not build url for endpoint 'profil' with values ['user_id']. Did you mean 'profile' instead?",
            "python.flask.build-error-did-you-mean",
            ("app.py", 23, 12, 23, 40),
            "app.py",
            '    return url_for("profile", user_id=1)\n',
            "200 /profile/1",
        ),
        (
            ("show_config.py",),
            "RuntimeError: Working outside of application context.",
            "python.flask.outside-app-context",
            ("show_config.py", 6, 7, 6, 25),
            "show_config.py",
            'with app.app_context():\n    print(current_app.config["GREETING"], app.name)\n',
            "hello app",
        ),
    ],
    ids=["bad-request-key", "build-error", "outside-app-context"],
)
def test_flask_failure_is_fixed(
    app_copy: Callable[[str], App],
    command: tuple[str, ...],
    error: str,
    rule: str,
    where: tuple[str, int, int, int, int],
    changed: str,
    expected: str,
    output: str,
) -> None:
    app = app_copy("flask")
    first = app.run(*command)
    assert first.returncode != 0, f"{command} should fail before the fix:\n{first.stdout}\n{first.stderr}"
    assert error in first.stderr, first.stderr

    finding = finding_of(app.explain(first.stderr), rule)
    assert span(finding) == where, finding["message"]

    before, after = app.fix_once(first.stderr, changed)
    assert after != before and expected in after, after

    second = app.run(*command)
    assert second.returncode == 0, f"still failing after the fix:\n{second.stderr}\n--- {changed}:\n{after}"
    assert "Traceback" not in second.stderr, second.stderr
    assert output in second.stdout, second.stdout
