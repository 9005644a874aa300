"""The Java error reader (shared JVM reader): real traces from shared/traces, genuine
``javac``/``java`` output produced on the spot, hand-made renderings (logcat, log frameworks,
Maven, Gradle, docker) and bad input."""

# Verbatim error output does not wrap at the line length.

from __future__ import annotations

import random
import shutil
import subprocess
import textwrap
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from types import MappingProxyType

import pytest
from homeostasis.engine import Engine
from homeostasis.languages.java import JavaLanguage
from homeostasis.languages.jvm import is_library_path
from homeostasis.languages.jvm.reader import read_guarded, sniff
from homeostasis.model import ChainRelation, ErrorEvent, Frame, Origin
from homeostasis.ruleset.testing import MemorySources
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.traces import TRACES, trace_params, traces_of
from tests.traces import label as _label

JAVA_TRACES = traces_of("java")
JAVA = JavaLanguage()

# Labels that the reader disagrees with on purpose (none so far): name -> reason.
WRONG_LABELS: Mapping[str, str] = MappingProxyType({})


def _norm(text: str | None) -> str:
    """Messages compared without trailing blanks; a label's null message is an empty one."""
    return "\n".join(line.rstrip() for line in (text or "").strip().split("\n"))


def _printed(frame: Frame) -> tuple[str | None, int | None, str | None]:
    """A frame as the labels write it: the printed file name (not the derived path)."""
    file = None if frame.file.startswith("<") else PurePosixPath(frame.file).name
    return file, frame.line, frame.function


def _only(text: str) -> ErrorEvent:
    events = JAVA.read_errors(text)
    assert len(events) == 1, events
    return events[0]


# -- the shared trace corpus --------------------------------------------------------------


@pytest.mark.parametrize("trace", trace_params(JAVA_TRACES, WRONG_LABELS))
def test_trace_matches_label(trace: Path) -> None:
    label = _label(trace)
    events = JAVA.read_errors(trace.read_text(encoding="utf-8", errors="replace"))
    assert len(events) == 1, events
    event = events[0]
    assert event.language == "java"
    assert event.error_type == label["error_type"]
    assert _norm(event.message) == _norm(label["message"])
    index = label.get("innermost_frame_index")
    if index is not None:
        expected = label["frames"][index]
        assert event.innermost is not None
        assert _printed(event.innermost)[:2] == (expected["file"], expected["line"])
    # Labels list causes outermost first; the chain has the root cause first.
    causes = [c for c in event.chain if c.relation is ChainRelation.CAUSE]
    assert [(c.error_type, c.relation.value) for c in reversed(causes)] == [
        (c["error_type"], c["relation"]) for c in label["chained"]
    ]


@pytest.mark.parametrize("trace", trace_params(JAVA_TRACES, WRONG_LABELS))
def test_trace_frames_and_chain_details(trace: Path) -> None:
    label = _label(trace)
    event = JAVA.read_errors(trace.read_text(encoding="utf-8", errors="replace"))[0]
    assert [_printed(f) for f in reversed(event.frames)] == [
        (f["file"], f["line"], f["function"]) for f in label["frames"]
    ]
    causes = [c for c in event.chain if c.relation is ChainRelation.CAUSE]
    for got, want in zip(reversed(causes), label["chained"], strict=True):
        assert _norm(got.message) == _norm(want["message"])
        printed = [_printed(f) for f in reversed(got.frames)]
        # Frames elided by "... N more" are restored after the printed ones.
        assert printed[: len(want["frames"])] == [
            (f["file"], f["line"], f["function"]) for f in want["frames"]
        ]
    lines = trace.read_text(encoding="utf-8", errors="replace").split("\n")
    assert 0 <= event.text_start <= event.text_end < len(lines)


def test_other_languages_give_no_java_events() -> None:
    others = sorted(p for p in TRACES.glob("*.txt") if "-java-" not in p.name) if TRACES.is_dir() else []
    if not others:
        pytest.skip("no traces of other languages")
    for trace in others:
        assert JAVA.read_errors(trace.read_text(encoding="utf-8", errors="replace")) == [], trace.name


def test_sniff_is_specific() -> None:
    for trace in JAVA_TRACES:
        assert sniff(trace.read_text(encoding="utf-8", errors="replace")), trace.name
    assert not sniff("Traceback (most recent call last):\n  File \"a.py\", line 1\nKeyError: 'x'\n")
    assert not sniff("TypeError: x is undefined\n    at main (/app/index.js:3:5)\n")
    assert not sniff("   at App.Program.Main(String[] args) in C:\\app\\Program.cs:line 5\n")
    assert not sniff("panic: runtime error: index out of range\n\ngoroutine 1 [running]:\n")


# -- genuine javac/java output ----------------------------------------------------------------

_PROGRAM = """\
package com.acme.app;

import java.util.*;

public class Main {
    static String name;
    String title;

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "npe": System.out.println(name.length()); break; // @npe
            case "field": new Main().run(); break; // @field-call
            case "index": { List<String> l = new ArrayList<>(); String first = l.get(1); break; } // @index
            case "caused": load(); break; // @caused-call
            case "suppressed": {
                Exception e = new RuntimeException("main"); // @suppressed-main
                e.addSuppressed(new java.io.IOException("close failed")); // @suppressed
                throw e;
            }
            case "multi": throw new IllegalArgumentException("line one\\nline two");
            case "thread": {
                Thread t = new Thread(() -> { throw new IllegalStateException("in thread"); }); // @thread
                t.start();
                t.join();
                break;
            }
            case "deep": helper(3); break; // @deep-call
        }
    }

    void run() {
        System.out.println(this.title.trim()); // @field
    }

    static void load() {
        try {
            Integer.parseInt("x"); // @parse
        } catch (NumberFormatException e) {
            throw new IllegalStateException("bad config", e); // @wrap
        }
    }

    static void helper(int n) {
        if (n == 0) {
            Map<String, Integer> m = new HashMap<>();
            int v = m.get("missing"); // @unbox
        }
        helper(n - 1); // @recurse
    }
}
"""
_MODES = ("npe", "field", "index", "caused", "suppressed", "multi", "thread", "deep")


def _line(marker: str) -> int:
    """The 1-based line of ``_PROGRAM`` that carries ``// @marker``."""
    lines = _PROGRAM.split("\n")
    return next(n for n, text in enumerate(lines, 1) if text.endswith(f"// @{marker}"))


@pytest.fixture(scope="module")
def java_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """What a real JVM prints for each failure mode of ``_PROGRAM`` (compiled with -g)."""
    if shutil.which("javac") is None or shutil.which("java") is None:
        pytest.skip("javac/java are not installed")
    root = tmp_path_factory.mktemp("java")
    source = root / "com" / "acme" / "app" / "Main.java"
    source.parent.mkdir(parents=True)
    source.write_text(_PROGRAM, encoding="utf-8")
    subprocess.run(["javac", "-g", "-d", str(root / "out"), str(source)], check=True, timeout=120)
    outputs = {}
    for mode in _MODES:
        done = subprocess.run(
            ["java", "-cp", str(root / "out"), "com.acme.app.Main", mode],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        outputs[mode] = done.stdout + done.stderr
    return outputs


def test_real_helpful_npe_on_a_static_field(java_outputs: dict[str, str]) -> None:
    event = _only(java_outputs["npe"])
    assert event.error_type == "java.lang.NullPointerException"
    assert event.message == 'Cannot invoke "String.length()" because "com.acme.app.Main.name" is null'
    assert event.innermost == Frame("com/acme/app/Main.java", _line("npe"), "com.acme.app.Main.main")
    assert 'thread "main"' in event.notes


def test_real_npe_on_this_field_has_outer_frames_first(java_outputs: dict[str, str]) -> None:
    event = _only(java_outputs["field"])
    assert 'because "this.title" is null' in event.message
    assert [(f.function, f.line) for f in event.frames] == [
        ("com.acme.app.Main.main", _line("field-call")),
        ("com.acme.app.Main.run", _line("field")),
    ]


def test_real_index_error_through_jdk_frames(java_outputs: dict[str, str]) -> None:
    event = _only(java_outputs["index"])
    assert event.error_type == "java.lang.IndexOutOfBoundsException"
    assert event.message == "Index 1 out of bounds for length 0"
    assert event.innermost is not None and event.innermost.file.startswith("java/util/") is False
    project = [f for f in event.frames if not JAVA.is_library_path(f.file)]
    assert [(f.file, f.line) for f in project] == [("com/acme/app/Main.java", _line("index"))]
    assert all(JAVA.is_library_path(f.file) for f in event.frames[len(project) :])


def test_real_caused_by_restores_elided_frames(java_outputs: dict[str, str]) -> None:
    event = _only(java_outputs["caused"])
    assert (event.error_type, event.message) == ("java.lang.IllegalStateException", "bad config")
    assert [(c.error_type, c.relation) for c in event.chain] == [
        ("java.lang.NumberFormatException", ChainRelation.CAUSE)
    ]
    root = event.chain[0]
    assert root.message == 'For input string: "x"'
    assert [(f.function, f.line) for f in event.frames] == [
        ("com.acme.app.Main.main", _line("caused-call")),
        ("com.acme.app.Main.load", _line("wrap")),
    ]
    # "... 1 more" stood for Main.main: the root cause keeps the whole application stack.
    assert [(f.function, f.line) for f in root.frames[:2]] == [
        ("com.acme.app.Main.main", _line("caused-call")),
        ("com.acme.app.Main.load", _line("parse")),
    ]
    assert root.frames[-1].function == "java.lang.NumberFormatException.forInputString"
    assert any("restored" in note for note in event.notes)


def test_real_suppressed_exception(java_outputs: dict[str, str]) -> None:
    event = _only(java_outputs["suppressed"])
    assert event.message == "main"
    assert [(c.error_type, c.message, c.relation) for c in event.chain] == [
        ("java.io.IOException", "close failed", ChainRelation.SUPPRESSED)
    ]
    assert event.chain[0].frames == (
        Frame("com/acme/app/Main.java", _line("suppressed"), "com.acme.app.Main.main"),
    )
    assert event.innermost is not None and event.innermost.line == _line("suppressed-main")


def test_real_multi_line_message_and_thread(java_outputs: dict[str, str]) -> None:
    assert _only(java_outputs["multi"]).message == "line one\nline two"
    event = _only(java_outputs["thread"])
    assert 'thread "Thread-0"' in event.notes
    assert event.innermost == Frame(
        "com/acme/app/Main.java", _line("thread"), "com.acme.app.Main.lambda$main$0"
    )


def test_real_output_is_diagnosed_on_the_real_source(java_outputs: dict[str, str], engine: Engine) -> None:
    """javac's own output, read, resolved by path suffix and matched against the real file."""
    sources = MemorySources.of({"com/acme/app/Main.java": _PROGRAM}, "java")
    for mode, rule_id, line in (
        ("npe", "java.null-pointer.variable", _line("npe")),
        ("field", "java.null-pointer.variable", _line("field")),
        ("index", "java.index-out-of-bounds.list", _line("index")),
        ("deep", "java.null-pointer.dereference", _line("unbox")),
    ):
        events = engine.read_errors(java_outputs[mode], "java")
        assert len(events) == 1, mode
        findings = [f for f in engine.diagnose_one(events[0], sources).findings if f.located]
        assert findings, mode
        assert (findings[0].rule_id, findings[0].span.start.line + 1) == (rule_id, line), mode
    # The root cause of the chained error is explained at the application line.
    events = engine.read_errors(java_outputs["caused"], "java")
    chained = engine.diagnose_one(events[0], sources).findings
    assert any(
        f.rule_id == "java.number-format.parse" and f.span.start.line + 1 == _line("parse") for f in chained
    )


def test_real_deep_recursion_frames(java_outputs: dict[str, str]) -> None:
    event = _only(java_outputs["deep"])
    # Unboxing a null Integer: the helpful message names the unboxing call.
    assert event.message.startswith('Cannot invoke "java.lang.Integer.intValue()"')
    recurse, unbox = _line("recurse"), _line("unbox")
    assert [f.line for f in event.frames] == [_line("deep-call"), recurse, recurse, recurse, unbox]


# -- other renderings -----------------------------------------------------------------------


def test_module_loader_and_hidden_class_prefixes() -> None:
    event = _only(
        textwrap.dedent(
            """\
            Exception in thread "main" java.lang.IllegalStateException: boom
            \tat app//com.acme.Worker.lambda$run$0(Worker.java:14)
            \tat com.acme.Worker$$Lambda$14/0x0000000800c03000.accept(Unknown Source)
            \tat java.base/java.util.ArrayList.forEach(ArrayList.java:1511)
            \tat com.foo@1.2/com.foo.Bar.baz(Bar.java:3)
            \tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)
            """
        )
    )
    assert [(f.file, f.line, f.function) for f in reversed(event.frames)] == [
        ("com/acme/Worker.java", 14, "com.acme.Worker.lambda$run$0"),
        ("<unknown>", None, "com.acme.Worker$$Lambda$14/0x0000000800c03000.accept"),
        ("java/util/ArrayList.java", 1511, "java.util.ArrayList.forEach"),
        ("com/foo/Bar.java", 3, "com.foo.Bar.baz"),
        ("<native>", None, "jdk.internal.reflect.NativeMethodAccessorImpl.invoke0"),
    ]


def test_log_framework_line_before_the_trace() -> None:
    text = textwrap.dedent(
        """\
        2024-01-01 10:00:00.123 ERROR [main] c.a.OrderService - Order import failed
        java.lang.IllegalStateException: no warehouse for region EU
        \tat com.acme.OrderService.route(OrderService.java:88)
        \tat com.acme.OrderService.importAll(OrderService.java:40)
        2024-01-01 10:00:01.000 INFO [main] c.a.OrderService - continuing
        """
    )
    event = _only(text)
    assert (event.error_type, event.message) == (
        "java.lang.IllegalStateException",
        "no warehouse for region EU",
    )
    assert (event.text_start, event.text_end) == (1, 3)


def test_exception_named_inside_a_log_line() -> None:
    text = (
        "12:00:01.002 [pool-1-thread-3] WARN  c.a.Sync - retrying: java.net.SocketTimeoutException: Read timed out\n"
        "\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)\n"
        "\tat com.acme.Sync.pull(Sync.java:51)\n"
    )
    event = _only(text)
    assert (event.error_type, event.message) == ("java.net.SocketTimeoutException", "Read timed out")
    assert event.innermost is not None and event.innermost.line == 288


def test_spring_boot_logback_caused_by_chain_and_common_frames_omitted() -> None:
    text = textwrap.dedent(
        """\
        2024-05-02T10:15:30.123Z ERROR 4242 --- [           main] o.s.boot.SpringApplication               : Application run failed

        org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'orderService'
        \tat org.springframework.beans.factory.support.AbstractAutowireCapableBeanFactory.initializeBean(AbstractAutowireCapableBeanFactory.java:1804)
        \tat com.acme.Application.main(Application.java:12)
        Caused by: java.lang.IllegalArgumentException: Property 'dataSource' is required
        \tat com.acme.OrderService.afterPropertiesSet(OrderService.java:31)
        \t... 1 common frames omitted
        """
    )
    event = _only(text)
    assert event.error_type == "org.springframework.beans.factory.BeanCreationException"
    root = event.chain[0]
    assert root.error_type == "java.lang.IllegalArgumentException"
    assert [f.function for f in root.frames] == [
        "com.acme.Application.main",
        "com.acme.OrderService.afterPropertiesSet",
    ]


def test_android_logcat_threadtime_and_brief_prefixes() -> None:
    threadtime = textwrap.dedent(
        """\
        01-15 10:23:45.123  4242  4242 E AndroidRuntime: FATAL EXCEPTION: main
        01-15 10:23:45.123  4242  4242 E AndroidRuntime: Process: com.acme.app, PID: 4242
        01-15 10:23:45.123  4242  4242 E AndroidRuntime: java.lang.RuntimeException: Unable to start activity
        01-15 10:23:45.124  4242  4250 D OkHttp  : --> GET https://api.acme.com/items
        01-15 10:23:45.123  4242  4242 E AndroidRuntime: \tat com.acme.app.MainActivity.onCreate(MainActivity.java:42)
        01-15 10:23:45.123  4242  4242 E AndroidRuntime: \tat android.app.Activity.performCreate(Activity.java:8000)
        """
    )
    event = _only(threadtime)
    assert event.error_type == "java.lang.RuntimeException"
    assert [f.line for f in event.frames] == [8000, 42]
    assert event.text_start == 0
    assert "Android process com.acme.app" in event.notes
    brief = (
        "E/AndroidRuntime( 4242): java.lang.NullPointerException: Attempt to invoke virtual method on a null object\n"
        "E/AndroidRuntime( 4242):     at com.acme.app.ListAdapter.getView(ListAdapter.java:77)\n"
    )
    assert _only(brief).innermost == Frame(
        "com/acme/app/ListAdapter.java", 77, "com.acme.app.ListAdapter.getView"
    )


def test_maven_docker_and_gradle_prefixes() -> None:
    maven = (
        "[ERROR] java.lang.AssertionError: expected 3\n[ERROR] \tat com.acme.CalcTest.adds(CalcTest.java:9)\n"
    )
    assert _only(maven).innermost == Frame("com/acme/CalcTest.java", 9, "com.acme.CalcTest.adds")
    docker = (
        'api-1  | Exception in thread "main" java.lang.OutOfMemoryError: Java heap space\n'
        "api-1  | \tat com.acme.Cache.fill(Cache.java:11)\n"
    )
    assert _only(docker).message == "Java heap space"
    gradle = textwrap.dedent(
        """\
        CalcTest > divides() FAILED
            java.lang.ArithmeticException at CalcTest.java:21
                Caused by: java.lang.IllegalStateException at Calc.java:8
        """
    )
    event = _only(gradle)
    assert event.origin is Origin.TEST_RUN
    assert event.innermost == Frame("CalcTest.java", 21)
    assert [c.error_type for c in event.chain] == ["java.lang.IllegalStateException"]


def test_wrapped_and_truncated_traces() -> None:
    wrapped = (
        "java.lang.IllegalStateException: x\n"
        "\tat com.acme.very.long.pkg.SomeService.handleIncomingRequ\n"
        "est(SomeService.java:120)\n"
        "\tat com.acme.Main.main(Main.java:5)\n"
    )
    event = _only(wrapped)
    assert event.innermost == Frame(
        "com/acme/very/long/pkg/SomeService.java",
        120,
        "com.acme.very.long.pkg.SomeService.handleIncomingRequest",
    )
    truncated = 'Exception in thread "main" java.lang.NullPointerException\n\tat com.acme.Main.ma'
    event = _only(truncated)
    assert event.frames == ()


def test_trace_starting_at_caused_by_and_ide_elisions() -> None:
    text = textwrap.dedent(
        """\
        Caused by: java.sql.SQLException: Connection refused
        \tat com.acme.Db.connect(Db.java:17)
        \t<5 internal lines>
        \tat com.acme.Main.main(Main.java:4)
        """
    )
    event = _only(text)
    assert event.error_type == "java.sql.SQLException"
    assert len(event.frames) == 2
    assert any("Caused by" in note for note in event.notes)


def test_frameless_jvm_error_lines_and_non_errors() -> None:
    assert _only("java.net.ConnectException: Connection refused").error_type == "java.net.ConnectException"
    # Qualified names of other ecosystems, and prose, are not JVM errors.
    assert (
        JAVA.read_errors("requests.exceptions.ConnectionError: boom\nsqlalchemy.exc.OperationalError: x\n")
        == []
    )
    assert JAVA.read_errors("at the end of the day (see notes)\nThe build failed: see log.") == []


def test_mixed_log_languages(engine: Engine) -> None:
    """Python, Node, Java, Kotlin and .NET errors interleaved: each read by its own plugin."""
    text = textwrap.dedent(
        """\
        Traceback (most recent call last):
          File "/srv/app/main.py", line 3, in <module>
            run()
        KeyError: 'user'
        TypeError: Cannot read properties of undefined (reading 'id')
            at handler (/srv/web/index.js:12:20)
            at process.processTicksAndRejections (node:internal/process/task_queues:95:5)
        Exception in thread "main" java.lang.NullPointerException: Cannot invoke "String.trim()" because "s" is null
        \tat com.acme.Main.main(Main.java:7)
        Exception in thread "main" kotlin.UninitializedPropertyAccessException: lateinit property repo has not been initialized
        \tat com.acme.Service.load(Service.kt:12)
        Unhandled exception. System.InvalidOperationException: Sequence contains no elements
           at System.Linq.ThrowHelper.ThrowNoElementsException()
           at Acme.Program.Main(String[] args) in /src/Acme/Program.cs:line 9
        """
    )
    events = engine.read_errors(text)
    by_language = {e.language: e for e in events}
    assert [(e.language, e.text_start) for e in events if e.language != "javascript"] == [
        ("python", 0),
        ("java", 7),
        ("kotlin", 9),
        ("csharp", 11),
    ]
    assert by_language["java"].innermost == Frame("com/acme/Main.java", 7, "com.acme.Main.main")
    assert by_language["kotlin"].error_type == "kotlin.UninitializedPropertyAccessException"
    if engine.registry.get("javascript") is not None:
        assert [e.text_start for e in events if e.language == "javascript"] == [4]


def test_library_paths_are_package_prefixes() -> None:
    assert is_library_path("java/util/ArrayList.java")
    assert is_library_path("kotlinx/coroutines/DispatchedTask.kt")
    assert is_library_path("<native>")
    assert not is_library_path("com/acme/java/Util.java")
    assert not is_library_path("android/app/src/main/java/com/acme/MainActivity.java")
    assert not is_library_path("com/acme/app/Main.java")


# -- bad input ----------------------------------------------------------------------------------


def test_huge_input_is_read_in_one_pass() -> None:
    trace = (
        'Exception in thread "main" java.lang.IllegalStateException: boom\n'
        + "".join(f"\tat com.acme.C{i}.m(C{i}.java:{i + 1})\n" for i in range(40))
        + "Caused by: java.io.IOException: disk\n\t... 40 more\n"
    )
    noise = "2024-01-01 INFO something happened at com.acme.Thing (not a frame) java.lang\n" * 250
    text = (noise + trace) * 250
    assert len(text) > 5_000_000
    events = read_guarded(text, Origin.LOG, guard=False)
    assert len(events) == 250
    assert all(len(e.chain[0].frames) == 40 for e in events)
    # A single 5 MB line and a line of only separators.
    assert read_guarded("x" * 5_000_000, Origin.PASTE, guard=False) == []
    assert read_guarded("at " * 2_000_000, Origin.PASTE, guard=False) == []


def test_lines_that_make_patterns_backtrack_are_read_in_linear_time() -> None:
    """Huge class names, messages padded with spaces, logcat tags without a colon: each
    pattern is written (possessive quantifiers, bounded tags) so these stay linear."""
    for text in (
        "\tat " + "a." * 100_000 + "b(c\n" * 3,
        "java.lang.IllegalStateException: " + " " * 200_000 + "x\n\tat a.B.c(B.java:1)\n",
        "E/" + "tag " * 100_000 + "\n",
        "warn " + "a." * 100_000 + "BadException: x\n\tat a.B.c(B.java:1)\n",
        "a." * 2_000_000 + "\n",
    ):
        read_guarded(text, Origin.PASTE, guard=False)


_FRAGMENTS = [
    'Exception in thread "main" ',
    "java.lang.IllegalStateException: x",
    "Caused by: ",
    "\tat com.acme.Main.main(Main.java:3)",
    "\tat java.base/java.util.X.y(Native Method)",
    "\t... 3 more",
    "\tSuppressed: java.io.IOException",
    "E/AndroidRuntime: ",
    "[...]",
    "",
    "\u00e9\u0000\ufffd",
    "at (",
    "class ",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=40), st.randoms(use_true_random=False))
def test_fuzz_never_raises(parts: list[str], rnd: random.Random) -> None:
    text = "".join(part + ("\n" if rnd.random() < 0.6 else "") for part in parts)
    for event in read_guarded(text, Origin.PASTE, guard=False):
        assert 0 <= event.text_start <= event.text_end
        assert event.language in ("java", "kotlin")
