"""Finding and reading the workspace's source files.

``walk`` decides which files a scan sees, with git's ignore rules; ``read_source``
turns one file into text or into a clear reason why it was skipped.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from homeostasis.fixes.edits import file_hash

if TYPE_CHECKING:
    import pathspec

__all__ = [
    "ALWAYS_SKIPPED_DIRS",
    "Skipped",
    "SourceFile",
    "decode_source",
    "find_git_root",
    "read_source",
    "walk",
    "walk_paths",
]

# Never project source, and often huge: skipped whatever the ignore files say.
ALWAYS_SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", "__pycache__", ".tox", ".mypy_cache"})
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: Path
    text: str  # without the BOM, line endings untouched
    hash: str  # file_hash(text)
    bom: bool = False


@dataclass(frozen=True, slots=True)
class Skipped:
    path: Path
    reason: str


# Patterns and the folder (an absolute path string) they are relative to. Strings, not Paths:
# this runs for every entry of every scanned tree, and pathlib's objects cost more than the walk.
_Spec = tuple[str, "pathspec.GitIgnoreSpec"]


@dataclass(frozen=True, slots=True)
class _IgnoreRules:
    """The ignore specs in force for one directory."""

    specs: tuple[_Spec, ...]  # ignore files, deepest last
    excludes: _Spec | None = None  # the configured excludes, which outrank every ignore file

    def with_dir(self, directory: str) -> _IgnoreRules:
        spec = _load_spec(os.path.join(directory, ".gitignore"))
        return self if spec is None else _IgnoreRules((*self.specs, (directory, spec)), self.excludes)

    def ignored(self, path: str, is_dir: bool) -> bool:
        # Git lets the deepest ignore file that has an opinion decide, and within one
        # file the last matching line (a negation included).
        if not self.specs and self.excludes is None:
            return False
        chain = self.specs if self.excludes is None else (*self.specs, self.excludes)
        for base, spec in reversed(chain):
            if path == base or not path.startswith(base.rstrip(os.sep) + os.sep):
                continue
            rel = path[len(base.rstrip(os.sep)) + 1 :].replace(os.sep, "/")
            result = spec.check_file(rel + "/" if is_dir else rel)
            if result.include is not None:
                return bool(result.include)
        return False


def _load_spec(file: Path | str) -> pathspec.GitIgnoreSpec | None:
    try:
        with open(file, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    return _spec(lines)


def _spec(lines: Sequence[str]) -> pathspec.GitIgnoreSpec | None:
    if not lines:
        return None
    import pathspec  # only scans with ignore files or excludes pay for it

    try:
        spec = pathspec.GitIgnoreSpec.from_lines(lines)
    except Exception:  # pathspec raises assorted errors on malformed patterns
        spec = pathspec.GitIgnoreSpec.from_lines([ln for ln in lines if _valid_pattern(ln)])
    # Comments and blank lines become patterns that match nothing; skip such specs.
    return spec if any(p.include is not None for p in spec.patterns) else None


def _valid_pattern(line: str) -> bool:
    import pathspec

    try:
        pathspec.GitIgnoreSpec.from_lines([line])
    except Exception:
        return False
    return True


def find_git_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` holding ``.git`` (a dir, or a file for worktrees)."""
    current = Path(os.path.abspath(start))
    if not current.is_dir():
        current = current.parent
    for folder in (current, *current.parents):
        if (folder / ".git").exists():
            return folder
    return None


def _root_rules(
    root: Path, exclude: Sequence[str], exclude_base: Path, respect_gitignore: bool
) -> _IgnoreRules:
    specs: list[_Spec] = []
    if respect_gitignore:
        git_root = find_git_root(root)
        if git_root is not None:
            info = _load_spec(git_root / ".git" / "info" / "exclude")
            if info is not None:
                specs.append((str(git_root), info))
            # A scan of a subfolder still obeys the ignore files above it, up to the repo.
            inside = root.relative_to(git_root)
            for folder in reversed(inside.parents):
                spec = _load_spec(git_root / folder / ".gitignore")
                if spec is not None:
                    specs.append((os.path.normpath(git_root / folder), spec))
            # A folder the user names is scanned even if git ignores it (or a parent).
            above = _IgnoreRules(tuple(specs))
            folders = (inside, *inside.parents)
            if any(above.ignored(str(git_root / f), True) for f in folders if f != Path(".")):
                specs = []
    user = _spec(list(exclude))
    rules = _IgnoreRules(tuple(specs), None if user is None else (str(exclude_base), user))
    return rules.with_dir(str(root)) if respect_gitignore else rules


def _matches(name: str, extensions: frozenset[str]) -> bool:
    return not extensions or any(name.endswith(ext) for ext in extensions)


def walk(
    roots: Sequence[Path],
    extensions: frozenset[str],
    exclude: Sequence[str],
    respect_gitignore: bool = True,
    *,
    exclude_root: Path | None = None,
    accept: Callable[[str], bool] | None = None,
) -> Iterator[Path]:
    """Source files under ``roots``, each once, in sorted order within each root.

    ``extensions`` are name endings (``".py"``; a missing dot is added); empty means
    every file. ``exclude`` holds gitignore patterns relative to ``exclude_root``
    (the workspace root, where the configuration lives), else to each root. A root
    that is a file is yielded whatever the filters say: the user asked for it.
    Symlinked directories and virtual environments are not entered (no loops, no
    escaping the tree, no installed packages). ``accept``, when given, decides by file
    name instead of ``extensions`` (for languages known by name, like ``Dockerfile``).
    """
    for path in walk_paths(
        roots, extensions, exclude, respect_gitignore, exclude_root=exclude_root, accept=accept
    ):
        yield Path(path)


def walk_paths(
    roots: Sequence[Path],
    extensions: frozenset[str],
    exclude: Sequence[str],
    respect_gitignore: bool = True,
    *,
    exclude_root: Path | None = None,
    accept: Callable[[str], bool] | None = None,
) -> Iterator[str]:
    """``walk``'s files as strings: a scan of a large tree need not build a Path per file."""
    wanted = frozenset(e if e.startswith(".") else "." + e for e in extensions)
    chosen: Callable[[str], bool] = accept or (lambda name: _matches(name, wanted))
    unique = sorted(dict.fromkeys(roots))
    # Only several roots can name a file twice (a folder and a file in it, nested folders).
    seen: set[str] | None = set() if len(unique) > 1 else None
    for root in unique:
        if root.is_file():
            if seen is None or _first(os.path.abspath(root), seen):
                yield str(root)
            continue
        if not root.is_dir():
            continue
        # Rules are keyed on absolute, normalised paths so relative roots and ancestor
        # ignore files agree.
        absolute = Path(os.path.abspath(root))
        base = Path(os.path.abspath(exclude_root)) if exclude_root is not None else absolute
        rules = _root_rules(absolute, exclude, base, respect_gitignore)
        for path in _walk_dir(str(root), str(absolute), rules, chosen, respect_gitignore, top=True):
            if seen is None or _first(os.path.abspath(path), seen):
                yield path


def _first(key: str, seen: set[str]) -> bool:
    if key in seen:
        return False
    seen.add(key)
    return True


def _walk_dir(
    directory: str,
    absolute: str,
    rules: _IgnoreRules,
    accept: Callable[[str], bool],
    nested_ignores: bool,
    *,
    top: bool = False,
) -> Iterator[str]:
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=_name)
    except OSError:
        return  # an unreadable folder is skipped, not fatal
    # A virtual environment below the root is known by its listing, already at hand: no
    # extra stat per folder. (A root the user names is scanned whatever it is.)
    if not top and any(entry.name == "pyvenv.cfg" for entry in entries):
        return
    prefix = absolute.rstrip(os.sep) + os.sep
    for entry in entries:
        name = entry.name
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            is_file = not is_dir and entry.is_file()
        except OSError:
            continue
        # Names are checked before any path is built: most entries of a tree are not sources.
        if is_dir:
            if name in ALWAYS_SKIPPED_DIRS:
                continue
            target = prefix + name
            if rules.ignored(target, True):
                continue
            inner = rules.with_dir(target) if nested_ignores else rules
            yield from _walk_dir(entry.path, target, inner, accept, nested_ignores)
        elif is_file and accept(name) and not rules.ignored(prefix + name, False):
            yield entry.path


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def decode_source(data: bytes) -> tuple[str, bool]:
    """UTF-8 text without its BOM, and whether there was one. Raises UnicodeDecodeError."""
    if data.startswith(_BOM):
        return data[len(_BOM) :].decode("utf-8"), True
    return data.decode("utf-8"), False


def read_source(path: Path, max_bytes: int) -> SourceFile | Skipped:
    """The file's text, or why it cannot be scanned. Never raises."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            return Skipped(path, "unreadable: Is a directory")
        if not stat.S_ISREG(info.st_mode):
            # Opening a FIFO or a device could block forever.
            return Skipped(path, "not a regular file")
        if info.st_size > max_bytes:
            return Skipped(path, f"larger than {max_bytes} bytes")
        with path.open("rb") as handle:
            # Read one byte past the limit: the file may have grown since stat().
            data = handle.read(max_bytes + 1)
    except OSError as error:
        return Skipped(path, f"unreadable: {error.strerror or error}")
    except Exception as error:  # e.g. ValueError for an embedded NUL in the path
        return Skipped(path, f"unreadable: {error}")
    if len(data) > max_bytes:
        return Skipped(path, f"larger than {max_bytes} bytes")
    if b"\x00" in data:
        return Skipped(path, "binary file (NUL bytes)")
    try:
        text, bom = decode_source(data)
    except UnicodeDecodeError as error:
        offset = error.start + (len(_BOM) if data.startswith(_BOM) else 0)
        line = data.count(b"\n", 0, offset) + 1
        return Skipped(path, f"not valid UTF-8 at byte {offset} (line {line})")
    return SourceFile(path, text, file_hash(text), bom)
