"""End to end with real pandas 3: a script fails (a misspelt column) or silently does nothing (a
chained assignment under copy-on-write), `homeostasis fix` reads what pandas printed, and the
script then gives the right result."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.frameworks.conftest import App


@pytest.mark.parametrize(
    ("script", "printed", "rule", "where", "expected", "output"),
    [
        (
            "report.py",
            "KeyError: 'prise'",
            "python.pandas.missing-column",
            ("report.py", 12, 20, 12, 27),
            'df["revenue"] = df["price"] * df["quantity"]\n',
            "{'north': 13.0, 'south': 4.0}",
        ),
        (
            "discount.py",
            "ChainedAssignmentError: A value is being set on a copy",
            "python.pandas.chained-assignment",
            ("discount.py", 6, 1, 6, 42),
            'orders.loc[orders["qty"] > 10, "price"] = 9.0\n',
            "[10.0, 9.0, 9.0]",
        ),
    ],
    ids=["column-typo", "chained-assignment"],
)
def test_pandas_problem_is_fixed(
    app_copy: Callable[[str], App],
    script: str,
    printed: str,
    rule: str,
    where: tuple[str, int, int, int, int],
    expected: str,
    output: str,
) -> None:
    app = app_copy("pandas")
    first = app.reports(script, problem=printed, not_yet=output)

    after = app.fix_located(first.stderr, rule, where, script, expected)
    app.runs_clean(script, prints=output, fixed=after)
