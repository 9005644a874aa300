"""Walking the workspace with git's ignore rules, reading files, and DiskSources."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from homeostasis.fixes.edits import file_hash
from homeostasis.workspace.files import Skipped, SourceFile, read_source, walk
from homeostasis.workspace.sources import DiskSources

PY = frozenset({".py"})


def make(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def rels(root: Path, paths: list[Path]) -> list[str]:
    return [p.relative_to(root).as_posix() for p in paths]


def scan(root: Path, **kwargs: object) -> list[str]:
    exclude = kwargs.pop("exclude", ())
    extensions = kwargs.pop("extensions", PY)
    return rels(root, list(walk([root], extensions, exclude, **kwargs)))  # type: ignore[arg-type]


class TestWalk:
    def test_sorted_and_filtered_by_extension(self, tmp_path: Path) -> None:
        make(tmp_path, {"b.py": "", "a/z.py": "", "a.py": "", "a/b/c.py": "", "notes.txt": "", "x.pyi": ""})
        assert scan(tmp_path) == ["a/b/c.py", "a/z.py", "a.py", "b.py"]
        assert scan(tmp_path, extensions=frozenset({"py", ".pyi"})) == [
            "a/b/c.py",
            "a/z.py",
            "a.py",
            "b.py",
            "x.pyi",
        ]
        assert "notes.txt" in scan(tmp_path, extensions=frozenset())

    def test_always_skipped_directories(self, tmp_path: Path) -> None:
        make(
            tmp_path,
            {
                "keep.py": "",
                ".git/hooks/h.py": "",
                ".hg/x.py": "",
                "node_modules/pkg/index.py": "",
                "__pycache__/m.py": "",
                ".tox/py311/x.py": "",
                ".mypy_cache/x.py": "",
                ".venv/pyvenv.cfg": "home = /usr\n",
                ".venv/lib/site.py": "",
                "venv/pyvenv.cfg": "",
                "venv/lib/site.py": "",
                "envs/py/pyvenv.cfg": "",
                "envs/py/lib/x.py": "",
                "venv2/not_a_venv.py": "",
            },
        )
        assert scan(tmp_path) == ["keep.py", "venv2/not_a_venv.py"]

    def test_gitignore_negation_and_directory_only_patterns(self, tmp_path: Path) -> None:
        make(
            tmp_path,
            {
                ".gitignore": "gen_*.py\n!gen_keep.py\nbuild/\ndata\n/rootonly.py\n",
                "gen_a.py": "",
                "gen_keep.py": "",
                "build/out.py": "",
                "src/build.py": "",  # a file named like the directory-only pattern stays
                "src/build/x.py": "",
                "data/d.py": "",
                "src/data": "",  # pattern without slash matches files too (no .py anyway)
                "rootonly.py": "",
                "src/rootonly.py": "",
                "main.py": "",
            },
        )
        assert scan(tmp_path) == ["gen_keep.py", "main.py", "src/build.py", "src/rootonly.py"]

    def test_nested_gitignore_is_relative_to_its_folder_and_overrides(self, tmp_path: Path) -> None:
        make(
            tmp_path,
            {
                ".gitignore": "*.gen.py\n",
                "pkg/.gitignore": "/local.py\n!special.gen.py\n",
                "pkg/local.py": "",
                "pkg/sub/local.py": "",  # anchored to pkg/, so this one stays
                "local.py": "",  # pkg's ignore file does not reach up
                "pkg/special.gen.py": "",
                "pkg/other.gen.py": "",
                "top.gen.py": "",
            },
        )
        assert scan(tmp_path) == ["local.py", "pkg/special.gen.py", "pkg/sub/local.py"]

    def test_cannot_reinclude_inside_an_ignored_directory(self, tmp_path: Path) -> None:
        make(tmp_path, {".gitignore": "out/\n!out/keep.py\n", "out/keep.py": "", "a.py": ""})
        assert scan(tmp_path) == ["a.py"]

    def test_git_info_exclude_and_ancestor_ignore_files(self, tmp_path: Path) -> None:
        make(
            tmp_path,
            {
                ".git/info/exclude": "secret.py\n",
                ".gitignore": "skip/\n",
                "sub/secret.py": "",
                "sub/skip/x.py": "",
                "sub/ok.py": "",
            },
        )
        # Walking a subfolder still obeys the repository's ignore files above it.
        assert rels(tmp_path, list(walk([tmp_path / "sub"], PY, ()))) == ["sub/ok.py"]

    def test_an_explicit_ignored_folder_is_scanned(self, tmp_path: Path) -> None:
        make(
            tmp_path,
            {
                ".git/HEAD": "",
                ".gitignore": "build/\n",
                "build/gen/a.py": "",
                "build/gen/.gitignore": "b.py\n",
            },
        )
        make(tmp_path, {"build/gen/b.py": ""})
        assert rels(tmp_path, list(walk([tmp_path / "build" / "gen"], PY, ()))) == ["build/gen/a.py"]

    def test_respect_gitignore_false(self, tmp_path: Path) -> None:
        make(tmp_path, {".gitignore": "*.py\n", "a.py": "", "node_modules/b.py": ""})
        assert scan(tmp_path, respect_gitignore=False) == ["a.py"]

    def test_configured_excludes_are_gitignore_patterns_relative_to_root(self, tmp_path: Path) -> None:
        make(tmp_path, {"tests/fixtures/a.py": "", "tests/t.py": "", "fixtures/b.py": "", "m_pb2.py": ""})
        assert scan(tmp_path, exclude=["/fixtures/", "*_pb2.py"]) == ["tests/fixtures/a.py", "tests/t.py"]

    def test_excludes_relative_to_the_workspace_root_when_walking_a_subfolder(self, tmp_path: Path) -> None:
        make(tmp_path, {"src/gen/a.py": "", "src/b.py": "", "gen/c.py": ""})
        found = walk([tmp_path / "src"], PY, ["/src/gen/"], exclude_root=tmp_path)
        assert rels(tmp_path, list(found)) == ["src/b.py"]

    def test_configured_excludes_outrank_nested_negations(self, tmp_path: Path) -> None:
        make(tmp_path, {"pkg/.gitignore": "!*.gen.py\n", "pkg/a.gen.py": "", "pkg/b.py": ""})
        assert scan(tmp_path, exclude=["*.gen.py"]) == ["pkg/b.py"]

    def test_explicit_files_are_always_included(self, tmp_path: Path) -> None:
        make(
            tmp_path,
            {".gitignore": "ignored.py\nbuild/\n", "ignored.py": "", "build/gen.py": "", "a.txt": ""},
        )
        explicit = [tmp_path / "build" / "gen.py", tmp_path / "ignored.py", tmp_path / "a.txt"]
        assert rels(tmp_path, list(walk(explicit, PY, ["*.py"]))) == ["a.txt", "build/gen.py", "ignored.py"]

    def test_each_file_once_across_overlapping_roots(self, tmp_path: Path) -> None:
        make(tmp_path, {"src/a.py": "", "src/sub/b.py": ""})
        roots = [tmp_path / "src" / "sub", tmp_path / "src", tmp_path / "src" / "a.py"]
        assert rels(tmp_path, list(walk(roots, PY, ()))) == ["src/a.py", "src/sub/b.py"]

    def test_relative_root_yields_relative_paths(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        make(tmp_path, {".git/HEAD": "", ".gitignore": "x.py\n", "pkg/x.py": "", "pkg/y.py": ""})
        monkeypatch.chdir(tmp_path / "pkg")
        assert [p.as_posix() for p in walk([Path(".")], PY, ())] == ["y.py"]

    def test_symlinked_directories_are_not_followed(self, tmp_path: Path) -> None:
        make(tmp_path, {"real/a.py": ""})
        (tmp_path / "real" / "loop").symlink_to(tmp_path, target_is_directory=True)
        assert scan(tmp_path) == ["real/a.py"]

    def test_missing_root_yields_nothing(self, tmp_path: Path) -> None:
        assert list(walk([tmp_path / "nope"], PY, ())) == []

    @pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
    def test_agrees_with_git(self, tmp_path: Path) -> None:
        make(
            tmp_path,
            {
                ".gitignore": "*.log.py\n!keep.log.py\nbuild/\n/top.py\ndocs/**/gen_*.py\n",
                "a/.gitignore": "*.tmp.py\n!x.tmp.py\nsub/\n",
                "keep.log.py": "",
                "drop.log.py": "",
                "top.py": "",
                "a/top.py": "",
                "build/b.py": "",
                "a/build/c.py": "",
                "a/x.tmp.py": "",
                "a/y.tmp.py": "",
                "a/sub/z.py": "",
                "a/subfile.py": "",
                "docs/x/y/gen_a.py": "",
                "docs/gen_b.py": "",
                "docs/ok.py": "",
            },
        )
        subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
        listed = subprocess.run(
            ["git", "ls-files", "--others", "--exclude-standard", "--", "*.py"],
            cwd=tmp_path,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        assert scan(tmp_path) == sorted(listed, key=lambda p: Path(p).parts)


class TestReadSource:
    def test_utf8_text_with_crlf_kept(self, tmp_path: Path) -> None:
        path = tmp_path / "a.py"
        path.write_bytes("x = 'é'\r\ny = 1\r\n".encode())
        result = read_source(path, 1000)
        assert isinstance(result, SourceFile)
        assert result.text == "x = 'é'\r\ny = 1\r\n"
        assert result.hash == file_hash(result.text)
        assert not result.bom

    def test_bom_is_accepted_and_stripped(self, tmp_path: Path) -> None:
        path = tmp_path / "a.py"
        path.write_bytes(b"\xef\xbb\xbfx = 1\n")
        result = read_source(path, 1000)
        assert isinstance(result, SourceFile)
        assert (result.text, result.bom) == ("x = 1\n", True)

    def test_binary(self, tmp_path: Path) -> None:
        path = tmp_path / "a.py"
        path.write_bytes(b"abc\x00def")
        assert read_source(path, 1000) == Skipped(path, "binary file (NUL bytes)")

    def test_too_large(self, tmp_path: Path) -> None:
        path = tmp_path / "a.py"
        path.write_bytes(b"x" * 101)
        assert read_source(path, 100) == Skipped(path, "larger than 100 bytes")
        assert isinstance(read_source(path, 101), SourceFile)

    def test_invalid_utf8_reports_byte_and_line(self, tmp_path: Path) -> None:
        path = tmp_path / "a.py"
        path.write_bytes(b"ok\nalso ok\nbad \xff here\n")
        assert read_source(path, 1000) == Skipped(path, "not valid UTF-8 at byte 15 (line 3)")

    def test_invalid_utf8_after_bom_counts_the_bom(self, tmp_path: Path) -> None:
        path = tmp_path / "a.py"
        path.write_bytes(b"\xef\xbb\xbf\xc3")
        assert read_source(path, 1000) == Skipped(path, "not valid UTF-8 at byte 3 (line 1)")

    def test_missing_and_directory_are_unreadable(self, tmp_path: Path) -> None:
        missing = read_source(tmp_path / "nope.py", 1000)
        assert isinstance(missing, Skipped)
        assert missing.reason == "unreadable: No such file or directory"
        assert read_source(tmp_path, 1000) == Skipped(tmp_path, "unreadable: Is a directory")

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
    def test_fifo_is_skipped_not_opened(self, tmp_path: Path) -> None:
        fifo = tmp_path / "pipe.py"
        os.mkfifo(fifo)
        assert read_source(fifo, 1000) == Skipped(fifo, "not a regular file")
        assert scan(tmp_path) == []


class TestDiskSources:
    def setup_sources(self, tmp_path: Path) -> DiskSources:
        make(
            tmp_path,
            {
                "ws/src/app.py": "print('hi')\r\n",
                "ws/bin.py": b"\x00\x01",
                "ws/big.py": "x" * 50,
                "ws/latin.py": b"caf\xe9",
                "ws/notes.txt": "n",
                "outside.py": "secret",
            },
        )
        (tmp_path / "ws" / "escape.py").symlink_to(tmp_path / "outside.py")
        (tmp_path / "ws" / "alias.py").symlink_to(tmp_path / "ws" / "src" / "app.py")
        return DiskSources(
            tmp_path / "ws", 40, language_for=lambda p: "python" if p.endswith(".py") else None
        )

    def test_relative_and_absolute_paths(self, tmp_path: Path) -> None:
        sources = self.setup_sources(tmp_path)
        document = sources.get("src/app.py")
        assert document is not None
        assert (document.path, document.text, document.language) == (
            "src/app.py",
            "print('hi')\r\n",
            "python",
        )
        absolute = sources.get(str(tmp_path / "ws" / "src" / "app.py"))
        assert absolute is document  # cached
        assert sources.get("./src/../src/app.py") is document

    def test_unknown_language_is_empty(self, tmp_path: Path) -> None:
        document = self.setup_sources(tmp_path).get("notes.txt")
        assert document is not None
        assert document.language == ""

    def test_symlink_inside_keeps_its_own_name(self, tmp_path: Path) -> None:
        document = self.setup_sources(tmp_path).get("alias.py")
        assert document is not None
        assert document.path == "alias.py"

    @pytest.mark.parametrize(
        ("path", "reason"),
        [
            ("../outside.py", "outside the workspace root"),
            ("escape.py", "outside the workspace root"),
            ("/etc/passwd", "outside the workspace root"),
            ("missing.py", "not a file in the workspace"),
            ("src", "not a file in the workspace"),
            ("bin.py", "binary file (NUL bytes)"),
            ("big.py", "larger than 40 bytes"),
            ("latin.py", "not valid UTF-8 at byte 3 (line 1)"),
        ],
    )
    def test_refusals(self, tmp_path: Path, path: str, reason: str) -> None:
        sources = self.setup_sources(tmp_path)
        assert sources.get(path) is None
        assert sources.skip_reason(path) == reason

    def test_absolute_path_through_a_symlinked_root(self, tmp_path: Path) -> None:
        make(tmp_path, {"real/a.py": "a"})
        (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
        sources = DiskSources(tmp_path / "link", 100)
        for path in (str(tmp_path / "real" / "a.py"), str(tmp_path / "link" / "a.py")):
            document = sources.get(path)
            assert document is not None
            assert document.path == "a.py"

    def test_cache_is_per_instance(self, tmp_path: Path) -> None:
        make(tmp_path, {"a.py": "one"})
        first = DiskSources(tmp_path, 100)
        assert first.get("a.py") is not None
        (tmp_path / "a.py").write_text("two")
        assert first.get("a.py").text == "one"  # type: ignore[union-attr]
        assert DiskSources(tmp_path, 100).get("a.py").text == "two"  # type: ignore[union-attr]


def test_os_errors_while_reading_become_reasons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.py"
    path.write_text("x")

    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", refuse)
    assert read_source(path, 1000) == Skipped(path, "unreadable: Permission denied")
