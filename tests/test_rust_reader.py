"""The Rust reader: the shared traces, output of the real toolchain (programs compiled with
rustc and run here when rustc is installed), formats of older toolchains by hand, mixed logs
and bad input."""

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
from homeostasis.languages.rust import RustLanguage
from homeostasis.languages.rust.reader import read_errors, sniff
from homeostasis.model import ChainRelation, ErrorEvent, Origin

from tests.traces import TRACES, trace_params, traces_of
from tests.traces import label as _label

RUST_TRACES = traces_of("rust")


def _rustc() -> str | None:
    found = shutil.which("rustc")
    if found is None:
        home = Path.home() / ".cargo" / "bin" / "rustc"  # rustup's default, often not on PATH
        found = str(home) if home.exists() else None
    return found


RUSTC = _rustc()
needs_rustc = pytest.mark.skipif(RUSTC is None, reason="rustc is not installed")
# Messages that changed between toolchains: the current wording first, then the older ones
# (a distribution's rustc may be years behind rustup's).
OLDER_WORDING: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "RefCell already borrowed": (
            "already borrowed: BorrowMutError",
            "already mutably borrowed: BorrowError",
        ),
        "assertion `left == right` failed\n  left: 2\n right: 5": (
            "assertion failed: `(left == right)`\n  left: `2`,\n right: `5`",
        ),
    }
)

# Labels that the reader disagrees with on purpose: name -> reason.
WRONG_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "135-rust-unwrap-none-stripped-unknown-backtrace": (
            "the label's innermost frame is an address-only `<unknown>` backtrace line; the only "
            "location printed is the header's src\\main.rs:177:37, which the reader keeps as the "
            "innermost frame (address-only frames carry nothing to open)"
        ),
    }
)


def _only(text: str) -> ErrorEvent:
    events = read_errors(text)
    assert len(events) == 1, [(e.error_type, e.message) for e in events]
    return events[0]


def _file(path: str) -> str | None:
    return None if path == "<unknown>" else path


# -- the shared trace corpus --------------------------------------------------------------


@pytest.mark.parametrize("trace", trace_params(RUST_TRACES, WRONG_LABELS))
def test_trace_matches_label(trace: Path) -> None:
    label = _label(trace)
    event = _only(trace.read_text(encoding="utf-8"))
    assert event.language == "rust"
    assert event.error_type == label["error_type"]
    assert event.message == label["message"]
    # Label frames are listed as printed (innermost first); the reader's are outermost first.
    expected = label["frames"][label["innermost_frame_index"]]
    inner = event.frames[-1]
    assert (_file(inner.file), inner.line) == (expected["file"], expected["line"])
    located = [(f["file"], f["line"]) for f in reversed(label["frames"]) if f["file"]]
    assert [(f.file, f.line) for f in event.frames if _file(f.file)][: len(located)] == located
    assert bool(event.chain) == bool(label["chained"])


def test_panic_location_goes_to_the_programs_frame_when_the_backtrace_has_no_locations() -> None:
    trace = TRACES / "138-rust-assert-eq-failed-test-thread-id-emoji-path.txt"
    if not trace.exists():
        pytest.skip("trace 138 is not available")
    event = _only(trace.read_text(encoding="utf-8"))
    located = [f for f in event.frames if f.line is not None]
    assert len(located) == 1
    assert located[0].function.endswith("ui_turn_patch_owner_drop_hands_back_without_waiting_for_arena")
    assert (located[0].file.endswith("component.rs"), located[0].line, located[0].column) == (True, 1575, 8)


def test_other_languages_traces_give_no_rust_events() -> None:
    others = [t for t in sorted(TRACES.glob("*.txt")) if "-rust-" not in t.name] if TRACES.is_dir() else []
    if not others:
        pytest.skip("no traces of other languages")
    for trace in others:
        text = trace.read_text(encoding="utf-8", errors="replace")
        assert not sniff(text), trace.name
        assert read_errors(text) == [], trace.name


# -- real toolchain output ----------------------------------------------------------------

_PROGRAM = """\
use std::cell::RefCell;

fn first(v: &[i32]) -> Option<i32> {
    v.first().copied()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let empty: Vec<i32> = Vec::new();
    let n = args.len();
    match args[1].as_str() {
        "none" => {
            let x = first(&empty).unwrap(); // @none
            println!("{}", x);
        }
        "err" => {
            let v: i32 = "12a".parse().unwrap(); // @err
            println!("{}", v);
        }
        "expect" => {
            let v: i32 = "12a".parse().expect("port must be a number"); // @expect
            println!("{}", v);
        }
        "index" => {
            let v = vec![1, 2, 3];
            let x = v[n + 3]; // @index
            println!("{}", x);
        }
        "add" => {
            let a: u8 = 250;
            let b = a + (n as u8) * 10; // @add
            println!("{}", b);
        }
        "sub" => {
            let a: usize = 0;
            let b = a - n; // @sub
            println!("{}", b);
        }
        "div" => {
            let z = n as i32 - 2;
            let q = 10 / z; // @div
            println!("{}", q);
        }
        "refcell" => {
            let c = RefCell::new(1);
            let _a = c.borrow_mut();
            let _b = c.borrow_mut(); // @refcell
        }
        "slice" => {
            let s = "hello";
            let t = &s[0..n + 8]; // @slice
            println!("{}", t);
        }
        "explicit" => panic!("boom: {}", 3), // @explicit
        "todo" => todo!(), // @todo
        "multi" => panic!("line one\\nline two\\n\\nafter blank"), // @multi
        "asserteq" => assert_eq!(n, 5), // @asserteq
        "thread" => {
            let h = std::thread::spawn(|| {
                let v: Vec<i32> = Vec::new();
                v[0] // @thread
            });
            h.join().unwrap(); // @join
        }
        "stack" => {
            fn r(n: u64) -> u64 {
                let a = [n as u8; 4096];
                a[(n % 7) as usize] as u64 + r(n + 1)
            }
            println!("{}", r(0));
        }
        _ => {}
    }
}
"""

_TESTS = """\
pub fn add(a: i32, b: i32) -> i32 {
    a - b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_adds() {
        assert_eq!(add(2, 2), 4); // @it_adds
    }

    #[test]
    fn it_unwraps() {
        let v: Vec<i32> = vec![];
        let first = v.first().unwrap(); // @it_unwraps
        assert!(*first > 0);
    }

    #[test]
    fn it_passes() {
        assert!(true);
    }
}
"""

_BORROWS = """\
fn take(v: Vec<i32>) -> usize {
    v.len()
}

fn main() {
    let v = vec![1, 2, 3];
    let n = take(v); // @moved
    println!("{} {}", n, v.len()); // @use
    let mut s = String::from("a");
    let r = &s; // @shared
    s.push('b'); // @push
    println!("{}", r);
    let unused = 5; // @unused
}
"""

_RESOLVE = """\
use std::fs::Fil; // @import

fn greet(name: String) -> String {
    name
}

fn main() {
    let count = 3;
    println!("{}", coutn); // @coutn
    let mut m = HashMap::new(); // @hashmap
    m.insert(1, greet("ada")); // @greet
}
"""


def _line_of(source: str, marker: str) -> int:
    for number, line in enumerate(source.splitlines(), 1):
        if line.endswith(f"// @{marker}"):
            return number
    raise AssertionError(marker)


def _column_of(source: str, marker: str, text: str) -> int:
    """0-based column of ``text`` on the marked line."""
    line = source.splitlines()[_line_of(source, marker) - 1]
    return line.index(text)


def _run(args: list[str], env: Mapping[str, str], cwd: Path) -> str:
    done = subprocess.run(
        args, cwd=cwd, env=dict(env), capture_output=True, text=True, timeout=300, check=False
    )
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def rust_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """rustc output and the panics of programs it built: a handful of compilations in all."""
    assert RUSTC is not None
    root = tmp_path_factory.mktemp("rust")
    env = {k: v for k, v in os.environ.items() if not k.startswith("RUST_")}
    out: dict[str, str] = {}
    (root / "app.rs").write_text(_PROGRAM, encoding="utf-8")
    built = _run([RUSTC, "-g", "-C", "overflow-checks=on", "app.rs", "-o", "app"], env, root)
    assert (root / "app").exists(), built
    for mode in (
        "none",
        "err",
        "expect",
        "index",
        "add",
        "sub",
        "div",
        "refcell",
        "slice",
        "explicit",
        "todo",
        "multi",
        "asserteq",
        "thread",
        "stack",
    ):
        out[mode] = _run([str(root / "app"), mode], {**env, "RUST_BACKTRACE": "0"}, root)
    out["none bt"] = _run([str(root / "app"), "none"], {**env, "RUST_BACKTRACE": "1"}, root)
    out["none full"] = _run([str(root / "app"), "none"], {**env, "RUST_BACKTRACE": "full"}, root)
    (root / "lib.rs").write_text(_TESTS, encoding="utf-8")
    _run([RUSTC, "--test", "-g", "lib.rs", "-o", "tests"], env, root)
    out["test"] = _run([str(root / "tests"), "--test-threads=1"], {**env, "RUST_BACKTRACE": "0"}, root)
    out["test bt"] = _run([str(root / "tests"), "--test-threads=1"], {**env, "RUST_BACKTRACE": "1"}, root)
    (root / "borrows.rs").write_text(_BORROWS, encoding="utf-8")
    out["borrows"] = _run([RUSTC, "borrows.rs", "-o", "borrows"], env, root)
    out["borrows short"] = _run([RUSTC, "--error-format=short", "borrows.rs", "-o", "borrows"], env, root)
    (root / "resolve.rs").write_text(_RESOLVE, encoding="utf-8")
    out["resolve"] = _run([RUSTC, "resolve.rs", "-o", "resolve"], env, root)
    return out


_PANICS = [
    ("none", "called `Option::unwrap()` on a `None` value", "unwrap"),
    ("err", "called `Result::unwrap()` on an `Err` value: ParseIntError { kind: InvalidDigit }", "unwrap"),
    ("expect", "port must be a number: ParseIntError { kind: InvalidDigit }", "expect"),
    ("index", "index out of bounds: the len is 3 but the index is 5", None),
    ("add", "attempt to add with overflow", "a + "),
    ("sub", "attempt to subtract with overflow", "a - n"),
    ("div", "attempt to divide by zero", "10 / z"),
    ("refcell", "RefCell already borrowed", "borrow_mut"),
    ("slice", "end byte index 10 is out of bounds of `hello`", None),
    ("explicit", "boom: 3", "panic!"),
    ("todo", "not yet implemented", "todo!"),
    ("multi", "line one\nline two\n\nafter blank", "panic!"),
    ("asserteq", "assertion `left == right` failed\n  left: 2\n right: 5", "assert_eq!"),
]


@needs_rustc
@pytest.mark.parametrize(("mode", "message", "at"), _PANICS, ids=[p[0] for p in _PANICS])
def test_real_panics(rust_runs: dict[str, str], mode: str, message: str, at: str | None) -> None:
    event = _only(rust_runs[mode])
    assert event.error_type == "panic"
    assert event.message in (message, *OLDER_WORDING.get(message, ()))
    inner = event.frames[-1]
    assert (inner.file, inner.line) == ("app.rs", _line_of(_PROGRAM, mode))
    line = _PROGRAM.splitlines()[inner.line - 1]
    assert inner.column is not None
    if at is not None:
        assert inner.column == line.index(at)  # 0-based, counted from the start of the line
    assert event.notes == ("thread 'main'",)


@needs_rustc
def test_real_panic_in_a_spawned_thread_then_join(rust_runs: dict[str, str]) -> None:
    spawned, joined = read_errors(rust_runs["thread"])
    assert spawned.message == "index out of bounds: the len is 0 but the index is 0"
    assert spawned.notes == ("thread '<unnamed>'",)
    assert spawned.frames[-1].line == _line_of(_PROGRAM, "thread")
    assert joined.message == "called `Result::unwrap()` on an `Err` value: Any { .. }"
    assert joined.frames[-1].line == _line_of(_PROGRAM, "join")


@needs_rustc
@pytest.mark.parametrize("mode", ["none bt", "none full"])
def test_real_backtraces(rust_runs: dict[str, str], mode: str) -> None:
    event = _only(rust_runs[mode])
    language = RustLanguage()
    project = [f for f in event.frames if not language.is_library_path(f.file)]
    assert [(Path(f.file).name, f.line) for f in project] == [("app.rs", _line_of(_PROGRAM, "none"))]
    assert project[0].function == "app::main"
    assert project[0].column == _column_of(_PROGRAM, "none", "unwrap")  # the header's column
    # Innermost last: the panic machinery of the standard library (and, in the full backtrace,
    # the backtrace printer itself).
    assert event.frames[-1].function.startswith(
        ("__rustc::rust_begin_unwind", "rust_begin_unwind", "std::backtrace", "std::panicking")
    )
    assert all(not f.function or "[" not in f.function.split("::")[0] for f in event.frames)


@needs_rustc
def test_real_stack_overflow_abort(rust_runs: dict[str, str]) -> None:
    event = _only(rust_runs["stack"])
    assert (event.error_type, event.message) == ("fatal runtime error", "stack overflow")
    assert event.frames == ()
    assert "has overflowed its stack" in event.notes[0]


@needs_rustc
@pytest.mark.parametrize("mode", ["test", "test bt"])
def test_real_test_harness(rust_runs: dict[str, str], mode: str) -> None:
    events = read_errors(rust_runs[mode], Origin.TEST_RUN)
    assert [e.notes[0] for e in events] == ["thread 'tests::it_adds'", "thread 'tests::it_unwraps'"]
    assert events[0].message in (
        "assertion `left == right` failed\n  left: 0\n right: 4",
        "assertion failed: `(left == right)`\n  left: `0`,\n right: `4`",  # before 1.73
    )
    assert events[1].message == "called `Option::unwrap()` on a `None` value"
    assert all(e.origin is Origin.TEST_RUN for e in events)
    for event, marker in zip(events, ("it_adds", "it_unwraps"), strict=True):
        assert _line_of(_TESTS, marker) in [f.line for f in event.frames if f.file.endswith("lib.rs")]


@needs_rustc
def test_real_borrow_check_errors(rust_runs: dict[str, str]) -> None:
    events = read_errors(rust_runs["borrows"])
    kinds = [(e.error_type, e.message.split("\n")[0]) for e in events]
    assert kinds == [
        ("E0382", "borrow of moved value: `v`"),
        ("E0502", "cannot borrow `s` as mutable because it is also borrowed as immutable"),
        ("warning", "unused variable: `unused`"),
    ]
    moved, conflict, unused = events
    frame = moved.frames[-1]
    source = _BORROWS.splitlines()[_line_of(_BORROWS, "use") - 1]
    assert (frame.file, frame.line, frame.source) == ("borrows.rs", _line_of(_BORROWS, "use"), source)
    # With the source line printed, columns count from its first non-blank character.
    stripped = source.lstrip()
    assert (frame.column, frame.end_column) == (stripped.index("v.len"), stripped.index("v.len") + 1)
    # rustc suggests the clone since 1.7x; older toolchains only point at the move.
    assert "help: consider cloning the value" not in rust_runs["borrows"] or (
        "help: consider cloning the value if the performance cost is acceptable: `.clone()`" in moved.message
    )
    move = [c for c in moved.chain if c.message.startswith("value moved here")]
    assert len(move) == 1 and move[0].relation is ChainRelation.CONTEXT
    assert move[0].frames[0].line == _line_of(_BORROWS, "moved")
    assert conflict.chain[0].message.startswith("immutable borrow occurs here")
    assert conflict.chain[0].frames[0].line == _line_of(_BORROWS, "shared")
    assert "prefix it with an underscore: `_unused`" in unused.message


@needs_rustc
def test_real_short_message_format(rust_runs: dict[str, str]) -> None:
    events = read_errors(rust_runs["borrows short"])
    assert [(e.error_type, e.frames[-1].line) for e in events] == [
        ("E0382", _line_of(_BORROWS, "use")),
        ("E0502", _line_of(_BORROWS, "push")),
        ("warning", _line_of(_BORROWS, "unused")),
    ]


@needs_rustc
def test_real_resolution_errors_carry_rustcs_suggestions(rust_runs: dict[str, str]) -> None:
    events = {e.error_type + ":" + e.message.split("\n")[0]: e for e in read_errors(rust_runs["resolve"])}
    imports = events["E0432:unresolved import `std::fs::Fil`"]
    assert "help: a similar name exists in the module: `File`" in imports.message
    value = events["E0425:cannot find value `coutn` in this scope"]
    assert "help: a local variable with a similar name exists: `count`" in value.message
    assert value.frames[-1].line == _line_of(_RESOLVE, "coutn")
    hashmap = next(e for k, e in events.items() if "`HashMap`" in k)
    assert "help: consider importing this struct: `use std::collections::HashMap;`" in hashmap.message


# -- older formats and other tools, by hand -----------------------------------------------


def test_pre_173_multi_line_message_in_quotes() -> None:
    event = _only(
        "thread 'main' panicked at 'assertion failed: `(left == right)`\n"
        "  left: `1`,\n"
        " right: `2`: totals differ', src/main.rs:2:5\n"
        "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n"
    )
    assert event.message == "assertion failed: `(left == right)`\n  left: `1`,\n right: `2`: totals differ"
    assert (event.frames[-1].file, event.frames[-1].line, event.frames[-1].column) == ("src/main.rs", 2, 4)


def test_very_old_format_without_column_and_hashed_symbols() -> None:
    event = _only(
        textwrap.dedent(
            """\
            thread 'main' panicked at 'called `Option::unwrap()` on a `None` value', src/libcore/option.rs:347
            stack backtrace:
               0:     0x55d5a3cbb0b3 - std::sys::imp::backtrace::tracing::unwind_backtrace::h0a4c5fb3b5a3a1f1
               8:     0x55d5a3cb5cf5 - app::main::h8c2f5e2d1b5a4e6b
                                    at src/main.rs:4
               9:     0x55d5a3cc3f7a - __rust_maybe_catch_panic
            """
        )
    )
    assert [(f.file, f.line, f.function) for f in event.frames if f.line] == [
        ("src/main.rs", 4, "app::main"),
        ("src/libcore/option.rs", 347, None),
    ]
    assert RustLanguage().is_library_path(event.frames[-1].file)


def test_panic_inside_a_dependency_keeps_the_program_frame() -> None:
    de = "/home/u/.cargo/registry/src/index.crates.io-6f17d22bba15001f/serde_json-1.0.108/src/de.rs"
    event = _only(
        textwrap.dedent(
            f"""\
            thread 'tokio-runtime-worker' panicked at {de}:2345:9:
            invalid type: string "x", expected u32
            stack backtrace:
               0: rust_begin_unwind
               1: serde_json::de::from_str
                         at {de}:2345:9
               2: server::handlers::load
                         at ./src/handlers.rs:41:17
            """
        )
    )
    language = RustLanguage()
    project = [f for f in event.frames if not language.is_library_path(f.file)]
    assert [(f.file, f.line) for f in project] == [("./src/handlers.rs", 41)]
    assert event.notes == ("thread 'tokio-runtime-worker'",)


def test_every_line_carries_a_log_prefix() -> None:
    lines = [
        "thread 'main' panicked at src/main.rs:3:28:",
        "called `Option::unwrap()` on a `None` value",
        "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace",
    ]
    event = _only("\n".join(f"web-1  | {line}" for line in lines))
    assert event.message == "called `Option::unwrap()` on a `None` value"
    assert event.frames[-1].line == 3


def test_message_ends_at_the_blank_line_when_no_runtime_note_follows() -> None:
    events = read_errors("thread 'main' panicked at src/main.rs:3:5:\nboom\n\nINFO shutting down\nmore log\n")
    assert [e.message for e in events] == ["boom"]


def test_abort_kinds() -> None:
    events = read_errors(
        "memory allocation of 34359738368 bytes failed\n"
        "thread 'main' has overflowed its stack\nfatal runtime error: stack overflow, aborting\n"
    )
    assert [(e.error_type, e.message) for e in events] == [
        ("fatal runtime error", "memory allocation of 34359738368 bytes failed"),
        ("fatal runtime error", "stack overflow"),
    ]


def test_clippy_warning_with_lint_notes() -> None:
    event = _only(
        textwrap.dedent(
            """\
            warning: length comparison to zero
             --> src/lib.rs:3:8
              |
            3 |     if v.len() == 0 {
              |        ^^^^^^^^^^^^ help: using `is_empty` is clearer and more explicit: `v.is_empty()`
              |
              = help: for further information visit https://rust-lang.github.io/rust-clippy/master/index.html#len_zero
              = note: `#[warn(clippy::len_zero)]` on by default
            """
        )
    )
    assert event.error_type == "warning"
    assert event.message.split("\n")[:2] == [
        "length comparison to zero",
        "help: using `is_empty` is clearer and more explicit: `v.is_empty()`",
    ]
    assert (event.frames[-1].column, event.frames[-1].end_column) == (3, 15)


def test_summary_lines_are_not_diagnostics() -> None:
    text = (
        "error: aborting due to 2 previous errors\n"
        'error: could not compile `app` (bin "app") due to 2 previous errors\n'
        'warning: `app` (bin "app") generated 1 warning\n'
    )
    assert read_errors(text) == []


def test_library_paths() -> None:
    language = RustLanguage()
    library = [
        "/rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/option.rs",
        "/home/u/.cargo/registry/src/index.crates.io-6f17d22bba15001f/serde-1.0.0/src/de.rs",
        "C:\\Users\\u\\.cargo\\registry\\src\\github.com-1ecc6299db9ec823\\tokio-1.0.0\\src\\lib.rs",
        "/home/u/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/lib/rustlib/src/rust/library/std/src/io.rs",
        "C:\\projects\\rust\\src\\libcore\\slice\\mod.rs",
        "<unknown>",
    ]
    project = [
        "src/main.rs",
        "./src/lib.rs",
        "C:\\work\\app\\src\\main.rs",
        "/srv/app/crates/core/src/lib.rs",
    ]
    assert [p for p in library if not language.is_library_path(p)] == []
    assert [p for p in project if language.is_library_path(p)] == []


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
        Exception in thread "main" java.lang.IllegalStateException: closed
        \tat com.acme.Main.main(Main.java:6)
        panic: runtime error: index out of range [5] with length 3

        goroutine 1 [running]:
        main.main()
        \t/home/u/goapp/main.go:24 +0x7c5

        thread 'main' panicked at src/main.rs:3:28:
        called `Option::unwrap()` on a `None` value
        note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
        error[E0425]: cannot find value `coutn` in this scope
         --> src/main.rs:11:20
          |
        11 |     println!("{}", coutn);
           |                    ^^^^^ not found in this scope
        """
    )
    events = build_project().engine.read_errors(text)
    rust = [e for e in events if e.language == "rust"]
    assert [(e.error_type, e.message.split("\n")[0]) for e in rust] == [
        ("panic", "called `Option::unwrap()` on a `None` value"),
        ("E0425", "cannot find value `coutn` in this scope"),
    ]
    assert {e.language for e in events} >= {"python", "javascript", "java", "go", "rust"}
    assert all(e.language != "rust" for e in events if e.text_start < 14)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n",
        "thread 'main' panicked at",
        "thread 'main' panicked at '",
        "error[E0382]: x\n -->",
        "stack backtrace:\n   0: x",
        "\x00\xff panicked at 'a', b:1:2",
        " --> a.rs:1:1\n  |\n1 | x\n  | ^^^",
    ],
)
def test_bad_input_never_raises(text: str) -> None:
    assert isinstance(read_errors(text), list)


def test_random_garbage_and_truncations_never_raise() -> None:
    corpus = "\n".join(t.read_text(encoding="utf-8") for t in RUST_TRACES) or _PROGRAM
    rng = random.Random(11)
    for _ in range(300):
        start = rng.randrange(len(corpus))
        chunk = corpus[start : start + rng.randrange(1, 2000)]
        if rng.random() < 0.3:
            chunk = "".join(rng.choice(("'", " ", ":", "|", "^", "-", "\n", c)) for c in chunk)
        read_errors(chunk)


def test_five_megabytes_are_read_in_one_pass() -> None:
    panic = (
        "thread 'main' panicked at src/main.rs:3:28:\ncalled `Option::unwrap()` on a `None` value\n"
        "stack backtrace:\n   0: rust_begin_unwind\n   1: app::main\n             at ./src/main.rs:3:28\n"
    )
    text = panic * 25_000 + "thread 'main' panicked at 'never closed\n" * 60_000 + "  | " + "- " * 500_000
    assert len(text) > 5_000_000
    assert len(read_errors(text)) == 25_000
