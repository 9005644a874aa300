"""End to end with real Django: a view fails under Django's test client, `homeostasis fix` reads the
printed traceback, and the same request no longer crashes."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.frameworks.conftest import App, finding_of, span


def _crash(app: App, url: str, error: str) -> str:
    first = app.run("request.py", url)
    assert first.returncode != 0, f"{url} should crash before the fix:\n{first.stdout}\n{first.stderr}"
    assert error in first.stderr, first.stderr
    return first.stderr


def _fix_and_rerun(app: App, output: str, error: str) -> str:
    before, after = app.fix_once(output, "shop/views.py")
    assert after != before, "shop/views.py should have been fixed"
    return after


@pytest.mark.parametrize(
    ("url", "error", "rule", "where", "status", "expected"),
    [
        (
            "/books/99/",
            "Book.DoesNotExist: Book matching query does not exist.",
            "python.django.does-not-exist",
            ("shop/views.py", 7, 12, 7, 35),
            "status 404",
            "    book = get_object_or_404(Book, pk=pk)\n",
        ),
        (
            "/by-title/Notes/",
            "Book.MultipleObjectsReturned: get() returned more than one Book -- it returned 2!",
            "python.django.multiple-objects-returned",
            ("shop/views.py", 12, 12, 12, 41),
            "status 200",
            "    book = Book.objects.filter(title=title).first()\n",
        ),
        (
            "/search/?q=Notes",
            "FieldError: Cannot resolve keyword 'titel' into field. Choices are: author, author_id, id, title",
            "python.django.field-error",
            ("shop/views.py", 17, 33, 17, 63),
            "status 200",
            '    books = Book.objects.filter(title=request.GET.get("q", ""))\n',
        ),
    ],
    ids=["does-not-exist", "multiple-objects-returned", "field-error"],
)
def test_django_view_crash_is_fixed(
    app_copy: Callable[[str], App],
    url: str,
    error: str,
    rule: str,
    where: tuple[str, int, int, int, int],
    status: str,
    expected: str,
) -> None:
    app = app_copy("django")
    output = _crash(app, url, error)
    finding = finding_of(app.explain(output), rule)
    assert span(finding) == where, finding["message"]
    assert "django is imported" in str(finding["confidence"]).lower(), finding["confidence"]

    after = _fix_and_rerun(app, output, error)
    assert expected in after, after

    second = app.run("request.py", url)
    assert second.returncode == 0, f"still failing after the fix:\n{second.stderr}\n--- views.py:\n{after}"
    assert "Traceback" not in second.stderr, second.stderr
    assert status in second.stdout, second.stdout
