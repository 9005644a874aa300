"""Applying a fix to the disk as one transaction: every file changes, or none does.

Order of work: check every path and hash and compute every new text first
(nothing written yet, so any refusal is free); then write atomically one file
at a time keeping the old bytes in memory; then run the optional validation
command. A failed write or a failed validation restores every file written.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from homeostasis.fixes.edits import EditConflict, apply_edits, file_hash
from homeostasis.model import FileEdit, TextEdit
from homeostasis.workspace.files import decode_source

__all__ = ["TransactionResult", "apply_transaction"]

_BOM = b"\xef\xbb\xbf"
_TAIL_LINES = 20


@dataclass(frozen=True, slots=True)
class TransactionResult:
    applied: bool  # True when the new texts are on disk (and validation, if any, passed)
    changed: tuple[str, ...] = ()  # root-relative POSIX paths whose content changed
    rolled_back: bool = False  # files were written and then restored
    validation_exit_code: int | None = None  # None: not run, or timed out
    validation_output: str = ""  # the last lines of the command's stdout+stderr
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.applied and self.error is None


@dataclass(frozen=True, slots=True)
class _Planned:
    rel: str
    target: Path  # resolved: writes go through symlinks to the real file
    old: bytes | None  # None: the file is created by this transaction
    new: bytes
    mode: int | None


@dataclass(frozen=True, slots=True)
class _Refused:
    message: str


def apply_transaction(
    root: Path,
    file_edits: Sequence[FileEdit],
    *,
    validate: str | None = None,
    timeout: float = 600,
) -> TransactionResult:
    """Apply ``file_edits`` under ``root`` all-or-nothing, optionally validated by a shell command.

    A FileEdit whose file does not exist creates it only when its ``base_hash``
    is the hash of the empty text (an explicit "new file"); its folder must exist.
    Never raises for problems with the files; they come back as ``error``.
    """
    plan = _plan(Path(os.path.abspath(root)), file_edits)
    if isinstance(plan, _Refused):
        return TransactionResult(applied=False, error=plan.message)
    if not plan:
        return TransactionResult(applied=True)
    written: list[_Planned] = []
    for item in plan:
        try:
            _write(item)
        except Exception as error:
            problem = _rollback(written)
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            message = f"could not write {item.rel}: {reason}; nothing was changed"
            return TransactionResult(
                applied=False, rolled_back=bool(written), error=_with_rollback(message, problem)
            )
        except BaseException:
            # Interrupted (Ctrl-C) half-way: put the files back before stopping.
            _rollback(written)
            raise
        written.append(item)
    changed = tuple(item.rel for item in plan)
    if validate is None:
        return TransactionResult(applied=True, changed=changed)
    try:
        code, tail, failure = _run_validation(validate, Path(os.path.abspath(root)), timeout)
    except BaseException:
        _rollback(written)
        raise
    if failure is None:
        return TransactionResult(
            applied=True, changed=changed, validation_exit_code=code, validation_output=tail
        )
    problem = _rollback(written)
    return TransactionResult(
        applied=False,
        changed=(),
        rolled_back=True,
        validation_exit_code=code,
        validation_output=tail,
        error=_with_rollback(failure + "; every file was restored", problem),
    )


def _with_rollback(message: str, problem: str | None) -> str:
    return message if problem is None else f"{message}; BUT ROLLBACK FAILED: {problem}"


def _plan(root: Path, file_edits: Sequence[FileEdit]) -> list[_Planned] | _Refused:
    real_root = root.resolve()
    grouped: dict[Path, tuple[str, str, list[TextEdit]]] = {}
    for file_edit in file_edits:
        candidate = Path(file_edit.path)
        lexical = candidate if candidate.is_absolute() else root / candidate
        try:
            target = lexical.resolve()
            rel = target.relative_to(real_root).as_posix()
        except (ValueError, OSError, RuntimeError):
            return _Refused(f"refusing to edit {file_edit.path}: outside the workspace root {root}")
        if rel == ".":
            return _Refused(f"refusing to edit {file_edit.path}: it is the workspace root")
        if target in grouped:
            # Two FileEdits for one file are merged, if computed against the same text.
            known_rel, known_hash, edits = grouped[target]
            if known_hash and file_edit.base_hash and known_hash != file_edit.base_hash:
                return _Refused(f"two edits of {rel} were computed against different versions of it")
            grouped[target] = (known_rel, known_hash or file_edit.base_hash, [*edits, *file_edit.edits])
        else:
            grouped[target] = (rel, file_edit.base_hash, list(file_edit.edits))
    plan: list[_Planned] = []
    for target, (rel, base_hash, edits) in grouped.items():
        item = _plan_file(rel, target, base_hash, edits)
        if isinstance(item, _Refused):
            return item
        if item is not None:
            plan.append(item)
    return plan


def _plan_file(rel: str, target: Path, base_hash: str, edits: list[TextEdit]) -> _Planned | _Refused | None:
    """What to write to one file; None when the edits change nothing."""
    try:
        old: bytes | None = target.read_bytes()
        mode: int | None = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        if base_hash != file_hash(""):
            return _Refused(f"{rel}: file not found")
        old, mode = None, None
    except OSError as error:
        return _Refused(f"{rel}: unreadable: {error.strerror or error}")
    try:
        text, bom = decode_source(old or b"")
    except UnicodeDecodeError as error:
        return _Refused(f"{rel}: not valid UTF-8 at byte {error.start}; not editing it")
    if base_hash and file_hash(text) != base_hash:
        return _Refused(f"{rel}: file changed since the fix was computed; compute the fix again")
    try:
        new_text = apply_edits(text, edits)
    except EditConflict as conflict:
        return _Refused(f"{rel}: {conflict}")
    except ValueError as error:
        return _Refused(f"{rel}: {error}")
    if new_text == text and old is not None:
        return None
    # Text keeps its line endings as read (no newline translation), and its BOM.
    new = (_BOM if bom else b"") + new_text.encode("utf-8", "surrogatepass")
    return _Planned(rel, target, old, new, mode)


def _current_umask() -> int:
    # os.umask() can only be read by setting it, which races with other threads;
    # Linux reports it in /proc instead.
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def _write(item: _Planned) -> None:
    """Write ``item.new`` atomically, unless the file changed since it was read."""
    current: bytes | None
    try:
        current = item.target.read_bytes()
    except FileNotFoundError:
        current = None
    if current != item.old:
        raise OSError(0, "file changed while the fix was being applied")
    _atomic_write(item.target, item.new, item.mode if item.mode is not None else 0o666 & ~_current_umask())


def _atomic_write(target: Path, data: bytes, mode: int) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".homeostasis-tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _rollback(written: Sequence[_Planned]) -> str | None:
    """Restore every written file (last first); a description of any that could not be."""
    failures: list[str] = []
    for item in reversed(written):
        try:
            if item.old is None:
                item.target.unlink(missing_ok=True)
            else:
                _atomic_write(item.target, item.old, item.mode if item.mode is not None else 0o644)
        except OSError as error:
            failures.append(f"{item.rel}: {error.strerror or error}")
    return "; ".join(failures) or None


def _run_validation(command: str, cwd: Path, timeout: float) -> tuple[int | None, str, str | None]:
    """Exit code, output tail, and a failure description (None when it passed)."""
    try:
        # A session of its own, so a timeout can kill the command's children too:
        # a surviving grandchild would hold the pipe open and hang us.
        process = subprocess.Popen(
            command,
            shell=True,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    except OSError as error:
        return None, "", f"validation command could not start: {error.strerror or error}"
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        output, _ = process.communicate()
        tail = _tail(output)
        return None, tail, f"validation command timed out after {timeout:g} s"
    except BaseException:
        _kill_group(process)
        process.wait()
        raise
    tail = _tail(output)
    if process.returncode != 0:
        return process.returncode, tail, f"validation command failed with exit code {process.returncode}"
    return 0, tail, None


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (OSError, AttributeError):
        process.kill()


def _tail(output: bytes | None) -> str:
    lines = (output or b"").decode("utf-8", "replace").splitlines()
    return "\n".join(lines[-_TAIL_LINES:])
