"""The Python error reader: real traces from shared/traces, genuine interpreter and pytest
output produced on the spot, hand-made renderings (IPython, Sentry, logs) and fuzzing."""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import pytest
from homeostasis.languages.python.reader import read_errors, read_errors_guarded
from homeostasis.model import ChainRelation, ErrorEvent, Origin
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.traces import TRACES, trace_params, traces_of
from tests.traces import label as _label

PYTHON_TRACES = traces_of("python")

# Labels that the reader disagrees with on purpose (none so far): name -> reason.
WRONG_LABELS: Mapping[str, str] = MappingProxyType({})


def _norm(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


def _read_trace(trace: Path) -> list[ErrorEvent]:
    return read_errors(trace.read_text(encoding="utf-8", errors="replace"))


# -- the shared trace corpus --------------------------------------------------------------


@pytest.mark.parametrize("trace", trace_params(PYTHON_TRACES, WRONG_LABELS))
def test_trace_matches_label(trace: Path) -> None:
    label = _label(trace)
    events = _read_trace(trace)
    assert events, "no event read"
    event = events[-1]
    assert event.language == "python"
    assert event.error_type == label["error_type"]
    assert _norm(event.message) == _norm(label["message"])
    index = label.get("innermost_frame_index")
    if index is not None:
        expected = label["frames"][index]
        assert event.innermost is not None
        assert (event.innermost.file, event.innermost.line) == (expected["file"], expected["line"])
    assert [(c.error_type, c.relation.value) for c in event.chain] == [
        (c["error_type"], c["relation"]) for c in label["chained"]
    ]


@pytest.mark.parametrize("trace", trace_params(PYTHON_TRACES, WRONG_LABELS))
def test_trace_frames_and_chain_details(trace: Path) -> None:
    label = _label(trace)
    event = _read_trace(trace)[-1]
    assert [(f.file, f.line, f.function) for f in event.frames] == [
        (f["file"], f["line"], f["function"]) for f in label["frames"]
    ]
    for got, want in zip(event.chain, label["chained"], strict=True):
        assert _norm(got.message) == _norm(want["message"])
        assert [(f.file, f.line, f.function) for f in got.frames] == [
            (f["file"], f["line"], f["function"]) for f in want.get("frames", [])
        ]
    lines = trace.read_text(encoding="utf-8", errors="replace").split("\n")
    assert 0 <= event.text_start <= event.text_end < len(lines)


def test_other_languages_give_no_python_events() -> None:
    others = sorted(p for p in TRACES.glob("*.txt") if "-python-" not in p.name) if TRACES.is_dir() else []
    if not others:
        pytest.skip("no traces of other languages")
    for trace in others:
        assert _read_trace(trace) == [], trace.name


# -- genuine interpreter output -------------------------------------------------------------


def _run(tmp_path: Path, code: str, name: str = "prog.py", **extra: str) -> str:
    """Output of running ``code`` (plus helper modules ``extra``) with this interpreter."""
    for module, source in extra.items():
        (tmp_path / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    path = tmp_path / name
    path.write_text(textwrap.dedent(code), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(path)], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode != 0, done.stdout
    return done.stdout + done.stderr


def _only(text: str) -> ErrorEvent:
    events = read_errors(text)
    assert len(events) == 1, events
    return events[0]


def test_simple_traceback_frames_source_and_columns(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        """\
        def lookup(d):
            return d["x"]

        def main():
            data = {}
            print(lookup(data))

        main()
        """,
    )
    event = _only(out)
    assert (event.error_type, event.message) == ("KeyError", "'x'")
    assert [(f.line, f.function) for f in event.frames] == [(8, "<module>"), (6, "main"), (2, "lookup")]
    assert all(f.file == str(tmp_path / "prog.py") for f in event.frames)
    inner = event.frames[-1]
    assert inner.source == 'return d["x"]'
    if inner.column is not None:  # 3.11+ prints ~~^^^^ markers under the line
        assert inner.source[inner.column : inner.end_column] == 'd["x"]'
    assert event.origin is Origin.PASTE
    assert (event.text_start, event.text_end) == (0, len(out.rstrip("\n").split("\n")) - 1)


def test_chain_cause_and_context(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        """\
        import json

        def load(text):
            try:
                return json.loads(text)
            except ValueError:
                return {}["missing"]

        try:
            load("{bad")
        except KeyError as e:
            raise RuntimeError("config broken") from e
        """,
    )
    event = _only(out)
    assert (event.error_type, event.message) == ("RuntimeError", "config broken")
    assert [(c.error_type, c.relation) for c in event.chain] == [
        ("json.decoder.JSONDecodeError", ChainRelation.CONTEXT),
        ("KeyError", ChainRelation.CAUSE),
    ]
    assert event.chain[0].message.startswith("Expecting property name")
    assert event.chain[1].frames[-1].function == "load"
    assert event.frames[-1].line == 12
    assert event.root_cause() == event.chain[0]


def test_exception_group_with_members_and_nested_group(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        """\
        def inner():
            try:
                raise KeyError("k")
            except KeyError as e:
                raise ValueError("v") from e

        def main():
            errors = []
            try:
                inner()
            except Exception as e:
                errors.append(e)
            errors.append(ExceptionGroup("nested", [OSError("disk"), TypeError("t")]))
            raise ExceptionGroup("top", errors)

        main()
        """,
    )
    event = _only(out)
    assert (event.error_type, event.message) == ("ExceptionGroup", "top (2 sub-exceptions)")
    assert event.frames[-1].function == "main"
    assert [(c.error_type, c.relation) for c in event.chain] == [
        ("KeyError", ChainRelation.CAUSE),
        ("ValueError", ChainRelation.GROUP_MEMBER),
        ("ExceptionGroup", ChainRelation.GROUP_MEMBER),
        ("OSError", ChainRelation.GROUP_MEMBER),
        ("TypeError", ChainRelation.GROUP_MEMBER),
    ]
    value_error = event.chain[1]
    assert value_error.message == "v"
    assert [f.function for f in value_error.frames] == ["main", "inner"]


def test_exception_group_chained_outside_the_box(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        """\
        try:
            raise BaseExceptionGroup("eg", [ValueError(1), KeyboardInterrupt()])
        except BaseException:
            raise RuntimeError("after group")
        """,
    )
    event = _only(out)
    assert event.error_type == "RuntimeError"
    assert [(c.error_type, c.relation) for c in event.chain] == [
        ("BaseExceptionGroup", ChainRelation.CONTEXT),
        ("ValueError", ChainRelation.GROUP_MEMBER),
        ("KeyboardInterrupt", ChainRelation.GROUP_MEMBER),
    ]


def test_except_star_group_without_its_own_traceback(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        """\
        try:
            raise ExceptionGroup("eg", [ValueError(1), TypeError(2)])
        except* ValueError:
            raise RuntimeError("handler failed")
        """,
    )
    event = _only(out)
    assert event.error_type == "ExceptionGroup"
    types = [(c.error_type, c.relation) for c in event.chain]
    assert ("ExceptionGroup", ChainRelation.CONTEXT) in types
    assert ("RuntimeError", ChainRelation.GROUP_MEMBER) in types
    assert ("TypeError", ChainRelation.GROUP_MEMBER) in types


def test_recursion_error_keeps_frames_and_notes_repetition(tmp_path: Path) -> None:
    out = _run(tmp_path, "def rec(n):\n    return rec(n + 1)\n\nrec(0)\n")
    event = _only(out)
    assert event.error_type == "RecursionError"
    assert event.message.startswith("maximum recursion depth exceeded")
    assert event.frames[0].function == "<module>"
    assert {f.function for f in event.frames[1:]} == {"rec"}
    assert any("repeated" in note and "more times" in note for note in event.notes)


def test_syntax_error_frame_has_caret_column(tmp_path: Path) -> None:
    out = _run(tmp_path, "def f():\n    x = [1, 2\n    return x\n")
    event = _only(out)
    assert event.error_type == "SyntaxError"
    frame = event.frames[-1]
    assert frame.file == str(tmp_path / "prog.py")
    assert frame.function is None
    assert frame.source is not None and frame.column is not None
    assert frame.source[frame.column] == "["


def test_indentation_error(tmp_path: Path) -> None:
    out = _run(tmp_path, "def f():\nreturn 1\n")
    event = _only(out)
    assert event.error_type == "IndentationError"
    assert event.message.startswith("expected an indented block")
    assert (event.frames[-1].line, event.frames[-1].source, event.frames[-1].column) == (2, "return 1", 0)


def test_syntax_error_while_importing(tmp_path: Path) -> None:
    out = _run(tmp_path, "import broken\n", broken="x = (1 +\n")
    event = _only(out)
    assert event.error_type == "SyntaxError"
    assert [(Path(f.file).name, f.line, f.function) for f in event.frames] == [
        ("prog.py", 1, "<module>"),
        ("broken.py", 1, None),
    ]


def test_multi_line_message_and_notes(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        """\
        e = ValueError("first line\\n  second line\\nthird")
        e.add_note("a note added later")
        raise e
        """,
    )
    event = _only(out)
    assert event.message == "first line\n  second line\nthird\na note added later"


def test_exception_without_message(tmp_path: Path) -> None:
    event = _only(_run(tmp_path, "raise KeyboardInterrupt\n"))
    assert (event.error_type, event.message) == ("KeyboardInterrupt", "")


def test_warnings_module_output(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        """\
        import sys
        import warnings

        async def main():
            pass

        main()
        warnings.warn("careful now")
        sys.exit(1)
        """,
    )
    events = read_errors(out)
    assert [(e.error_type, e.message) for e in events] == [
        ("RuntimeWarning", "coroutine 'main' was never awaited"),
        ("UserWarning", "careful now"),
    ]
    coroutine, user = events
    assert [(f.file, f.line, f.source) for f in coroutine.frames] == [
        (str(tmp_path / "prog.py"), 7, "main()")
    ]
    assert (user.frames[0].line, user.frames[0].source) == (8, 'warnings.warn("careful now")')


def test_logging_exception_in_a_log_with_other_lines(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        """\
        import logging, sys
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        log = logging.getLogger("app")
        for payload in ({}, {"id": 1}, []):
            try:
                payload["id"]
            except Exception:
                log.exception("job failed")
            log.error("moving on")
        sys.exit(1)
        """,
    )
    events = read_errors(out, Origin.LOG)
    assert [(e.error_type, e.message) for e in events] == [
        ("KeyError", "'id'"),
        ("TypeError", "list indices must be integers or slices, not str"),
    ]
    assert all(e.origin is Origin.LOG for e in events)
    lines = out.split("\n")
    for event in events:
        assert lines[event.text_start].startswith("Traceback")
        assert lines[event.text_end].startswith(event.error_type)


def _prefixed(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.rstrip("\n").split("\n")) + "\n"


@pytest.mark.parametrize(
    "prefix",
    ["web_1  | ", "2024-01-01T12:00:00.123Z ", "Jan 05 10:00:01 host app[123]: ", "> "],
    ids=["compose", "iso-timestamp", "journald", "markdown-quote"],
)
def test_every_line_carries_the_same_prefix(tmp_path: Path, prefix: str) -> None:
    out = _run(tmp_path, "import json\njson.loads('{bad')\n")
    text = "unrelated line\n" + _prefixed(out, prefix) + prefix.rstrip() + "\nother service: started\n"
    event = _only(text)
    assert event.error_type == "json.decoder.JSONDecodeError"
    assert event.message == "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"
    assert event.frames[0].file == str(tmp_path / "prog.py")
    assert event.text_start == 1


def test_timestamps_may_change_inside_a_prefixed_traceback() -> None:
    text = textwrap.dedent(
        """\
        2024-01-01 12:00:00,123 ERROR worker: Traceback (most recent call last):
        2024-01-01 12:00:00,123 ERROR worker:   File "/srv/w.py", line 3, in run
        2024-01-01 12:00:00,124 ERROR worker:     step()
        2024-01-01 12:00:00,124 ERROR worker: ZeroDivisionError: division by zero
        2024-01-01 12:00:01,000 INFO worker: restarting
        """
    )
    event = _only(text)
    assert (event.error_type, event.message) == ("ZeroDivisionError", "division by zero")
    assert (event.frames[0].file, event.frames[0].source) == ("/srv/w.py", "step()")


def _console_wrap(text: str, width: int) -> str:
    """What a console ``width`` columns wide shows: lines cut at the column, wherever."""
    pieces: list[str] = []
    for line in text.split("\n"):
        pieces.extend([line[k : k + width] for k in range(0, len(line), width)] or [""])
    return "\n".join(pieces)


_WRAP_SCRIPT = "a_rather_long_directory_name_for_wrapping/and_a_subdirectory/prog.py"
_WRAP_CODE = """\
def lookup(values):
    return values['a key long enough to wrap the printed line, really'] + values['b']

lookup({})
"""


@pytest.mark.parametrize("width", [50, 56, 60, 64, 70, 72, 76, 80, 90])
def test_hard_wrapped_console_output(tmp_path: Path, width: int) -> None:
    # Compile under a relative file name so that the printed lines, and where a console
    # cuts them, do not depend on where the test runs.
    out = _run_relative(tmp_path, _WRAP_CODE)
    wrapped = _console_wrap(out, width)
    assert wrapped != out
    event = _only(wrapped)
    assert (event.error_type, event.message) == (
        "KeyError",
        "'a key long enough to wrap the printed line, really'",
    )
    assert [(f.file, f.line, f.function) for f in event.frames] == [
        ("<string>", 1, "<module>"),
        (_WRAP_SCRIPT, 4, "<module>"),
        (_WRAP_SCRIPT, 2, "lookup"),
    ]
    assert event.frames[-1].source == _WRAP_CODE.split("\n")[1].strip()


_WRAP_CHAIN = """\
def parse(text):
    try:
        return int(text)
    except ValueError as exc:
        raise RuntimeError("could not parse the configuration value given on the command line") from exc

parse("x")
"""


def _run_relative(tmp_path: Path, code: str) -> str:
    """stderr of ``code`` compiled under the relative name ``_WRAP_SCRIPT``."""
    script = tmp_path / _WRAP_SCRIPT
    script.parent.mkdir(parents=True)
    script.write_text(code, encoding="utf-8")
    runner = f"exec(compile(open({_WRAP_SCRIPT!r}).read(), {_WRAP_SCRIPT!r}, 'exec'), {{}})"
    done = subprocess.run(
        [sys.executable, "-c", runner], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    return done.stderr


@pytest.mark.parametrize("width", [50, 60, 72, 80, 90])
def test_hard_wrapped_chain(tmp_path: Path, width: int) -> None:
    out = _run_relative(tmp_path, _WRAP_CHAIN)
    expected = _only(out)
    assert expected.error_type == "RuntimeError" and expected.chain
    event = _only(_console_wrap(out, width))
    assert (event.error_type, event.message) == (expected.error_type, expected.message)
    assert event.frames == expected.frames
    assert event.chain == expected.chain


def test_hard_wrapped_exception_line_joined_only_when_a_wrap_is_evident() -> None:
    wrapped = (
        ' File "C:\\Users\\Admin\\AppData\\Local\\Programs\\Python\\Python311\\Lib\\site-pack\n'
        'ages\\pydantic\\main.py", line 176, in __init__\n'
        "    self.__pydantic_validator__.validate_python(data, self_instance=self)\n"
        "pydantic_core._pydantic_core.ValidationError: 1 validation error for Settin\n"
        "gs\n"
        "name\n"
        "  Field required [type=missing, input_value={}, input_type=dict]\n"
    )
    event = _only(wrapped)
    assert event.frames[0].file.endswith("\\site-packages\\pydantic\\main.py")
    assert event.message.split("\n")[:2] == ["1 validation error for Settings", "name"]
    # Without a wrapped frame line nothing shows the console was narrow: keep lines as printed.
    plain = (
        "Traceback (most recent call last):\n"
        '  File "main.py", line 3, in <module>\n'
        "    Settings()\n"
        "pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings\n"
        "name\n"
        "  Field required [type=missing, input_value={}, input_type=dict]\n"
    )
    assert _only(plain).message.split("\n")[:2] == ["1 validation error for Settings", "name"]


# -- pytest output ----------------------------------------------------------------------------

_PYTEST_FILE = """\
import json
import pytest

def parse(text):
    return json.loads(text)

def test_key():
    data = {}
    assert data["x"] == 1

def test_deep():
    parse("{bad")

def test_assert():
    x = [1, 2]
    assert len(x) == 3

class TestChain:
    def test_chain(self):
        try:
            1 / 0
        except ZeroDivisionError as e:
            raise ValueError("wrapped") from e

def test_multi():
    raise RuntimeError("line one\\nline two")

def test_ok():
    pass
"""

_EXPECTED_PYTEST = [
    ("KeyError", "'x'"),
    (
        "json.decoder.JSONDecodeError",
        "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
    ),
    ("AssertionError", "assert 2 == 3"),
    ("ValueError", "wrapped"),
    ("RuntimeError", "line one\nline two"),
]


def _pytest_output(tmp_path: Path, *args: str) -> str:
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (tmp_path / "test_sample.py").write_text(_PYTEST_FILE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rfE", *args, "test_sample.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done.stdout + done.stderr


@pytest.mark.parametrize("style", ["auto", "long", "short", "native", "line"])
def test_pytest_failures_one_event_each(tmp_path: Path, style: str) -> None:
    out = _pytest_output(tmp_path, f"--tb={style}")
    # Plugins may print configuration warnings first; those are events of their own.
    events = [e for e in read_errors(out) if not e.error_type.endswith("Warning")]
    got = [(e.error_type, e.message.split("\n +")[0]) for e in events]
    assert got == _EXPECTED_PYTEST, out
    assert all(e.origin is Origin.TEST_RUN for e in events)
    chain = events[3].chain
    assert [(c.error_type, c.relation) for c in chain] == [("ZeroDivisionError", ChainRelation.CAUSE)]
    deep = events[1]
    if style in ("auto", "long", "short", "native"):
        names = [f.function for f in deep.frames]
        assert names[names.index("test_deep") :][:2] == ["test_deep", "parse"]
        assert deep.frames[-1].function == "raw_decode"
        key = events[0].frames[-1]
        assert (Path(key.file).name, key.line, key.function, key.source) == (
            "test_sample.py",
            9,
            "test_key",
            'assert data["x"] == 1',
        )
    else:
        assert [(Path(f.file).name, f.line) for f in events[0].frames] == [("test_sample.py", 9)]


def test_pytest_summary_lines_alone() -> None:
    text = textwrap.dedent(
        """\
        =========================== short test summary info ============================
        FAILED tests/test_x.py::test_name - KeyError: 'x'
        FAILED tests/test_x.py::TestA::test_b[1-2] - assert 2 == 3
        ERROR tests/test_y.py::test_setup - OSError: fixture broke
        FAILED tests/test_z.py::test_nomsg
        ========================= 3 failed, 1 error in 0.50s ==========================
        """
    )
    events = read_errors(text)
    assert [(e.error_type, e.message) for e in events] == [
        ("KeyError", "'x'"),
        ("AssertionError", "assert 2 == 3"),
        ("OSError", "fixture broke"),
    ]
    assert [(e.frames[0].file, e.frames[0].function) for e in events] == [
        ("tests/test_x.py", "test_name"),
        ("tests/test_x.py", "test_b"),
        ("tests/test_y.py", "test_setup"),
    ]
    assert all(e.origin is Origin.TEST_RUN and e.text_start == e.text_end for e in events)


def test_pytest_collection_errors(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (tmp_path / "test_imp.py").write_text("import not_a_module_anywhere\n", encoding="utf-8")
    (tmp_path / "test_syn.py").write_text("def f(:\n    pass\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    events = read_errors(done.stdout)
    assert [(e.error_type, e.message) for e in events] == [
        ("ModuleNotFoundError", "No module named 'not_a_module_anywhere'"),
        ("SyntaxError", "invalid syntax"),
    ]
    assert (Path(events[0].frames[-1].file).name, events[0].frames[-1].line) == ("test_imp.py", 1)
    syntax = events[1].frames[-1]
    assert (Path(syntax.file).name, syntax.line, syntax.source) == ("test_syn.py", 1, "def f(:")
    assert syntax.column is not None and syntax.source is not None
    assert syntax.source[syntax.column] == ":"


# -- hand-made renderings ---------------------------------------------------------------------


def test_ipython_7_traceback() -> None:
    text = textwrap.dedent(
        """\
        ---------------------------------------------------------------------------
        ZeroDivisionError                         Traceback (most recent call last)
        <ipython-input-3-5b0a4c3b4a5f> in <module>
              1 data = [1, 2, 0]
        ----> 2 ratios = [compute(x) for x in data]

        <ipython-input-2-1f2e3d4c5b6a> in compute(x)
              1 def compute(x):
        ----> 2     return 10 / x

        ZeroDivisionError: division by zero
        """
    )
    event = _only(text)
    assert event.error_type == "ZeroDivisionError"
    assert [(f.file, f.line, f.function, f.source) for f in event.frames] == [
        ("<ipython-input-3-5b0a4c3b4a5f>", 2, "<module>", "ratios = [compute(x) for x in data]"),
        ("<ipython-input-2-1f2e3d4c5b6a>", 2, "compute", "return 10 / x"),
    ]


def test_ipython_8_traceback_with_chain() -> None:
    text = textwrap.dedent(
        """\
        ---------------------------------------------------------------------------
        KeyError                                  Traceback (most recent call last)
        File ~/venv/lib/python3.11/site-packages/pandas/core/indexes/base.py:3653, in Index.get_loc(self, key)
           3652 try:
        -> 3653     return self._engine.get_loc(casted_key)
           3654 except KeyError as err:

        KeyError: 'b'

        The above exception was the direct cause of the following exception:

        KeyError                                  Traceback (most recent call last)
        Cell In[4], line 3
              1 import pandas as pd
              2 df = pd.DataFrame({"a": [1]})
        ----> 3 df["b"]

        File ~/venv/lib/python3.11/site-packages/pandas/core/frame.py:3761, in DataFrame.__getitem__(self, k)
           3759 if self.columns.nlevels > 1:
           (...)
        -> 3761 indexer = self.columns.get_loc(key)

        KeyError: 'b'
        """
    )
    event = _only(text)
    assert [(f.file, f.line, f.function) for f in event.frames] == [
        ("Cell In[4]", 3, None),
        ("~/venv/lib/python3.11/site-packages/pandas/core/frame.py", 3761, "DataFrame.__getitem__"),
    ]
    assert [(c.error_type, c.relation, c.frames[0].line) for c in event.chain] == [
        ("KeyError", ChainRelation.CAUSE, 3653)
    ]


def test_ipython_colours_are_ignored() -> None:
    text = (
        "\x1b[0;31m-----------------------------------------------------------------\x1b[0m\n"
        "\x1b[0;31mNameError\x1b[0m                                 Traceback (most recent call last)\n"
        "Input \x1b[0;32mIn [7]\x1b[0m, in \x1b[0;36m<cell line: 1>\x1b[0;34m()\x1b[0m\n"
        "\x1b[0;32m----> 1\x1b[0m \x1b[38;5;28mprint\x1b[39m(undefined_thing)\n"
        "\n"
        "\x1b[0;31mNameError\x1b[0m: name 'undefined_thing' is not defined\n"
    )
    event = _only(text)
    assert (event.error_type, event.message) == ("NameError", "name 'undefined_thing' is not defined")
    assert [(f.file, f.line, f.function, f.source) for f in event.frames] == [
        ("Input In [7]", 1, "<cell line: 1>", "print(undefined_thing)")
    ]


def test_sentry_rendering_exception_first_and_last() -> None:
    text = textwrap.dedent(
        """\
        OSError: [Errno 28] No space left on device
        (4 additional frame(s) were not displayed)
        ...
          File "app/storage.py", line 88, in save
            fh.write(blob)

        OSError: [Errno 28] No space left on device
        """
    )
    event = _only(text)
    assert (event.error_type, event.message) == ("OSError", "[Errno 28] No space left on device")
    assert [(f.file, f.line) for f in event.frames] == [("app/storage.py", 88)]
    assert "4 additional frame(s) were not displayed" in event.notes
    assert (event.text_start, event.text_end) == (0, 6)


def test_fragment_without_header_windows_path_with_spaces() -> None:
    text = (
        'File "C:\\Users\\Jane Doe\\My Project\\app.py", line 3, in main\n'
        "\n"
        "    run()\n"
        "\n"
        "NameError: name 'run' is not defined\n"
    )
    event = _only(text)
    assert event.frames[0].file == "C:\\Users\\Jane Doe\\My Project\\app.py"
    assert (event.frames[0].line, event.frames[0].function, event.frames[0].source) == (3, "main", "run()")
    assert event.error_type == "NameError"


def test_windows_line_endings_and_tabs() -> None:
    crlf = (
        "Traceback (most recent call last):\r\n"
        '  File "C:\\app\\main.py", line 3, in main\r\n'
        "    run()\r\n"
        "NameError: name 'run' is not defined\r\n"
    )
    event = _only(crlf)
    assert (event.error_type, event.message) == ("NameError", "name 'run' is not defined")
    assert (event.frames[0].file, event.frames[0].source) == ("C:\\app\\main.py", "run()")
    tabs = 'Traceback (most recent call last):\n\tFile "a.py", line 3, in main\n\t\trun()\nNameError: x\n'
    assert _only(tabs).frames[0].source == "run()"


def test_several_tracebacks_and_progress_bars() -> None:
    text = (
        "epoch 1:  50%|#####     | 5/10\repoch 1: 100%|##########| 10/10\n"
        "Traceback (most recent call last):\n"
        '  File "train.py", line 10, in <module>\n'
        "    loss.backward()\n"
        "RuntimeError: CUDA out of memory.\n"
        "\n"
        "Process finished with exit code 1\n"
        "Traceback (most recent call last):\n"
        '  File "eval.py", line 2, in <module>\n'
        "    import torch\n"
        "ModuleNotFoundError: No module named 'torch'\n"
    )
    events = read_errors(text)
    assert [(e.error_type, e.text_start, e.text_end) for e in events] == [
        ("RuntimeError", 1, 4),
        ("ModuleNotFoundError", 7, 10),
    ]


def test_django_text_report_ends_with_exception_type_and_value() -> None:
    text = textwrap.dedent(
        """\
        Environment:

        Request Method: GET
        Request URL: http://127.0.0.1:8000/items/

        Traceback (most recent call last):
          File "/venv/lib/python3.11/site-packages/django/core/handlers/exception.py", line 55, in inner
            response = get_response(request)
          File "/app/shop/views.py", line 12, in item_list
            return render(request, "items.html", {"items": items[page]})

        Exception Type: IndexError at /items/
        Exception Value: list index out of range
        """
    )
    event = _only(text)
    assert (event.error_type, event.message) == ("IndexError", "list index out of range")
    assert (event.frames[-1].file, event.frames[-1].line) == ("/app/shop/views.py", 12)


def test_unittest_and_doctest_output(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        """\
        import unittest

        def half(x):
            \"\"\"
            >>> half(None)
            0
            \"\"\"
            return x / 2

        class T(unittest.TestCase):
            def test_key(self):
                {}["x"]

            def test_equal(self):
                self.assertEqual(1, 2)

        if __name__ == "__main__":
            import doctest
            doctest.testmod()
            unittest.main()
        """,
    )
    events = read_errors(out)
    assert [(e.error_type, e.message) for e in events] == [
        ("TypeError", "unsupported operand type(s) for /: 'NoneType' and 'int'"),
        ("KeyError", "'x'"),
        ("AssertionError", "1 != 2"),
    ]
    assert [(Path(f.file).name, f.function) for f in events[0].frames][-1] == ("prog.py", "half")


def test_ipython_header_keeps_the_type_when_the_last_line_is_lost() -> None:
    text = (
        "---------------------------------------------------------------------------\n"
        "ValueError                                Traceback (most recent call last)\n"
        "Cell In[2], line 1\n"
        "----> 1 int('x')\n"
    )
    event = _only(text)
    assert (event.error_type, event.message) == ("ValueError", "")
    assert (event.frames[0].file, event.frames[0].line, event.frames[0].source) == (
        "Cell In[2]",
        1,
        "int('x')",
    )


def test_pytorch_original_traceback_is_chained() -> None:
    text = textwrap.dedent(
        """\
        Traceback (most recent call last):
          File "train.py", line 9, in <module>
            for batch in loader:
          File "/usr/lib/python3/site-packages/torch/_utils.py", line 733, in reraise
            raise exception
        KeyError: Caught KeyError in DataLoader worker process 0.
        Original Traceback (most recent call last):
          File "/app/data.py", line 20, in __getitem__
            return self.rows[index]
        KeyError: 7
        """
    )
    event = _only(text)
    assert (event.error_type, event.message) == (
        "KeyError",
        "Caught KeyError in DataLoader worker process 0.",
    )
    assert event.frames[-1].function == "reraise"
    assert [(c.error_type, c.message, c.relation, c.frames[0].file) for c in event.chain] == [
        ("KeyError", "7", ChainRelation.CAUSE, "/app/data.py")
    ]


def test_bare_exception_lines() -> None:
    assert [(e.error_type, e.message) for e in read_errors("ValueError: bad input\n")] == [
        ("ValueError", "bad input")
    ]
    assert [e.error_type for e in read_errors("some text\nrequests.exceptions.ConnectionError\n")] == [
        "requests.exceptions.ConnectionError"
    ]
    for prose in (
        "Error: something went wrong\n",
        "Warning: deprecated option\n",
        "Exception: x\n",
        "npm ERR! code ELIFECYCLE\n",
        "I got a ValueError: bad input when running it\n",
        "Note: restart needed\nhttp://example.com\n",
        "error: could not compile `foo`\n",
        "TypeError: Cannot read properties of undefined (reading 'x')\n    at main (/app/index.js:3:9)\n",
        "java.lang.IllegalStateException: boom\n\tat com.example.Main.main(Main.java:5)\n",
    ):
        assert read_errors(prose) == [], prose


def test_truncated_traceback_without_exception_line_gives_nothing() -> None:
    text = 'Traceback (most recent call last):\n  File "a.py", line 1, in <module>\n    main()\n'
    assert read_errors(text) == []


@pytest.mark.parametrize("text", ["", "   \n\n", "\x00\x01\x02", "\ufffd" * 50, "Traceback", "File"])
def test_empty_and_junk_input(text: str) -> None:
    assert read_errors(text) == []


def test_five_megabytes_are_read_without_hanging(tmp_path: Path) -> None:
    """A hang guard, not a speed target: throughput is measured in bench/, not asserted here."""
    rnd = random.Random(7)
    corpus = [p.read_text(encoding="utf-8", errors="replace") for p in PYTHON_TRACES] or [
        'Traceback (most recent call last):\n  File "a.py", line 1, in <module>\nKeyError: 1\n'
    ]
    noise = [
        "2024-01-01 12:00:00,000 INFO server: request handled in 12ms",
        "GET /api/items?page=2 200 OK",
        "  continuing with batch 17 of 300",
        "",
    ]
    parts: list[str] = []
    size = 0
    while size < 5_000_000:
        chunk = rnd.choice(corpus) if rnd.random() < 0.2 else rnd.choice(noise)
        parts.append(chunk)
        size += len(chunk) + 1
    log = tmp_path / "mixed.log"
    log.write_text("\n".join(parts), encoding="utf-8")
    garbage = tmp_path / "garbage.log"
    garbage.write_text(
        "".join(rnd.choice('File "Traceback:()|+-^~\n 0123456789abcXError') for _ in range(5_000_000)),
        encoding="utf-8",
    )
    script = (
        "import sys; from homeostasis.languages.python.reader import read_errors;"
        "print(len(read_errors(open(sys.argv[1], encoding='utf-8').read())))"
    )
    for path in (log, garbage):
        done = subprocess.run(
            [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=120, check=True
        )
        if path is log:
            assert int(done.stdout) > 100


# -- fuzzing ----------------------------------------------------------------------------------


def _check(events: list[ErrorEvent], text: str) -> None:
    assert isinstance(events, list)
    count = len(text.split("\n"))
    for event in events:
        assert isinstance(event, ErrorEvent)
        assert event.error_type
        assert 0 <= event.text_start <= event.text_end < count


# No example database: the fuzz tests must not leave files in the work tree.
_FUZZ = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@_FUZZ
@given(st.text(max_size=3000))
def test_fuzz_random_text(text: str) -> None:
    _check(read_errors_guarded(text, Origin.PASTE, guard=False), text)


@_FUZZ
@given(st.binary(max_size=3000))
def test_fuzz_random_bytes(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    _check(read_errors_guarded(text, Origin.PASTE, guard=False), text)


_PIECES = [
    "Traceback (most recent call last):",
    '  File "x.py", line 3, in f',
    '  File "x.py", line 3',
    "    return g()",
    "           ^^^",
    "    ~~~^^^",
    "ValueError: bad",
    "KeyError",
    "",
    "...",
    "The above exception was the direct cause of the following exception:",
    "During handling of the above exception, another exception occurred:",
    "  + Exception Group Traceback (most recent call last):",
    "  | ExceptionGroup: eg (1 sub-exception)",
    "  +-+---------------- 1 ----------------",
    "    | ValueError: x",
    "    +------------------------------------",
    "  [Previous line repeated 5 more times]",
    "_____ test_x _____",
    ">       assert x",
    "E       AssertionError: boom",
    "E   KeyError: 'x'",
    "t.py:3: KeyError",
    "t.py:3: in f",
    "FAILED t.py::test_x - KeyError: 'x'",
    "KeyError                                  Traceback (most recent call last)",
    "----> 3 x()",
    "Cell In[2], line 3",
    "x.py in f(a)",
    "Original Traceback (most recent call last):",
    "web_1  | Traceback (most recent call last):",
]


@st.composite
def _mutated_trace(draw: st.DrawFn) -> str:
    from_trace: bool = draw(st.booleans())
    lines: list[str]
    if PYTHON_TRACES and from_trace:
        trace: Path = draw(st.sampled_from(PYTHON_TRACES))
        lines = trace.read_text(encoding="utf-8", errors="replace").split("\n")
    else:
        lines = draw(st.lists(st.sampled_from(_PIECES), max_size=40))
    for _ in range(draw(st.integers(0, 6))):
        action = draw(st.sampled_from(["delete", "insert", "truncate", "duplicate", "cut_line"]))
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        if action == "delete" and lines:
            del lines[at]
        elif action == "insert":
            lines.insert(at, draw(st.one_of(st.sampled_from(_PIECES), st.text(max_size=80))))
        elif action == "truncate":
            lines = lines[:at]
        elif action == "duplicate" and lines:
            lines[at:at] = lines[at : at + draw(st.integers(1, 10))]
        elif action == "cut_line" and lines:
            line = lines[at]
            lines[at] = line[: draw(st.integers(0, len(line)))]
    return "\n".join(lines)


@_FUZZ
@given(_mutated_trace())
def test_fuzz_mutated_traces(text: str) -> None:
    _check(read_errors_guarded(text, Origin.PASTE, guard=False), text)
