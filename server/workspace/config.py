"""Settings from ``[tool.homeostasis]`` in pyproject.toml.

Every mistake in the file becomes a readable problem and the default for that
key; loading configuration never stops a scan.
"""

from __future__ import annotations

import difflib
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from homeostasis.model import Declared, Settings, Severity
from homeostasis.workspace.files import find_git_root

__all__ = ["ConfigResult", "load_config", "merge_settings", "settings_from_table"]

_TABLE = "tool.homeostasis"


@dataclass(frozen=True, slots=True)
class ConfigResult:
    settings: Settings
    root: Path  # the workspace root: the config's folder, else the git root or the start folder
    problems: tuple[str, ...] = ()
    config_file: Path | None = None


def _show(value: object) -> str:
    """A value as the user wrote it in TOML, shortened."""
    if isinstance(value, bool):
        shown = "true" if value else "false"
    elif isinstance(value, dict):
        shown = "a table"
    else:
        shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


class _Problems:
    """Collects problems with the key path they belong to."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, key: str, message: str) -> None:
        self.items.append(f"{_TABLE}.{key}: {message}")


def _str_list(key: str, value: object, problems: _Problems) -> tuple[str, ...] | None:
    if isinstance(value, str):
        problems.add(key, f"expected a list of strings, got {_show(value)} (write [{value!r}])")
        return None
    if not isinstance(value, list):
        problems.add(key, f"expected a list of strings, got {_show(value)}")
        return None
    good = []
    for index, item in enumerate(value):
        if isinstance(item, str) and item:
            good.append(item)
        else:
            problems.add(f"{key}[{index}]", f"expected a non-empty string, got {_show(item)}")
    return tuple(good)


def _severity(key: str, value: object, problems: _Problems) -> tuple[tuple[str, Severity], ...] | None:
    if not isinstance(value, dict):
        example = '(e.g. "py-*" = "error")'
        problems.add(key, f"expected a table of rule-glob = severity, got {_show(value)} {example}")
        return None
    choices = ", ".join(s.value for s in Severity)
    out = []
    for glob, level in value.items():
        if isinstance(level, str) and level.lower() in {s.value for s in Severity}:
            out.append((glob, Severity(level.lower())))
        else:
            problems.add(f'{key}."{glob}"', f"expected one of {choices}, got {_show(level)}")
    return tuple(out)


def _threshold(key: str, value: object, problems: _Problems) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1:
        return float(value)
    problems.add(key, f"expected a number between 0 and 1, got {_show(value)}")
    return None


def _remaps(key: str, value: object, problems: _Problems) -> tuple[tuple[str, str], ...] | None:
    if not isinstance(value, dict):
        example = '(e.g. "/app" = ".")'
        problems.add(key, f"expected a table of printed-prefix = path, got {_show(value)} {example}")
        return None
    out = []
    for prefix, target in value.items():
        where = f'{key}."{prefix}"'
        if not isinstance(target, str):
            problems.add(where, f"expected a path relative to the workspace root, got {_show(target)}")
            continue
        normal = posixpath.normpath(target.replace("\\", "/")) if target else "."
        # Remapped frames become edit targets: they must stay inside the workspace.
        if posixpath.isabs(normal) or normal == ".." or normal.startswith("../"):
            problems.add(where, f"expected a path inside the workspace root, got {_show(target)}")
            continue
        out.append((prefix, normal))
    return tuple(out)


def _bool(key: str, value: object, problems: _Problems) -> bool | None:
    if isinstance(value, bool):
        return value
    problems.add(key, f"expected true or false, got {_show(value)}")
    return None


def _positive_int(key: str, value: object, problems: _Problems) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    problems.add(key, f"expected a positive whole number of bytes, got {_show(value)}")
    return None


def _frameworks(key: str, value: object, problems: _Problems) -> tuple[Declared, ...] | None:
    names = _str_list(key, value, problems)
    if names is None:
        return None
    return tuple(Declared(name, f"[tool.homeostasis] {key}") for name in names)


_Reader = Callable[[str, object, _Problems], Any]

# TOML key -> (Settings field, reader); the readers return None for "keep the default".
_KEYS: dict[str, tuple[str, _Reader]] = {
    "enable": ("enable", _str_list),
    "disable": ("disable", _str_list),
    "severity": ("severity", _severity),
    "confidence-threshold": ("confidence_threshold", _threshold),
    "path-remaps": ("path_remaps", _remaps),
    "unsafe-fixes": ("unsafe_fixes", _bool),
    "exclude": ("exclude", _str_list),
    "max-file-bytes": ("max_file_bytes", _positive_int),
    "frameworks": ("frameworks", _frameworks),
}


def settings_from_table(table: Mapping[str, object]) -> tuple[Settings, tuple[str, ...]]:
    """Settings from a parsed ``[tool.homeostasis]`` table, and the problems found in it."""
    problems = _Problems()
    values: dict[str, Any] = {}
    for key, value in table.items():
        known = _KEYS.get(key)
        if known is None:
            problems.add(key, _unknown(key))
            continue
        field_name, reader = known
        result = reader(key, value, problems)
        if result is not None:
            values[field_name] = result
    return Settings(**values), tuple(problems.items)


def _unknown(key: str) -> str:
    if key.replace("_", "-") in _KEYS:
        return f"unknown key; did you mean '{key.replace('_', '-')}'? (keys are kebab-case)"
    close = difflib.get_close_matches(key, list(_KEYS), n=1)
    hint = f"did you mean '{close[0]}'?" if close else "known keys: " + ", ".join(_KEYS)
    return f"unknown key; {hint}"


def _read_pyproject(file: Path) -> tuple[dict[str, Any] | None, str | None]:
    """The parsed file, or a problem saying why it could not be read."""
    import tomllib  # most scanned trees have no pyproject.toml

    try:
        with file.open("rb") as handle:
            return tomllib.load(handle), None
    except tomllib.TOMLDecodeError as error:
        return None, f"{file}: not valid TOML: {error}"
    except (OSError, UnicodeDecodeError) as error:
        return None, f"{file}: unreadable: {error}"


def load_config(start: Path) -> ConfigResult:
    """Settings from the nearest pyproject.toml with a ``[tool.homeostasis]`` table.

    The search walks up from ``start`` (a file or a folder) and stops at the git
    root, so a project never picks up the configuration of a folder around it.
    A pyproject.toml that cannot be parsed ends the search there, with defaults
    and a problem, since it is most likely the project's own.
    """
    folder = start.absolute()
    if not folder.is_dir():
        folder = folder.parent
    git_root = find_git_root(folder)
    for candidate in (folder, *folder.parents):
        file = candidate / "pyproject.toml"
        if file.is_file():
            data, problem = _read_pyproject(file)
            if data is None:
                return ConfigResult(Settings(), candidate, (problem or f"{file}: unreadable",), file)
            tool = data.get("tool")
            table = tool.get("homeostasis") if isinstance(tool, dict) else None
            if table is not None:
                if not isinstance(table, dict):
                    return ConfigResult(Settings(), candidate, (f"{file}: {_TABLE} must be a table",), file)
                settings, problems = settings_from_table(table)
                return ConfigResult(settings, candidate, tuple(f"{file}: {p}" for p in problems), file)
        if candidate == git_root:
            break
    return ConfigResult(Settings(), git_root or folder)


_FIELDS = frozenset(f.name for f in fields(Settings))


def merge_settings(base: Settings, **overrides: object) -> Settings:
    """``base`` with command-line values on top; a None override keeps the base value.

    Keys are Settings field names. Lists become tuples, a severity mapping or a
    remap mapping becomes pairs, and severity names become :class:`Severity`.
    """
    unknown = sorted(set(overrides) - _FIELDS)
    if unknown:
        raise TypeError(f"unknown setting(s): {', '.join(unknown)}")
    changes: dict[str, Any] = {}
    for name, value in overrides.items():
        if value is None:
            continue
        if name in ("severity", "path_remaps"):
            pairs = _pairs(value)
            if name == "severity":
                changes[name] = tuple((glob, _as_severity(level)) for glob, level in pairs)
            else:
                changes[name] = tuple((prefix, str(target)) for prefix, target in pairs)
        elif name == "frameworks" and isinstance(value, list | tuple):
            changes[name] = tuple(
                v if isinstance(v, Declared) else Declared(str(v), "settings") for v in value
            )
        elif isinstance(value, list | set | frozenset):
            changes[name] = tuple(value)
        else:
            changes[name] = value
    return replace(base, **changes)


def _pairs(value: object) -> list[tuple[str, object]]:
    if isinstance(value, Mapping):
        return [(str(k), v) for k, v in value.items()]
    if isinstance(value, list | tuple):
        return [(str(k), v) for k, v in value]
    raise TypeError(f"expected a mapping or pairs, got {type(value).__name__}")


def _as_severity(level: object) -> Severity:
    # str() of a (str, Enum) member is "Severity.ERROR" on 3.11, hence the check first.
    return level if isinstance(level, Severity) else Severity(str(level).lower())
