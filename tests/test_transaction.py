"""All-or-nothing multi-file edits on real files, with real validation commands."""

from __future__ import annotations

import os
import shlex
import stat
import sys
from pathlib import Path

import pytest
from homeostasis.fixes.edits import file_hash
from homeostasis.model import FileEdit, Span, TextEdit
from homeostasis.workspace import transaction
from homeostasis.workspace.transaction import apply_transaction


def py(code: str) -> str:
    """A shell command running ``code`` with this interpreter."""
    return f"{shlex.quote(sys.executable)} -c {shlex.quote(code)}"


def replace_line(path: str, text: str, line: int, new_line: str, base: str | None = None) -> FileEdit:
    old = text.splitlines()[line]
    edit = TextEdit(Span.of(line, 0, line, len(old)), new_line)
    return FileEdit(path, (edit,), file_hash(text) if base is None else base)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    (root / "pkg").mkdir(parents=True)
    (root / "a.py").write_bytes(b"a = 1\nb = 2\n")
    (root / "pkg" / "b.py").write_bytes(b"x = 1\r\ny = 2\r\n")
    return root


def edits_for(root: Path) -> list[FileEdit]:
    a = (root / "a.py").read_text()
    b = (root / "pkg" / "b.py").read_bytes().decode()
    return [replace_line("a.py", a, 0, "a = 10"), replace_line("pkg/b.py", b, 1, "y = 20")]


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_applies_every_file_preserving_crlf(workspace: Path) -> None:
    result = apply_transaction(workspace, edits_for(workspace))
    assert result.ok and result.applied
    assert result.changed == ("a.py", "pkg/b.py")
    assert not result.rolled_back
    assert (workspace / "a.py").read_bytes() == b"a = 10\nb = 2\n"
    assert (workspace / "pkg" / "b.py").read_bytes() == b"x = 1\r\ny = 20\r\n"
    # Temp files never linger.
    assert sorted(snapshot(workspace)) == ["a.py", "pkg/b.py"]


def test_applying_the_same_fix_twice_is_refused_by_the_hash(workspace: Path) -> None:
    edits = edits_for(workspace)
    assert apply_transaction(workspace, edits).ok
    after = snapshot(workspace)
    second = apply_transaction(workspace, edits)
    assert not second.applied
    assert "file changed since the fix was computed" in (second.error or "")
    assert snapshot(workspace) == after


def test_no_op_edit_changes_nothing(workspace: Path) -> None:
    text = (workspace / "a.py").read_text()
    result = apply_transaction(workspace, [replace_line("a.py", text, 0, "a = 1")])
    assert result.ok
    assert result.changed == ()


def test_file_mode_is_preserved(workspace: Path) -> None:
    (workspace / "a.py").chmod(0o751)
    assert apply_transaction(workspace, edits_for(workspace)).ok
    assert stat.S_IMODE((workspace / "a.py").stat().st_mode) == 0o751


def test_bom_is_preserved_and_hash_is_of_the_text(workspace: Path) -> None:
    (workspace / "a.py").write_bytes(b"\xef\xbb\xbfa = 1\n")
    result = apply_transaction(workspace, [replace_line("a.py", "a = 1\n", 0, "a = 2")])
    assert result.ok, result.error
    assert (workspace / "a.py").read_bytes() == b"\xef\xbb\xbfa = 2\n"


def test_symlink_inside_root_is_written_through(workspace: Path) -> None:
    (workspace / "link.py").symlink_to(workspace / "a.py")
    text = (workspace / "a.py").read_text()
    result = apply_transaction(workspace, [replace_line("link.py", text, 0, "a = 3")])
    assert result.ok
    assert result.changed == ("a.py",)
    assert (workspace / "link.py").is_symlink()
    assert (workspace / "a.py").read_text() == "a = 3\nb = 2\n"


@pytest.mark.parametrize("path", ["../outside.py", "/etc/hostname", "pkg/../../outside.py", "escape.py"])
def test_paths_outside_root_are_refused_and_nothing_is_written(workspace: Path, path: str) -> None:
    outside = workspace.parent / "outside.py"
    outside.write_text("o = 1\n")
    (workspace / "escape.py").symlink_to(outside)
    before = snapshot(workspace.parent)
    edit = TextEdit(Span.of(0, 0, 0, 0), "# pwned\n")
    result = apply_transaction(workspace, [*edits_for(workspace), FileEdit(path, (edit,))])
    assert not result.applied
    assert "outside the workspace root" in (result.error or "")
    assert snapshot(workspace.parent) == before


def test_stale_base_hash_aborts_before_writing(workspace: Path) -> None:
    edits = edits_for(workspace)
    (workspace / "pkg" / "b.py").write_bytes(b"x = 1\r\ny = 2\r\nz = 3\r\n")
    before = snapshot(workspace)
    result = apply_transaction(workspace, edits)
    assert not result.applied and not result.rolled_back
    assert result.error == "pkg/b.py: file changed since the fix was computed; compute the fix again"
    assert snapshot(workspace) == before


def test_empty_base_hash_skips_the_check(workspace: Path) -> None:
    edit = TextEdit(Span.of(0, 0, 0, 0), "# top\n")
    assert apply_transaction(workspace, [FileEdit("a.py", (edit,))]).ok
    assert (workspace / "a.py").read_text().startswith("# top\n")


def test_overlapping_edits_abort(workspace: Path) -> None:
    edits = (TextEdit(Span.of(0, 0, 0, 3), "x"), TextEdit(Span.of(0, 1, 0, 4), "y"))
    result = apply_transaction(workspace, [FileEdit("a.py", edits)])
    assert not result.applied
    assert "overlapping edits" in (result.error or "")


def test_invalid_utf8_target_is_refused(workspace: Path) -> None:
    (workspace / "a.py").write_bytes(b"caf\xe9\n")
    result = apply_transaction(workspace, [FileEdit("a.py", (TextEdit(Span.of(0, 0, 0, 0), "#"),))])
    assert not result.applied
    assert (result.error or "").startswith("a.py: not valid UTF-8 at byte 3")


def test_missing_file_is_an_error_unless_declared_new(workspace: Path) -> None:
    insert = (TextEdit(Span.of(0, 0, 0, 0), "NEW = 1\n"),)
    missing = apply_transaction(workspace, [FileEdit("pkg/new.py", insert)])
    assert missing.error == "pkg/new.py: file not found"
    created = apply_transaction(workspace, [FileEdit("pkg/new.py", insert, file_hash(""))])
    assert created.ok and created.changed == ("pkg/new.py",)
    assert (workspace / "pkg" / "new.py").read_text() == "NEW = 1\n"


def test_two_file_edits_for_one_path_are_merged(workspace: Path) -> None:
    text = (workspace / "a.py").read_text()
    first = replace_line("a.py", text, 0, "a = 5")
    second = replace_line("a.py", text, 1, "b = 6")
    assert apply_transaction(workspace, [first, second]).ok
    assert (workspace / "a.py").read_text() == "a = 5\nb = 6\n"


def test_failed_second_write_restores_the_first(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(workspace)
    real_replace = os.replace
    calls = {"n": 0}

    def flaky_replace(src: str, dst: str) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky_replace)
    result = apply_transaction(workspace, edits_for(workspace))
    assert not result.applied
    assert result.rolled_back
    assert result.error == "could not write pkg/b.py: No space left on device; nothing was changed"
    assert snapshot(workspace) == before  # content restored, no temp files left


def test_file_changed_between_planning_and_writing(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = transaction._write
    seen: list[str] = []

    def concurrent_editor(item: transaction._Planned) -> None:
        seen.append(item.rel)
        if item.rel == "pkg/b.py":
            (workspace / "pkg" / "b.py").write_bytes(b"someone else\n")
        real_write(item)

    monkeypatch.setattr(transaction, "_write", concurrent_editor)
    result = apply_transaction(workspace, edits_for(workspace))
    assert not result.applied and result.rolled_back
    assert "file changed while the fix was being applied" in (result.error or "")
    assert (workspace / "a.py").read_bytes() == b"a = 1\nb = 2\n"
    assert (workspace / "pkg" / "b.py").read_bytes() == b"someone else\n"  # their edit is not lost


class TestValidation:
    def test_passing_validation_keeps_the_change(self, workspace: Path) -> None:
        command = py(
            "import pathlib, sys; print('checked'); "
            "sys.exit(pathlib.Path('a.py').read_text() != 'a = 10\\nb = 2\\n')"
        )
        result = apply_transaction(workspace, edits_for(workspace), validate=command)
        assert result.ok, result
        assert result.validation_exit_code == 0
        assert result.validation_output == "checked"
        assert (workspace / "a.py").read_text() == "a = 10\nb = 2\n"

    def test_failing_validation_rolls_back_everything(self, workspace: Path) -> None:
        before = snapshot(workspace)
        code = "import sys\nfor i in range(30): print('line', i)\nprint('boom', file=sys.stderr)\nsys.exit(3)"
        result = apply_transaction(workspace, edits_for(workspace), validate=py(code))
        assert not result.applied
        assert result.rolled_back
        assert result.changed == ()
        assert result.validation_exit_code == 3
        tail = result.validation_output.splitlines()
        assert len(tail) == 20
        assert tail[-1] == "boom" and tail[0] == "line 11"
        assert "exit code 3" in (result.error or "")
        assert snapshot(workspace) == before

    def test_validation_runs_in_the_root_and_sees_the_new_text(self, workspace: Path) -> None:
        command = py(
            "import pathlib, sys; sys.exit(0 if 'y = 20' in pathlib.Path('pkg/b.py').read_text() else 1)"
        )
        assert apply_transaction(workspace, edits_for(workspace), validate=command).ok

    def test_timeout_kills_the_command_and_its_children_and_rolls_back(self, workspace: Path) -> None:
        before = snapshot(workspace)
        # The shell starts a child that would keep the output pipe open for a minute.
        command = py("import time; print('started', flush=True); time.sleep(60)") + " & wait"
        result = apply_transaction(workspace, edits_for(workspace), validate=command, timeout=1)
        assert not result.applied and result.rolled_back
        assert result.validation_exit_code is None
        assert "timed out after 1 s" in (result.error or "")
        assert result.validation_output == "started"
        assert snapshot(workspace) == before

    def test_missing_command_rolls_back(self, workspace: Path) -> None:
        before = snapshot(workspace)
        result = apply_transaction(workspace, edits_for(workspace), validate="definitely-not-a-command-xyz")
        assert result.rolled_back
        assert result.validation_exit_code == 127
        assert snapshot(workspace) == before

    def test_nothing_to_change_skips_validation(self, workspace: Path) -> None:
        result = apply_transaction(workspace, [], validate=py("import sys; sys.exit(1)"))
        assert result.ok
        assert result.validation_exit_code is None


def test_interrupt_during_validation_restores_files(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(workspace)

    def interrupted(command: str, cwd: Path, timeout: float) -> None:
        assert (workspace / "a.py").read_text().startswith("a = 10")
        raise KeyboardInterrupt

    monkeypatch.setattr(transaction, "_run_validation", interrupted)
    with pytest.raises(KeyboardInterrupt):
        apply_transaction(workspace, edits_for(workspace), validate="true")
    assert snapshot(workspace) == before
