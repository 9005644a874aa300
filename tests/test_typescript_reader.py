"""The TypeScript error reader: the shared traces, compiler diagnostics (captured from tsc 5.9 and,
when the tools are installed, produced on the spot with tsc, ts-node and tsx), TypeScript runtime
stacks, the split between JavaScript and TypeScript events, and bad input."""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pytest
from homeostasis.languages.javascript import JavaScriptLanguage
from homeostasis.languages.typescript import TypeScriptLanguage
from homeostasis.languages.typescript.diagnostics import read_text
from homeostasis.model import ChainRelation, ErrorEvent
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.traces import TRACES, traces_of
from tests.traces import label as _label

TS_TRACES = traces_of("typescript")
TS = TypeScriptLanguage()
JS = JavaScriptLanguage()
NODE = shutil.which("node")
TSC = shutil.which("tsc")
TSX = shutil.which("tsx")
TS_NODE = shutil.which("ts-node")

ESC = "\x1b"

# Output of `tsc --noEmit --strict src/index.ts` (TypeScript 5.9.3), not a terminal.
TSC_PLAIN = """\
src/index.ts(2,7): error TS2322: Type 'string' is not assignable to type 'number'.
src/index.ts(4,10): error TS18048: 'u.email' is possibly 'undefined'.
src/index.ts(6,9): error TS2322: Type 'number' is not assignable to type 'string'.
src/index.ts(7,21): error TS2307: Cannot find module './missing' or its corresponding type declarations.
src/index.ts(9,15): error TS2339: Property 'nmae' does not exist on type 'User'.
src/index.ts(10,12): error TS7006: Parameter 'x' implicitly has an 'any' type.
src/index.ts(12,15): error TS2551: Property 'frist' does not exist on type '{ first: string; last: string; }'. Did you mean 'first'?
"""

# The start of `tsc --noEmit --strict --pretty src/index.ts` (TypeScript 5.9.3), colours included.
TSC_PRETTY = (
    f"{ESC}[96msrc/index.ts{ESC}[0m:{ESC}[93m2{ESC}[0m:{ESC}[93m7{ESC}[0m - {ESC}[91merror{ESC}[0m"
    f"{ESC}[90m TS2322: {ESC}[0mType 'string' is not assignable to type 'number'.\n"
    "\n"
    f'{ESC}[7m2{ESC}[0m const count: number = "three";\n'
    f"{ESC}[7m {ESC}[0m {ESC}[91m      ~~~~~{ESC}[0m\n"
    "\n"
    f"{ESC}[96msrc/index.ts{ESC}[0m:{ESC}[93m6{ESC}[0m:{ESC}[93m9{ESC}[0m - {ESC}[91merror{ESC}[0m"
    f"{ESC}[90m TS2322: {ESC}[0mType 'number' is not assignable to type 'string'.\n"
    "\n"
    f"{ESC}[7m6{ESC}[0m greet({{ name: 1 }});\n"
    f"{ESC}[7m {ESC}[0m {ESC}[91m        ~~~~{ESC}[0m\n"
    "\n"
    f"  {ESC}[96msrc/index.ts{ESC}[0m:{ESC}[93m1{ESC}[0m:{ESC}[93m18{ESC}[0m\n"
    f"    {ESC}[7m1{ESC}[0m interface User {{ name: string; email?: string }}\n"
    f"    {ESC}[7m {ESC}[0m {ESC}[96m                 ~~~~{ESC}[0m\n"
    "    The expected type comes from property 'name' which is declared here on type 'User'\n"
    "\n"
    f"\nFound 2 errors in the same file, starting at: src/index.ts{ESC}[90m:2{ESC}[0m\n"
)

# `ts-node src/index.ts` (ts-node 10.9, TypeScript 5.9.3) on a file that does not compile.
TS_NODE_TSERROR = """\
/tmp/tstools/node_modules/ts-node/src/index.ts:859
    return new TSError(diagnosticText, diagnosticCodes, diagnostics);
           ^
TSError: ⨯ Unable to compile TypeScript:
src/index.ts(2,7): error TS2322: Type 'string' is not assignable to type 'number'.
src/index.ts(4,10): error TS18048: 'u.email' is possibly 'undefined'.
  Some elaboration of the message.

    at createTSError (/tmp/tstools/node_modules/ts-node/src/index.ts:859:12)
    at reportTSError (/tmp/tstools/node_modules/ts-node/src/index.ts:863:19)
    at getOutput (/tmp/tstools/node_modules/ts-node/src/index.ts:1077:36)
    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:164:12) {
  diagnosticCodes: [
     2322, 18048
  ]
}
"""  # noqa: RUF001 (ts-node prints this cross)

# `tsx src/run.ts` (tsx 4, Node 20.20.2).
TSX_RUNTIME = """\
/tmp/tstools/proj/src/run.ts:3
  return (c as any).db.host;
                       ^


TypeError: Cannot read properties of undefined (reading 'host')
    at host (/tmp/tstools/proj/src/run.ts:3:24)
    at main (/tmp/tstools/proj/src/run.ts:6:15)
    at <anonymous> (/tmp/tstools/proj/src/run.ts:8:1)
    at Object.<anonymous> (/tmp/tstools/proj/src/run.ts:8:6)
    at Module._compile (node:internal/modules/cjs/loader:1521:14)
    at Object.transformer (/tmp/tstools/node_modules/tsx/dist/register-B1c7OH6V.cjs:22:2188)

Node.js v20.20.2
"""


def _params() -> list[Any]:
    if not TS_TRACES:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"no traces at {TRACES}"))]
    return [pytest.param(trace, id=trace.stem) for trace in TS_TRACES]


# -- the shared trace corpus --------------------------------------------------------------


@pytest.mark.parametrize("trace", _params())
def test_trace_matches_label(trace: Path) -> None:
    label = _label(trace)
    events = TS.read_errors(trace.read_text(encoding="utf-8"))
    assert len(events) == 1
    event = events[0]
    assert (event.language, event.error_type) == ("typescript", label["error_type"])
    assert event.message.strip() == label["message"].strip()
    index = label.get("innermost_frame_index")
    if index is None:
        assert event.innermost is None
    else:
        expected = label["frames"][index]
        assert event.innermost is not None
        assert (event.innermost.file, event.innermost.line) == (expected["file"], expected["line"])
    assert [(f.file, f.line, f.function) for f in reversed(event.frames)] == [
        (f["file"], f["line"], f["function"]) for f in label["frames"]
    ]


def test_trace_094_diagnostic_is_the_root_cause() -> None:
    trace = TRACES / "094-typescript-ts-node-tserror-ts2307-nodemon.txt"
    if not trace.exists():
        pytest.skip("trace 094 missing")
    (event,) = TS.read_errors(trace.read_text(encoding="utf-8"))
    assert [(c.error_type, c.relation) for c in event.chain] == [("TS2307", ChainRelation.CAUSE)]
    (frame,) = event.chain[0].frames
    assert (frame.file, frame.line, frame.column) == ("src/core/core.module.ts", 8, 41)


def test_trace_096_old_ts_node_diagnostics() -> None:
    trace = TRACES / "096-typescript-ts-node-tserror-no-stack-old.txt"
    if not trace.exists():
        pytest.skip("trace 096 missing")
    (event,) = TS.read_errors(trace.read_text(encoding="utf-8"))
    assert [(c.error_type, c.message) for c in event.chain] == [
        ("TS2688", "Cannot find type definition file for 'node'."),
        ("TS2307", "Cannot find module '@nestjs/core'."),
        ("TS2307", "Cannot find module './modules/app.module'."),
    ]
    assert [(f.file, f.line) for c in event.chain for f in c.frames] == [
        ("src/server.ts", 1),
        ("src/server.ts", 2),
    ]


def test_other_languages_traces_give_no_typescript_events() -> None:
    others = (
        sorted(p for p in TRACES.glob("*.txt") if "-typescript-" not in p.name) if TRACES.is_dir() else []
    )
    if not others:
        pytest.skip("no traces of other languages")
    for trace in others:
        assert TS.read_errors(trace.read_text(encoding="utf-8", errors="replace")) == [], trace.name


# -- compiler diagnostics -------------------------------------------------------------------------


def test_tsc_plain_output() -> None:
    events = TS.read_errors(TSC_PLAIN)
    assert [e.error_type for e in events] == [
        "TS2322",
        "TS18048",
        "TS2322",
        "TS2307",
        "TS2339",
        "TS7006",
        "TS2551",
    ]
    assert all(e.language == "typescript" for e in events)
    first = events[0]
    assert first.message == "Type 'string' is not assignable to type 'number'."
    assert [(f.file, f.line, f.column) for f in first.frames] == [("src/index.ts", 2, 6)]
    assert [e.text_start for e in events] == list(range(7))


def test_tsc_pretty_output_with_code_frames() -> None:
    events = TS.read_errors(TSC_PRETTY)
    assert [(e.error_type, e.text_start, e.text_end) for e in events] == [("TS2322", 0, 3), ("TS2322", 5, 8)]
    frame = events[0].frames[0]
    assert (frame.file, frame.line, frame.column, frame.end_column) == ("src/index.ts", 2, 6, 11)
    assert frame.source == 'const count: number = "three";'
    # The related location printed under the second diagnostic is not a diagnostic of its own.
    assert events[1].frames[0].line == 6


def test_tsc_elaboration_lines_join_the_message() -> None:
    text = (
        "src/a.ts(5,3): error TS2322: Type '{ a: string; }' is not assignable to type 'Foo'.\n"
        "  Object literal may only specify known properties, and 'a' does not exist in type 'Foo'.\n"
        "src/b.ts(1,1): error TS1005: ';' expected.\n"
    )
    first, second = TS.read_errors(text)
    assert first.message.split("\n")[1].startswith("Object literal may only specify")
    assert (second.error_type, second.text_start) == ("TS1005", 2)


def test_configuration_error_without_location() -> None:
    (event,) = TS.read_errors(
        "error TS5109: Option 'moduleResolution' must be set to 'NodeNext' (or left unspecified)"
        " when option 'module' is set to 'NodeNext'.\n"
    )
    assert (event.error_type, event.frames) == ("TS5109", ())


def test_webpack_ts_loader_and_fork_ts_checker() -> None:
    text = textwrap.dedent(
        """\
        ERROR in ./src/index.ts
        [tsl] ERROR in /app/src/index.ts(3,7)
              TS2322: Type 'string' is not assignable to type 'number'.
        ERROR in ./src/App.tsx:12:5
        TS2339: Property 'nmae' does not exist on type 'User'.
        """
    )
    events = TS.read_errors(text)
    assert [(e.error_type, e.frames[0].file, e.frames[0].line) for e in events] == [
        ("TS2322", "/app/src/index.ts", 3),
        ("TS2339", "./src/App.tsx", 12),
    ]


def test_ts_node_tserror_lists_diagnostics_as_causes() -> None:
    (event,) = TS.read_errors(TS_NODE_TSERROR)
    assert event.error_type == "TSError"
    assert [c.error_type for c in event.chain] == ["TS2322", "TS18048"]
    assert event.chain[1].message == "'u.email' is possibly 'undefined'.\nSome elaboration of the message."
    assert event.innermost is not None and event.innermost.function == "createTSError"
    # Diagnostics inside the TSError are not also separate events.
    assert len(TS.read_errors(TS_NODE_TSERROR)) == 1


def test_diagnostics_reader_directly() -> None:
    found = read_text(TSC_PLAIN)
    assert [d.code for d in found][:2] == ["TS2322", "TS18048"]


# -- runtime stacks: JavaScript's or TypeScript's -----------------------------------------------


def test_tsx_runtime_error_is_typescript() -> None:
    (event,) = TS.read_errors(TSX_RUNTIME)
    assert (event.error_type, event.message) == (
        "TypeError",
        "Cannot read properties of undefined (reading 'host')",
    )
    inner = event.innermost
    assert inner is not None
    # 24 as printed (1-based, indentation included) is 21 in the stripped source line.
    assert (inner.file, inner.line, inner.column, inner.source) == (
        "/tmp/tstools/proj/src/run.ts",
        3,
        21,
        "return (c as any).db.host;",
    )
    assert JS.read_errors(TSX_RUNTIME) == []


def test_js_stack_is_not_typescript() -> None:
    text = "TypeError: x is not a function\n    at main (/srv/app/index.js:3:5)\n"
    assert TS.read_errors(text) == []
    assert len(JS.read_errors(text)) == 1


def test_library_ts_frames_do_not_make_a_stack_typescript() -> None:
    text = (
        "TypeError: x is not a function\n"
        "    at compile (/srv/app/node_modules/ts-node/src/index.ts:1:1)\n"
        "    at main (/srv/app/index.js:3:5)\n"
    )
    assert TS.read_errors(text) == []


def test_every_event_read_once_across_both_plugins(engine: Any) -> None:
    text = TSX_RUNTIME + "\n" + TSC_PLAIN + "\nTypeError: boom\n    at main (/srv/app/index.js:3:5)\n"
    events = engine.read_errors(text)
    languages = [e.language for e in events]
    assert languages.count("typescript") == 8
    assert languages.count("javascript") == 1


def test_sniff() -> None:
    assert TS.sniff_errors(TSC_PLAIN)
    assert TS.sniff_errors(TSX_RUNTIME)
    assert not TS.sniff_errors("TypeError: x\n    at main (/srv/app/index.js:3:5)\n")


# -- genuine toolchain output ---------------------------------------------------------------------


def _project(tmp_path: Path, source: str) -> Path:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "index.ts").write_text(textwrap.dedent(source), encoding="utf-8")
    (tmp_path / "tsconfig.json").write_text(
        '{"compilerOptions": {"strict": true, "module": "commonjs", "target": "es2020",'
        ' "sourceMap": true, "outDir": "dist"}, "include": ["src"]}',
        encoding="utf-8",
    )
    return tmp_path


def _run(cwd: Path, *argv: str) -> str:
    done = subprocess.run(list(argv), cwd=cwd, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode != 0, done.stdout
    return done.stdout + done.stderr


BROKEN = """\
interface User { name: string; email?: string }
const count: number = "three";
function shout(u: User): string {
  return u.email.toUpperCase();
}
const p = { first: "a" };
console.log(p.frist, count, shout);
"""


@pytest.mark.skipif(TSC is None, reason="tsc is not installed")
def test_real_tsc_plain_and_pretty(tmp_path: Path) -> None:
    assert TSC is not None
    project = _project(tmp_path, BROKEN)
    for flag in ("false", "true"):
        out = _run(project, TSC, "--noEmit", "--pretty", flag, "-p", ".")
        events = TS.read_errors(out)
        assert [e.error_type for e in events] == ["TS2322", "TS18048", "TS2551"], out
        assert [(e.frames[0].file, e.frames[0].line) for e in events] == [
            ("src/index.ts", 2),
            ("src/index.ts", 4),
            ("src/index.ts", 7),
        ]
        if flag == "true":
            assert events[1].frames[0].source == "return u.email.toUpperCase();"


@pytest.mark.skipif(TS_NODE is None, reason="ts-node is not installed")
def test_real_ts_node_tserror(tmp_path: Path) -> None:
    assert TS_NODE is not None
    project = _project(tmp_path, BROKEN)
    (event,) = TS.read_errors(_run(project, TS_NODE, "src/index.ts"))
    assert event.error_type == "TSError"
    assert [c.error_type for c in event.chain] == ["TS2322", "TS18048", "TS2551"]


RUNTIME = """\
interface Cfg { db?: { host: string } }
function host(c: Cfg): string {
  return (c as any).db.host;
}
host({});
"""


def _check_runtime(out: str, expected_file: Path) -> ErrorEvent:
    (event,) = TS.read_errors(out)
    assert event.message == "Cannot read properties of undefined (reading 'host')"
    inner = event.innermost
    assert inner is not None
    assert (Path(inner.file), inner.line, inner.function) == (expected_file, 3, "host")
    return event


@pytest.mark.skipif(TSX is None, reason="tsx is not installed")
def test_real_tsx_runtime(tmp_path: Path) -> None:
    assert TSX is not None
    project = _project(tmp_path, RUNTIME)
    _check_runtime(_run(project, TSX, "src/index.ts"), project / "src" / "index.ts")


@pytest.mark.skipif(TS_NODE is None, reason="ts-node is not installed")
def test_real_ts_node_runtime(tmp_path: Path) -> None:
    assert TS_NODE is not None
    project = _project(tmp_path, RUNTIME)
    event = _check_runtime(_run(project, TS_NODE, "src/index.ts"), project / "src" / "index.ts")
    assert event.innermost is not None and event.innermost.source == "return (c as any).db.host;"


@pytest.mark.skipif(TSC is None or NODE is None, reason="tsc or node is not installed")
def test_real_source_mapped_node_run(tmp_path: Path) -> None:
    assert TSC is not None and NODE is not None
    project = _project(tmp_path, RUNTIME)
    subprocess.run([TSC, "-p", "."], cwd=project, capture_output=True, check=True, timeout=120)
    out = _run(project, NODE, "--enable-source-maps", "dist/index.js")
    _check_runtime(out, project / "src" / "index.ts")
    # Without source maps the same failure is JavaScript's, in the compiled file.
    (compiled,) = JS.read_errors(_run(project, NODE, "dist/index.js"))
    assert compiled.innermost is not None and compiled.innermost.file.endswith("dist/index.js")


# -- bad input -------------------------------------------------------------------------------------


def test_five_megabytes() -> None:
    block = TSC_PLAIN + TSX_RUNTIME + "noise (1,2): error TSX: nothing\n"
    text = block * (5_000_000 // len(block))
    events = TS.read_errors(text)
    assert len(events) == 8 * (5_000_000 // len(block))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "src/a.ts(1,2): error TS2322: Type 'x' is not assignable to type 'y'.",
                "src/a.ts:1:2 - error TS2322: Type",
                "",
                "1 const a = 1;",
                "  ~~~",
                "  elaboration",
                "TSError: ⨯ Unable to compile TypeScript:",  # noqa: RUF001
                "    at f (/a.ts:1:1)",
                "[tsl] ERROR in /a.ts(1,1)",
                "      TS2304: Cannot find name 'x'.",
                "error TS5000: x",
            ]
        )
        | st.text(max_size=30),
        max_size=30,
    )
)
def test_fuzz_never_raises(lines: list[str]) -> None:
    text = "\n".join(lines)
    for event in TS.read_errors(text):
        assert event.language == "typescript"
        assert 0 <= event.text_start <= event.text_end <= text.count("\n")


# -- the grammar -------------------------------------------------------------------------------------


def test_one_tsx_grammar_parses_ts_and_tsx() -> None:
    from homeostasis.model import Document

    tsx = Document("src/App.tsx", "export const App = <T,>(p: T) => <div>{String(p)}</div>;\n", "typescript")
    ts = Document(
        "src/util.ts", "export function id<T>(x: T): T { return x as T; }\nconst n = y!;\n", "typescript"
    )
    assert not TS.parse(tsx).root_node.has_error
    assert not TS.parse(ts).root_node.has_error
    # The documented limitation: an angle-bracket cast reads as JSX in the TSX grammar.
    cast = Document("src/old.ts", "const y = <any>x;\n", "typescript")
    assert TS.parse(cast).root_node.has_error
