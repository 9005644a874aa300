"""Column encodings, position shifts and incremental text changes of the server's document store."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import tree_sitter
import tree_sitter_python
from homeostasis.lsp.documents import OpenDocument
from homeostasis.lsp.positions import UTF8, UTF16, UTF32, choose_encoding, from_client, to_client
from homeostasis.lsp.settings import ServerOptions, parse_editor, unwrap
from homeostasis.lsp.shifts import Change, map_interval, map_span, merge_intervals
from homeostasis.model import Pos, Span

LINE = "a = '🙂é' + b"


@pytest.mark.parametrize(("encoding", "col_of_plus"), [(UTF16, 10), (UTF8, 13), (UTF32, 9)])
def test_columns_round_trip(encoding: str, col_of_plus: int) -> None:
    plus = LINE.index("+")
    assert to_client(LINE, plus, encoding) == col_of_plus
    assert from_client(LINE, col_of_plus, encoding) == plus
    assert from_client(LINE, 10_000, encoding) == len(LINE)
    for col in range(len(LINE) + 1):
        assert from_client(LINE, to_client(LINE, col, encoding), encoding) == col


def test_encoding_negotiation() -> None:
    assert choose_encoding(None) == UTF16
    assert choose_encoding(["utf-8", "utf-16"]) == UTF8
    assert choose_encoding(["ebcdic"]) == UTF16


def test_spans_move_with_changes_they_do_not_touch() -> None:
    insert_two_lines = Change(Pos(1, 0), Pos(1, 0), Pos(3, 0))
    assert map_span(Span.of(0, 2, 0, 5), insert_two_lines) == Span.of(0, 2, 0, 5)
    assert map_span(Span.of(4, 2, 4, 5), insert_two_lines) == Span.of(6, 2, 6, 5)
    assert map_span(Span.of(1, 0, 1, 3), insert_two_lines) is None  # touched
    same_line = Change(Pos(2, 0), Pos(2, 4), Pos(2, 1))
    assert map_span(Span.of(2, 8, 2, 10), same_line) == Span.of(2, 5, 2, 7)
    assert map_interval((5, 8), insert_two_lines) == (7, 10)
    assert merge_intervals([(4, 6), (1, 2), (3, 3), (9, 9)]) == [(1, 6), (9, 9)]


def test_document_changes_keep_text_lines_and_tree_in_step() -> None:
    language = tree_sitter.Language(tree_sitter_python.language())
    parser = tree_sitter.Parser(language)
    text = "x = 1\ny = 'é'\nz = 3\n"
    document = OpenDocument("file:///t.py", Path("/t.py"), "t.py", Path("/"), "python", 1, text)
    document.tree = parser.parse(text.encode())
    change = document.apply_change(Pos(1, 5), Pos(1, 6), "🙂\nw = 2", 2)
    assert change == Change(Pos(1, 5), Pos(1, 6), Pos(2, 5))
    expected = "x = 1\ny = '🙂\nw = 2'\nz = 3\n"
    assert document.text == expected
    assert [document.line(i) for i in range(document.line_count)] == [*expected.split("\n")]
    reparsed = parser.parse(document.text.encode(), document.tree)
    fresh = parser.parse(expected.encode())
    assert str(reparsed.root_node) == str(fresh.root_node)
    assert document.from_client(1, 6, UTF16) == Pos(1, 5)  # inside the emoji's surrogate pair: rounds down


def test_editor_settings_are_parsed_and_checked() -> None:
    parsed = parse_editor(
        unwrap({"settings": {"workspaceDiagnostics": True, "testCommand": "pytest -x", "bogus": 1}})
    )
    assert parsed.options == ServerOptions(workspace_diagnostics=True, test_command=("pytest", "-x"))
    assert parsed.problems == ("setting homeostasis.bogus: unknown setting",)
    assert parse_editor({"unsafeFixes": True}).engine_table == {"unsafe-fixes": True}


def test_other_commands_do_not_import_the_language_server(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from homeostasis.cli.main import main\n"
        f"main(['check', '--exit-zero', {str(tmp_path)!r}])\n"
        "assert not [m for m in sys.modules if m.startswith(('pygls', 'lsprotocol', 'homeostasis.lsp'))]\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
