"""The Python reader on output of real frameworks: Werkzeug's two-line BadRequestKeyError,
FastAPI's validation errors with their endpoint, Alembic's command line and Django's CSRF log.

The fixtures in tests/python_traces/ were captured from Flask 3.1, FastAPI 0.165, Alembic 1.20
and Django 5.2 (the programs are in tests/python_traces/apps/; site-packages paths normalised
to /venv/..., the programs' folder to /srv/app/).  Where running the framework is cheap, a
test also runs it live with build/frameworks/.venv and reads what it prints.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from homeostasis.engine import Engine
from homeostasis.languages.python.reader import read_errors
from homeostasis.model import ChainRelation, ErrorEvent, Frame
from homeostasis.ruleset.testing import MemorySources

HERE = Path(__file__).resolve().parent
TRACES = HERE / "python_traces"
APPS = TRACES / "apps"
FRAMEWORKS_BIN = HERE.parent / "build" / "frameworks" / ".venv" / "bin"
FRAMEWORKS_PY = FRAMEWORKS_BIN / "python"

live = pytest.mark.skipif(not FRAMEWORKS_PY.exists(), reason="no build/frameworks/.venv")


def _read(name: str) -> list[ErrorEvent]:
    return read_errors((TRACES / name).read_text(encoding="utf-8"))


def _run(args: list[str], cwd: Path | None = None) -> str:
    """Combined stdout and stderr of a real run, as a terminal shows them."""
    done = subprocess.run(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    return done.stdout.decode("utf-8", errors="replace")


def _rule_ids(engine: Engine, events: list[ErrorEvent], files: dict[str, str] | None = None) -> list[str]:
    sources = MemorySources.of(files or {}, "python")
    return [f.rule_id for d in engine.diagnose(events, sources) for f in d.findings]


# -- 1. Werkzeug: the KeyError line is part of BadRequestKeyError's message -----------------

BAD_REQUEST = "400 Bad Request: The browser (or proxy) sent a request that this server could not understand."


def test_werkzeug_bad_request_key_is_one_event() -> None:
    events = _read("werkzeug_bad_request_key.txt")
    assert len(events) == 1
    event = events[0]
    assert event.error_type == "werkzeug.exceptions.BadRequestKeyError"
    assert event.message == f"{BAD_REQUEST}\nKeyError: 'username'"
    assert event.chain == ()
    assert (event.frames[-2].file, event.frames[-2].line, event.frames[-2].function) == (
        "/srv/app/flask_app.py",
        8,
        "login",
    )
    assert event.frames[-2].source == 'return request.form["username"]'
    assert event.text_end == 42  # the KeyError line, the last of the output


def test_werkzeug_dev_server_output_with_access_log() -> None:
    """``flask run --debug``: ANSI colours, the access log line before the traceback."""
    events = _read("werkzeug_flask_run_debug.txt")
    assert [(e.error_type, e.message) for e in events] == [
        ("werkzeug.exceptions.BadRequestKeyError", f"{BAD_REQUEST}\nKeyError: 'username'")
    ]
    assert events[0].innermost is not None
    assert events[0].innermost.function == "__getitem__"


def test_flask_rule_reads_the_key_from_the_continuation(engine: Engine) -> None:
    events = _read("werkzeug_bad_request_key.txt")
    source = (APPS / "flask_app.py").read_text(encoding="utf-8")
    sources = MemorySources.of({"flask_app.py": source}, "python")
    findings = [f for d in engine.diagnose(events, sources) for f in d.findings]
    assert findings and findings[0].rule_id == "python.flask.bad-request-key"
    assert findings[0].located
    assert dict(findings[0].captures).get("key") == "'username'"


@live
def test_werkzeug_live() -> None:
    out = _run([str(FRAMEWORKS_PY), str(APPS / "flask_app.py")])
    events = read_errors(out)
    assert [(e.error_type, e.message) for e in events] == [
        ("werkzeug.exceptions.BadRequestKeyError", f"{BAD_REQUEST}\nKeyError: 'username'")
    ]


def _python_output(program: str) -> str:
    """What this interpreter prints for ``program`` (real tracebacks, not hand-made)."""
    return _run([sys.executable, "-c", textwrap.dedent(program)])


def test_a_colon_announces_a_printed_error_as_part_of_the_message() -> None:
    out = _python_output(
        """\
        raise RuntimeError("worker failed:\\nValueError: bad row 3")
        """
    )
    events = read_errors(out)
    assert [(e.error_type, e.message) for e in events] == [
        ("RuntimeError", "worker failed:\nValueError: bad row 3")
    ]


def test_real_chains_are_still_chains() -> None:
    out = _python_output(
        """\
        class BadRequestKeyError(KeyError):
            pass

        def load(d):
            try:
                return d["username"]
            except KeyError as e:
                raise BadRequestKeyError("username") from e

        try:
            load({})
        except BadRequestKeyError:
            {}["retry"]
        """
    )
    events = read_errors(out)
    assert len(events) == 1
    event = events[0]
    assert (event.error_type, event.message) == ("KeyError", "'retry'")
    assert [(c.error_type, c.message, c.relation) for c in event.chain] == [
        ("KeyError", "'username'", ChainRelation.CAUSE),
        ("BadRequestKeyError", "'username'", ChainRelation.CONTEXT),
    ]


def test_separate_tracebacks_stay_separate() -> None:
    first = _python_output('raise KeyError("user")')
    second = _python_output('raise TypeError("boom")')
    # Two runs' output back to back, and a KeyError line right under the first exception.
    events = read_errors(first + second)
    assert [(e.error_type, e.message) for e in events] == [("KeyError", "'user'"), ("TypeError", "boom")]
    lines = first.rstrip("\n").split("\n")
    events = read_errors(
        "\n".join([*lines[:-1], "werkzeug.exceptions.BadRequestKeyError: 400", *second.split("\n")])
    )
    assert [e.error_type for e in events] == ["werkzeug.exceptions.BadRequestKeyError", "TypeError"]


def test_an_unrelated_error_line_after_a_message_is_its_own_event() -> None:
    out = _python_output('raise KeyError("user")').rstrip("\n")
    events = read_errors(
        out + "\nTypeError: Cannot read properties of undefined\n    at handler (/srv/web/index.js:12:20)\n"
    )
    assert events[0].message == "'user'"
    # A subclass-named error whose next line is a stack of its own is not a continuation.
    lines = out.split("\n")
    text = "\n".join(
        [*lines[:-1], "app.BadRequestKeyError: 400", "KeyError: 'x'", '  File "/srv/a.py", line 1, in f']
    )
    assert read_errors(text)[0].message == "400"


# -- 2. FastAPI: the whole message, and the endpoint as the innermost frame -----------------


def test_fastapi_response_validation_keeps_the_endpoint() -> None:
    events = _read("fastapi_response_validation.txt")
    assert [e.error_type for e in events] == [
        "StarletteDeprecationWarning",
        "fastapi.exceptions.ResponseValidationError",
    ]
    event = events[-1]
    assert event.message == textwrap.dedent(
        """\
        2 validation errors:
          {'type': 'missing', 'loc': ('response', 'name'), 'msg': 'Field required', 'input': {'nickname': 'Ada'}}
          {'type': 'missing', 'loc': ('response', 'age'), 'msg': 'Field required', 'input': {'nickname': 'Ada'}}

          File "/srv/app/fastapi_app.py", line 16, in read_user
            GET /users/{user_id}"""
    )
    assert event.innermost == Frame("/srv/app/fastapi_app.py", 16, "read_user")
    assert event.frames[-2].function == "serialize_response"
    assert "endpoint GET /users/{user_id} defined at /srv/app/fastapi_app.py:16 in read_user" in event.notes
    text = (TRACES / "fastapi_response_validation.txt").read_text(encoding="utf-8").split("\n")
    assert text[event.text_end] == "    GET /users/{user_id}"


def test_fastapi_request_validation_keeps_the_endpoint() -> None:
    event = _read("fastapi_request_validation.txt")[-1]
    assert event.error_type == "fastapi.exceptions.RequestValidationError"
    assert event.message.startswith("1 validation error:\n  {'type': 'int_parsing', 'loc': ('body', 'age')")
    assert event.message.endswith(
        '\n\n  File "/srv/app/fastapi_app.py", line 21, in create_user\n    POST /users'
    )
    assert event.innermost == Frame("/srv/app/fastapi_app.py", 21, "create_user")


def test_fastapi_rule_points_at_the_endpoint(engine: Engine) -> None:
    events = _read("fastapi_response_validation.txt")
    source = (APPS / "fastapi_app.py").read_text(encoding="utf-8")
    sources = MemorySources.of({"fastapi_app.py": source}, "python")
    event = engine.diagnose([events[-1]], sources)[0]
    located = [f for f in event.findings if f.located]
    assert located and located[0].rule_id == "python.fastapi.response-validation"
    assert located[0].span.start.line == 15  # 0-based: the endpoint's decorator line


@live
@pytest.mark.parametrize(("argv", "error_type", "line"), [([], "Response", 16), (["request"], "Request", 21)])
def test_fastapi_live(argv: list[str], error_type: str, line: int) -> None:
    app = APPS / "fastapi_app.py"
    event = read_errors(_run([str(FRAMEWORKS_PY), str(app), *argv]))[-1]
    assert event.error_type == f"fastapi.exceptions.{error_type}ValidationError"
    assert event.innermost is not None
    assert (event.innermost.file, event.innermost.line) == (str(app), line)


# -- 3. Alembic's command line --------------------------------------------------------------

ALEMBIC = {
    "alembic_not_up_to_date.txt": ("Target database is not up to date.", "python.alembic.not-up-to-date"),
    "alembic_cant_locate.txt": (
        "Can't locate revision identified by 'abc123'",
        "python.alembic.cant-locate-revision",
    ),
    "alembic_multiple_heads.txt": (
        "Multiple head revisions are present for given argument 'head'; please specify a specific "
        "target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads",
        "python.alembic.multiple-heads",
    ),
}


@pytest.mark.parametrize("name", sorted(ALEMBIC))
def test_alembic_cli_failure_is_one_command_error(name: str, engine: Engine) -> None:
    message, rule_id = ALEMBIC[name]
    events = _read(name)
    # The logged ERROR line and the FAILED line are the same error.
    assert [(e.error_type, e.message, e.frames, e.text_start, e.text_end) for e in events] == [
        ("alembic.util.exc.CommandError", message, (), 2, 3)
    ]
    assert _rule_ids(engine, events) == [rule_id]


def test_alembic_failed_line_alone() -> None:
    """stdout only (``alembic upgrade head 2>/dev/null``): the message shows it is Alembic's."""
    lines = (TRACES / "alembic_cant_locate.txt").read_text(encoding="utf-8").split("\n")
    events = read_errors(lines[3])
    assert [(e.error_type, e.message) for e in events] == [
        ("alembic.util.exc.CommandError", "Can't locate revision identified by 'abc123'")
    ]
    # Other tools' FAILED lines (ninja, Bazel) are not Alembic's.
    assert (
        read_errors("FAILED: CMakeFiles/app.dir/main.cpp.o\nFAILED: Build did NOT complete successfully")
        == []
    )


@live
def test_alembic_live(tmp_path: Path) -> None:
    alembic = str(FRAMEWORKS_BIN / "alembic")
    _run([alembic, "init", "migrations"], cwd=tmp_path)
    ini = tmp_path / "alembic.ini"
    ini.write_text(
        "\n".join(
            "sqlalchemy.url = sqlite:///app.db" if line.startswith("sqlalchemy.url") else line
            for line in ini.read_text(encoding="utf-8").split("\n")
        ),
        encoding="utf-8",
    )
    _run([alembic, "revision", "-m", "one"], cwd=tmp_path)
    _run([alembic, "upgrade", "head"], cwd=tmp_path)
    _run([alembic, "revision", "-m", "two"], cwd=tmp_path)
    out = _run([alembic, "revision", "--autogenerate", "-m", "three"], cwd=tmp_path)
    events = read_errors(out)
    assert [(e.error_type, e.message) for e in events] == [
        ("alembic.util.exc.CommandError", "Target database is not up to date.")
    ]


# -- 4. Django's CSRF rejections --------------------------------------------------------------

CSRF_REASONS = [
    "CSRF cookie not set.",
    "CSRF token missing.",
    "CSRF token from POST incorrect.",
    "Origin checking failed - http://evil.example does not match any trusted origins.",
]


def test_django_csrf_log_lines() -> None:
    events = _read("django_csrf_rejections.txt")
    csrf = [e for e in events if e.error_type == "django.middleware.csrf.RejectRequest"]
    assert [(e.message, e.frames, e.notes, e.text_start) for e in csrf] == [
        (reason, (), ("request path: /post/",), n) for n, reason in enumerate(CSRF_REASONS)
    ]
    # "Forbidden (Permission denied)" is django.request's line for a view's PermissionDenied.
    assert [e.error_type for e in events if e not in csrf] == ["django.core.exceptions.PermissionDenied"]


def test_csrf_rule_explains_each_reason(engine: Engine) -> None:
    events = _read("django_csrf_rejections.txt")
    assert _rule_ids(engine, events) == ["python.django.csrf-failure"] * 4
    findings = [f for d in engine.diagnose(events[:4], MemorySources.of({}, "python")) for f in d.findings]
    assert [f.capture("reason") for f in findings] == CSRF_REASONS


def test_csrf_line_with_the_logger_name() -> None:
    """pytest's captured log shows the logger: the line is still read."""
    line = "WARNING  django.security.csrf:log.py:249 Forbidden (CSRF cookie not set.): /post/"
    assert [(e.error_type, e.message) for e in read_errors(line)] == [
        ("django.middleware.csrf.RejectRequest", "CSRF cookie not set.")
    ]
    assert read_errors("Forbidden (CSRF cookie not set.) by a proxy") == []


@live
def test_django_csrf_live() -> None:
    events = read_errors(_run([str(FRAMEWORKS_PY), str(APPS / "django_csrf.py")]))
    assert [
        e.message for e in events if e.error_type == "django.middleware.csrf.RejectRequest"
    ] == CSRF_REASONS
