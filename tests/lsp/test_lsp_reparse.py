"""Incremental reparses after edits at block boundaries: exact trees, local work, same findings.

Told only the exact range of an edit at the end of ``try:`` (or at a line's first character,
or on a blank line between blocks), tree-sitter reparsed most of a large Python module: the
server now tells it a slightly wider range (``reuse_bounds``). These tests edit a large module
where that used to happen and check that the tree is the one a fresh parse gives, that the
reparse stays local (a count of lexed tokens, not a time), and that the diagnostics after each
edit are those of a fresh open of the same text.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Callable
from pathlib import Path

import pytest
import tree_sitter
import tree_sitter_python
from homeostasis.languages.python.plugin import PythonLanguage
from homeostasis.lsp.documents import OpenDocument, reuse_bounds
from homeostasis.model import Pos
from lsprotocol import types

from tests.lsp.session import Session, position_at

PYTHON = tree_sitter.Language(tree_sitter_python.language())
PARSER = tree_sitter.Parser(PYTHON)
Point = tuple[int, int]


def big_module(sections: int) -> str:
    """Blocks after ``try:``/``else:``/``if``, comment banners between top-level statements,
    one-token lines, non-ASCII text, and four kinds of findings per section."""
    parts = ['"""A generated module."""\n\nimport os\n\nLIMIT = 10\n']
    for i in range(sections):
        parts.append(
            f"\n\n# ============\n# Section {i}: é 🙂\n# ============\n\n\n"
            f"class Store{i}:\n"
            f'    """Keeps values ({i})."""\n\n'
            f"    def __init__(self, values=[]):\n"
            f"        self.values = values\n\n"
            f"    def load(self, key):\n"
            f"        try:\n"
            f"            value = self.values[key]\n"
            f"        except KeyError:\n"
            f"            return None\n"
            f"        else:\n"
            f"            if value == None:\n"
            f"                return LIMIT\n"
            f"        return value\n\n"
            f"    def scan(self, items):\n"
            f"        found = []\n"
            f"        for item in items:\n"
            f"            if not item:\n"
            f"                continue\n\n"
            f"            try:\n"
            f"                found.append(item['é{i}'])\n"
            f"            except:\n"
            f"                pass\n"
            f"        return found\n\n\n"
            f"def check_{i}(a, b):\n"
            f"    assert (a, 'a is set')\n"
            f"    if b:\n"
            f"        return b\n"
            f"    return a\n"
        )
    return "".join(parts)


def signature(tree: tree_sitter.Tree) -> list[tuple[str, int, int, Point, Point]]:
    """Every node's type, bytes and points, in document order."""
    out = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        (start_row, start_column), (end_row, end_column) = node.start_point, node.end_point
        out.append(
            (node.type, node.start_byte, node.end_byte, (start_row, start_column), (end_row, end_column))
        )
        stack.extend(reversed(node.children))
    return out


def open_document(text: str) -> OpenDocument:
    document = OpenDocument("file:///big.py", Path("/big.py"), "big.py", Path("/"), "python", 1, text)
    document.language = PythonLanguage()
    document.tree = PARSER.parse(text.encode())
    return document


def lexed_tokens(source: bytes, old: tree_sitter.Tree | None) -> tuple[tree_sitter.Tree, int]:
    """The tree and how many tokens the parser lexed (rather than reused) to build it."""
    count = 0

    def log(kind: tree_sitter.LogType, message: str) -> None:
        nonlocal count
        count += message.startswith("lexed_lookahead")

    parser = tree_sitter.Parser(PYTHON, logger=log)
    return (parser.parse(source) if old is None else parser.parse(source, old)), count


def line_of(text: str, needle: str, occurrence: int) -> int:
    lines = text.split("\n")
    return [i for i, line in enumerate(lines) if line == needle][occurrence]


# Where an edit used to reparse the rest of the file: a line's end before an indent or a
# dedent, a block's first character, a class header, a blank line between top-level blocks.
BOUNDARY_EDITS = [
    ("        try:", 60, "end", "  # t"),
    ("        except KeyError:", 61, "end", "  # t"),
    ("            value = self.values[key]", 62, "first", "w"),
    ("            if not item:", 63, "end", "  # why"),
    ("                continue", 64, "end", " # c"),
    ("class Store65:", 0, "end", "  # t"),
    ("        else:", 66, "end", "\n            pass"),
    ("    return a", 67, "end", " == None"),
    ("", 300, "end", "  # between blocks"),
]


def _boundary_position(text: str, needle: str, occurrence: int, where: str) -> Pos:
    line = line_of(text, needle, occurrence)
    content = text.split("\n")[line]
    return Pos(line, len(content) if where == "end" else len(content) - len(content.lstrip()))


@pytest.mark.parametrize(("needle", "occurrence", "where", "inserted"), BOUNDARY_EDITS)
def test_boundary_edit_reparses_locally_to_the_fresh_tree(
    needle: str, occurrence: int, where: str, inserted: str
) -> None:
    text = big_module(100)
    _, everything = lexed_tokens(text.encode(), None)
    document = open_document(text)
    at = _boundary_position(text, needle, occurrence, where)
    end = Pos(at.line, at.col + (1 if where == "first" else 0))
    document.apply_change(at, end, inserted, 2)
    source = document.text.encode()
    reparsed, lexed = lexed_tokens(source, document.tree)
    assert signature(reparsed) == signature(PARSER.parse(source))
    # Before the wider edit range, these lexed nearly every token after the edit again.
    assert lexed < everything // 4, (lexed, everything)


def misplaced(tree: tree_sitter.Tree, source: bytes) -> list[str]:
    """Nodes an edit did not touch whose points are not where their bytes now are."""
    starts = [0, *(i + 1 for i, byte in enumerate(source) if byte == 0x0A)]

    def point(offset: int) -> tuple[int, int]:
        row = bisect.bisect_right(starts, offset) - 1
        return row, offset - starts[row]

    wrong, stack = [], [tree.root_node]
    while stack:
        node = stack.pop()
        if node.has_changes:
            stack.extend(node.children)
        elif (tuple(node.start_point), tuple(node.end_point)) != (
            point(node.start_byte),
            point(node.end_byte),
        ):
            wrong.append(f"{node.type} at {node.start_byte}: {node.start_point}")
    return wrong


def test_random_edits_keep_the_edited_and_the_reparsed_tree_exact() -> None:
    rng = random.Random(20_000)
    document = open_document(big_module(12))
    pieces = ["x", "é", "🙂", "  # t", "\n    ", "\n", "", "(\n", "'é'\n", ":\n        pass\n", "\t"]
    for step in range(300):
        first = rng.randrange(document.line_count)
        start = Pos(first, rng.randrange(len(document.line(first)) + 1))
        if rng.random() < 0.3:
            last = min(document.line_count - 1, first + rng.randrange(3))
            end = max(start, Pos(last, rng.randrange(len(document.line(last)) + 1)))
        else:
            end = start
        document.apply_change(start, end, rng.choice(pieces), step + 2)
        source = document.text.encode("utf-8", "surrogatepass")
        assert document.tree is not None
        assert misplaced(document.tree, source) == [], step
        if step % 3 == 0:
            document.tree = PARSER.parse(source, document.tree)
            assert signature(document.tree) == signature(PARSER.parse(source)), step


def test_reuse_bounds_contain_the_change_and_end_after_a_line_break() -> None:
    text = big_module(3)
    starts = [0, *(i + 1 for i, char in enumerate(text) if char == "\n")]
    rng = random.Random(7)
    for _ in range(2000):
        begin = rng.randrange(len(text) + 1)
        finish = min(len(text), begin + rng.choice([0, 0, 1, 5, 40]))
        first, last = reuse_bounds(text, starts, begin, finish, "#")
        assert first <= begin <= finish <= last
        assert last == len(text) or (last > finish and text[last - 1] == "\n")


# Over JSON-RPC -------------------------------------------------------------------------


def _key(diagnostics: list[types.Diagnostic]) -> list[tuple[object, ...]]:
    return sorted(
        (
            str(d.code),
            d.range.start.line,
            d.range.start.character,
            d.range.end.line,
            d.range.end.character,
            d.message,
            d.severity,
        )
        for d in diagnostics
    )


async def _fresh(session: Session, text: str, name: str) -> list[tuple[object, ...]]:
    uri = session.open(name, text)
    try:
        return _key(await session.diagnostics(uri))
    finally:
        session.close(uri)


class Editor:
    """Line-addressed edits of one open document, sent as the client's didChange."""

    def __init__(self, session: Session, uri: str) -> None:
        self.session, self.uri = session, uri

    @property
    def text(self) -> str:
        return self.session.texts[self.uri]

    def position(self, line: int, column: int) -> types.Position:
        offset = sum(len(part) + 1 for part in self.text.split("\n")[:line]) + column
        return position_at(self.text, offset, self.session.encoding)

    def insert(self, line: int, column: int, inserted: str) -> int:
        at = self.position(line, column)
        return self.session.edit(self.uri, [types.TextEdit(types.Range(at, at), inserted)])

    def at_end(self, needle: str, occurrence: int, inserted: str) -> int:
        line = line_of(self.text, needle, occurrence)
        return self.insert(line, len(needle), inserted)

    def set_line(self, line: int, content: str) -> int:
        old = self.text.split("\n")[line]
        edit_range = types.Range(self.position(line, 0), self.position(line, len(old)))
        return self.session.edit(self.uri, [types.TextEdit(edit_range, content)])

    def delete_line(self, line: int) -> int:
        edit_range = types.Range(self.position(line, 0), self.position(line + 1, 0))
        return self.session.edit(self.uri, [types.TextEdit(edit_range, "")])


@pytest.mark.asyncio(loop_scope="module")
async def test_edits_at_block_boundaries_match_a_fresh_open(session: Session) -> None:
    uri = session.open("boundaries.py", big_module(100))
    assert len(await session.diagnostics(uri)) == 400
    editor = Editor(session, uri)
    lines: dict[str, int] = {}

    def dedent() -> None:
        lines["item"] = line_of(editor.text, "            if not item:", 75)
        editor.set_line(lines["item"], "        if not item:")

    def break_docstring() -> None:
        lines["doc"] = line_of(editor.text, '    """Keeps values (95)."""', 0)
        editor.set_line(lines["doc"], '    ""Keeps values (95)."""')

    steps: list[Callable[[], object]] = [
        lambda: editor.at_end("        try:", 30, "  # t"),
        lambda: editor.at_end("                return LIMIT", 31, " == None"),  # a new finding
        lambda: editor.at_end("", 200, "  # on a blank line"),
        lambda: editor.set_line(
            line_of(editor.text, "            value = self.values[key]", 40),
            "            walue = self.values[key]",
        ),
        lambda: editor.at_end("        else:", 45, "\n            pass"),
        lambda: editor.delete_line(line_of(editor.text, "    assert (a, 'a is set')", 50)),  # a finding goes
        lambda: editor.insert(
            line_of(editor.text, "            if value == None:", 60),
            0,
            "            # homeostasis: ignore[python.comparison.none-equality]\n",
        ),
        lambda: editor.at_end("class Store70:", 0, "  # t"),
        lambda: editor.at_end("                continue", 72, " # c"),
        dedent,  # the rest of the method changes shape
        lambda: editor.set_line(lines["item"], "            if not item:"),
        lambda: editor.at_end("def check_90(a, b):", 0, "\n    if a == None:\n        a = 0"),
        break_docstring,  # the rest of the file changes shape
        lambda: editor.set_line(lines["doc"], '    """Keeps values (95)."""'),
    ]
    for index, step in enumerate(steps):
        step()
        edited = _key(await session.diagnostics(uri))
        if index % 3 == 2 or index == len(steps) - 1:
            assert edited == await _fresh(session, editor.text, f"fresh_{index}.py"), index

    # Two changes in one notification, far apart.
    first = line_of(editor.text, "        try:", 10)
    second = line_of(editor.text, "        try:", 90)
    at_first, at_second = editor.position(first, 12), editor.position(second, 12)
    session.edit(
        uri,
        [
            types.TextEdit(types.Range(at_first, at_first), "  # a"),
            types.TextEdit(types.Range(at_second, at_second), "  # b"),
        ],
    )
    assert _key(await session.diagnostics(uri)) == await _fresh(session, editor.text, "fresh_last.py")
