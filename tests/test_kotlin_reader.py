"""The Kotlin error reader (the JVM reader, for traces of Kotlin code): real traces from
shared/traces and realistic renderings (Android logcat, Crashlytics, coroutines, JUnit).

``kotlinc`` is not installed here, so no output is generated on the spot; the Java reader's
tests run the shared JVM reader on genuine ``java`` output."""

# Verbatim error output does not wrap at the line length.

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from types import MappingProxyType

import pytest
from homeostasis.engine import Engine
from homeostasis.languages.java import JavaLanguage
from homeostasis.languages.kotlin import KotlinLanguage
from homeostasis.model import ChainRelation, ErrorEvent, Frame
from homeostasis.ruleset.testing import MemorySources

from tests.traces import TRACES, trace_params, traces_of
from tests.traces import label as _label

KOTLIN_TRACES = traces_of("kotlin")
KOTLIN = KotlinLanguage()
JAVA = JavaLanguage()

# Labels that the reader disagrees with on purpose (none so far): name -> reason.
WRONG_LABELS: Mapping[str, str] = MappingProxyType({})


def _norm(text: str | None) -> str:
    return "\n".join(line.rstrip() for line in (text or "").strip().split("\n"))


def _printed(frame: Frame) -> tuple[str | None, int | None, str | None]:
    file = None if frame.file.startswith("<") else PurePosixPath(frame.file).name
    return file, frame.line, frame.function


def _only(text: str) -> ErrorEvent:
    events = KOTLIN.read_errors(text)
    assert len(events) == 1, events
    assert JAVA.read_errors(text) == [], "a Kotlin trace must not be read twice"
    return events[0]


@pytest.mark.parametrize("trace", trace_params(KOTLIN_TRACES, WRONG_LABELS))
def test_trace_matches_label(trace: Path) -> None:
    label = _label(trace)
    event = _only(trace.read_text(encoding="utf-8", errors="replace"))
    assert event.language == "kotlin"
    assert event.error_type == label["error_type"]
    assert _norm(event.message) == _norm(label["message"])
    index = label.get("innermost_frame_index")
    if index is not None:
        expected = label["frames"][index]
        assert event.innermost is not None
        assert _printed(event.innermost)[:2] == (expected["file"], expected["line"])
    assert [c.error_type for c in reversed(event.chain)] == [c["error_type"] for c in label["chained"]]


@pytest.mark.parametrize("trace", trace_params(KOTLIN_TRACES, WRONG_LABELS))
def test_trace_frames(trace: Path) -> None:
    label = _label(trace)
    event = _only(trace.read_text(encoding="utf-8", errors="replace"))
    assert [_printed(f) for f in reversed(event.frames)] == [
        (f["file"], f["line"], f["function"]) for f in label["frames"]
    ]


def test_other_languages_give_no_kotlin_events() -> None:
    others = sorted(p for p in TRACES.glob("*.txt") if "-kotlin-" not in p.name) if TRACES.is_dir() else []
    if not others:
        pytest.skip("no traces of other languages")
    for trace in others:
        assert KOTLIN.read_errors(trace.read_text(encoding="utf-8", errors="replace")) == [], trace.name


def test_android_crash_notes_and_text_range() -> None:
    trace = next((t for t in KOTLIN_TRACES if "android-lateinit" in t.name), None)
    if trace is None:
        pytest.skip("trace not available")
    event = _only(trace.read_text(encoding="utf-8"))
    assert event.text_start == 0  # the FATAL EXCEPTION line belongs to the event
    assert "Android crash on thread main" in event.notes
    assert event.innermost is not None
    assert event.innermost.file == "org/ole/planet/myplanet/ui/life/LifeFragment.kt"


def test_android_studio_logcat_format() -> None:
    text = textwrap.dedent(
        """\
        2024-03-01 12:00:00.100  4242-4242  AndroidRuntime          com.acme.app                         E  FATAL EXCEPTION: main
        2024-03-01 12:00:00.100  4242-4242  AndroidRuntime          com.acme.app                         E  Process: com.acme.app, PID: 4242
        2024-03-01 12:00:00.100  4242-4242  AndroidRuntime          com.acme.app                         E  java.lang.NullPointerException
        2024-03-01 12:00:00.100  4242-4242  AndroidRuntime          com.acme.app                         E  \tat com.acme.app.ui.ProfileFragment.bind(ProfileFragment.kt:57)
        2024-03-01 12:00:00.100  4242-4242  AndroidRuntime          com.acme.app                         E  \tat com.acme.app.ui.ProfileFragment.onViewCreated(ProfileFragment.kt:31)
        2024-03-01 12:00:00.100  4242-4242  AndroidRuntime          com.acme.app                         E  \tat androidx.fragment.app.Fragment.performViewCreated(Fragment.java:3147)
        """
    )
    event = _only(text)
    assert event.error_type == "java.lang.NullPointerException"
    assert event.innermost == Frame(
        "com/acme/app/ui/ProfileFragment.kt", 57, "com.acme.app.ui.ProfileFragment.bind"
    )
    assert event.text_start == 0 and event.text_end == 5


def test_coroutine_trace_with_boundary_and_suppressed_context() -> None:
    text = textwrap.dedent(
        """\
        Exception in thread "DefaultDispatcher-worker-1" java.lang.IllegalStateException: Server returned 503
        \tat com.acme.sync.Repository.fetch(Repository.kt:42)
        \tat com.acme.sync.Repository$fetch$1.invokeSuspend(Repository.kt)
        \tat kotlin.coroutines.jvm.internal.BaseContinuationImpl.resumeWith(ContinuationImpl.kt:33)
        \tat kotlinx.coroutines.DispatchedTask.run(DispatchedTask.kt:108)
        \tat _COROUTINE._BOUNDARY._(CoroutineDebugging.kt:46)
        \tat com.acme.sync.SyncWorker$doWork$2.invokeSuspend(SyncWorker.kt:19)
        \tat kotlinx.coroutines.scheduling.CoroutineScheduler$Worker.run(CoroutineScheduler.kt:684)
        \tSuppressed: kotlinx.coroutines.internal.DiagnosticCoroutineContextException: [CoroutineId(1), "coroutine#1":StandaloneCoroutine{Cancelling}@6d86b085, Dispatchers.Default]
        """
    )
    event = _only(text)
    assert event.error_type == "java.lang.IllegalStateException"
    assert event.innermost == Frame("com/acme/sync/Repository.kt", 42, "com.acme.sync.Repository.fetch")
    assert ("com/acme/sync/Repository.kt", None) in [(f.file, f.line) for f in event.frames]
    assert [(c.short_type, c.relation) for c in event.chain] == [
        ("DiagnosticCoroutineContextException", ChainRelation.SUPPRESSED)
    ]
    assert 'thread "DefaultDispatcher-worker-1"' in event.notes


def test_old_style_coroutine_boundary_line_is_skipped() -> None:
    text = (
        "kotlinx.coroutines.TimeoutCancellationException: Timed out waiting for 1000 ms\n"
        "\tat kotlinx.coroutines.TimeoutKt.TimeoutCancellationException(Timeout.kt:184)\n"
        "\tat (Coroutine boundary.(:0)\n"
        "\tat com.acme.Client.fetch(Client.kt:6)\n"
    )
    event = _only(text)
    assert event.innermost is not None and event.innermost.file == "kotlinx/coroutines/Timeout.kt"
    assert event.frames[0] == Frame("com/acme/Client.kt", 6, "com.acme.Client.fetch")


def test_junit5_failure_in_a_kotlin_test() -> None:
    text = textwrap.dedent(
        """\
        org.opentest4j.AssertionFailedError: expected: <3> but was: <2>
        \tat app//org.junit.jupiter.api.AssertionFailureBuilder.build(AssertionFailureBuilder.java:151)
        \tat app//org.junit.jupiter.api.Assertions.assertEquals(Assertions.java:150)
        \tat app//com.acme.CartTest.total(CartTest.kt:14)
        \tat java.base/java.lang.reflect.Method.invoke(Method.java:568)
        """
    )
    event = _only(text)
    assert event.message == "expected: <3> but was: <2>"
    project = [f for f in event.frames if not KOTLIN.is_library_path(f.file)]
    assert project == [Frame("com/acme/CartTest.kt", 14, "com.acme.CartTest.total")]


def test_file_facade_classes_and_default_package() -> None:
    event = _only(
        'Exception in thread "main" kotlin.NotImplementedError: An operation is not implemented.\n'
        "\tat MainKt.main(Main.kt:5)\n"
        "\tat MainKt.main(Main.kt)\n"
    )
    assert event.frames == (Frame("Main.kt", None, "MainKt.main"), Frame("Main.kt", 5, "MainKt.main"))


def test_language_is_decided_by_the_innermost_application_frame() -> None:
    java_calling_kotlin_stdlib = (
        "java.util.NoSuchElementException: List is empty.\n"
        "\tat kotlin.collections.CollectionsKt___CollectionsKt.first(_Collections.kt:214)\n"
        "\tat com.acme.Orders.first(Orders.java:9)\n"
    )
    assert KOTLIN.read_errors(java_calling_kotlin_stdlib) == []
    assert [e.language for e in JAVA.read_errors(java_calling_kotlin_stdlib)] == ["java"]
    kotlin_calling_java = (
        'java.lang.NumberFormatException: For input string: "x"\n'
        "\tat java.base/java.lang.Integer.parseInt(Integer.java:668)\n"
        "\tat com.acme.LegacyParser.parse(LegacyParser.java:20)\n"
        "\tat com.acme.SettingsKt.port(Settings.kt:4)\n"
    )
    # The innermost application frame is the Java helper: that is where a fix would go.
    assert [e.language for e in JAVA.read_errors(kotlin_calling_java)] == ["java"]
    no_application_frames = (
        "kotlin.UninitializedPropertyAccessException: lateinit property x has not been initialized\n"
    )
    assert _only(no_application_frames).frames == ()


def test_lateinit_crash_is_diagnosed_in_the_fragment(engine: Engine) -> None:
    source = textwrap.dedent(
        """\
        package com.acme.ui

        class LifeFragment : Fragment() {
            lateinit var adapter: LifeAdapter

            override fun onViewCreated(view: View, state: Bundle?) {
                adapter.submitList(emptyList())
            }
        }
        """
    )
    trace = (
        "FATAL EXCEPTION: main\n"
        "Process: com.acme, PID: 1\n"
        "kotlin.UninitializedPropertyAccessException: lateinit property adapter has not been initialized\n"
        "\tat com.acme.ui.LifeFragment.onViewCreated(LifeFragment.kt:7)\n"
        "\tat androidx.fragment.app.Fragment.performViewCreated(Fragment.java:3147)\n"
    )
    events = engine.read_errors(trace)
    assert [e.language for e in events] == ["kotlin"]
    sources = MemorySources.of({"com/acme/ui/LifeFragment.kt": source}, "kotlin")
    findings = [f for f in engine.diagnose_one(events[0], sources).findings if f.located]
    assert [(f.rule_id, f.span.start.line + 1) for f in findings] == [("kotlin.lateinit.uninitialized", 7)]
    assert findings[0].fixes and "isInitialized" in findings[0].fixes[0].title
