"""The Ruby error reader: real traces from shared/traces, output produced on the spot by the
interpreter, rake, minitest and RSpec (skipped only when the binary is missing), hand-made
renderings of formats this machine cannot produce (Ruby 2.5 and 3.4, Rails logs, Airbrake),
mixed logs, and bad input."""

from __future__ import annotations

import random
import shutil
import subprocess
import textwrap
import time
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from homeostasis.engine import Engine
from homeostasis.languages.ruby.plugin import RubyLanguage
from homeostasis.languages.ruby.reader import read_errors
from homeostasis.model import ChainRelation, ErrorEvent

from tests.traces import TRACES, trace_params, traces_of
from tests.traces import label as _label

RUBY_TRACES = traces_of("ruby")
RUBY = shutil.which("ruby")
RAKE = shutil.which("rake")
RSPEC = shutil.which("rspec")

# Labels the reader cannot agree with, on purpose: name -> reason.
WRONG_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "132-ruby-airbrake-rails-caused-by-recordnotfound": (
            "the wrapping ActionView::Template::Error is not in the text (it comes from Airbrake's "
            "'Error type' field); the reader reports the printed cause with the printed frames"
        ),
    }
)


def _read_trace(trace: Path) -> list[ErrorEvent]:
    return read_errors(trace.read_text(encoding="utf-8", errors="replace"))


def _printed(event: ErrorEvent, label: dict[str, Any]) -> list[tuple[str | None, int | None]]:
    """The event's frames in the label's (printed) order: Ruby prints innermost first, except
    2.5-2.7's reversed traceback, whose label marks the last frame as the innermost."""
    frames = [(f.file, f.line) for f in event.frames]
    reversed_output = label["frames"] and label["innermost_frame_index"] == len(label["frames"]) - 1
    return frames if reversed_output and len(label["frames"]) > 1 else frames[::-1]


# -- the shared trace corpus --------------------------------------------------------------


@pytest.mark.parametrize("trace", trace_params(RUBY_TRACES, WRONG_LABELS))
def test_trace_matches_label(trace: Path) -> None:
    label = _label(trace)
    events = _read_trace(trace)
    assert len(events) == 1, events
    event = events[0]
    assert event.language == "ruby"
    assert event.error_type == label["error_type"]
    assert event.message == label["message"]
    index = label["innermost_frame_index"]
    expected = label["frames"][index]
    assert event.innermost is not None
    assert (event.innermost.file, event.innermost.line) == (expected["file"], expected["line"])
    assert [c.error_type for c in event.chain] == [c["error_type"] for c in label["chained"]]


@pytest.mark.parametrize("trace", trace_params(RUBY_TRACES))
def test_trace_frames(trace: Path) -> None:
    label = _label(trace)
    event = _read_trace(trace)[0]
    assert _printed(event, label) == [(f["file"], f["line"]) for f in label["frames"]]
    functions = {f.function for f in event.frames}
    assert functions == {f["function"] for f in label["frames"]}
    lines = trace.read_text(encoding="utf-8", errors="replace").split("\n")
    assert 0 <= event.text_start <= event.text_end < len(lines)
    if event.chain:
        assert event.chain[0].message == label["chained"][0]["message"]


def test_traces_of_other_languages_give_no_ruby_events() -> None:
    others = sorted(p for p in TRACES.glob("*.txt") if "-ruby-" not in p.name) if TRACES.is_dir() else []
    if not others:
        pytest.skip("no traces of other languages")
    plugin = RubyLanguage()
    for trace in others:
        text = trace.read_text(encoding="utf-8", errors="replace")
        assert read_errors(text) == [], trace.name
        assert not plugin.sniff_errors(text), trace.name


# -- genuine output -----------------------------------------------------------------------

needs_ruby = pytest.mark.skipif(RUBY is None, reason="ruby is not installed")


def _run(tmp_path: Path, code: str, name: str = "prog.rb", args: tuple[str, ...] = ()) -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(code), encoding="utf-8")
    assert RUBY is not None
    done = subprocess.run(
        [RUBY, *args, str(path)], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode != 0, done.stdout
    return done.stdout + done.stderr


def _only(text: str) -> ErrorEvent:
    events = read_errors(text)
    assert len(events) == 1, (events, text)
    return events[0]


def _method(function: str | None) -> str:
    """`greet`, `Object#greet` (3.4) and `block in Foo#bar` compare by their last name."""
    return (function or "").rsplit("#", 1)[-1].rsplit(" ", 1)[-1]


@needs_ruby
def test_nil_method_with_error_highlight(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        """\
        class Greeter
          def greet(user)
            [1].each do
              puts user.name.upcase
            end
          end
        end

        Greeter.new.greet(Struct.new(:name).new(nil))
        """,
    )
    event = _only(out)
    assert event.error_type == "NoMethodError"
    assert event.message.startswith("undefined method ") and "upcase" in event.message
    assert "for nil" in event.message
    prog = str(tmp_path / "prog.rb")
    assert [(f.file, f.line) for f in event.frames] == [(prog, 9), (prog, 3), (prog, 3), (prog, 4)]
    assert _method(event.frames[0].function) == "<main>"
    assert _method(event.frames[-1].function) == "greet"
    inner = event.frames[-1]
    if inner.source is not None:  # error_highlight (Ruby 3.1+) printed the line and carets
        assert inner.source == "puts user.name.upcase"
        assert inner.column is not None and inner.end_column is not None
        assert inner.source[inner.column : inner.end_column] == ".upcase"
    assert (event.text_start, event.text_end) == (0, len(out.rstrip("\n").split("\n")) - 1)


@needs_ruby
def test_did_you_mean_is_kept_in_the_message(tmp_path: Path) -> None:
    out = _run(tmp_path, "words = %w[a b]\nputs words.lenght\n")
    event = _only(out)
    assert event.error_type == "NoMethodError"
    first, *rest = event.message.split("\n")
    assert "lenght" in first
    assert any(line.startswith("Did you mean?") and "length" in line for line in rest)
    assert [(f.line, _method(f.function)) for f in event.frames] == [(2, "<main>")]


@needs_ruby
def test_cause_printed_after_the_error(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        """\
        def parse(text)
          Integer(text)
        end

        begin
          parse("abc")
        rescue ArgumentError
          raise KeyError, "config broken"
        end
        """,
    )
    event = _only(out)
    assert (event.error_type, event.message) == ("KeyError", "config broken")
    assert event.frames[-1].line == 8
    if event.chain:  # Ruby 3.1+ prints the cause
        (cause,) = event.chain
        assert cause.relation is ChainRelation.CAUSE
        assert cause.error_type == "ArgumentError"
        assert cause.message == 'invalid value for Integer(): "abc"'
        assert [f.line for f in cause.frames] == [6, 2, 2]


@needs_ruby
def test_multiline_message_and_class(tmp_path: Path) -> None:
    out = _run(tmp_path, 'def fail!\n  raise ArgumentError, "first line\\nsecond line"\nend\nfail!\n')
    event = _only(out)
    assert event.error_type == "ArgumentError"
    assert event.message == "first line\nsecond line"
    assert [f.line for f in event.frames] == [4, 2]


@needs_ruby
def test_stack_overflow_with_elided_levels(tmp_path: Path) -> None:
    out = _run(tmp_path, "def fact(n)\n  n * fact(n - 1)\nend\nfact(5)\n")
    event = _only(out)
    assert (event.error_type, event.message) == ("SystemStackError", "stack level too deep")
    assert event.frames[0].line == 4
    assert event.frames[-1].line == 2
    assert len(event.frames) > 3


@needs_ruby
def test_load_error_from_internal_require(tmp_path: Path) -> None:
    out = _run(tmp_path, 'require "surely_not_installed_gem_xyz"\n')
    event = _only(out)
    assert (event.error_type, event.message) == (
        "LoadError",
        "cannot load such file -- surely_not_installed_gem_xyz",
    )
    plugin = RubyLanguage()
    project = [f for f in event.frames if not plugin.is_library_path(f.file)]
    assert [(f.file, f.line) for f in project] == [(str(tmp_path / "prog.rb"), 1)]


@needs_ruby
@pytest.mark.skipif(RAKE is None, reason="rake is not installed")
def test_rake_aborted_with_cause(tmp_path: Path) -> None:
    (tmp_path / "Rakefile").write_text(
        'task :default do\n  begin\n    Integer("x")\n  rescue ArgumentError\n'
        '    raise "wrapped"\n  end\nend\n',
        encoding="utf-8",
    )
    assert RAKE is not None
    done = subprocess.run([RAKE], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False)
    event = _only(done.stdout + done.stderr)
    assert (event.error_type, event.message) == ("RuntimeError", "wrapped")
    rakefile = str(tmp_path / "Rakefile")
    assert (event.frames[-1].file, event.frames[-1].line) == (rakefile, 5)
    assert [(c.error_type, c.message) for c in event.chain] == [
        ("ArgumentError", 'invalid value for Integer(): "x"')
    ]
    assert event.chain[0].frames[-1].line == 3


@needs_ruby
def test_minitest_failure_and_error(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "user.rb").write_text(
        "class User\n  attr_reader :email\n  def normalized_email\n    email.downcase\n  end\nend\n",
        encoding="utf-8",
    )
    out = _run(
        tmp_path,
        """\
        require "minitest/autorun"
        require_relative "lib/user"

        class UserTest < Minitest::Test
          def test_name
            assert_equal "Ada Lovelace", "Ada"
          end

          def test_email
            assert_equal "a@b.c", User.new.normalized_email
          end
        end
        """,
        name="user_test.rb",
        args=("-I", "."),
    )
    events = {e.error_type: e for e in read_errors(out)}
    assert set(events) == {"NoMethodError", "Minitest::Assertion"}
    failure = events["Minitest::Assertion"]
    assert failure.message.startswith('Expected: "Ada Lovelace"')
    assert [(Path(f.file).name, f.line, f.function) for f in failure.frames] == [
        ("user_test.rb", 6, "test_name")
    ]
    error = events["NoMethodError"]
    assert "downcase" in error.message and "\n" not in error.message
    assert [(Path(f.file).name, f.line) for f in error.frames] == [("user_test.rb", 10), ("user.rb", 4)]


@needs_ruby
@pytest.mark.skipif(RSPEC is None, reason="rspec is not installed")
def test_rspec_failures(tmp_path: Path) -> None:
    (tmp_path / "spec").mkdir()
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "user.rb").write_text(
        "class User\n  attr_reader :email\n  def normalized_email\n    email.downcase\n  end\nend\n",
        encoding="utf-8",
    )
    (tmp_path / "spec" / "user_spec.rb").write_text(
        textwrap.dedent(
            """\
            require_relative "../lib/user"

            RSpec.describe User do
              it "has a name" do
                expect("Ada").to eq("Ada Lovelace")
              end

              it "normalizes the email" do
                expect(User.new.normalized_email).to eq("a@b.c")
              end

              it "wraps" do
                begin
                  Integer("x")
                rescue ArgumentError
                  raise KeyError, "wrapped"
                end
              end
            end
            """
        ),
        encoding="utf-8",
    )
    assert RSPEC is not None
    done = subprocess.run(
        [RSPEC, "--no-color", "spec/user_spec.rb"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    events = read_errors(done.stdout + done.stderr)
    assert [e.error_type for e in events] == [
        "RSpec::Expectations::ExpectationNotMetError",
        "NoMethodError",
        "KeyError",
    ]
    expectation, nil_error, wrapped = events
    assert expectation.message.startswith('expected: "Ada Lovelace"')
    assert [(f.file, f.line) for f in expectation.frames] == [("spec/user_spec.rb", 5)]
    assert [(f.file, f.line) for f in nil_error.frames] == [("spec/user_spec.rb", 9), ("lib/user.rb", 4)]
    assert nil_error.message.startswith("undefined method ") and "\n" not in nil_error.message
    if nil_error.frames[-1].source is not None:
        assert nil_error.frames[-1].source == "email.downcase"
    assert wrapped.message == "wrapped"
    assert [(c.error_type, c.message) for c in wrapped.chain] == [
        ("ArgumentError", 'invalid value for Integer(): "x"')
    ]


# -- formats this machine cannot produce ----------------------------------------------------


def test_ruby_34_quoting() -> None:
    text = textwrap.dedent(
        """\
        app.rb:4:in 'Integer#/': divided by 0 (ZeroDivisionError)
        \tfrom app.rb:4:in 'Stats#average'
        \tfrom app.rb:9:in 'block in Report#build'
        \tfrom app.rb:8:in 'Array#each'
        \tfrom app.rb:12:in '<main>'
        """
    )
    event = _only(text)
    assert (event.error_type, event.message) == ("ZeroDivisionError", "divided by 0")
    assert [(f.line, f.function) for f in event.frames] == [
        (12, "<main>"),
        (8, "Array#each"),
        (9, "block in Report#build"),
        (4, "Stats#average"),
        (4, "Integer#/"),
    ]


def test_ruby_34_nil_message_with_quotes_in_it() -> None:
    text = (
        "app.rb:2:in 'Foo#bar': undefined method 'upcase' for nil (NoMethodError)\n"
        "\tfrom app.rb:5:in '<main>'\n"
    )
    event = _only(text)
    assert event.message == "undefined method 'upcase' for nil"
    assert [f.function for f in event.frames] == ["<main>", "Foo#bar"]


def test_ruby_25_reversed_traceback_is_not_python() -> None:
    text = textwrap.dedent(
        """\
        Traceback (most recent call last):
        \t3: from bin/run:10:in `<main>'
        \t2: from /srv/app/lib/runner.rb:4:in `call'
        \t1: from /srv/app/lib/runner.rb:8:in `step'
        /srv/app/lib/runner.rb:12:in `fetch': key not found: :token (KeyError)
        Did you mean?  :tokens
        """
    )
    event = _only(text)
    assert (event.error_type, event.message) == ("KeyError", "key not found: :token\nDid you mean?  :tokens")
    assert [(f.file, f.line) for f in event.frames] == [
        ("bin/run", 10),
        ("/srv/app/lib/runner.rb", 4),
        ("/srv/app/lib/runner.rb", 8),
        ("/srv/app/lib/runner.rb", 12),
    ]
    python = "Traceback (most recent call last):\n  File \"app.py\", line 1, in <module>\nKeyError: 'x'\n"
    assert read_errors(python) == []


def test_class_after_the_last_message_line() -> None:
    # Old Rubies (and some loggers) put `(Class)` after the whole multi-line message.
    text = "x.rb:3:in `load': bad header\nexpected 'v2' (Config::Invalid)\n\tfrom x.rb:9:in `<main>'\n"
    event = _only(text)
    assert (event.error_type, event.message) == ("Config::Invalid", "bad header\nexpected 'v2'")
    assert [f.line for f in event.frames] == [9, 3]


def test_header_without_class_infers_it() -> None:
    event = _only("lib/a.rb:3:in `x': undefined method `y' for nil:NilClass\n")
    assert event.error_type == "NoMethodError"
    assert event.notes


def test_rails_development_log() -> None:
    text = textwrap.dedent(
        """\
        Started GET "/users/5" for ::1 at 2024-01-01 12:00:00 +0000
        Processing by UsersController#show as HTML
          Parameters: {"id"=>"5"}
          User Load (0.2ms)  SELECT "users".* FROM "users" WHERE "users"."id" = ? LIMIT ?
          \u21b3 app/controllers/users_controller.rb:5:in `show'
        Completed 404 Not Found in 4ms (ActiveRecord: 0.2ms | Allocations: 1201)



        ActiveRecord::RecordNotFound (Couldn't find User with 'id'=5):

        app/controllers/users_controller.rb:5:in `show'
        app/controllers/application_controller.rb:12:in `around'
        """
    )
    event = _only(text)
    assert (event.error_type, event.message) == (
        "ActiveRecord::RecordNotFound",
        "Couldn't find User with 'id'=5",
    )
    assert [(f.file, f.line) for f in event.frames] == [
        ("app/controllers/application_controller.rb", 12),
        ("app/controllers/users_controller.rb", 5),
    ]
    assert event.text_start == 9


def test_rails_template_error_with_excerpt_and_cause() -> None:
    text = textwrap.dedent(
        """\
        ActionView::Template::Error (undefined method `name' for nil):
            1: <h1><%= @user.name %></h1>
            2: <p><%= @user.email %></p>

        app/views/users/show.html.erb:1
        app/controllers/users_controller.rb:7:in `show'
        Information for cause: NoMethodError (undefined method `name' for nil):

        app/views/users/show.html.erb:1
        """
    )
    event = _only(text)
    assert event.error_type == "ActionView::Template::Error"
    assert [(f.file, f.line) for f in event.frames] == [
        ("app/controllers/users_controller.rb", 7),
        ("app/views/users/show.html.erb", 1),
    ]
    assert [(c.error_type, c.message) for c in event.chain] == [
        ("NoMethodError", "undefined method `name' for nil")
    ]


def test_rails_production_log_prefixes_and_tags() -> None:
    text = textwrap.dedent(
        """\
        I, [2024-01-01T12:00:00.123456 #1]  INFO -- : [8f3e1c2a] Started GET "/users/5" for 1.2.3.4
        F, [2024-01-01T12:00:00.131000 #1] FATAL -- : [8f3e1c2a]
        [8f3e1c2a] NoMethodError (undefined method `email' for nil):
        [8f3e1c2a]
        [8f3e1c2a] app/models/user.rb:10:in `normalized_email'
        [8f3e1c2a] app/controllers/users_controller.rb:5:in `show'
        """
    )
    event = _only(text)
    assert (event.error_type, event.message) == ("NoMethodError", "undefined method `email' for nil")
    assert [(f.file, f.line) for f in event.frames] == [
        ("app/controllers/users_controller.rb", 5),
        ("app/models/user.rb", 10),
    ]


def test_rails_aborted_with_task_lines() -> None:
    path = TRACES / "127-ruby-rails-aborted-devise-initializer.txt"
    if not path.exists():
        pytest.skip("trace missing")
    event = _only(path.read_text(encoding="utf-8"))
    assert event.text_start == 2  # from `bin/rails aborted!`
    assert event.frames[-1].function == "block in <top (required)>"


def test_sentry_style_caused_by_chain() -> None:
    text = textwrap.dedent(
        """\
        app/services/importer.rb:14:in `rescue in call': import failed (Importer::Error)
        \tfrom app/services/importer.rb:9:in `call'
        Caused by: CSV::MalformedCSVError: Unclosed quoted field in line 3.
        \tfrom /usr/local/lib/ruby/3.2.0/csv/parser.rb:1105:in `parse_quoted_column_value'
        \tfrom app/services/importer.rb:11:in `call'
        """
    )
    event = _only(text)
    assert event.error_type == "Importer::Error"
    assert [(c.error_type, c.message, [f.line for f in c.frames]) for c in event.chain] == [
        ("CSV::MalformedCSVError", "Unclosed quoted field in line 3.", [11, 1105])
    ]


def test_rspec_hand_made_with_ruby_34_frames() -> None:
    text = textwrap.dedent(
        """\
        Failures:

          1) Cart#total sums the prices
             Failure/Error: expect(cart.total).to eq(30)

               expected: 30
                    got: 20

               (compared using ==)
             # ./spec/models/cart_spec.rb:12:in 'block (2 levels) in <top (required)>'

        Finished in 0.02 seconds (files took 0.4 seconds to load)
        1 example, 1 failure
        """
    )
    event = _only(text)
    assert event.error_type == "RSpec::Expectations::ExpectationNotMetError"
    assert event.message == "expected: 30\n     got: 20\n\n(compared using ==)"
    assert [(f.file, f.line, f.function) for f in event.frames] == [
        ("spec/models/cart_spec.rb", 12, "block (2 levels) in <top (required)>")
    ]
    assert event.text_start == 2


# -- mixed logs and language detection ------------------------------------------------------


MIXED = textwrap.dedent(
    """\
    2024-05-01 10:00:00 worker started
    Traceback (most recent call last):
      File "/srv/etl/load.py", line 3, in <module>
        rows = json.loads(text)
    NameError: name 'json' is not defined
    /srv/app/lib/sync.rb:7:in `push': undefined method `id' for nil:NilClass (NoMethodError)
    \tfrom /srv/app/lib/sync.rb:3:in `<main>'
    /srv/web/server.js:12
        throw new Error("boom");
        ^

    Error: boom
        at Object.<anonymous> (/srv/web/server.js:12:11)
        at Module._compile (node:internal/modules/cjs/loader:1256:14)
    Exception in thread "main" java.lang.IllegalStateException: not ready
    \tat com.acme.App.main(App.java:9)
    PHP Fatal error:  Uncaught Error: Call to a member function id() on null in /srv/php/index.php:4
    Stack trace:
    #0 {main}
      thrown in /srv/php/index.php on line 4
    done
    """
)


def test_mixed_log_reader_takes_only_ruby() -> None:
    event = _only(MIXED)
    assert (event.error_type, event.text_start, event.text_end) == ("NoMethodError", 5, 6)


def test_mixed_log_languages_through_the_engine(engine: Engine) -> None:
    events = engine.read_errors(MIXED)
    by_line = {e.text_start: e.language for e in events}
    assert by_line.get(5) == "ruby"
    assert [e for e in events if e.language == "ruby"] == [e for e in events if e.text_start == 5]
    # Every event starts in its own language's part of the log.
    parts = {
        "python": range(1, 5),
        "ruby": range(5, 7),
        "javascript": range(7, 14),
        "java": range(14, 16),
        "php": range(16, 20),
    }
    for event in events:
        if event.language in parts:
            assert event.text_start in parts[event.language], event


def test_sniff_is_specific() -> None:
    plugin = RubyLanguage()
    assert plugin.sniff_errors("x.rb:3:in `y': boom (RuntimeError)")
    assert plugin.sniff_errors("  1) Failure:\nT#test_a [t.rb:3]:\nExpected: 1\n")
    assert plugin.sniff_errors("ActiveRecord::RecordNotFound (Couldn't find User with 'id'=5):")
    assert not plugin.sniff_errors('Traceback (most recent call last):\n  File "a.py", line 1, in <module>\n')
    assert not plugin.sniff_errors("Error: x\n    at f (/a/b.js:1:2)\n")
    assert not plugin.sniff_errors("java.lang.Error: x\n\tat a.B.c(B.java:1)\n")
    assert not plugin.sniff_errors("PHP Warning:  Undefined variable $x in /a.php on line 3\n")


# -- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n\n",
        "\x00\x01\x02 binary \xff garbage",
        "x.rb:3:in `y': ",
        "x.rb:3:in `y'",
        "\tfrom x.rb:3:in `y'\n" * 5,
        "Traceback (most recent call last):\n\t1: from x.rb:1:in `<main>'\n",
        "Caused by: X: y",
        "Failure/Error: x\n",
        "  1) Failure:\n",
        "NoMethodError: undefined method `x' for nil\n",
        "Foo (bar):",
    ],
)
def test_bad_input_never_raises(text: str) -> None:
    events = read_errors(text)
    assert isinstance(events, list)


def test_truncated_report_still_reads_the_header() -> None:
    event = _only(
        "/srv/app/a.rb:3:in `y': undefined method `z' for nil:NilClass (NoMethodError)\n\tfrom /srv/app/a.r"
    )
    assert event.frames[-1].line == 3


def test_frames_without_files_are_taken_as_they_are() -> None:
    event = _only(
        "(irb):1:in `<main>': boom (RuntimeError)\n"
        "\tfrom <internal:kernel>:187:in `loop'\n"
        "\tfrom -e:1:in `<main>'\n"
    )
    assert [f.file for f in event.frames] == ["-e", "<internal:kernel>", "(irb)"]
    plugin = RubyLanguage()
    assert all(plugin.is_library_path(f.file) for f in event.frames)


def test_five_megabytes_in_linear_time() -> None:
    rng = random.Random(7)
    chunks: list[str] = []
    size = 0
    words = [
        "from",
        "x.rb:1:in",
        "`a'",
        "Traceback",
        "Caused",
        "by",
        "(Foo):",
        "Error:",
        "#",
        "1:",
        ":in",
        "'b'",
    ]
    while size < 5_000_000:
        chunks.append(" ".join(rng.choice(words) for _ in range(rng.randint(1, 12))))
        if rng.random() < 0.01:
            chunks.append("/srv/a.rb:3:in `y': boom (RuntimeError)")
        size += len(chunks[-1]) + 1
    text = "\n".join(chunks)
    started = time.perf_counter()
    events = read_errors(text)
    elapsed = time.perf_counter() - started
    assert events
    assert elapsed < 20, elapsed
    one_line = "x" * 5_000_000 + ":1:in `a': b (C)"
    started = time.perf_counter()
    read_errors(one_line)
    assert time.perf_counter() - started < 10
