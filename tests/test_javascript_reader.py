"""The JavaScript error reader: the shared trace corpus, genuine Node output produced on the spot,
renderings of browsers, test runners and logs, mixed logs of several languages, and bad input."""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from homeostasis.languages.javascript import JavaScriptLanguage
from homeostasis.languages.javascript.reader import read_events, read_events_guarded
from homeostasis.model import ChainRelation, ErrorEvent, Origin
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.traces import TRACES, traces_of
from tests.traces import label as _label

JS_TRACES = traces_of("javascript")
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")
JS = JavaScriptLanguage()

# Labels whose type/message the printed text does not contain: name -> reason.
UNPRINTED_MESSAGE: Mapping[str, str] = MappingProxyType(
    {
        "077-javascript-firefox50-resource-url": (
            "Firefox's error.stack has no name/message line: the label's TypeError and message come"
            " from elsewhere; the reader reports an Error with an empty message"
        ),
        "079-javascript-safari8-null-not-object": (
            "Safari's error.stack has no name/message line: the label's TypeError and message come"
            " from elsewhere; the reader reports an Error with an empty message"
        ),
    }
)


def _read(trace: Path) -> list[ErrorEvent]:
    return JS.read_errors(trace.read_text(encoding="utf-8", errors="replace"))


def _params(xfail: Mapping[str, str] | None = None) -> list[Any]:
    if not JS_TRACES:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"no traces at {TRACES}"))]
    out = []
    for trace in JS_TRACES:
        marks = []
        if xfail and trace.stem in xfail:
            marks.append(pytest.mark.xfail(strict=True, reason=xfail[trace.stem]))
        out.append(pytest.param(trace, id=trace.stem, marks=marks))
    return out


# -- the shared trace corpus --------------------------------------------------------------


@pytest.mark.parametrize("trace", _params(UNPRINTED_MESSAGE))
def test_trace_type_and_message(trace: Path) -> None:
    label = _label(trace)
    events = _read(trace)
    assert len(events) == 1
    event = events[0]
    assert event.language == "javascript"
    assert event.error_type == label["error_type"]
    assert event.message.strip() == label["message"].strip()


@pytest.mark.parametrize("trace", _params())
def test_trace_innermost_frame(trace: Path) -> None:
    label = _label(trace)
    event = _read(trace)[0]
    index = label.get("innermost_frame_index")
    if index is None:
        assert event.innermost is None
        return
    # Labels list frames as printed (innermost first); events hold them outermost first.
    expected = label["frames"][index]
    assert event.innermost is not None
    assert (event.innermost.file, event.innermost.line) == (expected["file"], expected["line"])


@pytest.mark.parametrize("trace", _params())
def test_trace_all_frames_chain_and_range(trace: Path) -> None:
    label = _label(trace)
    event = _read(trace)[0]
    assert [(f.file, f.line, f.function) for f in reversed(event.frames)] == [
        (f["file"], f["line"], f["function"]) for f in label["frames"]
    ]
    # The reader adds an UnhandledPromiseRejection *context* to rejections; labels list causes.
    causes = [c for c in event.chain if c.relation is not ChainRelation.CONTEXT]
    assert [c.error_type for c in causes] == [c["error_type"] for c in label["chained"]]
    lines = trace.read_text(encoding="utf-8", errors="replace").split("\n")
    assert 0 <= event.text_start <= event.text_end < len(lines)


def test_other_languages_traces_give_no_javascript_events() -> None:
    others = (
        sorted(p for p in TRACES.glob("*.txt") if "-javascript-" not in p.name) if TRACES.is_dir() else []
    )
    if not others:
        pytest.skip("no traces of other languages")
    for trace in others:
        assert _read(trace) == [], trace.name


# -- genuine Node output ----------------------------------------------------------------------


def _node(tmp_path: Path, code: str, name: str = "main.js", *args: str, **files: str) -> str:
    """The output of running ``code`` with Node (plus the ``files`` it imports)."""
    assert NODE is not None
    for relative, source in files.items():
        path = tmp_path / relative.replace("__", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")
    script = tmp_path / name
    script.write_text(textwrap.dedent(code), encoding="utf-8")
    done = subprocess.run(
        [NODE, *args, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode != 0, done.stdout
    return done.stderr


def _only(text: str) -> ErrorEvent:
    events = JS.read_errors(text)
    assert len(events) == 1, events
    return events[0]


@needs_node
def test_node_property_of_undefined(tmp_path: Path) -> None:
    out = _node(tmp_path, "const user = undefined;\nfunction show(u) {\n  return u.name;\n}\nshow(user);\n")
    event = _only(out)
    assert (event.error_type, event.message) == (
        "TypeError",
        "Cannot read properties of undefined (reading 'name')",
    )
    inner = event.innermost
    assert inner is not None
    # Node printed 3:12 for `  return u.name;`: column 9 of the stripped source line.
    assert (Path(inner.file).name, inner.line, inner.column, inner.function) == ("main.js", 3, 9, "show")
    assert inner.source == "return u.name;"  # from Node's source-context header
    assert event.frames[-2].function == "Object.<anonymous>"
    assert event.text_start == 0 and "Node.js v" in out.split("\n")[event.text_end]


@needs_node
def test_node_messages_of_current_v8(tmp_path: Path) -> None:
    cases = {
        "const o = null; o.x = 1;": ("TypeError", "Cannot set properties of null (setting 'x')"),
        "const api = {}; api.fetchUsers();": ("TypeError", "api.fetchUsers is not a function"),
        "missingName + 1;": ("ReferenceError", "missingName is not defined"),
        "for (const x of 5) {}": ("TypeError", "5 is not iterable"),
        "const c = 1; c = 2;": ("TypeError", "Assignment to constant variable."),
        "function f() { return f(); } f();": ("RangeError", "Maximum call stack size exceeded"),
        "JSON.parse('');": ("SyntaxError", "Unexpected end of JSON input"),
        "new (() => {})();": ("TypeError", "(intermediate value) is not a constructor"),
        "x; let x = 1;": ("ReferenceError", "Cannot access 'x' before initialization"),
    }
    for index, (code, (error_type, message)) in enumerate(cases.items()):
        event = _only(_node(tmp_path, code, f"case{index}.js"))
        assert (event.error_type, event.message) == (error_type, message), code
        assert event.innermost is not None
        assert Path(event.innermost.file).name == f"case{index}.js" or event.error_type == "SyntaxError"


@needs_node
def test_node_module_not_found_with_require_stack(tmp_path: Path) -> None:
    event = _only(_node(tmp_path, "require('./lib/helper');\n"))
    assert event.error_type == "Error"
    assert event.message.split("\n") == [
        "Cannot find module './lib/helper'",
        "Require stack:",
        f"- {tmp_path}/main.js",
    ]
    assert "code: MODULE_NOT_FOUND" in event.notes
    project = [f for f in event.frames if not JS.is_library_path(f.file)]
    assert [(Path(f.file).name, f.line) for f in project] == [("main.js", 1)]


@needs_node
def test_node_esm_module_not_found_did_you_mean(tmp_path: Path) -> None:
    out = _node(
        tmp_path, "import { a } from './utils';\n", "main.mjs", **{"utils.js": "export const a = 1;\n"}
    )
    event = _only(out)
    assert event.error_type == "Error"
    assert event.message.startswith(
        f"Cannot find module '{tmp_path}/utils' imported from {tmp_path}/main.mjs"
    )
    assert 'Did you mean to import "./utils.js"?' in event.message
    assert "code: ERR_MODULE_NOT_FOUND" in event.notes
    assert all(JS.is_library_path(f.file) for f in event.frames)


@needs_node
def test_node_cause_chain_in_property_block(tmp_path: Path) -> None:
    code = """\
    function inner() { throw new TypeError("inner bad"); }
    function outer() {
      try { inner(); } catch (err) { throw new Error("outer failed", { cause: err }); }
    }
    outer();
    """
    event = _only(_node(tmp_path, code))
    assert (event.error_type, event.message) == ("Error", "outer failed")
    assert [(c.error_type, c.message, c.relation) for c in event.chain] == [
        ("TypeError", "inner bad", ChainRelation.CAUSE)
    ]
    cause_inner = event.chain[0].frames[-1]
    assert (cause_inner.function, cause_inner.line) == ("inner", 1)
    assert event.innermost is not None and event.innermost.line == 3


@needs_node
def test_node_nested_causes_deepest_first(tmp_path: Path) -> None:
    code = """\
    const root = new RangeError("root");
    const middle = new TypeError("middle", { cause: root });
    throw new Error("top", { cause: middle });
    """
    event = _only(_node(tmp_path, code))
    assert [c.error_type for c in event.chain] == ["RangeError", "TypeError"]


@needs_node
def test_node_aggregate_error_members(tmp_path: Path) -> None:
    code = "throw new AggregateError([new Error('a'), new TypeError('b')], 'all failed');\n"
    event = _only(_node(tmp_path, code))
    assert (event.error_type, event.message) == ("AggregateError", "all failed")
    assert [(c.error_type, c.message, c.relation) for c in event.chain] == [
        ("Error", "a", ChainRelation.GROUP_MEMBER),
        ("TypeError", "b", ChainRelation.GROUP_MEMBER),
    ]


@needs_node
def test_node_unhandled_rejection_of_a_string(tmp_path: Path) -> None:
    event = _only(_node(tmp_path, "Promise.reject('plain string');\n"))
    assert event.error_type == "UnhandledPromiseRejection"
    assert 'The promise rejected with the reason "plain string".' in event.message
    assert "unhandled promise rejection" in event.notes


@needs_node
def test_node_system_error_property_block(tmp_path: Path) -> None:
    event = _only(_node(tmp_path, "require('fs').readFileSync('/nonexistent/config.json');\n"))
    assert event.message == "ENOENT: no such file or directory, open '/nonexistent/config.json'"
    assert "code: ENOENT" in event.notes
    assert event.innermost is not None and event.innermost.file == "node:fs"
    assert [Path(f.file).name for f in event.frames if not JS.is_library_path(f.file)] == ["main.js"]


@needs_node
def test_node_connection_refused_rejection(tmp_path: Path) -> None:
    code = """\
    const net = require("net");
    async function main() {
      await new Promise((resolve, reject) => net.connect(1, "127.0.0.1").on("error", reject));
    }
    main();
    """
    event = _only(_node(tmp_path, code))
    assert event.message == "connect ECONNREFUSED 127.0.0.1:1"
    assert "code: ECONNREFUSED" in event.notes
    assert "unhandled promise rejection" in event.notes
    assert [c.error_type for c in event.chain] == ["UnhandledPromiseRejection"]


@needs_node
def test_node_unhandled_error_event_second_stack(tmp_path: Path) -> None:
    code = """\
    const http = require("http");
    const a = http.createServer();
    a.listen(0, () => {
      http.createServer().listen(a.address().port);
    });
    """
    event = _only(_node(tmp_path, code))
    assert event.message.startswith("listen EADDRINUSE: address already in use")
    assert "code: EADDRINUSE" in event.notes
    assert any("'error' event" in note for note in event.notes)
    # The "Emitted 'error' event ... at:" frames are not the error's own stack.
    assert not any(f.function == "emitErrorNT" for f in event.frames)
    assert [Path(f.file).name for f in event.frames if not JS.is_library_path(f.file)] == ["main.js"]


@needs_node
def test_node_syntax_error_located_by_the_header(tmp_path: Path) -> None:
    event = _only(_node(tmp_path, "const a = 1;\nfoo(;\n"))
    assert (event.error_type, event.message) == ("SyntaxError", "Unexpected token ';'")
    inner = event.innermost
    assert inner is not None
    assert (Path(inner.file).name, inner.line, inner.column, inner.source) == ("main.js", 2, 4, "foo(;")


@needs_node
def test_node_esm_syntax_error_file_url(tmp_path: Path) -> None:
    event = _only(_node(tmp_path, "const a = 1;\nfoo(;\n", "main.mjs"))
    assert event.innermost is not None
    assert event.innermost.file == str(tmp_path / "main.mjs")  # file:/// URL read as a path


@needs_node
def test_node_async_eval_new_and_as_frames(tmp_path: Path) -> None:
    code = """\
    function Foo() {}
    Foo.prototype.run = function () { return eval("(function inner() { null.x; })()"); };
    class Box { constructor() { new Foo().run.call(this); } }
    const o = { m: () => new Box() };
    async function load() { await null; o.m(); }
    async function main() { await load(); }
    main();
    """
    event = _only(_node(tmp_path, code))
    functions = [f.function for f in reversed(event.frames)]
    assert functions[0] == "inner" and event.frames[-1].file == "<anonymous>"  # code run by eval
    assert "new Box" in functions
    assert "main" in functions  # `at async main (...)`: the async marker is not part of the name


@needs_node
def test_node_require_esm(tmp_path: Path) -> None:
    files = {
        "node_modules__esm-only__package.json": (
            '{"name": "esm-only", "type": "module", "exports": "./index.js"}'
        ),
        "node_modules__esm-only__index.js": "export default 1;\n",
    }
    done = subprocess.run(
        [str(NODE), "--no-experimental-require-module", "-e", ""], capture_output=True, text=True, check=False
    )
    args = ("--no-experimental-require-module",) if done.returncode == 0 else ()
    out = _node(tmp_path, "const x = require('esm-only');\n", "main.js", *args, **files)
    event = _only(out)
    assert event.message.startswith("require() of ES Module ")
    assert "code: ERR_REQUIRE_ESM" in event.notes
    assert event.innermost is not None and event.innermost.source == "const x = require('esm-only');"


@needs_node
def test_node_throw_of_a_non_error_gives_nothing(tmp_path: Path) -> None:
    assert JS.read_errors(_node(tmp_path, "throw { notAnError: true };\n")) == []


@needs_node
def test_console_trace_is_not_an_error(tmp_path: Path) -> None:
    code = "console.trace('here');\nprocess.exitCode = 1;\n"
    script = tmp_path / "t.js"
    script.write_text(code, encoding="utf-8")
    done = subprocess.run([str(NODE), str(script)], capture_output=True, text=True, timeout=60, check=False)
    assert "Trace: here" in done.stderr
    assert JS.read_errors(done.stderr) == []


# -- browsers, test runners, logs ---------------------------------------------------------------


def test_firefox_with_message_line() -> None:
    event = _only(
        "TypeError: this.props.raw[this.state.dataSource].rows is undefined\n"
        "render@resource://path/data/content/bundle.js:5529:16\n"
        "dispatchEvent@resource://path/data/content/vendor.bundle.js:18:23028\n"
    )
    assert event.error_type == "TypeError"
    assert event.innermost is not None
    assert (event.innermost.function, event.innermost.line, event.innermost.column) == ("render", 5529, 15)


def test_chrome_console_uncaught_in_promise() -> None:
    event = _only(
        "Uncaught (in promise) TypeError: Failed to fetch\n"
        "    at loadUsers (http://localhost:3000/static/js/main.chunk.js:145:22)\n"
        "    at async App.componentDidMount (http://localhost:3000/static/js/main.chunk.js:98:5)\n"
    )
    assert (event.error_type, event.message) == ("TypeError", "Failed to fetch")
    assert "uncaught in a browser console" in event.notes
    assert event.frames[0].function == "App.componentDidMount"


def test_chrome_console_message_without_stack() -> None:
    event = _only("VM412:1 Uncaught ReferenceError: jQuery is not defined\n")
    assert (event.error_type, event.message, event.frames) == ("ReferenceError", "jQuery is not defined", ())


def test_node16_bracket_rejection() -> None:
    text = (
        "node:internal/process/promises:288\n"
        "            triggerUncaughtException(err, true /* fromPromise */);\n"
        "            ^\n\n"
        "[UnhandledPromiseRejection: This error originated either by throwing inside of an async function"
        " without a catch block, or by rejecting a promise which was not handled with .catch(). The promise"
        ' rejected with the reason "timeout".] {\n'
        "  code: 'ERR_UNHANDLED_REJECTION'\n}\n\nNode.js v18.17.0\n"
    )
    event = _only(text)
    assert event.error_type == "UnhandledPromiseRejection"
    assert event.message.endswith('with the reason "timeout".')
    assert (event.text_start, event.text_end) == (0, 8)


def test_inspected_error_without_stack_one_line() -> None:
    text = (
        "[Error: ENOENT: no such file or directory, open 'missing.txt']"
        " { errno: -2, code: 'ENOENT', syscall: 'open' }\n"
    )
    event = _only(text)
    assert event.message == "ENOENT: no such file or directory, open 'missing.txt'"
    assert "code: ENOENT" in event.notes


def test_caused_by_text_chain() -> None:
    text = (
        "VError: failed to load config: file missing\n"
        "    at loadConfig (/srv/app/src/config.js:12:11)\n"
        "    at main (/srv/app/src/index.js:5:3)\n"
        "Caused by: Error: ENOENT: no such file or directory, open '/srv/app/config.json'\n"
        "    at Object.openSync (node:fs:603:3)\n"
        "    at loadConfig (/srv/app/src/config.js:10:17)\n"
    )
    event = _only(text)
    assert event.error_type == "VError"
    assert [(c.error_type, c.relation) for c in event.chain] == [("Error", ChainRelation.CAUSE)]
    assert event.chain[0].frames[-1].file == "node:fs"
    assert event.text_end == 5


def test_source_mapped_arrows_replace_the_compiled_location() -> None:
    text = (
        "TypeError: Cannot read properties of undefined (reading 'host')\n"
        "    at host (/app/dist/run.js:5:17)\n"
        "        -> /app/src/run.ts:3:24\n"
    )
    # The stack points into TypeScript: the TypeScript plugin reads it, not this one.
    assert JS.read_errors(text) == []
    (event,) = read_events(text)
    assert event.language == "typescript"
    assert event.innermost is not None
    assert (event.innermost.file, event.innermost.line, event.innermost.function) == (
        "/app/src/run.ts",
        3,
        "host",
    )


def test_docker_compose_prefix_is_cut() -> None:
    text = (
        "web_1  | Listening on 3000\n"
        "web_1  | TypeError: Cannot read properties of null (reading 'id')\n"
        "web_1  |     at handler (/app/routes/users.js:14:22)\n"
        "web_1  |     at Layer.handle [as handle_request]"
        " (/app/node_modules/express/lib/router/layer.js:95:5)\n"
        "db_1   | LOG:  database system is ready\n"
    )
    event = _only(text)
    assert event.innermost is not None and event.innermost.file == "/app/routes/users.js"
    assert (event.text_start, event.text_end) == (1, 3)


def test_jest_failure() -> None:
    text = textwrap.dedent(
        """\
         FAIL  src/cart.test.js
          ● cart › computes the total

            TypeError: Cannot read properties of undefined (reading 'price')

              3 | export function total(items) {
            > 4 |   return items[0].price;
                |                   ^

              at total (src/cart.js:4:19)
              at Object.<anonymous> (src/cart.test.js:8:12)

        Tests:       1 failed, 1 total
        """  # noqa: RUF001 (the separator jest prints)
    )
    events = read_events(text)
    assert len(events) == 1
    event = events[0]
    assert event.message == "Cannot read properties of undefined (reading 'price')"  # no code frame
    assert event.origin is Origin.TEST_RUN
    assert event.innermost is not None and (event.innermost.file, event.innermost.line) == ("src/cart.js", 4)


def test_windows_paths_and_file_urls() -> None:
    text = (
        "Error: EPERM: operation not permitted, unlink 'C:\\Users\\dev\\app\\tmp\\lock'\n"
        "    at Object.unlinkSync (node:fs:1875:3)\n"
        "    at cleanup (C:\\Users\\dev\\app\\src\\cleanup.js:7:6)\n"
        "    at file:///C:/Users/dev/app/src/main%20app.mjs:3:1\n"
    )
    event = _only(text)
    assert [f.file for f in event.frames] == [
        "C:/Users/dev/app/src/main app.mjs",
        "C:\\Users\\dev\\app\\src\\cleanup.js",
        "node:fs",
    ]


def test_webpack_paths() -> None:
    text = (
        "ReferenceError: process is not defined\n"
        "    at Module../src/env.js (webpack:///./src/env.js?:3:18)\n"
        "    at fn (webpack://my-app/./src/App.jsx:10:4)\n"
        "    at __webpack_require__ (webpack:///webpack/bootstrap?:19:31)\n"
    )
    event = _only(text)
    assert [f.file for f in reversed(event.frames)] == ["src/env.js", "src/App.jsx", "webpack/bootstrap"]
    assert JS.is_library_path("webpack/bootstrap")


def test_minified_and_file_less_frames() -> None:
    text = (
        "TypeError: Cannot read properties of undefined (reading 'map')\n"
        "    at t.value (https://cdn.example.com/assets/main.3f9a2c.js:2:145832)\n"
        "    at Array.forEach (<anonymous>)\n"
        "    at native\n"
        "    at async Promise.all (index 0)\n"
    )
    event = _only(text)
    assert [(f.file, f.line) for f in event.frames] == [
        ("<anonymous>", None),
        ("native", None),
        ("<anonymous>", None),
        ("https://cdn.example.com/assets/main.3f9a2c.js", 2),
    ]
    assert event.innermost is not None and event.innermost.column == 145831


def test_react_warning_component_stack_is_not_an_error() -> None:
    text = (
        'Warning: Each child in a list should have a unique "key" prop.\n'
        "    at li\n"
        "    at List (http://localhost:3000/static/js/bundle.js:51:5)\n"
        "    at App (http://localhost:3000/static/js/bundle.js:22:3)\n"
    )
    assert read_events(text) == []


def test_a_log_line_does_not_take_a_later_warning_stack() -> None:
    text = (
        "Error: connection lost, retrying\n"
        "retry 1\n"
        'Warning: Each child in a list should have a unique "key" prop.\n'
        "    at List (http://localhost:3000/static/js/bundle.js:51:5)\n"
    )
    assert read_events(text) == []


def test_truncated_trace_keeps_what_was_printed() -> None:
    text = "TypeError: Cannot read properties of undefined (reading 'x')\n    at show (/srv/app/a.js:3:1"
    event = _only(text)
    # The last frame line is cut in the middle: the header is still an error of its own.
    assert event.error_type == "TypeError"


def test_headerless_v8_stack() -> None:
    event = _only("    at show (/srv/app/a.js:3:12)\n    at Object.<anonymous> (/srv/app/a.js:5:1)\n")
    assert (event.error_type, event.message) == ("Error", "")
    assert any("without the error's name" in note for note in event.notes)


def test_java_and_dotnet_frames_are_not_v8_frames() -> None:
    text = (
        'Exception in thread "main" java.lang.IllegalStateException: boom\n'
        "\tat com.example.Main.run(Main.java:12)\n"
        "\tat com.example.Main.main(Main.java:5)\n"
        "System.InvalidOperationException: Sequence contains no elements\n"
        "   at System.Linq.Enumerable.First[TSource](IEnumerable`1 source)\n"
        "   at App.Program.Main() in C:\\src\\App\\Program.cs:line 14\n"
    )
    assert read_events(text) == []


def test_python_error_lines_are_not_javascript() -> None:
    text = (
        "Traceback (most recent call last):\n"
        '  File "app.py", line 3, in <module>\n'
        "    items = None + 1\n"
        "TypeError: unsupported operand type(s) for +: 'NoneType' and 'int'\n"
        "NameError: name 'x' is not defined\n"
        "TypeError: 'int' object is not iterable\n"
    )
    assert read_events(text) == []


# -- mixed logs: every event in the language that printed it ---------------------------------


MIXED = textwrap.dedent(
    """\
    2024-05-01 10:00:00 worker started
    Traceback (most recent call last):
      File "/srv/jobs/sync.py", line 12, in <module>
        main()
      File "/srv/jobs/sync.py", line 9, in main
        raise ValueError("bad row")
    ValueError: bad row
    /srv/web/server.js:14
        const id = req.user.id;
                            ^

    TypeError: Cannot read properties of undefined (reading 'id')
        at handler (/srv/web/server.js:14:29)
        at Layer.handle [as handle_request] (/srv/web/node_modules/express/lib/router/layer.js:95:5)

    Node.js v20.11.1
    Exception in thread "main" java.lang.NullPointerException: Cannot invoke "String.length()" because "s" is null
    \tat com.example.App.size(App.java:7)
    \tat com.example.App.main(App.java:3)
    done
    """
)


def test_mixed_log_each_event_in_its_language(engine: Any) -> None:
    events = engine.read_errors(MIXED)
    summary = [(e.language, e.error_type.rsplit(".", 1)[-1]) for e in events]
    assert ("javascript", "TypeError") in summary
    assert [s for s in summary if s[0] == "javascript"] == [("javascript", "TypeError")]
    assert [e.language for e in events] == ["python", "javascript", "java"], summary


def test_mixed_log_javascript_event_range() -> None:
    (event,) = JS.read_errors(MIXED)
    lines = MIXED.split("\n")
    assert lines[event.text_start] == "/srv/web/server.js:14"
    assert lines[event.text_end] == "Node.js v20.11.1"


def test_sniff_is_specific() -> None:
    assert JS.sniff_errors(MIXED)
    assert not JS.sniff_errors('Traceback (most recent call last):\n  File "a.py", line 1\nValueError: x\n')
    assert not JS.sniff_errors("\tat com.example.Main.main(Main.java:5)\n")
    assert not JS.sniff_errors("panic: runtime error: index out of range\n\ngoroutine 1 [running]:\n")


# -- bad input -----------------------------------------------------------------------------------


def test_empty_and_binary_input() -> None:
    assert read_events("") == []
    assert read_events("\x00\x01\x02\xff" * 100) == []
    assert read_events("TypeError" * 10000) == []


def test_five_megabytes_of_mixed_output_is_read_linearly() -> None:
    block = (
        "TypeError: Cannot read properties of undefined (reading 'x')\n"
        "    at f (/srv/app/a.js:1:1)\n"
        "    at g (/srv/app/b.js:2:2) {\n"
        "  code: 'E_X'\n"
        "}\n"
        "plain log line with Error: inside it and at the end a.js:3\n"
        "render@http://x/y.js:1:2\n"
    )
    text = block * (5_000_000 // len(block))
    events = read_events(text)
    assert len(events) == text.count("TypeError: ")
    # One enormous line (a minified bundle printed as source context) is skipped, not scanned.
    assert read_events("x" * 5_000_000 + "\nError: boom\n    at f (/a.js:1:1)\n")[0].message == "boom"


def test_unterminated_property_block_and_deep_causes() -> None:
    text = "Error: top\n    at f (/a.js:1:1) {\n" + "".join(
        f"{'  ' * (d + 1)}[cause]: Error: level {d}\n{'  ' * (d + 3)}at f (/a.js:{d + 2}:1) {{\n"
        for d in range(500)
    )
    event = _only(text)
    assert event.message == "top"
    assert 0 < len(event.chain) <= 20


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            [
                "TypeError: Cannot read properties of undefined (reading 'x')",
                "    at f (/srv/app/a.js:1:2)",
                "    at /srv/app/b.js:3:4 {",
                "  [cause]: Error: inner",
                "  code: 'E'",
                "}",
                "  [errors]: [",
                "  ]",
                "Caused by: Error: deeper",
                "/srv/app/a.js:3",
                "    ^",
                "",
                "render@http://x/y.js:1:2",
                "(node:1) UnhandledPromiseRejectionWarning: Error: x",
                "[Error: y] {",
                "Node.js v20.1.0",
                "        -> /src/a.ts:1:1",
                "Emitted 'error' event on Server instance at:",
            ]
        )
        | st.text(max_size=40),
        max_size=40,
    )
)
def test_fuzz_never_raises(lines: list[str]) -> None:
    text = "\n".join(lines)
    for event in read_events_guarded(text, Origin.PASTE, guard=False):
        assert 0 <= event.text_start <= event.text_end <= text.count("\n")
        assert event.language in ("javascript", "typescript")
