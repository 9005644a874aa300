"""The PHP error reader: real traces from shared/traces, output produced on the spot by the
interpreter (skipped only when `php` is missing), hand-made renderings of formats this machine
cannot produce (PHP 5 and 7, Laravel and Symfony logs, Xdebug, nginx), mixed logs, bad input."""

from __future__ import annotations

import random
import shutil
import subprocess
import textwrap
import time
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import pytest
from homeostasis.engine import Engine
from homeostasis.languages.php.plugin import PhpLanguage
from homeostasis.languages.php.reader import read_errors
from homeostasis.model import ChainRelation, ErrorEvent

from tests.traces import TRACES, trace_params, traces_of
from tests.traces import label as _label

PHP_TRACES = traces_of("php")
PHP = shutil.which("php")

# Labels the reader disagrees with on purpose (none so far): name -> reason.
WRONG_LABELS: Mapping[str, str] = MappingProxyType({})


def _read_trace(trace: Path) -> list[ErrorEvent]:
    return read_errors(trace.read_text(encoding="utf-8", errors="replace"))


def _only(text: str) -> ErrorEvent:
    events = read_errors(text)
    assert len(events) == 1, (events, text)
    return events[0]


# -- the shared trace corpus --------------------------------------------------------------


@pytest.mark.parametrize("trace", trace_params(PHP_TRACES, WRONG_LABELS))
def test_trace_matches_label(trace: Path) -> None:
    label = _label(trace)
    event = _only(trace.read_text(encoding="utf-8", errors="replace"))
    assert event.language == "php"
    assert event.error_type == label["error_type"]
    assert event.message == label["message"]
    # PHP prints the raising location first (the label's frames[0]); frames are stored
    # outermost first, so it is the event's innermost frame.
    expected = label["frames"][label["innermost_frame_index"]]
    assert event.innermost is not None
    assert (event.innermost.file, event.innermost.line) == (expected["file"], expected["line"])
    assert [c.error_type for c in event.chain] == [c["error_type"] for c in label["chained"]]


@pytest.mark.parametrize("trace", trace_params(PHP_TRACES, WRONG_LABELS))
def test_trace_frames(trace: Path) -> None:
    label = _label(trace)
    event = _read_trace(trace)[0]
    # `{main}` has no file: it is not a frame here.
    printed = [(f["file"], f["line"]) for f in label["frames"] if f["file"] is not None]
    assert [(f.file, f.line) for f in reversed(event.frames)] == printed
    lines = trace.read_text(encoding="utf-8", errors="replace").split("\n")
    assert 0 <= event.text_start <= event.text_end < len(lines)


def test_traces_of_other_languages_give_no_php_events() -> None:
    others = sorted(p for p in TRACES.glob("*.txt") if "-php-" not in p.name) if TRACES.is_dir() else []
    if not others:
        pytest.skip("no traces of other languages")
    plugin = PhpLanguage()
    for trace in others:
        text = trace.read_text(encoding="utf-8", errors="replace")
        assert read_errors(text) == [], trace.name
        assert not plugin.sniff_errors(text), trace.name


# -- genuine output -----------------------------------------------------------------------

needs_php = pytest.mark.skipif(PHP is None, reason="php is not installed")


def _run(tmp_path: Path, code: str, *settings: str, name: str = "prog.php") -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(code), encoding="utf-8")
    assert PHP is not None
    args = [PHP, "-n", "-d", "error_reporting=-1", *(x for s in settings for x in ("-d", s)), str(path)]
    done = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False)
    return done.stdout + done.stderr


@needs_php
def test_uncaught_error_with_trace_and_function_of_each_frame(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        """\
        <?php
        class Repo { function find($id) { return null; } }
        function show($repo) {
            $user = $repo->find(5);
            return $user->getName();
        }
        show(new Repo());
        """,
        "display_errors=0",
        "log_errors=1",
    )
    event = _only(out)
    assert (event.error_type, event.message) == ("Error", "Call to a member function getName() on null")
    prog = str(tmp_path / "prog.php")
    # The function a frame's line is in: the callee of the next trace line out.
    assert [(f.file, f.line, f.function) for f in event.frames] == [(prog, 7, "{main}"), (prog, 5, "show")]
    assert (event.text_start, event.text_end) == (0, len(out.rstrip("\n").split("\n")) - 1)


@needs_php
def test_display_and_log_print_the_same_error_once(tmp_path: Path) -> None:
    out = _run(tmp_path, "<?php\nthrow new RuntimeException('boom');\n", "display_errors=1", "log_errors=1")
    assert out.count("boom") == 2
    event = _only(out)
    assert (event.error_type, event.message) == ("RuntimeException", "boom")


@needs_php
def test_previous_exceptions_come_first_then_next(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        """\
        <?php
        function inner() { throw new InvalidArgumentException("bad id", 3); }
        function outer() {
            try { inner(); } catch (Exception $e) { throw new RuntimeException("lookup failed", 0, $e); }
        }
        outer();
        """,
        "display_errors=stderr",
    )
    event = _only(out)
    assert (event.error_type, event.message) == ("RuntimeException", "lookup failed")
    assert [(f.line, f.function) for f in event.frames] == [(6, "{main}"), (4, "outer")]
    (cause,) = event.chain
    assert (cause.error_type, cause.message, cause.relation) == (
        "InvalidArgumentException",
        "bad id",
        ChainRelation.CAUSE,
    )
    assert [(f.line, f.function) for f in cause.frames] == [(6, "{main}"), (4, "outer"), (2, "inner")]


@needs_php
def test_warnings_notices_and_deprecations(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        """\
        <?php
        echo $x;
        $a = [];
        echo $a["k"];
        echo [1] . "";
        $o = null;
        echo $o->name;
        trigger_error("old api", E_USER_DEPRECATED);
        trigger_error("heads up", E_USER_NOTICE);
        """,
        "display_errors=stderr",
    )
    events = read_errors(out)
    assert [(e.error_type, e.message, e.frames[-1].line) for e in events] == [
        ("Warning", "Undefined variable $x", 2),
        ("Warning", 'Undefined array key "k"', 4),
        ("Warning", "Array to string conversion", 5),
        ("Warning", 'Attempt to read property "name" on null', 7),
        ("Deprecated", "old api", 8),
        ("Notice", "heads up", 9),
    ]


@needs_php
def test_type_error_names_definition_and_call(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        "<?php\nfunction setAge(int $age) { return $age; }\nsetAge('abc');\n",
        "display_errors=stderr",
    )
    event = _only(out)
    assert event.error_type == "TypeError"
    assert event.message.startswith(
        "setAge(): Argument #1 ($age) must be of type int, string given, called in "
    )
    assert event.message.endswith(" on line 3")
    assert [(f.line, f.function) for f in event.frames] == [(3, "{main}"), (2, "setAge")]


@needs_php
def test_argument_count_error(tmp_path: Path) -> None:
    out = _run(tmp_path, "<?php\nfunction greet($a, $b) {}\ngreet(1);\n", "display_errors=stderr")
    event = _only(out)
    assert event.error_type == "ArgumentCountError"
    assert event.message.startswith("Too few arguments to function greet(), 1 passed in ")
    assert event.message.endswith("and exactly 2 expected")
    assert event.frames[-1].line == 2


@needs_php
def test_memory_exhausted_and_html_parse_error(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        "<?php\n$a = [];\nwhile (true) { $a[] = str_repeat('x', 1000); }\n",
        "display_errors=stderr",
        "memory_limit=4M",
    )
    event = _only(out)
    assert event.error_type == "Fatal error"
    assert event.message.startswith("Allowed memory size of 4194304 bytes exhausted")
    assert event.frames[-1].line == 3
    html = _run(tmp_path, "<?php\n$x = ;\n", "display_errors=1", "html_errors=1", name="broken.php")
    event = _only(html)
    assert (event.error_type, event.message) == ("Parse error", 'syntax error, unexpected token ";"')
    assert (event.frames[-1].file, event.frames[-1].line) == (str(tmp_path / "broken.php"), 2)


@needs_php
def test_closure_and_internal_function_frames(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        """\
        <?php
        function boom() {
            throw new Exception("multi
        line message");
        }
        class K { function run() { array_map(function ($x) { boom(); }, [1]); } }
        (new K)->run();
        """,
        "display_errors=stderr",
    )
    event = _only(out)
    assert event.message == "multi\nline message"
    assert [(f.file.rsplit("/", 1)[-1], f.line, f.function) for f in event.frames] == [
        ("prog.php", 7, "{main}"),
        ("prog.php", 6, "K->run"),
        ("[internal function]", None, "array_map"),
        ("prog.php", 6, "K->{closure}"),
        ("prog.php", 3, "boom"),
    ]
    assert PhpLanguage().is_library_path("[internal function]")


# -- formats this machine cannot produce ----------------------------------------------------


def test_php5_uncaught_exception_with_trace() -> None:
    text = textwrap.dedent(
        """\
        PHP Fatal error:  Uncaught exception 'InvalidArgumentException' with message 'Unknown format "xml"' in /var/www/app/src/Export.php:31
        Stack trace:
        #0 /var/www/app/public/export.php(12): Export->render('xml')
        #1 {main}
          thrown in /var/www/app/src/Export.php on line 31
        """
    )
    event = _only(text)
    assert (event.error_type, event.message) == ("InvalidArgumentException", 'Unknown format "xml"')
    assert [(f.line, f.function) for f in event.frames] == [(12, "{main}"), (31, "Export->render")]


def test_php7_notice_wording() -> None:
    event = _only("PHP Notice:  Undefined index: page in /var/www/html/index.php on line 3\n")
    assert (event.error_type, event.message) == ("Notice", "Undefined index: page")
    assert [(f.file, f.line, f.function) for f in event.frames] == [("/var/www/html/index.php", 3, None)]


def test_nginx_fastcgi_log_line() -> None:
    text = (
        '2024/01/15 10:00:00 [error] 31#31: *7 FastCGI sent in stderr: "PHP message: PHP Fatal error:  '
        "Uncaught Exception: down in /var/www/html/index.php:3\n"
        "Stack trace:\n"
        "#0 {main}\n"
        '  thrown in /var/www/html/index.php on line 3" while reading response header from upstream, '
        'client: 10.0.0.1, server: _, request: "GET / HTTP/1.1"\n'
    )
    event = _only(text)
    assert (event.error_type, event.message) == ("Exception", "down")
    assert (event.text_start, event.text_end) == (0, 3)


def test_laravel_log_with_previous_exception() -> None:
    text = textwrap.dedent(
        """\
        [2024-01-15 10:39:59] local.INFO: Fetching users {"page":1}
        [2024-01-15 10:40:00] local.ERROR: SQLSTATE[HY000] [2002] Connection refused (Connection: mysql, SQL: select * from `users`) {"exception":"[object] (Illuminate\\\\Database\\\\QueryException(code: 2002): SQLSTATE[HY000] [2002] Connection refused (Connection: mysql, SQL: select * from `users`) at /var/www/html/vendor/laravel/framework/src/Illuminate/Database/Connection.php:822)
        [stacktrace]
        #0 /var/www/html/vendor/laravel/framework/src/Illuminate/Database/Connection.php(776): Illuminate\\\\Database\\\\Connection->runQueryCallback('select * from `...', Array, Object(Closure))
        #1 /var/www/html/app/Http/Controllers/UserController.php(14): Illuminate\\\\Database\\\\Query\\\\Builder->get()
        #2 {main}

        [previous exception] [object] (PDOException(code: 2002): SQLSTATE[HY000] [2002] Connection refused at /var/www/html/vendor/laravel/framework/src/Illuminate/Database/Connectors/Connector.php:65)
        [stacktrace]
        #0 /var/www/html/vendor/laravel/framework/src/Illuminate/Database/Connectors/Connector.php(65): PDO->__construct('mysql:host=127....', 'root', Object(SensitiveParameterValue), Array)
        #1 {main}
        "}
        [2024-01-15 10:40:01] local.INFO: Next request
        """
    )
    event = _only(text)
    assert event.error_type == "Illuminate\\Database\\QueryException"
    assert (
        event.message
        == "SQLSTATE[HY000] [2002] Connection refused (Connection: mysql, SQL: select * from `users`)"
    )
    assert [(f.file.rsplit("/", 1)[-1], f.line, f.function) for f in event.frames] == [
        ("UserController.php", 14, "{main}"),
        ("Connection.php", 776, "Illuminate\\Database\\Query\\Builder->get"),
        ("Connection.php", 822, "Illuminate\\Database\\Connection->runQueryCallback"),
    ]
    assert [(c.error_type, c.message) for c in event.chain] == [
        ("PDOException", "SQLSTATE[HY000] [2002] Connection refused")
    ]
    assert (event.text_start, event.text_end) == (1, 11)


def test_symfony_one_line_log() -> None:
    text = (
        "[2024-01-15T10:41:00.123456+00:00] request.CRITICAL: Uncaught PHP Exception "
        "Symfony\\Component\\HttpKernel\\Exception\\NotFoundHttpException: "
        '"No route found for "GET /foo"" at '
        "/app/vendor/symfony/http-kernel/EventListener/RouterListener.php line 127 "
        '{"exception":"[object] (Symfony\\\\Component\\\\HttpKernel\\\\Exception\\\\'
        "NotFoundHttpException(code: 0): "
        'No route found for \\"GET /foo\\" at '
        "/app/vendor/symfony/http-kernel/EventListener/RouterListener.php:127)\\n"
        "[previous exception] [object] (Symfony\\\\Component\\\\Routing\\\\Exception\\\\"
        "ResourceNotFoundException(code: 0): "
        'No routes found for \\"/foo/\\". at /app/vendor/symfony/routing/Matcher/UrlMatcher.php:70)"} []\n'
    )
    event = _only(text)
    assert event.error_type == "Symfony\\Component\\HttpKernel\\Exception\\NotFoundHttpException"
    assert event.message == 'No route found for "GET /foo"'
    assert [(f.file, f.line) for f in event.frames] == [
        ("/app/vendor/symfony/http-kernel/EventListener/RouterListener.php", 127)
    ]
    assert [c.error_type.rsplit("\\", 1)[-1] for c in event.chain] == ["ResourceNotFoundException"]


def test_symfony_line_without_context() -> None:
    text = (
        '[2024-01-15T10:41:00+00:00] app.ERROR: Uncaught PHP Exception LogicException: "Bad state" at '
        "/app/src/Service/Cart.php line 44 [] []\n"
    )
    event = _only(text)
    assert (event.error_type, event.message, event.frames[-1].line) == ("LogicException", "Bad state", 44)


def test_xdebug_stack_trace() -> None:
    text = textwrap.dedent(
        """\
        PHP Warning:  Undefined variable $total in /var/www/app/src/cart.php on line 9
        PHP Stack trace:
        PHP   1. {main}() /var/www/app/public/index.php:0
        PHP   2. Cart->checkout() /var/www/app/public/index.php:12
        PHP   3. Cart->sum($items = [0 => 1]) /var/www/app/src/cart.php:20
        """
    )
    event = _only(text)
    assert event.message == "Undefined variable $total"
    assert [(f.line, f.function) for f in event.frames] == [
        (12, "{main}"),
        (20, "Cart->checkout"),
        (9, "Cart->sum"),
    ]


def test_wrapped_warning_and_html_entities() -> None:
    text = (
        "<br />\n<b>Warning</b>:  Undefined array key &quot;id&quot; in "
        "<b>/var/www/app/show.php</b> on line <b>4</b><br />\n"
    )
    event = _only(text)
    assert (event.error_type, event.message) == ("Warning", 'Undefined array key "id"')
    assert (event.frames[-1].file, event.frames[-1].line) == ("/var/www/app/show.php", 4)


def test_output_glued_before_the_report() -> None:
    event = _only("Total: 3Warning: Undefined variable $tax in /var/www/app/cart.php on line 7\n")
    assert (event.message, event.frames[-1].line) == ("Undefined variable $tax", 7)


# -- mixed logs and language detection ------------------------------------------------------


MIXED = textwrap.dedent(
    """\
    deploy started
    Traceback (most recent call last):
      File "/srv/etl/load.py", line 3, in <module>
        rows = json.loads(text)
    NameError: name 'json' is not defined
    PHP Warning:  Undefined variable $user in /srv/php/profile.php on line 12
    /srv/app/lib/sync.rb:7:in `push': undefined method `id' for nil:NilClass (NoMethodError)
    \tfrom /srv/app/lib/sync.rb:3:in `<main>'
    TypeError: Cannot read properties of undefined (reading 'id')
        at render (/srv/web/view.js:12:11)
        at Object.<anonymous> (/srv/web/view.js:20:1)
    Exception in thread "main" java.lang.IllegalStateException: not ready
    \tat com.acme.App.main(App.java:9)
    PHP Fatal error:  Uncaught Error: Call to a member function id() on null in /srv/php/index.php:4
    Stack trace:
    #0 {main}
      thrown in /srv/php/index.php on line 4
    done
    """
)


def test_mixed_log_reader_takes_only_php() -> None:
    events = read_errors(MIXED)
    assert [(e.error_type, e.text_start, e.text_end) for e in events] == [
        ("Warning", 5, 5),
        ("Error", 13, 16),
    ]


def test_mixed_log_languages_through_the_engine(engine: Engine) -> None:
    events = engine.read_errors(MIXED)
    php = [e for e in events if e.language == "php"]
    assert [e.text_start for e in php] == [5, 13]
    parts = {
        "python": range(1, 5),
        "php": (5, 13, 14, 15, 16),
        "ruby": range(6, 8),
        "javascript": range(8, 11),
        "java": range(11, 13),
    }
    for event in events:
        if event.language in parts:
            assert event.text_start in parts[event.language], event


def test_sniff_is_specific() -> None:
    plugin = PhpLanguage()
    assert plugin.sniff_errors("PHP Warning:  Undefined variable $x in /a.php on line 3")
    assert plugin.sniff_errors("Fatal error: Uncaught Error: x in /a.php:3")
    assert plugin.sniff_errors(
        '[2024-01-01 00:00:00] local.ERROR: x {"exception":"[object] (E(code: 0): x at /a.php:1)'
    )
    assert not plugin.sniff_errors('Traceback (most recent call last):\n  File "a.py", line 1, in <module>\n')
    assert not plugin.sniff_errors("TypeError: x is not a function\n    at f (/a/b.js:1:2)\n")
    assert not plugin.sniff_errors("x.rb:3:in `y': boom (RuntimeError)")
    assert not plugin.sniff_errors("warning: unused variable `x`\n --> src/main.rs:2:9\n")


# -- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\x00\x01 binary \xff",
        "PHP Fatal error:  Uncaught ",
        "Fatal error: Uncaught Error",
        "Stack trace:\n#0 {main}\n",
        "#0 /a.php(3): f()\n" * 3,
        "Next Exception: x in /a.php:3\n",
        "Warning: something happened",
        '[2024-01-01 00:00:00] local.ERROR: x {"exception":"[object] (',
        "Fatal error: Uncaught Exception: x in /a.php:1 Stack trace: #0 ",
    ],
)
def test_bad_input_never_raises(text: str) -> None:
    assert isinstance(read_errors(text), list)


def test_warning_without_location_is_not_an_error() -> None:
    assert (
        read_errors("Warning: Permanently added 'github.com' (ED25519) to the list of known hosts.\n") == []
    )


def test_uncaught_without_location_is_kept() -> None:
    event = _only("PHP Fatal error:  Uncaught Exception: truncated by log_errors_max_len\n")
    assert (event.error_type, event.frames) == ("Exception", ())
    assert event.notes


def test_five_megabytes_in_linear_time() -> None:
    rng = random.Random(11)
    words = [
        "PHP",
        "Warning:",
        "Fatal",
        "error:",
        "in",
        "/a.php",
        "on",
        "line",
        "3",
        "#0",
        "(12):",
        "Stack",
        "trace:",
    ]
    chunks: list[str] = []
    size = 0
    while size < 5_000_000:
        chunks.append(" ".join(rng.choice(words) for _ in range(rng.randint(1, 14))))
        if rng.random() < 0.01:
            chunks.append("PHP Warning:  Undefined variable $x in /srv/a.php on line 3")
        size += len(chunks[-1]) + 1
    text = "\n".join(chunks)
    started = time.perf_counter()
    events = read_errors(text)
    assert events
    assert time.perf_counter() - started < 20
    one_line = "Fatal error: Uncaught Exception: " + " in x" * 1_000_000 + " Stack trace: #0 {main}"
    started = time.perf_counter()
    read_errors(one_line)
    assert time.perf_counter() - started < 10
