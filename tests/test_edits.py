"""Pure edit arithmetic: apply, hash, diff, merge."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from homeostasis.fixes.edits import EditConflict, apply_edits, file_hash, merge_fixes, unified_diff
from homeostasis.model import Applicability, FileEdit, Fix, Span, TextEdit
from hypothesis import given
from hypothesis import strategies as st


def edit(line: int, col: int, end_line: int, end_col: int, text: str) -> TextEdit:
    return TextEdit(Span.of(line, col, end_line, end_col), text)


def fix(title: str, *files: FileEdit) -> Fix:
    return Fix(title, Applicability.SAFE, 0.9, files, "rule")


class TestApplyEdits:
    def test_no_edits_returns_text(self) -> None:
        assert apply_edits("abc", []) == "abc"

    def test_positions_refer_to_the_original_text_in_any_order(self) -> None:
        text = "a = d[k]\nprint(a)\n"
        edits = [edit(1, 0, 1, 5, "log"), edit(0, 4, 0, 8, "d.get(k)")]
        assert apply_edits(text, edits) == "a = d.get(k)\nlog(a)\n"

    def test_multiline_replacement_and_deletion(self) -> None:
        text = "one\ntwo\nthree\n"
        assert apply_edits(text, [edit(0, 1, 2, 2, "")]) == "oree\n"
        assert apply_edits(text, [edit(1, 0, 2, 0, "")]) == "one\nthree\n"

    def test_columns_are_code_points(self) -> None:
        text = "s = '🙂é' + x\n"
        assert apply_edits(text, [edit(0, 11, 0, 12, "y")]) == "s = '🙂é' + y\n"

    def test_crlf_is_preserved_and_line_end_clamps_before_cr(self) -> None:
        text = "a = 1\r\nb = 2\r\n"
        # Column 99 clamps to the end of the line, before its \r\n.
        assert apply_edits(text, [edit(0, 99, 0, 99, "  # note")]) == "a = 1  # note\r\nb = 2\r\n"

    def test_insertions_at_one_point_keep_their_order(self) -> None:
        assert apply_edits("x", [edit(0, 0, 0, 0, "a"), edit(0, 0, 0, 0, "b")]) == "abx"

    def test_insertion_at_the_start_or_end_of_a_replacement_is_fine(self) -> None:
        edits = [edit(0, 1, 0, 3, "X"), edit(0, 1, 0, 1, "<"), edit(0, 3, 0, 3, ">")]
        assert apply_edits("abcd", edits) == "a<X>d"

    def test_adjacent_ranges_do_not_conflict(self) -> None:
        assert apply_edits("abcd", [edit(0, 0, 0, 2, "X"), edit(0, 2, 0, 4, "Y")]) == "XY"

    @pytest.mark.parametrize(
        "edits",
        [
            [edit(0, 0, 0, 3, "X"), edit(0, 2, 0, 4, "Y")],
            [edit(0, 0, 0, 4, "X"), edit(0, 1, 0, 2, "Y")],
            [edit(0, 1, 0, 3, "X"), edit(0, 2, 0, 2, "Y")],
            [edit(0, 1, 0, 3, "X"), edit(0, 1, 0, 3, "X")],
        ],
    )
    def test_overlapping_edits_raise(self, edits: list[TextEdit]) -> None:
        with pytest.raises(EditConflict, match="overlapping edits") as info:
            apply_edits("abcdef", edits)
        assert {info.value.first, info.value.second} <= set(edits)

    def test_reversed_range_is_an_error(self) -> None:
        with pytest.raises(ValueError, match="ends before it starts"):
            apply_edits("abc", [edit(0, 2, 0, 1, "")])

    @given(st.text(), st.data())
    def test_disjoint_edits_match_sequential_application(self, text: str, data: st.DataObject) -> None:
        cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=6)))
        pairs = list(zip(cuts[::2], cuts[1::2], strict=False))
        replacements = [data.draw(st.text(max_size=3)) for _ in pairs]
        from homeostasis.model import Document

        document = Document("", text, "")
        edits = [
            TextEdit(Span(document.pos_at(a), document.pos_at(b)), r)
            for (a, b), r in zip(pairs, replacements, strict=True)
        ]
        expected = text
        for (a, b), r in reversed(list(zip(pairs, replacements, strict=True))):
            expected = expected[:a] + r + expected[b:]
        # pos_at cannot address the gap between \r and \n; skip those cuts.
        if all(document.offset(document.pos_at(c)) == c for c in cuts):
            assert apply_edits(text, edits) == expected


def test_file_hash_is_sha256_of_utf8() -> None:
    assert file_hash("é\n") == hashlib.sha256("é\n".encode()).hexdigest()
    assert file_hash("\ud800") != file_hash("")  # a lone surrogate hashes instead of raising


class TestUnifiedDiff:
    def test_equal_texts_give_empty_diff(self) -> None:
        assert unified_diff("a.py", "x\n", "x\n") == ""

    def test_git_style_headers(self) -> None:
        diff = unified_diff("src/a.py", "a\nb\n", "a\nc\n")
        assert diff.splitlines()[:3] == [
            "diff --git a/src/a.py b/src/a.py",
            "--- a/src/a.py",
            "+++ b/src/a.py",
        ]
        assert "-b\n+c\n" in diff

    def test_missing_final_newline_is_marked(self) -> None:
        diff = unified_diff("a.py", "a\nb", "a\nc")
        assert "-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n" in diff

    @pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
    @pytest.mark.parametrize(
        ("old", "new"),
        [("a\nb\n", "a\nc\n"), ("a\nb", "a\nb\nc"), ("x\r\ny\r\n", "x\r\nz\r\n"), ("", "new\n")],
    )
    def test_git_apply_accepts_it(self, tmp_path: Path, old: str, new: str) -> None:
        target = tmp_path / "f.txt"
        target.write_bytes(old.encode())
        patch = tmp_path / "p.diff"
        patch.write_bytes(unified_diff("f.txt", old, new).encode())
        subprocess.run(["git", "apply", "--unsafe-paths", str(patch)], cwd=tmp_path, check=True)
        assert target.read_bytes() == new.encode()


class TestMergeFixes:
    def test_disjoint_fixes_combine_per_path_sorted(self) -> None:
        a = fix("a", FileEdit("x.py", (edit(3, 0, 3, 1, "A"),), "h1"))
        b = fix(
            "b", FileEdit("x.py", (edit(1, 0, 1, 1, "B"),), "h1"), FileEdit("y.py", (edit(0, 0, 0, 0, "Y"),))
        )
        files, dropped = merge_fixes([a, b])
        assert dropped == ()
        assert [f.path for f in files] == ["x.py", "y.py"]
        assert [e.new_text for e in files[0].edits] == ["B", "A"]
        assert files[0].base_hash == "h1"

    def test_overlapping_fix_is_dropped_whole(self) -> None:
        a = fix("a", FileEdit("x.py", (edit(0, 0, 0, 5, "A"),)))
        b = fix("b", FileEdit("x.py", (edit(0, 3, 0, 8, "B"),)), FileEdit("y.py", (edit(0, 0, 0, 0, "Y"),)))
        c = fix("c", FileEdit("x.py", (edit(1, 0, 1, 1, "C"),)))
        merged = merge_fixes([a, b, c])
        assert merged.dropped == (b,)
        assert [f.path for f in merged.files] == ["x.py"]  # b's y.py edit is not half-applied
        assert [e.new_text for e in merged.files[0].edits] == ["A", "C"]

    def test_identical_edits_are_shared(self) -> None:
        imp = edit(0, 0, 0, 0, "import os\n")
        a = fix("a", FileEdit("x.py", (imp, edit(2, 0, 2, 1, "A"))))
        b = fix("b", FileEdit("x.py", (imp, edit(3, 0, 3, 1, "B"))))
        files, dropped = merge_fixes([a, b])
        assert dropped == ()
        assert [e.new_text for e in files[0].edits] == ["import os\n", "A", "B"]

    def test_different_insertions_at_one_point_conflict(self) -> None:
        a = fix("a", FileEdit("x.py", (edit(0, 0, 0, 0, "import os\n"),)))
        b = fix("b", FileEdit("x.py", (edit(0, 0, 0, 0, "import re\n"),)))
        assert merge_fixes([a, b]).dropped == (b,)

    def test_fix_against_another_version_is_dropped(self) -> None:
        a = fix("a", FileEdit("x.py", (edit(0, 0, 0, 1, "A"),), "h1"))
        b = fix("b", FileEdit("x.py", (edit(5, 0, 5, 1, "B"),), "h2"))
        assert merge_fixes([a, b]).dropped == (b,)

    def test_self_overlapping_fix_is_dropped(self) -> None:
        bad = fix("bad", FileEdit("x.py", (edit(0, 0, 0, 3, "A"), edit(0, 1, 0, 2, "B"))))
        assert merge_fixes([bad]) == ((), (bad,))

    def test_merged_edits_apply_cleanly(self) -> None:
        text = "a = d[k]\nb = e[k]\n"
        a = fix("a", FileEdit("x.py", (edit(0, 4, 0, 8, "d.get(k)"),), file_hash(text)))
        b = fix("b", FileEdit("x.py", (edit(1, 4, 1, 8, "e.get(k)"),), file_hash(text)))
        (merged,), _ = merge_fixes([a, b])
        assert apply_edits(text, merged.edits) == "a = d.get(k)\nb = e.get(k)\n"
