"""The C# (.NET) error reader: real traces from shared/traces and realistic renderings
(.NET 8 console, inner exceptions, async frames, ASP.NET Core logs and developer page,
xUnit, Visual Studio dialog, stack overflow) and bad input.

``dotnet`` is not installed here, so no output is generated on the spot."""

# Verbatim error output does not wrap at the line length.

from __future__ import annotations

import random
import textwrap
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import pytest
from homeostasis.engine import Engine
from homeostasis.languages.csharp import CSharpLanguage
from homeostasis.languages.csharp.reader import read_guarded, sniff
from homeostasis.model import ChainRelation, ErrorEvent, Frame, Origin
from homeostasis.ruleset.testing import MemorySources
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.traces import TRACES, trace_params, traces_of
from tests.traces import label as _label

CSHARP_TRACES = traces_of("csharp")
CSHARP = CSharpLanguage()

# Labels that the reader disagrees with on purpose (none so far): name -> reason.
WRONG_LABELS: Mapping[str, str] = MappingProxyType({})


def _norm(text: str | None) -> str:
    return "\n".join(line.rstrip() for line in (text or "").strip().split("\n"))


def _printed(frame: Frame) -> tuple[str | None, int | None, str | None]:
    function = frame.function.split("[", 1)[0] if frame.function else None
    return (None if frame.file.startswith("<") else frame.file), frame.line, function


def _only(text: str) -> ErrorEvent:
    events = CSHARP.read_errors(text)
    assert len(events) == 1, events
    return events[0]


@pytest.mark.parametrize("trace", trace_params(CSHARP_TRACES, WRONG_LABELS))
def test_trace_matches_label(trace: Path) -> None:
    label = _label(trace)
    event = _only(trace.read_text(encoding="utf-8", errors="replace"))
    assert event.language == "csharp"
    assert event.error_type == label["error_type"]
    assert _norm(event.message) == _norm(label["message"])
    index = label.get("innermost_frame_index")
    if index is not None:
        expected = label["frames"][index]
        assert event.innermost is not None
        assert _printed(event.innermost)[:2] == (expected["file"], expected["line"])
    # Labels list inner exceptions outermost first; the chain has the innermost first.
    assert [(c.error_type, c.relation.value) for c in reversed(event.chain)] == [
        (c["error_type"], c["relation"]) for c in label["chained"]
    ]


@pytest.mark.parametrize("trace", trace_params(CSHARP_TRACES, WRONG_LABELS))
def test_trace_frames_and_chain_details(trace: Path) -> None:
    label = _label(trace)
    event = _only(trace.read_text(encoding="utf-8", errors="replace"))
    assert [_printed(f) for f in reversed(event.frames)] == [
        (f["file"], f["line"], f["function"]) for f in label["frames"]
    ]
    for got, want in zip(reversed(event.chain), label["chained"], strict=True):
        assert _norm(got.message) == _norm(want["message"])
        assert [_printed(f) for f in reversed(got.frames)] == [
            (f["file"], f["line"], f["function"]) for f in want.get("frames") or []
        ]


def test_other_languages_give_no_csharp_events() -> None:
    others = sorted(p for p in TRACES.glob("*.txt") if "-csharp-" not in p.name) if TRACES.is_dir() else []
    if not others:
        pytest.skip("no traces of other languages")
    for trace in others:
        assert CSHARP.read_errors(trace.read_text(encoding="utf-8", errors="replace")) == [], trace.name


def test_sniff_is_specific() -> None:
    for trace in CSHARP_TRACES:
        assert sniff(trace.read_text(encoding="utf-8", errors="replace")), trace.name
    assert not sniff("java.lang.IllegalStateException: x\n\tat com.acme.Main.main(Main.java:3)\n")
    assert not sniff("TypeError: x is undefined\n    at main (/app/index.js:3:5)\n")
    assert not sniff('Traceback (most recent call last):\n  File "a.py", line 1\nKeyError: 1\n')


def test_dotnet8_inner_exception_on_its_own_line() -> None:
    text = textwrap.dedent(
        """\
        Unhandled exception. System.InvalidOperationException: Could not load settings
         ---> System.IO.FileNotFoundException: Could not find file '/app/settings.json'.
        File name: '/app/settings.json'
           at Microsoft.Win32.SafeHandles.SafeFileHandle.Open(String fullPath, FileMode mode, FileAccess access)
           at System.IO.File.ReadAllText(String path)
           at Acme.Settings.Load() in /src/Acme/Settings.cs:line 14
           --- End of inner exception stack trace ---
           at Acme.Settings.Load() in /src/Acme/Settings.cs:line 18
           at Acme.Program.Main(String[] args) in /src/Acme/Program.cs:line 6
        """
    )
    event = _only(text)
    assert (event.error_type, event.message) == (
        "System.InvalidOperationException",
        "Could not load settings",
    )
    assert event.frames == (
        Frame("/src/Acme/Program.cs", 6, "Acme.Program.Main"),
        Frame("/src/Acme/Settings.cs", 18, "Acme.Settings.Load"),
    )
    root = event.root_cause()
    assert root is not None and root.relation is ChainRelation.CAUSE
    assert root.error_type == "System.IO.FileNotFoundException"
    assert root.message == "Could not find file '/app/settings.json'.\nFile name: '/app/settings.json'"
    assert root.frames[-1].function == "Microsoft.Win32.SafeHandles.SafeFileHandle.Open"
    assert root.frames[0] == Frame("/src/Acme/Settings.cs", 14, "Acme.Settings.Load")
    assert (event.text_start, event.text_end) == (0, 8)


def test_async_frames_and_separators() -> None:
    text = textwrap.dedent(
        """\
        System.Collections.Generic.KeyNotFoundException: The given key 'theme' was not present in the dictionary.
           at System.Collections.Generic.Dictionary`2.get_Item(TKey key)
           at Acme.Web.Settings.<GetAsync>d__4.MoveNext() in C:\\src\\Acme.Web\\Settings.cs:line 41
        --- End of stack trace from previous location ---
           at Acme.Web.Controllers.HomeController.Index() in C:\\src\\Acme.Web\\Controllers\\HomeController.cs:line 25
           at lambda_method(Closure , Object , Object[] )
        """
    )
    event = _only(text)
    assert [f.line for f in reversed(event.frames)] == [None, 41, 25, None]
    assert event.innermost is not None and event.innermost.file == "<unknown>"
    assert event.frames[-2].file == "C:\\src\\Acme.Web\\Settings.cs"


def test_aspnet_core_logger_output() -> None:
    text = textwrap.dedent(
        """\
        info: Microsoft.Hosting.Lifetime[14]
              Now listening on: http://localhost:5000
        fail: Microsoft.AspNetCore.Diagnostics.DeveloperExceptionPageMiddleware[1]
              An unhandled exception has occurred while executing the request.
              System.NullReferenceException: Object reference not set to an instance of an object.
                 at Acme.Web.Controllers.HomeController.Index() in /src/Acme.Web/Controllers/HomeController.cs:line 25
                 at Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor.SyncActionResultExecutor.Execute(IActionResultTypeMapper mapper, ObjectMethodExecutor executor, Object controller, Object[] arguments)
        """
    )
    event = _only(text)
    assert event.error_type == "System.NullReferenceException"
    assert event.innermost == Frame(
        "/src/Acme.Web/Controllers/HomeController.cs", 25, "Acme.Web.Controllers.HomeController.Index"
    )
    assert event.text_start == 4


def test_developer_page_duplicates_are_merged() -> None:
    text = textwrap.dedent(
        """\
        An unhandled exception occurred while processing the request.
        NullReferenceException: Object reference not set to an instance of an object.
        Acme.Web.Controllers.HomeController.Index() in HomeController.cs, line 25

        Stack Query Cookies Headers Routing
        NullReferenceException: Object reference not set to an instance of an object.
        Acme.Web.Controllers.HomeController.Index() in HomeController.cs, line 25
        Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor+SyncActionResultExecutor.Execute(IActionResultTypeMapper mapper, ObjectMethodExecutor executor, object controller, object[] arguments)

        Show raw exception details
        System.NullReferenceException: Object reference not set to an instance of an object.
           at Acme.Web.Controllers.HomeController.Index() in /src/Acme.Web/Controllers/HomeController.cs:line 25
        """
    )
    event = _only(text)
    assert event.error_type == "System.NullReferenceException"
    assert (
        event.innermost is not None and event.innermost.file == "/src/Acme.Web/Controllers/HomeController.cs"
    )


def test_xunit_failure_output() -> None:
    text = textwrap.dedent(
        """\
          Failed Acme.Tests.CartTests.Average_of_empty_cart [12 ms]
          Error Message:
           System.DivideByZeroException : Attempted to divide by zero.
          Stack Trace:
             at Acme.Cart.Average() in /src/Acme/Cart.cs:line 30
             at Acme.Tests.CartTests.Average_of_empty_cart() in /src/Acme.Tests/CartTests.cs:line 15
        """
    )
    event = _only(text)
    assert (event.error_type, event.message) == (
        "System.DivideByZeroException",
        "Attempted to divide by zero.",
    )
    assert event.innermost == Frame("/src/Acme/Cart.cs", 30, "Acme.Cart.Average")


def test_visual_studio_dialog_with_inner_exception() -> None:
    text = textwrap.dedent(
        """\
        System.InvalidOperationException
          HResult=0x80131509
          Message=Sequence contains no elements
          Source=System.Linq
          StackTrace:
           at System.Linq.ThrowHelper.ThrowNoElementsException()
           at Acme.Program.Main(String[] args) in C:\\src\\Acme\\Program.cs:line 12

        Inner Exception 1:
        FormatException: Input string was not in a correct format.
        """
    )
    event = _only(text)
    assert (event.error_type, event.message) == (
        "System.InvalidOperationException",
        "Sequence contains no elements",
    )
    assert event.innermost == Frame("<unknown>", None, "System.Linq.ThrowHelper.ThrowNoElementsException")
    assert [c.error_type for c in event.chain] == ["FormatException"]


def test_stack_overflow_output() -> None:
    text = textwrap.dedent(
        """\
        Stack overflow.
        Repeat 87321 times:
        --------------------------------
           at Acme.Tree.Depth(Acme.Node)
        --------------------------------
           at Acme.Program.Main(System.String[])
        """
    )
    event = _only(text)
    assert event.error_type == "System.StackOverflowException"
    assert [f.function for f in event.frames] == ["Acme.Program.Main", "Acme.Tree.Depth"]


def test_dotnet_framework_unhandled_and_frameless_lines() -> None:
    event = _only(
        "Unhandled Exception: System.ArgumentNullException: Value cannot be null.\r\n"
        "Parameter name: source\r\n"
        "   at System.Linq.Enumerable.First[TSource](IEnumerable`1 source)\r\n"
        "   at Acme.Program.Main(String[] args) in c:\\Acme\\Program.cs:line 9\r\n"
    )
    assert event.message == "Value cannot be null.\nParameter name: source"
    assert event.frames[-1].function == "System.Linq.Enumerable.First[TSource]"
    assert _only("System.TimeoutException: The operation has timed out.").frames == ()
    assert CSHARP.read_errors("The build failed: System.Text is missing? see log") == []


def test_key_not_found_is_diagnosed(engine: Engine) -> None:
    source = textwrap.dedent(
        """\
        using System.Collections.Generic;

        namespace Acme;

        public static class Program
        {
            public static void Main(string[] args)
            {
                var prices = new Dictionary<string, decimal>();
                var price = prices["tea"];
            }
        }
        """
    )
    trace = (
        "Unhandled exception. System.Collections.Generic.KeyNotFoundException: The given key 'tea' was not present in the dictionary.\n"
        "   at System.Collections.Generic.Dictionary`2.get_Item(TKey key)\n"
        "   at Acme.Program.Main(String[] args) in /home/dev/acme/src/Acme/Program.cs:line 10\n"
    )
    events = engine.read_errors(trace)
    assert [e.language for e in events] == ["csharp"]
    sources = MemorySources.of({"src/Acme/Program.cs": source}, "csharp")
    findings = [f for f in engine.diagnose_one(events[0], sources).findings if f.located]
    assert [(f.rule_id, f.span.start.line + 1) for f in findings] == [("csharp.key-not-found.indexer", 10)]


def test_huge_input_is_read_in_one_pass() -> None:
    trace = (
        "Unhandled exception. System.InvalidOperationException: outer\n"
        " ---> System.FormatException: inner\n"
        + "".join(f"   at Acme.C{i}.M() in /src/C{i}.cs:line {i + 1}\n" for i in range(30))
        + "   --- End of inner exception stack trace ---\n"
        "   at Acme.Program.Main() in /src/Program.cs:line 3\n"
    )
    noise = "info: Acme.Worker[0] processed item at Acme.Thing (ok) System.\n" * 360
    text = (noise + trace) * 220
    assert len(text) > 5_000_000
    events = read_guarded(text, Origin.LOG, guard=False)
    assert len(events) == 220
    assert all(len(e.chain[0].frames) == 30 for e in events)
    assert read_guarded("System.X" * 700_000, Origin.PASTE, guard=False) == []


def test_lines_that_make_patterns_backtrack_are_read_in_linear_time() -> None:
    """Argument lists without a closing parenthesis, huge words, long runs of spaces: each
    pattern is written (possessive quantifiers, bounded tags) so these stay linear."""
    for text in (
        "   at a(" + "Int32 b, " * 50_000 + "x\n",
        "   at a(" + "b" * 200_000 + " c" + "d" * 100_000 + "\n",
        "NullReferenceException: x\n" + "A.B(" + "c " * 100_000 + "\n",
        "System.InvalidOperationException: " + " " * 200_000 + "x\n   at A.B()\n",
    ):
        assert sniff(text) in (True, False)
        read_guarded(text, Origin.PASTE, guard=False)


_FRAGMENTS = [
    "Unhandled exception. ",
    "System.InvalidOperationException: x",
    " ---> ",
    "   at Acme.P.M(String s) in /a.cs:line 3",
    "   at Acme.P.N()",
    "   --- End of inner exception stack trace ---",
    "--- End of stack trace from previous location ---",
    "  HResult=0x1",
    "  Message=",
    "Inner Exception 1:",
    "Stack overflow.",
    "",
    "\u00e9\u0000",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=40), st.randoms(use_true_random=False))
def test_fuzz_never_raises(parts: list[str], rnd: random.Random) -> None:
    text = "".join(part + ("\n" if rnd.random() < 0.6 else "") for part in parts)
    for event in read_guarded(text, Origin.PASTE, guard=False):
        assert 0 <= event.text_start <= event.text_end
