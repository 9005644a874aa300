"""The Go reader: the shared traces, output of the real Go toolchain (programs built and run
here when `go` is installed), hand-made renderings of formats this toolchain does not print,
mixed logs, and bad input."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import textwrap
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import pytest
from homeostasis.languages.go import GoLanguage
from homeostasis.languages.go.reader import read_errors, sniff
from homeostasis.model import ChainRelation, ErrorEvent, Origin

from tests.traces import TRACES, trace_params, traces_of
from tests.traces import label as _label

GO_TRACES = traces_of("go")
GO = shutil.which("go")
needs_go = pytest.mark.skipif(GO is None, reason="the go toolchain is not installed")

# Labels that the reader disagrees with on purpose: name -> reason.
WRONG_LABELS: Mapping[str, str] = MappingProxyType({})
# The labels spell the kind as Go printed it; the reader names it for rules.
LABEL_TYPES: Mapping[str, str] = MappingProxyType(
    {"panic": "panic", "panic: runtime error": "runtime error", "fatal error": "fatal error"}
)


def _only(text: str) -> ErrorEvent:
    events = read_errors(text)
    assert len(events) == 1, [(e.error_type, e.message) for e in events]
    return events[0]


def _where(event: ErrorEvent) -> tuple[str, int | None]:
    inner = event.frames[-1]
    return Path(inner.file).name, inner.line


# -- the shared trace corpus --------------------------------------------------------------


@pytest.mark.parametrize("trace", trace_params(GO_TRACES, WRONG_LABELS))
def test_trace_matches_label(trace: Path) -> None:
    label = _label(trace)
    event = _only(trace.read_text(encoding="utf-8"))
    assert event.language == "go"
    assert event.error_type == LABEL_TYPES[label["error_type"]]
    assert event.message == label["message"]
    # Label frames are listed as printed (innermost first); the reader's are outermost first.
    expected = label["frames"][label["innermost_frame_index"]]
    assert (event.frames[-1].file, event.frames[-1].line) == (expected["file"], expected["line"])
    printed = [(f["file"], f["line"], f["function"]) for f in reversed(label["frames"])]
    assert [(f.file, f.line, f.function) for f in event.frames] == printed
    assert bool(event.chain) == bool(label["chained"])


def test_other_languages_traces_give_no_go_events() -> None:
    others = [t for t in sorted(TRACES.glob("*.txt")) if "-go-" not in t.name] if TRACES.is_dir() else []
    if not others:
        pytest.skip("no traces of other languages")
    for trace in others:
        text = trace.read_text(encoding="utf-8", errors="replace")
        assert not sniff(text), trace.name
        assert read_errors(text) == [], trace.name


# -- real toolchain output ----------------------------------------------------------------

_PROGRAM = """\
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime/debug"
)

type T struct{ Name string }

func (t *T) Hello() string {
	return t.Name // @inlined-nil
}

func deep(n int) int { // @entry
	return deep(n+1) + 1 // @recursion
}

func main() {
	switch os.Args[1] {
	case "nil":
		var t *T
		fmt.Println(t.Name) // @nil
	case "method":
		var t *T
		fmt.Println(t.Hello())
	case "index":
		s := []int{1, 2, 3}
		i := len(os.Args) + 3
		fmt.Println(s[i]) // @index
	case "map":
		var m map[string]int
		m["a"] = 1 // @map
	case "custom":
		panic("something bad happened") // @custom
	case "assert":
		var x interface{} = "str"
		n := x.(int) // @assert
		fmt.Println(n)
	case "slice":
		s := []int{1, 2, 3}
		j := len(os.Args) + 5
		fmt.Println(s[1:j]) // @slice
	case "close":
		c := make(chan int)
		close(c)
		close(c) // @close
	case "send":
		c := make(chan int, 1)
		close(c)
		c <- 1 // @send
	case "deadlock":
		c := make(chan int)
		c <- 1 // @deadlock
	case "div":
		z := len(os.Args) - 2
		fmt.Println(10 / z) // @div
	case "json":
		var v map[string]int
		if err := json.Unmarshal([]byte(`{"a":`), &v); err != nil {
			panic(err) // @json
		}
	case "goroutine":
		done := make(chan bool)
		go func() { // @spawn
			var t *T
			fmt.Println(t.Name) // @goroutine
			done <- true
		}()
		<-done
	case "repanic":
		defer func() {
			if r := recover(); r != nil {
				panic(fmt.Sprintf("wrapped: %v", r)) // @repanic
			}
		}()
		var m map[string]int
		m["a"] = 1 // @first
	case "stack":
		debug.SetMaxStack(1 << 20)
		fmt.Println(deep(0))
	}
}
"""

_TEST_FILE = """\
package main

import "testing"

func Add(a, b int) int { return a - b }

func TestAdd(t *testing.T) {
	if got := Add(2, 2); got != 4 {
		t.Errorf("Add(2, 2) = %d; want 4", got) // @errorf
	}
}

func TestMultiLine(t *testing.T) {
	t.Errorf("line one\\nline two") // @multiline
}

func TestPasses(t *testing.T) {
	t.Log("passing log")
}

func TestSub(t *testing.T) {
	t.Run("neg", func(t *testing.T) {
		t.Fatalf("expected %d, got %d", 1, 2) // @fatalf
	})
}
"""

_PANICKING_TEST = """\
package main

import "testing"

func TestPanics(t *testing.T) {
	var m map[string]int
	m["x"] = 1 // @testpanic
}
"""

_BROKEN = """\
package main

import (
	"fmt"
	"os"
)

func main() {
	x := 5
	var y int = "s"
	fmt.Println(foo) // @undefined
}
"""

_VET = """\
package main

import "fmt"

func main() {
	s := "x"
	fmt.Printf("%d\\n", s) // @vet
}
"""


def _line_of(source: str, marker: str) -> int:
    for number, line in enumerate(source.splitlines(), 1):
        if line.endswith(f"// @{marker}"):
            return number
    raise AssertionError(marker)


def _go(args: list[str], cwd: Path, env: Mapping[str, str]) -> str:
    run = subprocess.run(
        [str(GO), *args], cwd=cwd, env=dict(env), capture_output=True, text=True, timeout=300, check=False
    )
    return run.stdout + run.stderr


def _module(root: Path, name: str, files: Mapping[str, str]) -> Path:
    folder = root / name
    folder.mkdir()
    (folder / "go.mod").write_text(f"module example.com/{name}\n\ngo 1.19\n", encoding="utf-8")
    for path, text in files.items():
        (folder / path).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def go_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Output of the real toolchain: each program mode run once, tests, build and vet errors."""
    assert GO is not None
    root = tmp_path_factory.mktemp("go")
    env = {**os.environ, "GOFLAGS": "-mod=mod", "GOPROXY": "off", "GOTOOLCHAIN": "local", "GOWORK": "off"}
    env.setdefault("GOCACHE", str(root / "cache"))
    app = _module(root, "app", {"main.go": _PROGRAM})
    built = _go(["build", "-o", "app", "."], app, env)
    assert (app / "app").exists(), built
    out: dict[str, str] = {}
    modes = (
        "nil",
        "method",
        "index",
        "map",
        "custom",
        "assert",
        "slice",
        "close",
        "send",
        "deadlock",
        "div",
        "json",
        "goroutine",
        "repanic",
        "stack",
    )
    for mode in modes:
        run = subprocess.run(
            [str(app / "app"), mode], capture_output=True, text=True, timeout=120, check=False
        )
        out[mode] = run.stdout + run.stderr
    tests = _module(root, "tests", {"main_test.go": _TEST_FILE})
    out["test"] = _go(["test", "."], tests, env)
    out["test -v"] = _go(["test", "-v", "."], tests, env)
    panicking = _module(root, "panicking", {"main_test.go": _PANICKING_TEST})
    out["test panic"] = _go(["test", "."], panicking, env)
    broken = _module(root, "broken", {"main.go": _BROKEN})
    out["build"] = _go(["build", "./..."], broken, env)
    vetted = _module(root, "vetted", {"main.go": _VET})
    out["vet"] = _go(["vet", "./..."], vetted, env)
    return out


_RUNTIME_CASES = [
    ("nil", "runtime error", "invalid memory address or nil pointer dereference", "nil"),
    ("method", "runtime error", "invalid memory address or nil pointer dereference", "inlined-nil"),
    ("index", "runtime error", "index out of range [5] with length 3", "index"),
    ("map", "runtime error", "assignment to entry in nil map", "map"),
    ("custom", "panic", "something bad happened", "custom"),
    ("assert", "runtime error", "interface conversion: interface {} is string, not int", "assert"),
    ("slice", "runtime error", "slice bounds out of range [:7] with capacity 3", "slice"),
    ("close", "runtime error", "close of closed channel", "close"),
    ("send", "runtime error", "send on closed channel", "send"),
    ("deadlock", "fatal error", "all goroutines are asleep - deadlock!", "deadlock"),
    ("div", "runtime error", "integer divide by zero", "div"),
    ("json", "panic", "unexpected end of JSON input", "json"),
    ("goroutine", "runtime error", "invalid memory address or nil pointer dereference", "goroutine"),
]


@needs_go
@pytest.mark.parametrize(
    ("mode", "kind", "message", "marker"), _RUNTIME_CASES, ids=[c[0] for c in _RUNTIME_CASES]
)
def test_real_panics(go_runs: dict[str, str], mode: str, kind: str, message: str, marker: str) -> None:
    event = _only(go_runs[mode])
    assert (event.error_type, event.message) == (kind, message)
    assert _where(event) == ("main.go", _line_of(_PROGRAM, marker))
    assert event.frames[-1].column is None  # goroutine traces print no columns
    assert all(f.line is not None for f in event.frames)


@needs_go
def test_real_goroutine_records_its_creator(go_runs: dict[str, str]) -> None:
    event = _only(go_runs["goroutine"])
    assert event.frames[-1].function == "main.main.func1"
    spawn = _line_of(_PROGRAM, "spawn")
    assert any("was created by main.main" in n and f"main.go:{spawn}" in n for n in event.notes), event.notes
    assert any(n.startswith("signal SIGSEGV") for n in event.notes)


@needs_go
def test_real_deadlock_notes_the_goroutine_state(go_runs: dict[str, str]) -> None:
    event = _only(go_runs["deadlock"])
    assert event.notes[0] == "goroutine 1 [chan send]"


@needs_go
def test_real_repanic_chains_the_recovered_panic(go_runs: dict[str, str]) -> None:
    event = _only(go_runs["repanic"])
    assert (event.error_type, event.message) == ("panic", "wrapped: assignment to entry in nil map")
    assert _where(event) == ("main.go", _line_of(_PROGRAM, "repanic"))
    (cause,) = event.chain
    assert cause.relation is ChainRelation.CAUSE
    assert (cause.error_type, cause.message) == ("runtime error", "assignment to entry in nil map")
    assert (Path(cause.frames[-1].file).name, cause.frames[-1].line) == (
        "main.go",
        _line_of(_PROGRAM, "first"),
    )


@needs_go
def test_real_stack_overflow(go_runs: dict[str, str]) -> None:
    event = _only(go_runs["stack"])
    assert (event.error_type, event.message) == ("fatal error", "stack overflow")
    # The innermost frame is the function's entry, where the stack check failed; the frames
    # outside it are the recursive calls.
    assert _where(event) == ("main.go", _line_of(_PROGRAM, "entry"))
    assert event.frames[-2].line == _line_of(_PROGRAM, "recursion")
    # The `runtime stack:` section is the runtime's own, not the program's.
    assert not any(f.function and f.function.startswith("runtime.") for f in event.frames[-5:])


@needs_go
def test_real_go_test_failures(go_runs: dict[str, str]) -> None:
    for key in ("test", "test -v"):
        events = read_errors(go_runs[key], Origin.TEST_RUN)
        found = {(e.frames[-1].function, e.message, e.frames[-1].line) for e in events}
        assert found == {
            ("TestAdd", "Add(2, 2) = 0; want 4", _line_of(_TEST_FILE, "errorf")),
            ("TestMultiLine", "line one\nline two", _line_of(_TEST_FILE, "multiline")),
            ("TestSub/neg", "expected 1, got 2", _line_of(_TEST_FILE, "fatalf")),
        }, key
        assert all(e.error_type == "test failure" and e.origin is Origin.TEST_RUN for e in events)


@needs_go
def test_real_panic_in_a_test_is_one_event_at_the_test_line(go_runs: dict[str, str]) -> None:
    event = _only(go_runs["test panic"])
    assert (event.error_type, event.message) == ("runtime error", "assignment to entry in nil map")
    assert event.chain == ()  # "[recovered]" then the same value re-panicked by the testing package
    assert _where(event) == ("main_test.go", _line_of(_PANICKING_TEST, "testpanic"))


@needs_go
def test_real_build_errors(go_runs: dict[str, str]) -> None:
    events = read_errors(go_runs["build"])
    assert all(e.error_type == "compile error" for e in events)
    by_message = {e.message: e for e in events}
    # Go 1.20 changed the wording of the unused-name errors; both are read the same way.
    assert any(m in by_message for m in ('"os" imported and not used', 'imported and not used: "os"'))
    assert any(m in by_message for m in ("declared and not used: x", "x declared but not used"))
    undefined = by_message["undefined: foo"]
    frame = undefined.frames[-1]
    assert (Path(frame.file).name, frame.line, frame.column) == (
        "main.go",
        _line_of(_BROKEN, "undefined"),
        13,
    )
    assert "package example.com/broken" in undefined.notes


@needs_go
def test_real_vet_report(go_runs: dict[str, str]) -> None:
    event = _only(go_runs["vet"])
    assert event.error_type == "vet"
    assert event.message == "fmt.Printf format %d has arg s of wrong type string"
    assert _where(event) == ("main.go", _line_of(_VET, "vet"))


# -- formats this toolchain does not print (newer Go, other tools), by hand ---------------


def test_go121_created_by_in_goroutine_and_recovered_repanicked() -> None:
    event = _only(
        textwrap.dedent(
            """\
            panic: boom [recovered, repanicked]

            goroutine 18 gp=0xc000007a40 m=3 mp=0xc000080008 [running]:
            main.worker(0x2)
            \t/srv/app/worker.go:14 +0x3c
            created by main.main in goroutine 1
            \t/srv/app/main.go:9 +0x6e
            exit status 2
            """
        )
    )
    assert (event.error_type, event.message) == ("panic", "boom")
    assert [(f.file, f.line, f.function) for f in event.frames] == [("/srv/app/worker.go", 14, "main.worker")]
    assert "goroutine 18 was created by main.main at /srv/app/main.go:9" in event.notes
    assert event.notes[-1] == "exit status 2"


def test_nested_panic_in_a_deferred_call_is_context() -> None:
    event = _only(
        textwrap.dedent(
            """\
            panic: first
            \tpanic: second

            goroutine 1 [running]:
            main.main.func1()
            \t/tmp/app/main.go:7 +0x27
            panic({0x489120, 0x4b7b00})
            \t/usr/local/go/src/runtime/panic.go:884 +0x212
            main.main()
            \t/tmp/app/main.go:10 +0x8b
            """
        )
    )
    assert event.message == "second"
    (context,) = event.chain
    assert context.relation is ChainRelation.CONTEXT
    assert context.message == "first"
    assert [(f.line, f.function) for f in context.frames] == [(10, "main.main")]


def test_http_server_recovered_panic_in_a_log() -> None:
    head = "2024/05/01 10:00:00 http: panic serving 127.0.0.1:53412: runtime error: "
    event = _only(
        head
        + textwrap.dedent(
            """\
            index out of range [1] with length 1
            goroutine 7 [running]:
            net/http.(*conn).serve.func1()
            \t/usr/local/go/src/net/http/server.go:1898 +0xbe
            panic({0x6c9d40?, 0xc0000b6000?})
            \t/usr/local/go/src/runtime/panic.go:920 +0x270
            main.handler({0x7a4bd0?, 0xc0000f2000?}, 0xc0000e6000?)
            \t/srv/app/main.go:17 +0x5a
            net/http.HandlerFunc.ServeHTTP(0x0?, {0x7a4bd0?, 0xc0000f2000?}, 0x0?)
            \t/usr/local/go/src/net/http/server.go:2136 +0x29
            """
        )
    )
    assert (event.error_type, event.message) == ("runtime error", "index out of range [1] with length 1")
    project = [f for f in event.frames if not GoLanguage().is_library_path(f.file)]
    assert [(f.file, f.line) for f in project] == [("/srv/app/main.go", 17)]


def test_every_line_carries_a_container_prefix() -> None:
    lines = [
        "panic: runtime error: invalid memory address or nil pointer dereference",
        "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4ac377]",
        "",
        "goroutine 1 [running]:",
        "main.main()",
        "\t/go/src/app/main.go:12 +0x1d",
    ]
    event = _only("\n".join(f"app-1  | {line}" for line in lines) + "\napp-1 exited with code 2\n")
    assert event.message == "invalid memory address or nil pointer dereference"
    assert _where(event) == ("main.go", 12)


def test_markdown_indented_paste_and_windows_paths() -> None:
    text = textwrap.indent(
        "panic: runtime error: integer divide by zero\n\n"
        "goroutine 1 [running]:\n"
        "main.avg(...)\n"
        "\tC:/Users/ada/go/src/stats/stats.go:8\n"
        "main.main()\n"
        "\tC:/Users/ada/go/src/stats/main.go:5 +0x1d\n",
        "    ",
    )
    event = _only(text)
    assert event.message == "integer divide by zero"
    assert (event.frames[-1].file, event.frames[-1].line) == ("C:/Users/ada/go/src/stats/stats.go", 8)


def test_trimpath_standard_library_frames_are_library() -> None:
    event = _only(
        "panic: oops\n\ngoroutine 1 [running]:\n"
        "encoding/json.(*decodeState).value(...)\n\tencoding/json/decode.go:372\n"
        "example.com/app/store.Load(...)\n\texample.com/app/store/store.go:30 +0x1d\n"
    )
    language = GoLanguage()
    assert [language.is_library_path(f.file) for f in event.frames] == [False, True]
    assert event.frames[-1].file == "$GOROOT/src/encoding/json/decode.go"


def test_library_paths() -> None:
    language = GoLanguage()
    library = [
        "/usr/local/go/src/runtime/panic.go",
        "/usr/lib/go-1.19/src/testing/testing.go",
        "/root/sdk/go1.22.1/src/net/http/server.go",
        "/opt/homebrew/Cellar/go/1.22.1/libexec/src/sync/mutex.go",
        "C:/Program Files/Go/src/os/file.go",
        "/home/u/go/pkg/mod/github.com/gin-gonic/gin@v1.9.1/context.go",
        "github.com/gin-gonic/gin@v1.9.1/context.go",
        "/srv/app/vendor/github.com/pkg/errors/errors.go",
        "/0/c/go/src/pkg/runtime/panic.c",
        "<autogenerated>",
    ]
    project = [
        "/srv/app/main.go",
        "/go/src/app/cases.go",
        "/go/src/github.com/maxcnunes/gaper/runner.go",
        "internal/store/store.go",
        "./main.go",
        "/home/u/src/go/tools/cmd/main.go",
    ]
    assert [p for p in library if not language.is_library_path(p)] == []
    assert [p for p in project if language.is_library_path(p)] == []


def test_truncated_paste_of_a_runtime_error_alone() -> None:
    event = _only("panic: runtime error: index out of range [3] with length 3\n")
    assert event.frames == ()
    assert read_errors("panic: the printer is on fire\n") == []  # could be anyone's log line


def test_compile_errors_with_continuation_lines_and_linters() -> None:
    events = read_errors(
        textwrap.dedent(
            """\
            # example.com/ce
            ./main.go:14:9: too many return values
            \thave (number)
            \twant ()
            main.go:12:2: Error return value of `f.Close` is not checked (errcheck)
            internal/db/db.go:3:8: no required module provides package github.com/lib/pq; to add it:
            \tgo get github.com/lib/pq
            """
        )
    )
    assert [(e.error_type, e.message.split("\n")[0], e.frames[-1].file) for e in events] == [
        ("compile error", "too many return values", "./main.go"),
        ("lint", "Error return value of `f.Close` is not checked (errcheck)", "main.go"),
        (
            "compile error",
            "no required module provides package github.com/lib/pq; to add it:",
            "internal/db/db.go",
        ),
    ]
    assert events[0].message == "too many return values\nhave (number)\nwant ()"
    assert events[0].notes == ("package example.com/ce",)


def test_testify_failure_message() -> None:
    event = _only(
        "--- FAIL: TestAdd (0.00s)\n"
        "    add_test.go:12: \n"
        "        \tError Trace:\t/home/u/app/add_test.go:12\n"
        "        \tError:      \tNot equal: \n"
        "        \t            \texpected: 4\n"
        "        \t            \tactual  : 0\n"
        "        \tTest:       \tTestAdd\n"
        "FAIL\n"
    )
    assert event.error_type == "test failure"
    assert event.message == "Not equal:\nexpected: 4\nactual  : 0"
    assert (event.frames[-1].file, event.frames[-1].line) == ("add_test.go", 12)


def test_log_lines_with_file_positions_are_not_test_failures() -> None:
    text = "2024/05/01 10:00:00 main.go:12: starting\n    util.go:3: indented but no test ran\n"
    assert read_errors(text) == []


# -- mixed logs and bad input -------------------------------------------------------------


def test_mixed_log_languages_are_told_apart() -> None:
    from homeostasis.workspace.project import build_project

    text = textwrap.dedent(
        """\
        Traceback (most recent call last):
          File "/srv/app/main.py", line 3, in <module>
            print(config["port"])
        KeyError: 'port'
        TypeError: Cannot read properties of undefined (reading 'name')
            at Object.<anonymous> (/home/u/app/index.js:3:20)
            at Module._compile (node:internal/modules/cjs/loader:1256:14)
        Exception in thread "main" java.lang.NullPointerException
        \tat com.acme.Main.main(Main.java:6)
        panic: runtime error: index out of range [5] with length 3

        goroutine 1 [running]:
        main.main()
        \t/home/u/goapp/main.go:24 +0x7c5
        exit status 2
        ./main.go:12:5: undefined: foo
        """
    )
    events = build_project().engine.read_errors(text)
    go = [e for e in events if e.language == "go"]
    assert [(e.error_type, e.message) for e in go] == [
        ("runtime error", "index out of range [5] with length 3"),
        ("compile error", "undefined: foo"),
    ]
    assert {e.language for e in events} >= {"python", "javascript", "java", "go"}
    assert all(e.language != "go" for e in events if e.text_start < 9)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n",
        "panic:",
        "goroutine 1 [running]:\n",
        "\x00\x01\x02panic: \xff",
        "fatal error: \n",
        "--- FAIL:",
    ],
)
def test_bad_input_never_raises(text: str) -> None:
    assert isinstance(read_errors(text), list)


def test_random_garbage_and_truncations_never_raise() -> None:
    corpus = "\n".join(t.read_text(encoding="utf-8") for t in GO_TRACES) or _PROGRAM
    rng = random.Random(7)
    for _ in range(300):
        start = rng.randrange(len(corpus))
        chunk = corpus[start : start + rng.randrange(1, 2000)]
        if rng.random() < 0.3:
            chunk = "".join(rng.choice(("\t", " ", ":", "(", ")", "\n", c)) for c in chunk)
        read_errors(chunk)


def test_five_megabytes_are_read_in_one_pass() -> None:
    # Real dumps, false headers with no dump below, and one long line: linear work each.
    dump = "panic: x\n\ngoroutine 1 [running]:\nmain.main()\n\t/srv/app/main.go:3 +0x1d\n\n"
    text = dump * 40_000 + "panic: not go\n" * 150_000 + "a.go:1:2: " * 100_000
    assert len(text) > 5_000_000
    events = read_errors(text)
    assert len(events) == 40_000
