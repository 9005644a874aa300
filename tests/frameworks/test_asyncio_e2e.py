"""End to end with real asyncio: a script misuses coroutines (one never awaited, a plain function
awaited, asyncio.run() nested in a running loop), `homeostasis fix` reads what Python printed,
and the script then runs cleanly, also with RuntimeWarnings turned into errors."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.frameworks.conftest import App


@pytest.mark.parametrize(
    ("script", "printed", "rule", "where", "expected", "output"),
    [
        (
            "notify.py",
            "RuntimeWarning: coroutine 'notify' was never awaited",
            "python.coroutine.never-awaited",
            ("notify.py", 15, 9, 15, 21),
            "        await notify(user)\n",
            "sent: ['ada', 'grace']",
        ),
        (
            "store.py",
            "TypeError: object NoneType can't be used in 'await' expression",
            "python.asyncio.await-non-awaitable",
            ("store.py", 14, 9, 14, 25),
            "        save(item)\n",
            "saved: ['pen', 'ink']",
        ),
        (
            "refresh.py",
            "RuntimeError: asyncio.run() cannot be called from a running event loop",
            "python.asyncio.run-in-running-loop",
            ("refresh.py", 12, 13, 12, 32),
            "    cache = await load()\n",
            "cache: {'rates': 3}",
        ),
    ],
    ids=["never-awaited", "await-plain-function", "nested-asyncio-run"],
)
def test_asyncio_problem_is_fixed(
    app_copy: Callable[[str], App],
    script: str,
    printed: str,
    rule: str,
    where: tuple[str, int, int, int, int],
    expected: str,
    output: str,
) -> None:
    app = app_copy("asyncio")
    first = app.reports(script, problem=printed, not_yet=output)

    after = app.fix_located(first.stderr, rule, where, script, expected)
    # With RuntimeWarnings as errors, a coroutine that is still never awaited would be reported.
    app.runs_clean("-W", "error::RuntimeWarning", script, prints=output, fixed=after)
